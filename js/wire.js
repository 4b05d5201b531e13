// Decoding and encoding of the binary traits (see embedwidget/widgets/serializers.py).
// Buffers arrive as DataViews; we wrap them in typed arrays without copying when the
// byte offset allows it (a typed array view must be aligned to its element size).

function view(Type, data) {
  if (data == null) return new Type(0);
  const buffer = data.buffer ?? data;
  const offset = data.byteOffset ?? 0;
  const length = (data.byteLength ?? buffer.byteLength) / Type.BYTES_PER_ELEMENT;
  if (offset % Type.BYTES_PER_ELEMENT === 0) return new Type(buffer, offset, length);
  return new Type(buffer.slice(offset, offset + length * Type.BYTES_PER_ELEMENT));
}

export const float32 = (data) => view(Float32Array, data);
export const uint8 = (data) => view(Uint8Array, data);
export const uint16 = (data) => view(Uint16Array, data);
export const uint32 = (data) => view(Uint32Array, data);

/** Indices to the uint32 bytes Python decodes (a DataView, as the widget protocol wants). */
export function encodeIndices(indices) {
  const array = indices instanceof Uint32Array ? indices : Uint32Array.from(indices);
  return new DataView(array.buffer, array.byteOffset, array.byteLength);
}

const HEADER_BYTES = 16; // float32 xmin, xmax, ymin, ymax: the frame's own range
const STEPS = 65535; // a coordinate is lo + q / STEPS * (hi - lo)

/**
 * A positions buffer: the range header, then uint16 x,y interleaved (4 bytes a point).
 * Returns {n, q, range, unit}: q views the buffer (no copy when aligned), range is
 * [xmin, xmax, ymin, ymax], and point i is at x = xmin + q[2i] * unit[0],
 * y = ymin + q[2i + 1] * unit[1].
 */
export function decodePositions(data) {
  if (data == null || (data.byteLength ?? 0) < HEADER_BYTES) {
    return { n: 0, q: new Uint16Array(0), range: [-1, 1, -1, 1], unit: [0, 0] };
  }
  const buffer = data.buffer ?? data;
  const offset = data.byteOffset ?? 0;
  const header = new DataView(buffer, offset, HEADER_BYTES);
  const range = [0, 4, 8, 12].map((at) => header.getFloat32(at, true));
  const q = uint16(new DataView(buffer, offset + HEADER_BYTES, data.byteLength - HEADER_BYTES));
  const unit = [(range[1] - range[0]) / STEPS, (range[3] - range[2]) / STEPS];
  return { n: q.length >> 1, q, range, unit };
}

/** Label codes: a byte a point while there are at most 255 label names, two beyond. */
export function decodeCodes(data, nLabels) {
  return nLabels <= 255 ? uint8(data) : uint16(data);
}

/**
 * The colours of a column of `data` (`_colors`), by their legend (`_color_legend`):
 * category codes as label codes are ("categories", k for names[k-1], 0 missing), or a
 * byte a point on a scale ("scale", 1..255 from low to high, 0 missing); none otherwise.
 */
export function decodeColors(data, legend) {
  if (legend?.kind === "categories") return decodeCodes(data, legend.names?.length ?? 0);
  if (legend?.kind === "scale") return uint8(data);
  return new Uint8Array(0);
}

/** Float coordinates to a positions buffer, as Python encodes them (for tests and pages
 * that make their own points). */
export function encodePositions(xy) {
  const n = xy.length >> 1;
  const range = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    range[0] = Math.min(range[0], xy[2 * i]);
    range[1] = Math.max(range[1], xy[2 * i]);
    range[2] = Math.min(range[2], xy[2 * i + 1]);
    range[3] = Math.max(range[3], xy[2 * i + 1]);
  }
  if (!n) range.splice(0, 4, 0, 0, 0, 0);
  const bytes = new ArrayBuffer(HEADER_BYTES + 4 * n);
  const header = new DataView(bytes, 0, HEADER_BYTES);
  range.forEach((v, k) => header.setFloat32(4 * k, v, true));
  const lo = [header.getFloat32(0, true), header.getFloat32(8, true)];
  const span = [header.getFloat32(4, true) - lo[0], header.getFloat32(12, true) - lo[1]];
  const q = new Uint16Array(bytes, HEADER_BYTES);
  for (let i = 0; i < 2 * n; i++) {
    const axis = i & 1;
    q[i] = span[axis] > 0 ? Math.round(((xy[i] - lo[axis]) / span[axis]) * STEPS) : 0;
  }
  return new DataView(bytes);
}
