import { describe, expect, it } from "vitest";
import { highlightMask } from "../picture.js";
import {
  complement,
  countCodes,
  countSelected,
  createTextSearch,
  describePlan,
  pairPlan,
  searchTexts,
  union,
  withCode,
} from "../selection.js";

describe("search", () => {
  const texts = ["Great coffee", "bad tea", "COFFEE beans", "water", "coffeehouse"];
  it("finds texts that hold the query as a whole word, ignoring case", () => {
    expect(Array.from(searchTexts(texts, "coffee"))).toEqual([0, 2]);
  });
  it("does not find a word inside another (cat is not category)", () => {
    const pets = ["a cat sat", "category", "Yucateco", "cat.", "(cat)", "cats", "Cat"];
    expect(Array.from(searchTexts(pets, "cat"))).toEqual([0, 3, 4, 6]);
  });
  it("finds texts that hold every word, in any order", () => {
    const corpus = ["tea and coffee", "coffee, then tea", "tea", "coffee tealeaf"];
    expect(Array.from(searchTexts(corpus, "coffee tea"))).toEqual([0, 1]);
    expect(Array.from(searchTexts(corpus, "  TEA  "))).toEqual([0, 1, 2]);
  });
  it("matches nothing for an empty query", () => {
    expect(searchTexts(texts, "   ").length).toBe(0);
  });
  it("finds as searchTexts does while a person types, narrows, widens and clears", () => {
    const corpus = ["needle", "a needless thing", "noodle", "NEEDLES here", "Need it", "x", "need needle", "it needs"];
    const find = createTextSearch(corpus);
    const queries = ["n", "ne", "nee", "need", "needl", "needle", "needles", "need", "need i", "need it", "it need", "oo", ""];
    for (const query of queries) {
      expect(Array.from(find(query))).toEqual(Array.from(searchTexts(corpus, query)));
    }
  });
  it("lowercases the texts once, not on every key", () => {
    let calls = 0;
    const text = (s) => ({ toLowerCase: () => ((calls += 1), s.toLowerCase()) });
    const find = createTextSearch([text("Apple pie"), text("pear"), text("apple")]);
    expect(Array.from(find("ap"))).toEqual([]);
    expect(Array.from(find("apple"))).toEqual([0, 2]);
    expect(Array.from(find("apple pie"))).toEqual([0]);
    expect(Array.from(find("pear"))).toEqual([1]);
    expect(calls).toBe(3);
  });
  it("highlights hits and dims the rest, or shows all without a search", () => {
    expect(Array.from(highlightMask(4, Uint32Array.from([1])))).toEqual([0, 1, 0, 0]);
    expect(Array.from(highlightMask(3, null))).toEqual([1, 1, 1]);
  });
});

describe("selecting by label and inverting", () => {
  const codes = Uint8Array.from([0, 1, 2, 1, 0]);
  it("selects the points of a label, or the unlabelled ones", () => {
    expect(Array.from(withCode(codes, 1))).toEqual([1, 3]);
    expect(Array.from(withCode(codes, 0))).toEqual([0, 4]);
    expect(Array.from(withCode(codes, 3))).toEqual([]);
  });
  it("adds to a selection, each point once", () => {
    expect(Array.from(union(Uint32Array.from([4, 1]), Uint32Array.from([1, 3]), 5))).toEqual([1, 3, 4]);
  });
  it("inverts a selection: every other point, and only those", () => {
    expect(Array.from(complement(Uint32Array.from([3, 0]), 5))).toEqual([1, 2, 4]);
    expect(Array.from(complement(new Uint32Array(0), 3))).toEqual([0, 1, 2]);
    expect(Array.from(complement(Uint32Array.from([0, 1, 2]), 3))).toEqual([]);
  });
  it("counts the selection's share of each label", () => {
    expect(Array.from(countSelected(codes, Uint32Array.from([1, 2, 4]), 2))).toEqual([1, 1, 1]);
  });
});

describe("pairs", () => {
  it("zips sides of equal size", () => {
    const plan = pairPlan([1, 2, 3], [4, 5, 6]);
    expect(plan).toEqual({ how: "zip", count: 3 });
    expect(describePlan(plan)).toContain("zipped");
  });
  it("crosses sides of different size", () => {
    const plan = pairPlan([1, 2], [4, 5, 6]);
    expect(plan).toEqual({ how: "product", count: 6 });
    expect(describePlan(plan)).toContain("every A with every B");
  });
  it("makes none while a side is empty", () => {
    expect(pairPlan([1], []).count).toBe(0);
  });
});

describe("label counts", () => {
  it("counts points per code, code 0 being unlabelled", () => {
    const counts = countCodes(Uint16Array.from([0, 1, 1, 2, 0, 0]), 2);
    expect(Array.from(counts)).toEqual([3, 2, 1]);
  });
});
