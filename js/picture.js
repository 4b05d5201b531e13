// The widget's state as regl-scatterplot columns: positions in device coordinates, colour
// by label code or by doubt, opacity by search hit. One draw for all the traits that one
// update from Python changes.

import { doubtBins, doubtColors } from "./palettes.js";
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
  const [xmin, xmax, ymin, ymax] = bounds;
  const cx = (xmin + xmax) / 2;
  const cy = (ymin + ymax) / 2;
  const halfX = Math.max(xmax - xmin, 1e-12) / 2;
  const halfY = Math.max(ymax - ymin, 1e-12) / 2;
  const scale = 0.95 * Math.min(Math.max(aspect, 1e-3) / halfX, 1 / halfY);
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
 * One picture of the points: `positions()` and `bounds()` say where they are (the live
 * frame, or the compare view's starting one); everything else (codes, hits, selection,
 * colours) is the state both pictures share. `box` is the element the canvas fills;
 * `grey()` the theme's colour of unlabelled (and of sure) points. Frames drawn and the
 * last draw's milliseconds go into root.dataset[`frames${name}`] and [`drawMs${name}`].
 */
export function createPicture({ state, plot, box, root, grey, positions, bounds, name = "" }) {
  let frames = 0;
  let lastMs = 0;
  let drawnAspect = null;
  let placed = { points: null, key: "", x: null, y: null, index: null };

  const aspectOf = () => (box.clientHeight ? box.clientWidth / box.clientHeight : 1);

  /** Device coordinates and their spatial index, computed again only when the positions,
   * the view bounds or the canvas's shape changed (not for new colours or hits). */
  function place(points, bounds, aspect) {
    const key = `${bounds.join()}|${aspect}`;
    if (placed.points !== points || placed.key !== key) {
      const { x, y } = toDeviceCoordinates(points, bounds, aspect);
      placed = { points, key, x, y, index: spatialIndex(x, y) };
    }
    return placed;
  }

  function draw(transition) {
    const { codes, hits, selection } = state;
    const points = positions();
    const given = bounds();
    drawnAspect = aspectOf();
    const { x, y, index } = place(points, given?.length === 4 ? given : boundsOf(points), drawnAspect);
    const byDoubt = state.colorBy === "doubt" && state.doubt.length === x.length;
    const valueA = byDoubt ? doubtBins(state.doubt) : Float32Array.from(codes);
    const valueB = highlightMask(x.length, hits.length ? hits : null);
    if (byDoubt) plot.setPalette(doubtColors(grey()));
    else plot.setColors(state.labelNames.length, grey());
    const drawn = plot.draw(
      { x, y, valueA, valueB },
      {
        transition,
        transitionDuration: state.transitionMs,
        select: Array.from(selection),
        spatialIndex: index,
      },
    );
    drawn.then((ms) => {
      if (Number.isNaN(ms)) return;
      frames += 1;
      lastMs = ms;
      root.dataset[`frames${name}`] = String(frames);
      root.dataset[`drawMs${name}`] = ms.toFixed(1);
    });
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

  return { draw, request, fit, drawMs: () => lastMs };
}
