import { describe, expect, it } from "vitest";
import { findWord, hasWords, parseTerms, wordRanges } from "../words.js";

describe("whole words, as the kernel's find(words)", () => {
  it("splits a query into lowercase terms", () => {
    expect(parseTerms("  Great  COFFEE ")).toEqual(["great", "coffee"]);
    expect(parseTerms("   ")).toEqual([]);
  });

  it("finds a term only with a boundary on each side", () => {
    expect(findWord("a cat sat", "cat")).toBe(2);
    expect(findWord("category", "cat")).toBe(-1);
    expect(findWord("yucateco", "cat")).toBe(-1);
    expect(findWord("bobcat", "cat")).toBe(-1);
    expect(findWord("cats and a cat", "cat")).toBe(11);
    expect(findWord("cat_food", "cat")).toBe(-1); // "_" is a word character, as in \w
    expect(findWord("cat-food", "cat")).toBe(0);
    expect(findWord("cat2", "cat")).toBe(-1);
  });

  it("treats letters of any script as word characters", () => {
    expect(findWord("café au lait", "caf")).toBe(-1);
    expect(findWord("ein großer kaffee", "groß")).toBe(-1);
    expect(findWord("ein groß kaffee", "groß")).toBe(4);
    expect(findWord("чай, кофе", "чай")).toBe(0);
    expect(findWord("𝒳cat", "cat")).toBe(-1); // a letter outside the BMP, a surrogate pair
  });

  it("follows \\b for terms that start or end with punctuation", () => {
    // Python: re.search(r"\bc\+\+\b", "c++ code") finds nothing: no boundary after "+ ".
    expect(findWord("c++ code", "c++")).toBe(-1);
    expect(findWord("c++x", "c++")).toBe(0);
  });

  it("needs every term", () => {
    expect(hasWords("tea and coffee", ["coffee", "tea"])).toBe(true);
    expect(hasWords("tea and coffeehouse", ["coffee", "tea"])).toBe(false);
    expect(hasWords("anything", [])).toBe(false);
  });

  it("gives the stretches a list marks, merged and in order", () => {
    expect(wordRanges("Cat and cat, category", ["cat"])).toEqual([
      [0, 3],
      [8, 11],
    ]);
    expect(wordRanges("new york new", ["new york", "york"])).toEqual([[0, 8]]);
    expect(wordRanges("İstanbul cat", ["cat"])).toEqual([]); // lowercasing changed the length
  });
});
