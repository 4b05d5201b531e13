import { describe, expect, it } from "vitest";
import { boundsOf, toDeviceCoordinates } from "../picture.js";
import {
  decodeCodes,
  decodeColors,
  decodePositions,
  encodeIndices,
  encodePositions,
  float32,
  uint16,
  uint32,
} from "../wire.js";

/** Bytes as Python's positions_to_bytes writes them: the range header, then uint16 x,y. */
function pythonPositions(range, q) {
  const bytes = new ArrayBuffer(16 + 2 * q.length);
  const view = new DataView(bytes);
  range.forEach((v, k) => view.setFloat32(4 * k, v, true));
  q.forEach((v, i) => view.setUint16(16 + 2 * i, v, true));
  return new DataView(bytes);
}

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
    expect(decodePositions(null).n).toBe(0);
  });

  it("encodes indices as uint32 bytes in a DataView", () => {
    const view = encodeIndices([5, 4_000_000_000]);
    expect(view).toBeInstanceOf(DataView);
    expect(view.byteLength).toBe(8);
    expect(view.getUint32(4, true)).toBe(4_000_000_000);
  });
});

describe("quantized positions", () => {
  it("reads the range header and views the uint16 points without copying", () => {
    const data = pythonPositions([-2, 6, 1, 3], [0, 65535, 65535, 0, 32768, 16384]);
    const points = decodePositions(data);
    expect(points.n).toBe(3);
    expect(points.range).toEqual([-2, 6, 1, 3]);
    expect(Array.from(points.q)).toEqual([0, 65535, 65535, 0, 32768, 16384]);
    expect(points.q.buffer).toBe(data.buffer);
  });

  it("decodes to within half a step of the floats it was made from", () => {
    const xy = Array.from({ length: 2000 }, (_, i) => Math.sin(i) * (i % 2 ? 1e3 : 1e-2));
    const points = decodePositions(encodePositions(xy));
    const [xmin, xmax, ymin, ymax] = points.range;
    for (let i = 0; i < 1000; i++) {
      const x = xmin + (points.q[2 * i] / 65535) * (xmax - xmin);
      const y = ymin + (points.q[2 * i + 1] / 65535) * (ymax - ymin);
      expect(Math.abs(x - xy[2 * i])).toBeLessThanOrEqual(((xmax - xmin) / 65535) * 0.5 + 1e-9);
      expect(Math.abs(y - xy[2 * i + 1])).toBeLessThanOrEqual(((ymax - ymin) / 65535) * 0.5 + 1e-6);
    }
  });

  it("copies a positions buffer that arrives at an odd offset", () => {
    const data = encodePositions([1, 2, 3, 4]);
    const shifted = new Uint8Array(data.byteLength + 1);
    shifted.set(new Uint8Array(data.buffer), 1);
    const points = decodePositions(new DataView(shifted.buffer, 1, data.byteLength));
    expect(points.range).toEqual([1, 3, 2, 4]);
    expect(Array.from(points.q)).toEqual([0, 0, 65535, 65535]);
  });

  it("takes a byte a label code up to 255 labels and two beyond", () => {
    const one = new DataView(Uint8Array.from([0, 255, 3]).buffer);
    expect(Array.from(decodeCodes(one, 255))).toEqual([0, 255, 3]);
    expect(decodeCodes(one, 255)).toBeInstanceOf(Uint8Array);
    const two = new DataView(Uint16Array.from([0, 256, 3]).buffer);
    expect(Array.from(decodeCodes(two, 256))).toEqual([0, 256, 3]);
  });

  it("reads a column's colours by its legend: codes as label codes, scale bytes, or none", () => {
    const names = (k) => Array.from({ length: k }, (_, i) => `c${i}`);
    const few = new DataView(Uint8Array.from([0, 2, 1]).buffer);
    expect(decodeColors(few, { kind: "categories", names: names(2) })).toEqual(Uint8Array.from([0, 2, 1]));
    const many = new DataView(Uint16Array.from([0, 300, 1]).buffer);
    expect(decodeColors(many, { kind: "categories", names: names(300) })).toEqual(Uint16Array.from([0, 300, 1]));
    const scale = new DataView(Uint8Array.from([0, 1, 255]).buffer);
    expect(decodeColors(scale, { kind: "scale", low: 0, high: 1 })).toEqual(Uint8Array.from([0, 1, 255]));
    expect(decodeColors(new DataView(new ArrayBuffer(0)), {})).toHaveLength(0);
    expect(decodeColors(undefined, undefined)).toHaveLength(0);
  });
});

describe("device coordinates", () => {
  const points = (xy) => decodePositions(encodePositions(xy));

  it("maps the bounds into [-1, 1] keeping the aspect ratio", () => {
    const p = points([0, 0, 10, 5, 5, 2.5]);
    const { x, y } = toDeviceCoordinates(p, boundsOf(p));
    expect(Math.max(...x)).toBeCloseTo(0.95);
    expect(Math.min(...x)).toBeCloseTo(-0.95);
    expect(Math.max(...y)).toBeCloseTo(0.475);
    expect(x[2]).toBeCloseTo(0, 4);
  });

  it("uses the width of a wide canvas, with one scale for both axes", () => {
    const p = points([0, 0, 10, 2]);
    const { x, y } = toDeviceCoordinates(p, boundsOf(p), 2);
    expect(x[1] - x[0]).toBeCloseTo(3.8); // 95% of the width: x shows [-2, 2]
    expect(y[1] - y[0]).toBeCloseTo(0.76); // a fifth of that, like the data
  });

  it("keeps a single point finite", () => {
    const { x, y } = toDeviceCoordinates(points([3, 3]), [3, 3, 3, 3]);
    expect(Number.isFinite(x[0]) && Number.isFinite(y[0])).toBe(true);
  });
});
