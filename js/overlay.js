// A large selection drawn as dots on a 2-D canvas laid over the picture, instead of by
// regl-scatterplot. A hand-written layer, justified by measurement (bench/million.py,
// RESULTS.md): the library draws a selection as three more passes over the selected
// points, and in headless Chromium (SwiftShader) a render of a million points took
// 0.9 / 1.7 / 4.9 s with 0 / 200k / 990k selected, so a legend click or an invert at that
// size cost more than a redraw of the picture. A dot per selected point, rasterised here
// into an ImageData, costs tens of milliseconds for a million. The dots are placed again
// after every render of the picture (a pan, a zoom, a frame, a step of an animation).

// Above this many selected points the selection is drawn here, not by regl-scatterplot.
export const LARGE_SELECTION = 50_000;

// The side of a dot, in device pixels.
const DOT = 2;

/**
 * How regl-scatterplot places device coordinates [x, y] on a `width` x `height` canvas
 * (CSS pixels from its top left) through its camera `view` (a column-major 4x4 matrix):
 * its model stretches x by the data's aspect ratio, its projection shrinks x by the
 * canvas's, and clip space [-1, 1] fills the canvas, y upwards. Returns the affine map
 * [ax, bx, cx, ay, by, cy]: screen x = ax * x + bx * y + cx, screen y = ay * x + by * y + cy.
 */
export function screenTransform(view, width, height, dataAspect = 1) {
  const stretch = dataAspect || 1;
  const shrink = width / height;
  const sx = width / 2;
  const sy = -height / 2;
  return [
    (sx * view[0] * stretch) / shrink,
    (sx * view[4]) / shrink,
    sx * (view[12] / shrink + 1),
    sy * view[1] * stretch,
    sy * view[5],
    sy * (view[13] - 1),
  ];
}

/**
 * Clear `image` ({width, height, data}, RGBA bytes) and put a DOT x DOT dot of `rgba`
 * (0-255 each) at each point `indices` of (x, y), placed by `transform` (screenTransform)
 * and `pixelRatio` (device pixels a CSS pixel). Points off the image are left out.
 */
export function rasterise(image, x, y, indices, transform, pixelRatio, rgba) {
  const { width, height, data } = image;
  const pixels = new Uint32Array(data.buffer, data.byteOffset, width * height);
  pixels.fill(0);
  // One 32-bit word a pixel: the bytes in memory are R, G, B, A (little-endian words).
  const word = (rgba[0] | (rgba[1] << 8) | (rgba[2] << 16) | (rgba[3] << 24)) >>> 0;
  const [ax, bx, cx, ay, by, cy] = transform.map((value) => value * pixelRatio);
  const n = x.length;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (i >= n) continue;
    const left = Math.round(ax * x[i] + bx * y[i] + cx) - DOT / 2;
    const top = Math.round(ay * x[i] + by * y[i] + cy) - DOT / 2;
    if (left < 0 || top < 0 || left + DOT > width || top + DOT > height) continue;
    for (let row = top; row < top + DOT; row++) {
      const at = row * width + left;
      for (let col = 0; col < DOT; col++) pixels[at + col] = word;
    }
  }
}

/**
 * The layer over `canvas`, the picture's. `paint(indices, x, y, view,
 * dataAspect, rgba)` draws the dots of `indices` (rgba: 0-1 each, as regl-scatterplot's
 * colours) through the camera `view`; `clear()` takes them away. The milliseconds of
 * the last paint and its dot count go into the layer's data-paint-ms and data-points.
 */
export function createSelectionLayer(canvas) {
  const layer = document.createElement("canvas");
  layer.className = "ew-selection-layer";
  canvas.after(layer);
  let context = null;
  let image = null;
  let painted = false;

  function paint(indices, x, y, view, dataAspect, rgba) {
    const started = performance.now();
    const { width, height } = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(width * ratio));
    const h = Math.max(1, Math.round(height * ratio));
    if (layer.width !== w || layer.height !== h) {
      layer.width = w;
      layer.height = h;
      image = null;
    }
    Object.assign(layer.style, {
      left: `${canvas.offsetLeft}px`,
      top: `${canvas.offsetTop}px`,
      width: `${width}px`,
      height: `${height}px`,
    });
    context ??= layer.getContext("2d");
    if (!context) return;
    image ??= context.createImageData(w, h);
    const bytes = rgba.map((value) => Math.round(255 * value));
    rasterise(image, x, y, indices, screenTransform(view, width, height, dataAspect), ratio, bytes);
    context.putImageData(image, 0, 0);
    painted = true;
    layer.dataset.points = String(indices.length);
    layer.dataset.paintMs = (performance.now() - started).toFixed(1);
  }

  return {
    element: layer,
    paint,
    clear() {
      if (!painted) return;
      context.clearRect(0, 0, layer.width, layer.height);
      painted = false;
      layer.dataset.points = "0";
    },
  };
}
