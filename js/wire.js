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

/**
 * Interleaved float32 x,y positions to the column arrays regl-scatterplot draws. The view
 * bounds [xmin, xmax, ymin, ymax] fill 95% of a canvas whose width is `aspect` times its
 * height: regl-scatterplot shows y in [-1, 1] and x in [-aspect, aspect]. One scale for
 * both axes, so the picture is not stretched.
 */
export function toDeviceCoordinates(positions, bounds, aspect = 1) {
  const n = positions.length >> 1;
  const [xmin, xmax, ymin, ymax] = bounds;
  const cx = (xmin + xmax) / 2;
  const cy = (ymin + ymax) / 2;
  const halfX = Math.max(xmax - xmin, 1e-12) / 2;
  const halfY = Math.max(ymax - ymin, 1e-12) / 2;
  const scale = 0.95 * Math.min(Math.max(aspect, 1e-3) / halfX, 1 / halfY);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (positions[2 * i] - cx) * scale;
    y[i] = (positions[2 * i + 1] - cy) * scale;
  }
  return { x, y };
}

/** Bounds of interleaved x,y positions, for when Python sends none. */
export function boundsOf(positions) {
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < positions.length; i += 2) {
    const px = positions[i], py = positions[i + 1];
    if (px < xmin) xmin = px;
    if (px > xmax) xmax = px;
    if (py < ymin) ymin = py;
    if (py > ymax) ymax = py;
  }
  return positions.length ? [xmin, xmax, ymin, ymax] : [-1, 1, -1, 1];
}
