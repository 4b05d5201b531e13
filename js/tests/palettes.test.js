import { describe, expect, it } from "vitest";
import { colorOf, doubtBins, doubtColors, labelColors, PALETTE } from "../palettes.js";

describe("label colours", () => {
  it("gives unlabelled points the theme's grey and cycles the palette for labels", () => {
    expect(colorOf(0, "#4f4f4f")).toBe("#4f4f4f");
    expect(colorOf(1, "#4f4f4f")).toBe(PALETTE[0]);
    expect(colorOf(PALETTE.length + 1, "#4f4f4f")).toBe(PALETTE[0]);
    expect(labelColors(2, "#bcbcbc")).toEqual(["#bcbcbc", PALETTE[0], PALETTE[1]]);
  });
});

describe("doubt colours", () => {
  it("bins 0..255 into ten classes, sure to unsure", () => {
    expect(Array.from(doubtBins(Uint8Array.from([0, 25, 26, 128, 255])))).toEqual([0, 0, 1, 5, 9]);
  });
  it("paints sure points in the theme's grey and has a colour for every class", () => {
    const colors = doubtColors("#4f4f4f");
    expect(colors).toHaveLength(10);
    expect(colors[0]).toBe("#4f4f4f");
    expect(new Set(colors).size).toBe(10);
  });
});
