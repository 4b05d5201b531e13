import { describe, expect, it } from "vitest";
import { colorOf, DOUBT_PALETTE, doubtBins, labelColors, PALETTE, UNLABELLED } from "../palettes.js";

describe("label colours", () => {
  it("greys unlabelled points and cycles the palette for labels", () => {
    expect(colorOf(0)).toBe(UNLABELLED);
    expect(colorOf(1)).toBe(PALETTE[0]);
    expect(colorOf(PALETTE.length + 1)).toBe(PALETTE[0]);
    expect(labelColors(2)).toEqual([UNLABELLED, PALETTE[0], PALETTE[1]]);
  });
});

describe("doubt colours", () => {
  it("bins 0..255 into ten classes, sure to unsure", () => {
    const bins = doubtBins(Uint8Array.from([0, 25, 26, 128, 255]));
    expect(Array.from(bins)).toEqual([0, 0, 1, 5, 9]);
    expect(DOUBT_PALETTE).toHaveLength(10);
  });
});
