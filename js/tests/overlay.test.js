// overlay.js: a large selection's dots, rasterised from the points' places through the camera.
import { describe, expect, it } from "vitest";
import { LARGE_SELECTION, rasterise, screenTransform } from "../overlay.js";
import { screenOf } from "../plot.js";

const image = (width, height) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) });
const pixel = ({ width, data }, x, y) => Array.from(data.slice(4 * (y * width + x), 4 * (y * width + x) + 4));
const RED = [255, 0, 0, 255];
const NONE = [0, 0, 0, 0];

describe("where a point is on the canvas", () => {
  it("is the place screenOf gives, for any camera and aspect", () => {
    const zoomed = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0.5, -0.25, 0, 1];
    const [ax, bx, cx, ay, by, cy] = screenTransform(zoomed, 400, 200, 1.5);
    for (const [x, y] of [[0, 0], [0.25, 0.5], [-1, 0.3]]) {
      const [sx, sy] = screenOf(zoomed, [x, y], 400, 200, 1.5);
      expect(ax * x + bx * y + cx).toBeCloseTo(sx, 9);
      expect(ay * x + by * y + cy).toBeCloseTo(sy, 9);
    }
  });
});

describe("rasterising a selection", () => {
  const rest = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const x = Float32Array.from([0, 1, -1, 5]);
  const y = Float32Array.from([0, 1, 0, 0]);

  it("puts a 2x2 dot on each selected point, nothing elsewhere", () => {
    const picture = image(40, 20); // x in [-2, 2], y in [-1, 1]
    rasterise(picture, x, y, Uint32Array.from([0, 2]), screenTransform(rest, 40, 20), 1, RED);
    for (const [px, py] of [[19, 9], [20, 10], [9, 9], [10, 10]]) expect(pixel(picture, px, py)).toEqual(RED);
    expect(pixel(picture, 30, 0)).toEqual(NONE); // point 1, not selected
    const coloured = picture.data.filter((byte, i) => i % 4 === 3 && byte).length;
    expect(coloured).toBe(8);
  });

  it("clears the last picture, leaves out points off the canvas or beyond the columns, and scales by the pixel ratio", () => {
    const picture = image(80, 40);
    picture.data.fill(7);
    rasterise(picture, x, y, Uint32Array.from([1, 3, 9]), screenTransform(rest, 40, 20), 2, RED);
    // Point 1 at CSS (30, 0): its dot is cut by the top edge and left out; point 3 is off to the right.
    expect(picture.data.every((byte) => byte === 0)).toBe(true);
    rasterise(picture, x, y, Uint32Array.from([0]), screenTransform(rest, 40, 20), 2, RED);
    expect(pixel(picture, 40, 20)).toEqual(RED);
  });

  it("takes a million points in well under a redraw's time", () => {
    const n = 1_000_000;
    const xs = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const ys = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    const picture = image(1200, 600);
    const started = performance.now();
    rasterise(picture, xs, ys, all, screenTransform(rest, 1200, 600), 1, RED);
    expect(performance.now() - started).toBeLessThan(500);
    expect(LARGE_SELECTION).toBeLessThan(n);
  });
});
