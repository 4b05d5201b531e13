import { describe, expect, it } from "vitest";
import { remember } from "../memo.js";
import { areaOf, drawOrder, perStanding, standing } from "../picture.js";

describe("how points stand out", () => {
  it("marks labelled points, and the search's hits over the rest", () => {
    const codes = Uint8Array.from([0, 1, 0, 2]);
    expect(Array.from(standing(codes, null))).toEqual([2, 3, 2, 3]);
    expect(Array.from(standing(codes, Uint32Array.from([0, 3])))).toEqual([2, 1, 0, 3]);
    expect(perStanding(({ shown, labelled }) => `${shown ? "shown" : "faded"} ${labelled ? "labelled" : "unlabelled"}`)).toEqual([
      "faded unlabelled",
      "faded labelled",
      "shown unlabelled",
      "shown labelled",
    ]);
  });

  it("draws the unlabelled points first, so that labelled ones lie on top", () => {
    expect(drawOrder(Uint8Array.from([1, 0, 2, 0]))).toEqual([1, 3]);
    expect(drawOrder(Uint8Array.from([0, 0]))).toBeNull();
    expect(drawOrder(Uint8Array.from([1, 1]))).toBeNull();
  });
});

describe("zoom to the selection", () => {
  const x = Float32Array.from([0, 1, 0.5, -3]);
  const y = Float32Array.from([0, 0.5, 1, 3]);
  it("frames the selected points with a margin", () => {
    expect(areaOf([0, 1, 2], x, y, { padding: 0.5, least: 0 })).toEqual({ x: -0.5, y: -0.5, width: 2, height: 2 });
  });
  it("frames a lone point with the least area", () => {
    const area = areaOf([3], x, y, { least: 0.2 });
    expect(area.width).toBeCloseTo(0.2);
    expect(area.x + area.width / 2).toBeCloseTo(-3);
    expect(area.y + area.height / 2).toBeCloseTo(3);
  });
});

describe("remember", () => {
  it("computes again only when an input is another object", () => {
    let calls = 0;
    const double = remember((values) => ((calls += 1), values.map((v) => 2 * v)));
    const a = [1, 2];
    expect(double(a)).toEqual([2, 4]);
    expect(double(a)).toBe(double(a));
    expect(calls).toBe(1);
    double([1, 2]);
    expect(calls).toBe(2);
  });
});
