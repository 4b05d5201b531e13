import KDBush from "kdbush";
import { describe, expect, it } from "vitest";
import { spatialIndex } from "../spatial.js";

describe("spatial index", () => {
  it("finds exactly the points inside a box, as regl-scatterplot reads it back", () => {
    const n = 5000;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.9);
    const y = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 78.233) * 0.9);
    const index = KDBush.from(spatialIndex(x, y)); // the ArrayBuffer draw() is handed
    const inside = [];
    for (let i = 0; i < n; i++) if (x[i] >= -0.2 && x[i] <= 0.3 && y[i] >= 0.1 && y[i] <= 0.5) inside.push(i);
    expect(inside.length).toBeGreaterThan(50);
    expect(index.range(-0.2, 0.1, 0.3, 0.5).sort((a, b) => a - b)).toEqual(inside);
  });
  it("holds no points for no points", () => {
    expect(KDBush.from(spatialIndex(new Float32Array(0), new Float32Array(0))).numItems).toBe(0);
  });
});
