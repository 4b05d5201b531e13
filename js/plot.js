// The WebGL picture: regl-scatterplot does rendering, zoom, pan, click and lasso.
// Points carry their label code as category (colour) and a highlight class (opacity).

import createScatterplot, { createRenderer } from "regl-scatterplot";
import { labelColors } from "./palettes.js";
import { createRing } from "./ring.js";

/** regl-scatterplot's colour options for a theme (see theme.js). */
function themeColors(theme) {
  return {
    backgroundColor: theme.background,
    pointColorActive: theme.foreground,
    pointColorHover: theme.foreground,
    lassoColor: theme.accent,
  };
}

// The opacity left to unselected points while there is a selection, where they are dimmed.
const DIMMED = 0.25;

function pointSizeFor(n) {
  if (n > 500_000) return 1.5;
  if (n > 50_000) return 2.5;
  if (n > 5_000) return 4;
  return 6;
}

/**
 * One WebGL context for several plots of a widget (the compare view's two): browsers
 * keep only a few contexts a page, and each plot copies the shared one's pixels to its
 * own canvas. Destroy it after the plots.
 */
export function createSharedRenderer() {
  return createRenderer();
}

/**
 * `onSelect(indices, at)`: the selection made in the picture and when it arrived
 * (performance.now()); `onHover(index)`: the point under the pointer, -1 when none;
 * `onLassoStart()`. `side` names the canvas (its data-side) where a widget has two;
 * `renderer` is a shared renderer (else the plot makes its own); `dimUnselected` fades
 * the points outside a selection, so that it stands out where it went in a dense cloud.
 */
export function createPlot(
  container,
  n,
  theme,
  { onSelect, onHover, onLassoStart },
  { side, renderer, dimUnselected = false } = {},
) {
  const canvas = document.createElement("canvas");
  canvas.className = "ew-canvas";
  if (side) canvas.dataset.side = side;
  container.appendChild(canvas);
  canvas.addEventListener("webglcontextlost", () => console.warn("embedwidget: WebGL context lost"));
  const scatterplot = createScatterplot({
    canvas,
    ...(renderer ? { renderer } : {}),
    opacityInactiveScale: dimUnselected ? DIMMED : 1,
    pointSize: pointSizeFor(n),
    pointSizeSelected: 2,
    pointOutlineWidth: 1,
    ...themeColors(theme),
    colorBy: "valueA",
    opacityBy: "valueB",
    opacity: [0.1, 1],
    // Shift adds: shift-click adds a point, shift-drag lassoes into the selection.
    actionKeyMap: { lasso: "shift", merge: "shift", remove: "alt" },
    deselectOnEscape: false,
    performanceMode: n > 2_000_000,
  });
  scatterplot.subscribe("select", ({ points }) => {
    const at = performance.now();
    onSelect(Uint32Array.from(points), at);
  });
  scatterplot.subscribe("deselect", () => onSelect(new Uint32Array(0), performance.now()));
  scatterplot.subscribe("pointOver", (index) => onHover(index));
  scatterplot.subscribe("pointOut", () => onHover(-1));
  scatterplot.subscribe("lassoStart", () => onLassoStart());
  const ring = createRing(container, scatterplot);

  // Setting colours rebuilds regl-scatterplot's colour texture: only when they change,
  // not on every frame.
  let colorsKey = "";
  const setPointColors = (colors) => {
    const key = colors.join();
    if (key === colorsKey) return;
    colorsKey = key;
    scatterplot.set({ pointColor: colors });
  };

  // regl-scatterplot refuses a draw while one runs; keep only the newest waiting frame.
  let running = null;
  let waiting = null;
  const pump = () => {
    const { points, options, resolve } = waiting;
    waiting = null;
    const started = performance.now();
    running = scatterplot
      .draw(points, { zDataType: "categorical", wDataType: "categorical", ...options })
      .then(() => resolve(performance.now() - started))
      .catch((error) => resolve(Number.NaN, error))
      .finally(() => {
        running = null;
        if (waiting) pump();
      });
  };

  return {
    /** Draw columns {x, y, valueA, valueB}; resolves with the milliseconds it took. */
    draw(points, options = {}) {
      return new Promise((resolve) => {
        if (waiting) waiting.resolve(Number.NaN);
        waiting = { points, options, resolve };
        if (!running) pump();
      });
    },
    setColors(nCodes, grey) {
      setPointColors(labelColors(nCodes, grey));
    },
    setPalette(colors) {
      setPointColors(colors);
    },
    select(indices) {
      if (indices.length) scatterplot.select(Array.from(indices), { preventEvent: true });
      else scatterplot.deselect({ preventEvent: true });
    },
    /** Ring point `index`; -1 un-rings it. */
    ring(index) {
      ring.show(index);
    },
    setTheme(theme) {
      scatterplot.set(themeColors(theme));
    },
    setLasso(on) {
      scatterplot.set({ mouseMode: on ? "lasso" : "panZoom" });
    },
    resetView() {
      scatterplot.zoomToOrigin({ transition: true });
    },
    destroy() {
      scatterplot.destroy();
    },
    scatterplot,
  };
}
