// The widget's state as regl-scatterplot columns: positions in device coordinates, colour
// by label code, doubt or a column of `data` (colouring.js), how a point stands out
// (search hit, labelled), and the order points are drawn in (labelled ones last, on top).
// One draw for all the traits that one update from Python changes; the columns are made
// again only when what they show changed, not for every frame.

import { colouringOf, paletteOf } from "./colouring.js";
import { remember } from "./memo.js";
import { doubtBins } from "./palettes.js";
import { spatialIndex } from "./spatial.js";

/**
 * Decoded positions (wire.js) to the column arrays regl-scatterplot draws. The view
 * bounds [xmin, xmax, ymin, ymax] fill 95% of a canvas whose width is `aspect` times its
 * height: regl-scatterplot shows y in [-1, 1] and x in [-aspect, aspect]. One scale for
 * both axes, so the picture is not stretched. Each coordinate is one multiply-add of its
 * quantized value: q * a + b.
 */
export function toDeviceCoordinates(points, bounds, aspect = 1) {
  const { n, q, range, unit } = points;
  const { cx, cy, scale } = deviceTransform(bounds, aspect);
  const ax = unit[0] * scale;
  const bx = (range[0] - cx) * scale;
  const ay = unit[1] * scale;
  const by = (range[2] - cy) * scale;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = q[2 * i] * ax + bx;
    y[i] = q[2 * i + 1] * ay + by;
  }
  return { x, y };
}

/**
 * How a point of the positions' own coordinates (before the wire's quantization) lands
 * in device coordinates: x' = (x - cx) * scale, y' = (y - cy) * scale.
 */
export function deviceTransform(bounds, aspect = 1) {
  const [xmin, xmax, ymin, ymax] = bounds;
  const halfX = Math.max(xmax - xmin, 1e-12) / 2;
  const halfY = Math.max(ymax - ymin, 1e-12) / 2;
  const scale = 0.95 * Math.min(Math.max(aspect, 1e-3) / halfX, 1 / halfY);
  return { cx: (xmin + xmax) / 2, cy: (ymin + ymax) / 2, scale };
}

/** The range of decoded positions, for when Python sends no view bounds. */
export function boundsOf(points) {
  return points.n ? points.range : [-1, 1, -1, 1];
}

/** Opacity classes for drawing: 1 for highlighted points, 0 for the rest (all 1 if none). */
export function highlightMask(n, hits) {
  const mask = new Float32Array(n);
  if (!hits || !hits.length) return mask.fill(1);
  for (const i of hits) mask[i] = 1;
  return mask;
}

/**
 * How a point stands out, the class regl-scatterplot draws it by (valueB): shown (every
 * point without a search, its hits with one; the rest fade) and labelled, or not.
 */
export const STANDING = { FADED: 0, LABELLED: 1, SHOWN: 2 };

/** A value for each standing class, 0..3, from `value({shown, labelled})`. */
export function perStanding(value) {
  return [0, 1, 2, 3].map((k) => value({ shown: k >= STANDING.SHOWN, labelled: k % 2 === STANDING.LABELLED }));
}

/** Each point's standing: shown or faded by `highlightMask`, plus labelled (a code other than 0) or not. */
export function standing(codes, hits) {
  const out = highlightMask(codes.length, hits);
  for (let i = 0; i < out.length; i++) {
    out[i] = (out[i] ? STANDING.SHOWN : STANDING.FADED) + (codes[i] ? STANDING.LABELLED : 0);
  }
  return out;
}

/**
 * The order to draw points in so that labelled points lie on top: the unlabelled ones
 * (regl-scatterplot draws the points not listed after those listed). null, the order of
 * the indices, when every point or none is labelled.
 */
export function drawOrder(codes) {
  let unlabelled = 0;
  for (let i = 0; i < codes.length; i++) if (!codes[i]) unlabelled++;
  if (unlabelled === 0 || unlabelled === codes.length) return null;
  const order = new Array(unlabelled);
  for (let i = 0, j = 0; j < unlabelled; i++) if (!codes[i]) order[j++] = i;
  return order;
}

/**
 * The rectangle round the points `indices` of (x, y), grown by `padding` (a share of its
 * size) and to at least `least` on each side: where zoom to selection moves the view.
 */
export function areaOf(indices, x, y, { padding = 0.15, least = 0.1 } = {}) {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const i of indices) {
    if (x[i] < x0) x0 = x[i];
    if (x[i] > x1) x1 = x[i];
    if (y[i] < y0) y0 = y[i];
    if (y[i] > y1) y1 = y[i];
  }
  const width = Math.max((x1 - x0) * (1 + 2 * padding), least);
  const height = Math.max((y1 - y0) * (1 + 2 * padding), least);
  return { x: (x0 + x1 - width) / 2, y: (y0 + y1 - height) / 2, width, height };
}

/**
 * One picture of the points: `positions()` and `bounds()` say where they are (the live
 * frame, or the compare view's starting one); everything else (codes, hits, selection,
 * colours) is the state both pictures share. `box` is the element the canvas fills;
 * `theme()` the theme (theme.js: its grey colours unlabelled, sure and missing points);
 * `onError(error)` hears of a draw that failed. Frames drawn and the last draw's
 * milliseconds go into root.dataset[`frames${name}`] and [`drawMs${name}`].
 */
export function createPicture({ state, plot, box, root, theme, positions, bounds, onError, name = "" }) {
  let frames = 0;
  let lastMs = 0;
  let drawnAspect = null;
  let placed = { points: null, key: "", x: null, y: null, index: null, transform: null };

  const aspectOf = () => (box.clientHeight ? box.clientWidth / box.clientHeight : 1);

  /** Device coordinates and their spatial index, computed again only when the positions,
   * the view bounds or the canvas's shape changed (not for new colours or hits). */
  function place(points, bounds, aspect) {
    const key = `${bounds.join()}|${aspect}`;
    if (placed.points !== points || placed.key !== key) {
      const { x, y } = toDeviceCoordinates(points, bounds, aspect);
      placed = { points, key, x, y, index: spatialIndex(x, y), transform: deviceTransform(bounds, aspect) };
    }
    return placed;
  }

  const labelColumn = remember((codes) => Float32Array.from(codes));
  const doubtColumn = remember(doubtBins);
  const valuesColumn = remember((values) => Float32Array.from(values));
  const standingColumn = remember((codes, hits) => standing(codes, hits.length ? hits : null));
  const order = remember(drawOrder);
  const noCodes = remember((n) => new Uint8Array(n));

  function draw(transition) {
    const { codes, hits, selection } = state;
    const points = positions();
    const given = bounds();
    drawnAspect = aspectOf();
    const { x, y, index } = place(points, given?.length === 4 ? given : boundsOf(points), drawnAspect);
    const colouring = colouringOf(state, x.length);
    // Codes that do not fit the points (a frame of another size on its way) count as none.
    const fitting = codes.length === x.length ? codes : noCodes(x.length);
    const valueA =
      colouring.kind === "doubt"
        ? doubtColumn(state.doubt)
        : colouring.kind === "label"
          ? labelColumn(fitting)
          : valuesColumn(colouring.values);
    const valueB = standingColumn(fitting, hits);
    const { unlabelled: grey, dark } = theme();
    plot.setPalette(paletteOf(colouring, { nLabels: state.labelNames.length, grey, dark }));
    plot.setOrder(order(fitting));
    const drawn = plot.draw(
      { x, y, valueA, valueB },
      {
        transition,
        transitionDuration: state.transitionMs,
        select: selection,
        spatialIndex: index,
      },
    );
    drawn.then(
      (ms) => {
        if (Number.isNaN(ms)) return;
        frames += 1;
        lastMs = ms;
        root.dataset[`frames${name}`] = String(frames);
        root.dataset[`drawMs${name}`] = ms.toFixed(1);
      },
      (error) => onError?.(error),
    );
    return drawn;
  }

  // regl-scatterplot ignores clicks while it draws, so fewer draws also lose fewer clicks.
  let pending = null;
  function request(transition = false) {
    if (pending) {
      pending.transition ||= transition;
      return;
    }
    pending = { transition };
    queueMicrotask(() => {
      const { transition: animate } = pending;
      pending = null;
      draw(animate);
    });
  }

  /** Draw again if the box changed shape since the last draw (the picture would be stretched). */
  function fit() {
    if (drawnAspect !== null && Math.abs(aspectOf() - drawnAspect) > 1e-3) request();
  }

  /**
   * Move the view to the points `indices` (as last drawn), animated or (`animate` false)
   * at once; false when there is nothing to show.
   */
  function zoomTo(indices, { animate = true } = {}) {
    if (!placed.x || !indices.length) return false;
    plot.zoomToArea(areaOf(indices, placed.x, placed.y), { animate });
    return true;
  }

  /**
   * Where a point of the positions' own coordinates is in the device coordinates of the
   * last draw, as [x, y]; null before the first draw.
   */
  function toDevice(x, y) {
    const t = placed.transform;
    return t ? [(x - t.cx) * t.scale, (y - t.cy) * t.scale] : null;
  }

  return { draw, request, fit, zoomTo, toDevice, drawMs: () => lastMs };
}
