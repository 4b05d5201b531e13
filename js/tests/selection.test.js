import { describe, expect, it } from "vitest";
import { highlightMask } from "../picture.js";
import { countCodes, createTextSearch, describePlan, pairPlan, searchTexts } from "../selection.js";

describe("search", () => {
  const texts = ["Great coffee", "bad tea", "COFFEE beans", "water"];
  it("finds texts containing the query, ignoring case", () => {
    expect(Array.from(searchTexts(texts, "coffee"))).toEqual([0, 2]);
  });
  it("matches nothing for an empty query", () => {
    expect(searchTexts(texts, "   ").length).toBe(0);
  });
  it("finds as searchTexts does while a person types, narrows, widens and clears", () => {
    const corpus = ["needle", "a needless thing", "noodle", "NEEDLES here", "Need it", "x"];
    const find = createTextSearch(corpus);
    for (const query of ["n", "ne", "nee", "need", "needl", "needle", "needles", "need", "oo", ""]) {
      expect(Array.from(find(query))).toEqual(Array.from(searchTexts(corpus, query)));
    }
  });
  it("lowercases the texts once, not on every key", () => {
    let calls = 0;
    const text = (s) => ({ toLowerCase: () => ((calls += 1), s.toLowerCase()) });
    const find = createTextSearch([text("Apple pie"), text("pear"), text("apple")]);
    expect(Array.from(find("ap"))).toEqual([0, 2]);
    expect(Array.from(find("apple"))).toEqual([0, 2]);
    expect(Array.from(find("pear"))).toEqual([1]);
    expect(calls).toBe(3);
  });
  it("highlights hits and dims the rest, or shows all without a search", () => {
    expect(Array.from(highlightMask(4, Uint32Array.from([1])))).toEqual([0, 1, 0, 0]);
    expect(Array.from(highlightMask(3, null))).toEqual([1, 1, 1]);
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
