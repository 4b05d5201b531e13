// The WebGL picture: regl-scatterplot does rendering, zoom, pan, click and lasso.
// Points carry their colour class (valueA: a label code, or a doubt class) and their
// standing (valueB, picture.js): search hits over the rest by opacity, labelled points
// larger than unlabelled ones (and drawn after them, on top, by setOrder).

import createScatterplot, { createRenderer } from "regl-scatterplot";
import { createSelectionLayer, LARGE_SELECTION, screenTransform } from "./overlay.js";
import { perStanding } from "./picture.js";
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

// The opacity of a point by its standing: the points a search did not find fade.
const OPACITIES = perStanding(({ shown }) => (shown ? 1 : 0.1));

function pointSizeFor(n) {
  if (n > 500_000) return 1.5;
  if (n > 50_000) return 2.5;
  if (n > 5_000) return 4;
  return 6;
}

/** Point sizes by standing: a labelled point is drawn larger than an unlabelled one. */
export function pointSizesFor(n) {
  const size = pointSizeFor(n);
  return perStanding(({ labelled }) => (labelled ? size + Math.max(1.5, size / 2) : size));
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
    pointSize: pointSizesFor(n),
    pointSizeSelected: 2,
    pointOutlineWidth: 1,
    ...themeColors(theme),
    colorBy: "valueA",
    opacityBy: "valueB",
    sizeBy: "valueB",
    opacity: OPACITIES,
    // Shift adds: shift-click adds a point, shift-drag lassoes into the selection.
    actionKeyMap: { lasso: "shift", merge: "shift", remove: "alt" },
    deselectOnEscape: false,
    performanceMode: n > 2_000_000,
    // Events as they happen, not a task later: `transitioning` below must be true from
    // the moment a view animation starts.
    syncEvents: true,
  });
  const large = createLargeSelection(canvas, scatterplot, theme);
  scatterplot.subscribe("select", ({ points }) => {
    const at = performance.now();
    const indices = Uint32Array.from(points);
    large.take(indices);
    onSelect(indices, at);
  });
  scatterplot.subscribe("deselect", () => {
    large.take(new Uint32Array(0));
    onSelect(new Uint32Array(0), performance.now());
  });
  // The library fires "deselect" only when it holds points: a double-click clears a
  // large selection held outside it here.
  canvas.addEventListener("dblclick", () => {
    if (large.holds()) {
      large.take(new Uint32Array(0));
      onSelect(new Uint32Array(0), performance.now());
    }
  });
  scatterplot.subscribe("pointOver", (index) => onHover(index));
  scatterplot.subscribe("pointOut", () => onHover(-1));
  const lassoClicks = ignoreClickAfterLasso(container, canvas);
  scatterplot.subscribe("lassoStart", () => {
    lassoClicks.lassoStarted();
    onLassoStart();
  });
  const ring = createRing(container, scatterplot);

  // regl-scatterplot animates a frame's points and a move of the view (Fit view, zoom to
  // the selection) as one "transition". A frame asked to animate while only the view
  // moves finds no points to animate from: the library throws inside its draw ("Cannot
  // read properties of undefined (reading 'destroy')") and that draw never finishes, so
  // no later frame is drawn. A frame that comes while anything animates is therefore
  // drawn without its own animation (the library carries its points along with what
  // animates, or puts them in place while the view moves).
  let transitioning = false;
  scatterplot.subscribe("transitionStart", () => (transitioning = true));
  scatterplot.subscribe("transitionEnd", () => (transitioning = false));

  // Setting colours rebuilds regl-scatterplot's colour texture: only when they change,
  // not on every frame.
  let colorsKey = "";
  const setPointColors = (colors) => {
    const key = colors.join();
    if (key === colorsKey) return;
    colorsKey = key;
    scatterplot.set({ pointColor: colors });
  };

  // The order points are drawn in: set between draws (the library reads it when it
  // draws), and only when it changed, as it costs a pass over the points.
  let order = null;
  let drawnOrder = null;

  // regl-scatterplot refuses a draw while one runs; keep only the newest waiting frame.
  let drawnOnce = false;
  let running = null;
  let waiting = null;
  const pump = () => {
    const { points, options, resolve, reject } = waiting;
    waiting = null;
    large.setPoints(points);
    if (order !== drawnOrder) {
      scatterplot.set({ pointOrder: order });
      drawnOrder = order;
    }
    const started = performance.now();
    running = scatterplot
      .draw(points, {
        zDataType: "categorical",
        wDataType: "categorical",
        ...options,
        ...(options.select === undefined ? {} : { select: large.toLibrary(options.select) }),
        transition: Boolean(options.transition) && !transitioning,
        // No filter to reset: the library keeps the drawing order it has (the points are
        // the same ones) instead of computing it again each frame.
        preventFilterReset: true,
      })
      .then(() => {
        drawnOnce = true;
        resolve(performance.now() - started);
      }, reject)
      .finally(() => {
        running = null;
        if (waiting) pump();
      });
  };

  /** Start a view animation; it ends by itself (errors, such as no points yet, are dropped). */
  const moveView = (animation) => animation.catch(() => {});

  return {
    /**
     * Draw columns {x, y, valueA, valueB}. Resolves with the milliseconds it took, NaN
     * when a newer frame replaced it before it was drawn; rejects with the library's
     * error when the draw failed (the next frame is drawn all the same).
     */
    draw(points, options = {}) {
      return new Promise((resolve, reject) => {
        if (waiting) waiting.resolve(Number.NaN);
        waiting = { points, options, resolve, reject };
        if (!running) pump();
      });
    },
    /** Draw the points in this order from the next draw on (an Array; null: by index). */
    setOrder(next) {
      order = next;
    },
    /** The colour of each value of the colour column (valueA), index = value. */
    setPalette(colors) {
      setPointColors(colors);
    },
    select(indices) {
      const mine = large.toLibrary(indices);
      if (mine.length) scatterplot.select(mine, { preventEvent: true });
      else scatterplot.deselect({ preventEvent: true });
    },
    /** Ring point `index`; -1 un-rings it. */
    ring(index) {
      ring.show(index);
    },
    setTheme(theme) {
      scatterplot.set(themeColors(theme));
      large.setTheme(theme);
    },
    setLasso(on) {
      scatterplot.set({ mouseMode: on ? "lasso" : "panZoom" });
    },
    /** Fit view; `animate` false moves the view at once (one render, not an animation's). */
    resetView({ animate = true } = {}) {
      moveView(scatterplot.zoomToOrigin({ transition: animate }));
    },
    /** Move the view to `rect` {x, y, width, height}, in the coordinates the points are drawn in. */
    zoomToArea(rect, { animate = true } = {}) {
      moveView(scatterplot.zoomToArea(rect, { transition: animate }));
    },
    /**
     * Where device coordinates [x, y] are on the canvas now, in CSS pixels from its top
     * left corner, through the view's pan and zoom; null before the first draw.
     */
    toScreen([x, y]) {
      if (!drawnOnce) return null;
      const { width, height } = canvas.getBoundingClientRect();
      return screenOf(scatterplot.get("cameraView"), [x, y], width, height, scatterplot.get("aspectRatio"));
    },
    /** Call `handler()` after every render: a pan, a zoom, a frame, a step of an animation. */
    onRender(handler) {
      scatterplot.subscribe("draw", handler);
    },
    destroy() {
      large.destroy();
      scatterplot.destroy();
    },
    scatterplot,
  };
}

/**
 * A selection of more than LARGE_SELECTION points is held here and drawn as dots on a
 * layer over the canvas (overlay.js), not handed to regl-scatterplot, which then holds
 * none: the library's own drawing of a selection costs more than a redraw of the picture
 * at a million points. `take(indices)`: the selection the library just made (a large one
 * is taken from it); `toLibrary(indices)`: what of a selection to hand the library (all
 * of a small one; none of a large one, held here); `holds()`: whether one is held here.
 *
 * The library merges a Shift-click or Shift-lasso into its own selection, and takes an
 * Alt-lasso out of it: when the mouse button comes up after a press on the canvas with
 * Shift or Alt down, the library is lent the held selection first, so that its select
 * event says the right result (taken back from it there). That select of every held point
 * costs the library a few hundred milliseconds at a million points, in a rare case.
 */
function createLargeSelection(canvas, scatterplot, theme) {
  const layer = createSelectionLayer(canvas);
  let held = null;
  let points = null;
  let colour = theme.foreground;
  let lent = false;
  let pressed = false;
  let paintedAt = ""; // the camera and canvas size of the last paint

  /** Paint the dots, unless only the hovered point changed since the last paint. */
  function paint({ again = true } = {}) {
    if (!held || !points) {
      paintedAt = "";
      return layer.clear();
    }
    const view = scatterplot.get("cameraView");
    const aspect = scatterplot.get("aspectRatio");
    const at = `${Array.from(view).join()}|${aspect}|${canvas.width}x${canvas.height}`;
    if (!again && at === paintedAt) return;
    paintedAt = at;
    layer.paint(held, points.x, points.y, view, aspect, colour);
  }
  scatterplot.subscribe("draw", () => paint({ again: false }));

  function hold(indices) {
    const next = indices.length > LARGE_SELECTION ? indices : null;
    if (next === held) return;
    held = next;
    paint();
  }

  /** The library keeps the lent selection when its merge or removal changed nothing. */
  function settle() {
    if (!lent) return;
    lent = false;
    scatterplot.deselect({ preventEvent: true });
  }

  const press = () => (pressed = true);
  const release = (event) => {
    const ours = pressed;
    pressed = false;
    if (!ours || !held || !(event.shiftKey || event.altKey)) return;
    scatterplot.select(Array.from(held), { preventEvent: true });
    lent = true;
    setTimeout(settle, 0); // a release with no click after it (off the canvas)
  };
  canvas.addEventListener("mousedown", press);
  // Before the library's own handlers: its lasso ends at the release, on the window.
  window.addEventListener("mouseup", release, true);
  // After them: its click selects the point under the pointer, on the canvas.
  window.addEventListener("click", settle);

  return {
    take(indices) {
      lent = false;
      if (indices.length > LARGE_SELECTION) scatterplot.deselect({ preventEvent: true });
      hold(indices);
    },
    toLibrary(indices) {
      hold(indices);
      return held ? [] : Array.from(indices);
    },
    holds: () => held !== null,
    setPoints(next) {
      if (next !== points) paintedAt = "";
      points = next;
    },
    setTheme(next) {
      colour = next.foreground;
      paint();
    },
    destroy() {
      window.removeEventListener("mouseup", release, true);
      window.removeEventListener("click", settle);
    },
  };
}

/**
 * Device coordinates [x, y] on a `width` x `height` canvas (CSS pixels from its top left)
 * through regl-scatterplot's camera `view` (a column-major 4x4 matrix), as the library
 * itself places a point: its model stretches x by the data's aspect ratio, its projection
 * shrinks x by the canvas's, and clip space [-1, 1] fills the canvas, y upwards.
 */
export function screenOf(view, [x, y], width, height, dataAspect = 1) {
  const [ax, bx, cx, ay, by, cy] = screenTransform(view, width, height, dataAspect);
  return [ax * x + bx * y + cx, ay * x + by * y + cy];
}

/**
 * A lasso that closes where it began ends with the mouse up within a few pixels of where
 * it went down (its lassoMinDist), and regl-scatterplot takes that for a click too: after selecting
 * what the lasso enclosed, it selects the one point nearest the pointer instead. The
 * click that ends a lasso is kept from the canvas. Call `lassoStarted()` when a lasso
 * starts; the next mouse press forgets it.
 */
export function ignoreClickAfterLasso(container, canvas) {
  let lassoing = false;
  container.addEventListener("mousedown", () => (lassoing = false), true);
  container.addEventListener(
    "click",
    (event) => {
      if (lassoing && event.target === canvas) event.stopPropagation();
    },
    true,
  );
  return {
    lassoStarted() {
      lassoing = true;
    },
  };
}
