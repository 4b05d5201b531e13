import { describe, expect, it } from "vitest";
import { sparkline } from "../training.js";

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
