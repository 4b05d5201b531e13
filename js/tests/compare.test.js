// @vitest-environment jsdom
// The compare view (compare=True) in jsdom: the starting picture beside the live one,
// sharing selection, hover, search, colours and the list. jsdom has no WebGL, so plot.js
// is replaced by a recorder of what each picture is asked; tests/browser draws the real one.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { plotsToTell, sideTitle } from "../compare.js";
import { toDeviceCoordinates } from "../picture.js";
import { QUICK_DRAW_MS, REDRAW_PAUSE_MS } from "../view.js";
import { decodePositions, encodePositions } from "../wire.js";
import { bytes, fakeModel, indicesOf } from "./fake-model.js";

const plots = [];
const renderers = [];
const destroyed = [];
vi.mock("../plot.js", () => ({
  createSharedRenderer() {
    const renderer = { destroy: () => destroyed.push(renderer) };
    renderers.push(renderer);
    return renderer;
  },
  createPlot(container, n, theme, callbacks, options = {}) {
    const canvas = document.createElement("canvas");
    canvas.className = "ew-canvas";
    if (options.side) canvas.dataset.side = options.side;
    container.appendChild(canvas);
    const plot = {
      container,
      callbacks,
      renderer: options.renderer,
      dimmed: options.dimUnselected,
      draws: [],
      selected: [],
      rung: [],
      lasso: [],
      fits: 0,
      ms: 1, // what a draw reports it took
      draw(points, drawOptions) {
        plot.draws.push({ points, options: drawOptions });
        return Promise.resolve(plot.ms);
      },
      setPalette() {},
      renders: [],
      onRender: (handler) => plot.renders.push(handler),
      screen: ([x, y]) => [100 + 50 * x, 100 - 50 * y], // device -> canvas pixels, as a camera at rest
      toScreen: (device) => plot.screen(device),
      orders: [],
      setOrder: (order) => plot.orders.push(order),
      zooms: [],
      zoomToArea: (rect) => plot.zooms.push(rect),
      select: (indices) => plot.selected.push(Array.from(indices)),
      ring: (index) => plot.rung.push(index),
      setTheme() {},
      setLasso: (on) => plot.lasso.push(on),
      resetView: () => (plot.fits += 1),
      destroy: () => destroyed.push(plot),
    };
    plots.push(plot);
    return plot;
  },
}));

const { default: widget } = await import("../scatter.js");

const N = 6;
const START = Array.from({ length: 2 * N }, (_, i) => (i % 2 ? -i : i)); // the PCA of X
const LIVE = [13, 11, 15, 19, 12, 16, 15, 13, 15, 18, 19, 17]; // a tuned frame

function mount(extra = {}) {
  const model = fakeModel({
    _texts: Array.from({ length: N }, (_, i) => `text ${i}`),
    _positions: encodePositions(LIVE),
    _bounds: [10, 20, 11, 21],
    _codes: bytes(Uint8Array, [0, 1, 0, 2, 0, 0]),
    label_names: ["tea", "coffee"],
    selection: bytes(Uint32Array, []),
    n_pairs: 0,
    height: 300,
    transition_ms: 0,
    can_predict: false,
    can_search_similar: false,
    _training: true,
    step: 0,
    losses: [],
    running: false,
    status: "",
    error: "",
    color_by: "label",
    _doubt: new DataView(new ArrayBuffer(0)),
    compare: true,
    _start_positions: encodePositions(START),
    _start_bounds: [0, 10, -11, -1],
    ...extra,
  });
  const el = document.createElement("div");
  document.body.appendChild(el);
  const cleanup = widget.render({ model, el });
  const root = el.querySelector(".ew-root");
  const $ = (selector) => root.querySelector(selector);
  const $$ = (selector) => Array.from(root.querySelectorAll(selector));
  const [before, now] = plots.slice(-2);
  return { model, root, $, $$, cleanup, before, now };
}

/** Let the pictures' queued draws run (they wait for a microtask) and their promises settle. */
const drawn = () => new Promise((resolve) => setTimeout(resolve, 0));
const lastPoints = (plot) => plot.draws.at(-1).points;

beforeEach(() => {
  document.body.innerHTML = "";
  plots.length = renderers.length = destroyed.length = 0;
});

describe("the compare view's layout", () => {
  it("puts the starting picture left of the live one, titled, on one renderer", () => {
    const { model, $, $$, before, now } = mount();
    expect($$(".ew-compare > .ew-pane").map((pane) => pane.dataset.side)).toEqual(["before", "now"]);
    expect($$(".ew-compare .ew-canvas").map((canvas) => canvas.dataset.side)).toEqual(["before", "now"]);
    expect(before.container.dataset.side).toBe("before");
    expect(now.container.dataset.side).toBe("now");
    expect($$(".ew-pane-title").map((title) => title.textContent)).toEqual(["before", "now (step 0)"]);
    model.set("step", 7);
    expect($('.ew-pane[data-side="now"] .ew-pane-title').textContent).toBe("now (step 7)");
    expect(renderers).toHaveLength(1);
    expect(before.renderer).toBe(renderers[0]);
    expect(now.renderer).toBe(renderers[0]);
    expect([before.dimmed, now.dimmed]).toEqual([true, true]); // a selection stands out in both
  });

  it("destroys both plots, then their renderer, on cleanup", () => {
    const { cleanup, before, now } = mount();
    cleanup();
    expect(destroyed).toEqual([before, now, renderers[0]]);
  });

  it("is one untitled picture without compare, as before", () => {
    const { $, $$ } = mount({ compare: false });
    expect(plots).toHaveLength(1);
    expect(renderers).toHaveLength(0);
    expect($(".ew-compare")).toBeNull();
    expect($(".ew-pane-title")).toBeNull();
    expect($$(".ew-stage > .ew-canvas")).toHaveLength(1);
    expect($(".ew-canvas").dataset.side).toBeUndefined();
    expect(plots[0].dimmed).toBe(true); // a selection stands out in one picture too
  });
});

describe("what the two pictures draw", () => {
  it("draws the starting positions left and the live ones right, same colours", async () => {
    const { root, before, now } = mount();
    await drawn();
    // Each maps its own positions and bounds (jsdom lays nothing out: aspect 1).
    const expected = (positions, bounds) => toDeviceCoordinates(decodePositions(encodePositions(positions)), bounds, 1);
    expect(lastPoints(before).x).toEqual(expected(START, [0, 10, -11, -1]).x);
    expect(lastPoints(before).y).toEqual(expected(START, [0, 10, -11, -1]).y);
    expect(lastPoints(now).x).toEqual(expected(LIVE, [10, 20, 11, 21]).x);
    expect(lastPoints(now).x).not.toEqual(lastPoints(before).x);
    expect(Array.from(lastPoints(before).valueA)).toEqual([0, 1, 0, 2, 0, 0]);
    expect(Array.from(lastPoints(now).valueA)).toEqual([0, 1, 0, 2, 0, 0]);
    expect(root.dataset.framesBefore).toBe("1");
    expect(root.dataset.frames).toBe("1");
  });

  it("moves only the live picture when a frame arrives", async () => {
    const { model, root, before, now } = mount();
    await drawn();
    const still = Array.from(lastPoints(before).x);
    model.set("_positions", encodePositions(LIVE.map((v) => v * 2)));
    model.set("_bounds", [20, 40, 22, 42]);
    await drawn();
    expect(before.draws).toHaveLength(1);
    expect(now.draws).toHaveLength(2);
    expect(root.dataset.framesBefore).toBe("1");
    expect(root.dataset.frames).toBe("2");
    expect(Array.from(lastPoints(before).x)).toEqual(still);
  });

  it("recolours both when a label arrives, and highlights a search in both", async () => {
    const { model, $, before, now } = mount();
    await drawn();
    model.set("_codes", bytes(Uint8Array, [2, 1, 0, 2, 0, 0]));
    await drawn();
    for (const plot of [before, now]) expect(Array.from(lastPoints(plot).valueA)).toEqual([2, 1, 0, 2, 0, 0]);
    const draws = now.draws.length;
    $(".ew-search").value = "text 4";
    $(".ew-search").dispatchEvent(new Event("input"));
    await drawn();
    expect(now.draws).toHaveLength(draws); // still typing: no redraw yet
    await new Promise((resolve) => setTimeout(resolve, REDRAW_PAUSE_MS + 20));
    await drawn();
    // The hit stands out (2), the rest fade, the labelled ones (1) drawn larger.
    for (const plot of [before, now]) expect(Array.from(lastPoints(plot).valueB)).toEqual([1, 1, 0, 1, 2, 0]);
  });

  it("shows and selects the matches at once on Enter, in one draw after the typing", async () => {
    const { model, $, before, now } = mount();
    await drawn();
    const draws = now.draws.length;
    for (const query of ["t", "te", "text 2"]) {
      $(".ew-search").value = query;
      $(".ew-search").dispatchEvent(new Event("input"));
    }
    $(".ew-search").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    await drawn();
    expect(now.draws).toHaveLength(draws + 1);
    for (const plot of [before, now]) expect(Array.from(lastPoints(plot).valueB)).toEqual([0, 1, 2, 1, 0, 0]);
    expect(indicesOf(model.get("selection"))).toEqual([2]);
    await new Promise((resolve) => setTimeout(resolve, REDRAW_PAUSE_MS + 20));
    expect(now.draws).toHaveLength(draws + 1); // the typing's pending redraw was dropped
  });

  it("does not redraw slow pictures for a search: the selection shows the matches", async () => {
    const { model, $, before, now } = mount();
    before.ms = now.ms = QUICK_DRAW_MS + 1; // as a million points take
    model.set("_codes", bytes(Uint8Array, [1, 0, 0, 0, 0, 0]));
    await drawn();
    const draws = now.draws.length;
    $(".ew-search").value = "text 3";
    $(".ew-search").dispatchEvent(new Event("input"));
    await new Promise((resolve) => setTimeout(resolve, REDRAW_PAUSE_MS + 20));
    expect($(".ew-message").textContent).toBe('1 text matches "text 3" · Enter selects them');
    $(".ew-search").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    await drawn();
    expect(now.draws).toHaveLength(draws);
    expect(indicesOf(model.get("selection"))).toEqual([3]);
    for (const plot of [before, now]) expect(plot.selected.at(-1)).toEqual([3]);
  });
});

describe("one selection for both pictures", () => {
  it("tells the other picture of a lasso in one, and Python once", () => {
    const { model, $, before, now } = mount();
    const saves = model.saves;
    before.callbacks.onSelect(Uint32Array.from([1, 3]), performance.now());
    expect(indicesOf(model.get("selection"))).toEqual([1, 3]);
    expect(model.saves).toBe(saves + 1);
    expect(now.selected).toEqual([[1, 3]]);
    expect(before.selected).toEqual([]); // it drew the lasso: it has the selection
    now.callbacks.onSelect(Uint32Array.from([5]), performance.now());
    expect(before.selected).toEqual([[5]]);
    expect(now.selected).toEqual([[1, 3]]);
    expect(model.saves).toBe(saves + 2);
    expect(listRows($)).toEqual([5]); // the one list follows either picture
  });

  it("shows Python's selection in both", () => {
    const { model, before, now } = mount();
    model.set("selection", bytes(Uint32Array, [0, 2]));
    expect(before.selected).toEqual([[0, 2]]);
    expect(now.selected).toEqual([[0, 2]]);
  });

  it("passes the selection to both pictures' draws", async () => {
    const { before, now } = mount({ selection: bytes(Uint32Array, [4]) });
    await drawn();
    expect(Array.from(before.draws[0].options.select)).toEqual([4]);
    expect(Array.from(now.draws[0].options.select)).toEqual([4]);
  });
});

describe("hover, the list, lasso mode and reset in both", () => {
  it("shows the tooltip and rings the hovered point in the other picture", () => {
    const { $, before, now } = mount();
    before.callbacks.onHover(3);
    expect($(".ew-tooltip").hidden).toBe(false);
    expect($(".ew-tooltip").textContent).toBe("coffee text 3");
    expect(now.rung).toEqual([3]);
    before.callbacks.onHover(-1);
    expect(now.rung).toEqual([3, -1]);
    now.callbacks.onHover(2);
    expect(before.rung).toEqual([2]);
    expect(now.rung).toEqual([3, -1]); // its own hover marks the point there
  });

  it("rings a list row's point in both pictures", () => {
    const { model, $, before, now } = mount();
    model.set("selection", bytes(Uint32Array, [4, 1]));
    $('.ew-list-row[data-index="1"]').dispatchEvent(new MouseEvent("mouseenter"));
    expect(before.rung).toEqual([1]);
    expect(now.rung).toEqual([1]);
  });

  it("switches both to lasso mode and fits both views", () => {
    const { root, $$, before, now } = mount();
    root.dispatchEvent(new KeyboardEvent("keydown", { key: "l", bubbles: true }));
    expect(before.lasso).toEqual([true]);
    expect(now.lasso).toEqual([true]);
    $$(".ew-button").find((b) => b.textContent === "Fit view").click();
    expect([before.fits, now.fits]).toEqual([1, 1]);
  });
});

describe("compare.js", () => {
  it("titles the sides", () => {
    expect(sideTitle("before", 3)).toBe("before");
    expect(sideTitle("now", 3)).toBe("now (step 3)");
  });

  it("tells every plot but those that show a change already", () => {
    const [a, b] = [{}, {}];
    expect(plotsToTell([a, b])).toEqual([a, b]);
    expect(plotsToTell([a, b], [a])).toEqual([b]);
    expect(plotsToTell([a, b], [a, b])).toEqual([]);
  });
});

function listRows($) {
  return Array.from($(".ew-list-rows").children, (row) => Number(row.dataset.index));
}
