import { describe, expect, it } from "vitest";
import { colorOf, doubtBins, doubtColors, labelColors, PALETTE, scaleColor, scaleColors, scaleSteps } from "../palettes.js";

describe("label colours", () => {
  it("has twenty distinct colours, none of them grey", () => {
    expect(new Set(PALETTE).size).toBe(20);
    for (const hex of PALETTE) {
      const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
      expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeGreaterThan(40); // a hue, not a grey
    }
  });

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

describe("a numeric column's scale", () => {
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
    return 0.299 * r + 0.587 * g + 0.114 * b;
  };

  it("runs from dark to light, byte 0 (missing) in the theme's grey", () => {
    const colors = scaleColors("#4f4f4f");
    expect(colors).toHaveLength(256);
    expect(colors[0]).toBe("#4f4f4f");
    expect(luminance(colors[255])).toBeGreaterThan(luminance(colors[1]) + 100);
    expect(scaleColor(0)).toBe("#440154");
  });

  it("leaves out the end that would vanish in the theme: pale yellow on white, dark purple on black", () => {
    expect(luminance(scaleColor(1, false))).toBeLessThan(luminance("#fde725"));
    expect(scaleColor(1, true)).toBe("#fde725");
    expect(luminance(scaleColor(0, true))).toBeGreaterThan(luminance("#440154"));
    expect(scaleSteps(5)).toEqual([0, 0.25, 0.5, 0.75, 1].map((t) => scaleColor(t)));
  });
});
