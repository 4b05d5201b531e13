import { describe, expect, it } from "vitest";
import { estimateText, learningCurve, sparkline } from "../training.js";

describe("loss sparkline", () => {
  it("draws the lowest loss at the bottom and spans the width", () => {
    const points = sparkline([2, 1, 0], 100, 20).split(" ").map((p) => p.split(",").map(Number));
    expect(points[0]).toEqual([0, 1]);
    expect(points[2]).toEqual([100, 19]);
  });
  it("needs two points", () => {
    expect(sparkline([1], 100, 20)).toBe("");
  });
});

describe("is it helping", () => {
  it("says the estimate with its interval and how many labels it stands on", () => {
    expect(estimateText({ macro_f1: 0.7812, low: 0.711, high: 0.844, labels: 1200 })).toBe(
      "F1 ≈ 0.78 (0.71–0.84) · 1,200 labels",
    );
    expect(estimateText({ macro_f1: 0.5, low: 0.4, high: 0.6, labels: 1 })).toBe("F1 ≈ 0.50 (0.40–0.60) · 1 label");
    expect(estimateText({})).toBe("");
    expect(estimateText(null)).toBe("");
  });

  it("draws the learning curve on a fixed 0..1 scale, its interval as a band", () => {
    const { line, band } = learningCurve(
      [
        [20, 0.5, 0.4, 0.6],
        [40, 0.75, 0.7, 0.8],
        [60, 1.0, 0.9, 1.2],
      ],
      100,
      22,
    );
    const points = line.split(" ").map((p) => p.split(",").map(Number));
    expect(points.map(([x]) => x)).toEqual([0, 50, 100]); // labels across the width
    expect(points[0][1]).toBe(11); // 0.5 half way up
    expect(points[2][1]).toBe(1); // 1.0 at the top; a high above 1 is clipped there
    const corners = band.split(" ");
    expect(corners).toHaveLength(6); // three highs out, three lows back
    expect(corners[2]).toBe("100.0,1.0");
    expect(learningCurve([[20, 0.5, 0.4, 0.6]], 100, 22)).toEqual({ line: "", band: "" });
  });
});
