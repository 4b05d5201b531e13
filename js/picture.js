// The widget's state as regl-scatterplot columns: positions in device coordinates, colour
// by label code or by doubt, opacity by search hit. One draw for all the traits that one
// update from Python changes.

import { doubtBins, doubtColors } from "./palettes.js";
import { highlightMask } from "./selection.js";
import { spatialIndex } from "./spatial.js";
import { boundsOf, toDeviceCoordinates, uint8 } from "./wire.js";

/**
 * One picture of the points: `positions()` and `bounds()` say where they are (the live
 * frame, or the compare view's starting one); everything else (codes, hits, selection,
 * colours) is the state both pictures share. `box` is the element the canvas fills;
 * `grey()` the theme's colour of unlabelled (and of sure) points. Frames drawn and the
 * last draw's milliseconds go into root.dataset[`frames${name}`] and [`drawMs${name}`].
 */
export function createPicture({ model, state, plot, box, root, grey, positions, bounds, name = "" }) {
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
    const doubt = model.get("color_by") === "doubt" ? uint8(model.get("_doubt")) : null;
    const byDoubt = doubt !== null && doubt.length === x.length;
    const valueA = byDoubt ? doubtBins(doubt) : Float32Array.from(codes);
    const valueB = highlightMask(x.length, hits.length ? hits : null);
    if (byDoubt) plot.setPalette(doubtColors(grey()));
    else plot.setColors(model.get("label_names").length, grey());
    const drawn = plot.draw(
      { x, y, valueA, valueB },
      {
        transition,
        transitionDuration: model.get("transition_ms"),
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
