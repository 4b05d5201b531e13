// The widget's state as regl-scatterplot columns: positions in device coordinates, colour
// by label code or by doubt, opacity by search hit. One draw for all the traits that one
// update from Python changes.

import { doubtBins, doubtColors } from "./palettes.js";
import { highlightMask } from "./selection.js";
import { boundsOf, toDeviceCoordinates, uint8 } from "./wire.js";

/** `grey()`: the theme's colour of unlabelled (and of sure) points. */
export function createPicture({ model, state, plot, stage, root, grey }) {
  let frames = 0;

  function draw(transition) {
    const { positions, codes, hits, selection } = state;
    const bounds = model.get("_bounds")?.length === 4 ? model.get("_bounds") : boundsOf(positions);
    const aspect = stage.clientHeight ? stage.clientWidth / stage.clientHeight : 1;
    const { x, y } = toDeviceCoordinates(positions, bounds, aspect);
    const doubt = model.get("color_by") === "doubt" ? uint8(model.get("_doubt")) : null;
    const byDoubt = doubt !== null && doubt.length === x.length;
    const valueA = byDoubt ? doubtBins(doubt) : Float32Array.from(codes);
    const valueB = highlightMask(x.length, hits.length ? hits : null);
    if (byDoubt) plot.setPalette(doubtColors(grey()));
    else plot.setColors(model.get("label_names").length, grey());
    const drawn = plot.draw(
      { x, y, valueA, valueB },
      { transition, transitionDuration: model.get("transition_ms"), select: Array.from(selection) },
    );
    drawn.then((ms) => {
      if (Number.isNaN(ms)) return;
      frames += 1;
      root.dataset.frames = String(frames);
      root.dataset.drawMs = ms.toFixed(1);
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

  return { draw, request };
}
