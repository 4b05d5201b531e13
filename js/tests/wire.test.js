import { describe, expect, it } from "vitest";
import { boundsOf, encodeIndices, float32, toDeviceCoordinates, uint16, uint32 } from "../wire.js";

describe("wire decoding", () => {
  it("views an aligned buffer without copying it", () => {
    const source = new Float32Array([1, 2, 3, 4]);
    const decoded = float32(new DataView(source.buffer));
    expect(Array.from(decoded)).toEqual([1, 2, 3, 4]);
    expect(decoded.buffer).toBe(source.buffer);
  });

  it("copies a buffer whose offset is not aligned", () => {
    const bytes = new Uint8Array(1 + 4 * 2);
    new DataView(bytes.buffer).setUint16(1, 513, true);
    new DataView(bytes.buffer).setUint16(3, 7, true);
    const decoded = uint16(new DataView(bytes.buffer, 1, 4));
    expect(Array.from(decoded)).toEqual([513, 7]);
  });

  it("reads little-endian uint32 as Python writes it", () => {
    const bytes = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(uint32(new DataView(bytes.buffer)))).toEqual([1, 16777216]);
  });

  it("treats a missing buffer as empty", () => {
    expect(float32(null).length).toBe(0);
  });

  it("encodes indices as uint32 bytes in a DataView", () => {
    const view = encodeIndices([5, 4_000_000_000]);
    expect(view).toBeInstanceOf(DataView);
    expect(view.byteLength).toBe(8);
    expect(view.getUint32(4, true)).toBe(4_000_000_000);
  });
});

describe("device coordinates", () => {
  it("maps the bounds into [-1, 1] keeping the aspect ratio", () => {
    const positions = new Float32Array([0, 0, 10, 5, 5, 2.5]);
    const { x, y } = toDeviceCoordinates(positions, boundsOf(positions));
    expect(Math.max(...x)).toBeCloseTo(0.95);
    expect(Math.min(...x)).toBeCloseTo(-0.95);
    expect(Math.max(...y)).toBeCloseTo(0.475);
    expect(x[2]).toBeCloseTo(0);
  });

  it("uses the width of a wide canvas, with one scale for both axes", () => {
    const positions = new Float32Array([0, 0, 10, 2]);
    const { x, y } = toDeviceCoordinates(positions, boundsOf(positions), 2);
    expect(x[1] - x[0]).toBeCloseTo(3.8); // 95% of the width: x shows [-2, 2]
    expect(y[1] - y[0]).toBeCloseTo(0.76); // a fifth of that, like the data
  });

  it("keeps a single point finite", () => {
    const { x, y } = toDeviceCoordinates(new Float32Array([3, 3]), [3, 3, 3, 3]);
    expect(Number.isFinite(x[0]) && Number.isFinite(y[0])).toBe(true);
  });
});
