// @vitest-environment jsdom
// The whole widget in jsdom, driven as a person and as Python would drive it. jsdom has no
// WebGL, so plot.js (regl-scatterplot) is replaced by a recorder of what the widget asks
// of the picture; the real-browser tests (tests/browser/) draw the real one.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { encodePositions } from "../wire.js";
import { bytes, fakeModel, indicesOf } from "./fake-model.js";

const plots = [];
vi.mock("../plot.js", () => ({
  createPlot(container, n, theme, callbacks) {
    const plot = {
      callbacks,
      themes: [theme],
      selected: [],
      rung: [],
      draws: [],
      drawResult: () => Promise.resolve(1),
      draw: (points, options) => (plot.draws.push({ points, options }), plot.drawResult()),
      setPalette() {},
      renders: [],
      onRender: (handler) => plot.renders.push(handler),
      screen: ([x, y]) => [100 + 50 * x, 100 - 50 * y], // device -> canvas pixels, as a camera at rest
      toScreen: (device) => plot.screen(device),
      orders: [],
      setOrder: (order) => plot.orders.push(order),
      zooms: [],
      moves: [], // the options of each view move: zoom to selection, Fit view
      zoomToArea: (rect, options) => (plot.zooms.push(rect), plot.moves.push(options)),
      select: (indices) => plot.selected.push(Array.from(indices)),
      ring: (index) => plot.rung.push(index),
      setTheme: (next) => plot.themes.push(next),
      setLasso() {},
      fits: 0,
      resetView: (options) => ((plot.fits += 1), plot.moves.push(options)),
      destroy() {},
    };
    plots.push(plot);
    return plot;
  },
}));

const { default: widget } = await import("../scatter.js");

function mount(extra = {}, n = 10) {
  const model = fakeModel({
    _texts: Array.from({ length: n }, (_, i) => `text ${i}`),
    _positions: encodePositions(Array.from({ length: 2 * n }, (_, i) => i)),
    _bounds: [],
    _codes: bytes(Uint8Array, Array.from({ length: n }, (_, i) => (i === 1 ? 2 : 0))),
    label_names: ["tea", "coffee"],
    selection: bytes(Uint32Array, []),
    n_pairs: 0,
    height: 300,
    transition_ms: 0,
    can_predict: false,
    can_search_similar: false,
    ...extra,
  });
  const el = document.createElement("div");
  document.body.appendChild(el);
  const cleanup = widget.render({ model, el });
  const root = el.querySelector(".ew-root");
  const $ = (selector) => root.querySelector(selector);
  const $$ = (selector) => Array.from(root.querySelectorAll(selector));
  return { model, el, root, $, $$, cleanup, plot: plots.at(-1) };
}

const rowIndices = ($$) => $$(".ew-list-row").map((row) => Number(row.dataset.index));
const key = (target, k) => target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));

beforeEach(() => {
  document.body.innerHTML = "";
  plots.length = 0;
});

describe("the selection list follows the selection", () => {
  it("lists a selection Python sets, and records how long the list took", () => {
    const { model, root, $, $$ } = mount();
    expect(rowIndices($$)).toEqual([]);
    model.set("selection", bytes(Uint32Array, [4, 1, 7]));
    expect(rowIndices($$)).toEqual([4, 1, 7]);
    expect($$(".ew-list-label").map((label) => label.textContent)).toEqual(["unlabelled", "coffee", "unlabelled"]);
    expect($(".ew-list-count").textContent).toBe("3 selected");
    expect(root.dataset.listRows).toBe("3");
    expect(Number(root.dataset.listMs)).toBeGreaterThanOrEqual(0);
  });

  it("lists a selection made in the picture (a click or a lasso)", () => {
    const { model, plot, $$ } = mount();
    plot.callbacks.onSelect(Uint32Array.from([2, 3]), performance.now());
    expect(rowIndices($$)).toEqual([2, 3]);
    expect(indicesOf(model.get("selection"))).toEqual([2, 3]);
  });

  it("lists the matches an Enter in the search box selects", () => {
    const { $, $$ } = mount();
    $(".ew-search").value = "text 1";
    key($(".ew-search"), "Enter");
    expect(rowIndices($$)).toEqual([1]);
  });

  it("shows a sample of 50 of a large selection and draws another on demand", () => {
    const n = 100_000;
    const { model, root, $, $$ } = mount({}, n);
    model.set("selection", new DataView(Uint32Array.from({ length: n }, (_, i) => i).buffer));
    expect(root.dataset.listRows).toBe("50");
    expect($(".ew-list-count").textContent).toBe("50 of 100,000 selected");
    const first = rowIndices($$);
    expect(new Set(first).size).toBe(50);
    $(".ew-list-resample").click();
    expect(rowIndices($$)).toHaveLength(50);
    expect(rowIndices($$)).not.toEqual(first);
  });

  it("takes a row's point out of the selection with its ×, for Python too", () => {
    const { model, plot, $, $$ } = mount();
    model.set("selection", bytes(Uint32Array, [4, 1, 7]));
    const saves = model.saves;
    $('.ew-list-row[data-index="1"] .ew-list-remove').click();
    expect(indicesOf(model.get("selection"))).toEqual([4, 7]);
    expect(model.saves).toBe(saves + 1);
    expect(plot.selected.at(-1)).toEqual([4, 7]);
    expect(rowIndices($$)).toEqual([4, 7]);
    expect($(".ew-status").textContent).toMatch(/^2 selected/);
  });

  it("keeps the other rows of a sample when one is taken out", () => {
    const { model, $, $$ } = mount({}, 1000);
    model.set("selection", new DataView(Uint32Array.from({ length: 1000 }, (_, i) => i).buffer));
    const [gone, ...kept] = rowIndices($$);
    $(`.ew-list-row[data-index="${gone}"] .ew-list-remove`).click();
    expect(rowIndices($$)).toEqual(kept);
    expect($(".ew-list-count").textContent).toBe("49 of 999 selected");
  });

  it("rings a row's point in the picture while the pointer is on the row", () => {
    const { model, plot, $ } = mount();
    model.set("selection", bytes(Uint32Array, [4, 1]));
    $('.ew-list-row[data-index="1"]').dispatchEvent(new MouseEvent("mouseenter"));
    $(".ew-list-rows").dispatchEvent(new MouseEvent("mouseleave"));
    expect(plot.rung).toEqual([1, -1]);
  });

  it("updates a row's label when Python labels its point, keeping the rows", () => {
    const { model, $$ } = mount();
    model.set("selection", bytes(Uint32Array, [4, 1]));
    model.set("_codes", bytes(Uint8Array, [0, 2, 0, 0, 1, 0, 0, 0, 0, 0]));
    expect(rowIndices($$)).toEqual([4, 1]);
    expect($$(".ew-list-label").map((label) => label.textContent)).toEqual(["tea", "coffee"]);
  });
});

describe("asking the kernel", () => {
  it("finds by meaning only when offered, sending one request per Enter", () => {
    const { model, $ } = mount();
    expect($(".ew-search-mode").hidden).toBe(true);
    expect($('.ew-search-mode option[value="meaning"]')).toBeNull();
    model.set("can_search_similar", true);
    const mode = $(".ew-search-mode");
    expect(mode.hidden).toBe(false);
    expect(Array.from(mode.options, (o) => o.value)).toEqual(["words", "meaning"]);
    mode.value = "meaning";
    mode.dispatchEvent(new Event("change"));
    const search = $(".ew-search");
    for (const text of ["c", "co", "coffee"]) {
      search.value = text;
      search.dispatchEvent(new Event("input"));
    }
    expect(model.sent).toEqual([]);
    key(search, "Enter");
    expect(model.sent.map((s) => s.content)).toEqual([{ action: "similar", query: "coffee", k: 20 }]);
  });

  it("sends nothing for an empty meaning query and says so", () => {
    const { model, $ } = mount({ can_search_similar: true });
    const mode = $(".ew-search-mode");
    mode.value = "meaning";
    mode.dispatchEvent(new Event("change"));
    $(".ew-search").value = "   ";
    key($(".ew-search"), "Enter");
    expect(model.sent).toEqual([]);
    expect($(".ew-message").textContent).toMatch(/Type what to look for/);
    expect($(".ew-message").classList.contains("ew-error")).toBe(true);
  });

  it("asks for more like the selection", () => {
    const { model, $ } = mount({ selection: bytes(Uint32Array, [3, 5]) });
    $(".ew-more").click();
    expect(model.sent).toEqual([{ content: { action: "neighbours", k: 20 }, indices: [[3, 5]] }]);
  });

  it("accepts the suggestions with the button and with key A, where the model predicts", () => {
    const { model, root, $ } = mount({ selection: bytes(Uint32Array, [3, 5]) });
    expect($(".ew-accept").hidden).toBe(true);
    key(root, "a");
    expect(model.sent).toEqual([]);
    model.set("can_predict", true);
    model.sent.length = 0;
    $(".ew-accept").click();
    key(root, "a");
    key($(".ew-new-label"), "a");
    const accepts = model.sent.filter((s) => s.content.action === "accept");
    expect(accepts).toEqual([
      { content: { action: "accept" }, indices: [[3, 5]] },
      { content: { action: "accept" }, indices: [[3, 5]] },
    ]);
  });

  it("shows the kernel's suggestions for the rows, ignoring stale answers", () => {
    const { model, $$ } = mount({ can_predict: true, selection: bytes(Uint32Array, [3, 5]) });
    const asked = model.sent.filter((s) => s.content.action === "suggest");
    expect(asked).toHaveLength(1);
    const [{ content, indices }] = asked;
    expect(indices).toEqual([[3, 5]]);
    const cells = () => $$(".ew-list-suggestion").map((cell) => cell.textContent);
    expect(cells()).toEqual(["…", "…"]);
    model.emit({ type: "suggestions", id: content.id - 1, indices: [3], labels: ["tea"], confidence: [1] });
    expect(cells()).toEqual(["…", "…"]);
    model.emit({ type: "suggestions", id: content.id, indices: [3, 5], labels: ["coffee", null], confidence: [0.6, 0] });
    expect(cells()).toEqual(["coffee 60%", "no suggestion yet"]);
  });
});

describe("the picture", () => {
  it("hides the tooltip when a lasso starts", () => {
    const { plot, $ } = mount();
    plot.callbacks.onHover(2);
    expect($(".ew-tooltip").hidden).toBe(false);
    expect($(".ew-tooltip").textContent).toBe("text 2");
    plot.callbacks.onLassoStart();
    expect($(".ew-tooltip").hidden).toBe(true);
  });

  it("reads the theme again when the host switches it", async () => {
    const { plot, $ } = mount();
    expect(plot.themes.at(-1).dark).toBe(false);
    $(".ew-stage").style.backgroundColor = "rgb(17, 17, 17)";
    document.body.dataset.jpThemeLight = "false";
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(plot.themes.at(-1).dark).toBe(true);
    expect(plot.themes.at(-1).background.slice(0, 3).map((c) => Math.round(c * 255))).toEqual([17, 17, 17]);
    delete document.body.dataset.jpThemeLight;
  });

  it("stops listening to the model on cleanup", () => {
    const { model, cleanup } = mount();
    expect(model.listeners()).toBeGreaterThan(0);
    cleanup();
    expect(model.listeners()).toBe(0);
  });
});

describe("one message line", () => {
  const training = { _training: true, step: 0, losses: [], running: false, status: "", error: "", color_by: "label" };
  const line = ($) => [$(".ew-message").textContent, $(".ew-message").classList.contains("ew-error")];

  it("shows the kernel's info and errors there, each replacing the last", () => {
    const { model, $ } = mount();
    model.emit({ type: "error", message: "Unknown label code 7." });
    expect(line($)).toEqual(["Unknown label code 7.", true]);
    model.emit({ type: "info", message: "Nothing to undo." });
    expect(line($)).toEqual(["Nothing to undo.", false]);
  });

  it("shows training that stopped on an error as it shows a failed request", () => {
    const { model, $ } = mount(training);
    model.set("error", "Training stopped: ValueError: NaN in X");
    expect(line($)).toEqual(["Training stopped: ValueError: NaN in X", true]);
    model.emit({ type: "info", message: "A new label: the model starts over." });
    model.set("step", 1);
    model.set("color_by", "doubt");
    expect(line($)).toEqual(["A new label: the model starts over.", false]);
  });

  it("shows an error training stopped on before the widget was drawn", () => {
    const { $ } = mount({ ...training, error: "Training stopped: RuntimeError: boom" });
    expect(line($)).toEqual(["Training stopped: RuntimeError: boom", true]);
  });

  it("sends the training row's requests and colours by doubt", () => {
    const { model, $, $$ } = mount({ ...training, can_predict: true });
    const click = (text) => $$(".ew-training .ew-button").find((b) => b.textContent === text).click();
    click("Start");
    model.set("running", true); // Stop is enabled while training runs
    click("Stop");
    click("Reset");
    click("Select 20 doubtful");
    expect(model.sent.map((s) => s.content).filter((c) => c.action !== "suggest")).toEqual([
      { action: "start" },
      { action: "stop" },
      { action: "reset" },
      { action: "doubtful", n: 20 },
    ]);
    $(".ew-colour").value = "doubt";
    $(".ew-colour").dispatchEvent(new Event("change"));
    expect(model.get("color_by")).toBe("doubt");
  });
});

describe("reading the map", () => {
  const entries = ($$) => $$(".ew-legend-entry").map((e) => [e.dataset.code, e.querySelector(".ew-legend-count").textContent]);

  it("shows each label's count in the legend, and the selection's share of it", () => {
    const { model, $$ } = mount();
    expect(entries($$)).toEqual([
      ["1", "0"],
      ["2", "1"],
      ["0", "9"],
    ]);
    model.set("selection", bytes(Uint32Array, [1, 4, 5]));
    expect(entries($$)).toEqual([
      ["1", "0 / 0"],
      ["2", "1 / 1"],
      ["0", "2 / 9"],
    ]);
    model.set("_codes", bytes(Uint8Array, [1, 2, 0, 0, 1, 0, 0, 0, 0, 0]));
    expect(entries($$)).toEqual([
      ["1", "1 / 2"],
      ["2", "1 / 1"],
      ["0", "1 / 7"],
    ]);
  });

  it("selects a label's points with a click on its entry, for Python too; Shift adds", () => {
    const { model, plot, $ } = mount({ _codes: bytes(Uint8Array, [0, 2, 0, 2, 1, 0, 0, 0, 0, 0]) });
    $('.ew-legend-entry[data-code="2"]').click();
    expect(indicesOf(model.get("selection"))).toEqual([1, 3]);
    expect(plot.selected.at(-1)).toEqual([1, 3]);
    $('.ew-legend-entry[data-code="1"]').dispatchEvent(new MouseEvent("click", { shiftKey: true }));
    expect(indicesOf(model.get("selection"))).toEqual([1, 3, 4]);
    expect($(".ew-status").textContent).toMatch(/^3 selected/);
  });

  it("shows the doubt scale when the points are coloured by doubt", () => {
    const training = { _training: true, step: 3, losses: [], running: false, status: "", error: "", color_by: "label" };
    const { model, $, $$ } = mount({ ...training, _doubt: bytes(Uint8Array, Array(10).fill(100)) });
    expect($(".ew-legend-scale")).toBeNull();
    model.set("color_by", "doubt");
    expect($(".ew-legend-scale").textContent).toMatch(/doubt/);
    expect($$(".ew-legend-bar > span")).toHaveLength(10);
  });

  it("says what the picture is drawn from", () => {
    expect(mount().$(".ew-caption").textContent).toBe("PCA of the embedding");
    const training = { _training: true, step: 0, losses: [], running: false, status: "", error: "", color_by: "label" };
    const { model, $ } = mount(training);
    expect($(".ew-caption").textContent).toBe("PCA of the embedding · before training");
    model.set("step", 240);
    expect($(".ew-caption").textContent).toBe("PCA of the tuned embedding · step 240");
  });

  it("draws labelled points on top: the unlabelled ones first", async () => {
    const { plot } = mount();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(plot.orders.at(-1)).toEqual([0, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("selection tools", () => {
  it("inverts the selection with I and with the Invert button", () => {
    const { model, root, $$ } = mount({ selection: bytes(Uint32Array, [0, 2, 4, 6, 8]) });
    key(root, "i");
    expect(indicesOf(model.get("selection"))).toEqual([1, 3, 5, 7, 9]);
    $$(".ew-button").find((b) => b.textContent === "Invert").click();
    expect(indicesOf(model.get("selection"))).toEqual([0, 2, 4, 6, 8]);
  });

  it("zooms to the selection, or says to select first", async () => {
    const { model, plot, $, $$ } = mount();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the picture is drawn
    const zoom = $$(".ew-button").find((b) => b.textContent === "Zoom to selection");
    zoom.click();
    expect(plot.zooms).toEqual([]);
    expect($(".ew-message").textContent).toMatch(/Select points first/);
    model.set("selection", bytes(Uint32Array, [2, 3]));
    zoom.click();
    expect(plot.zooms).toHaveLength(1);
    expect($(".ew-message").textContent).toBe("");
  });

  it("animates a view move where the picture draws quickly, and moves at once where it draws slowly", async () => {
    const { model, plot, $$ } = mount({ selection: bytes(Uint32Array, [2, 3]) });
    const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
    await tick(); // the picture is drawn, in a millisecond
    const click = (text) => $$(".ew-button").find((b) => b.textContent === text).click();
    click("Zoom to selection");
    click("Fit view");
    expect(plot.moves).toEqual([{ animate: true }, { animate: true }]);
    plot.drawResult = () => Promise.resolve(2000); // a million points: seconds a frame
    model.set("_positions", encodePositions(Array.from({ length: 20 }, (_, i) => 20 - i)));
    await tick();
    click("Zoom to selection");
    click("Fit view");
    expect(plot.moves.slice(2)).toEqual([{ animate: false }, { animate: false }]);
  });
});

describe("the desk's manners", () => {
  const training = { _training: true, step: 0, losses: [], running: false, status: "", error: "", color_by: "label" };
  const line = ($) => [$(".ew-message").textContent, $(".ew-message").classList.contains("ew-error")];

  it("says so when a digit has no label behind it", () => {
    const { model, root, $ } = mount({ selection: bytes(Uint32Array, [1]) });
    key(root, "3");
    expect(line($)).toEqual(["No label 3 yet: type a new label first.", true]);
    expect(model.sent).toEqual([]);
  });

  it("takes the last message away at the next click or key", () => {
    const { model, root, $ } = mount();
    model.emit({ type: "info", message: "Accepted 20 suggestions." });
    $(".ew-stage").dispatchEvent(new Event("pointerdown", { bubbles: true }));
    expect(line($)).toEqual(["", false]);
    model.emit({ type: "error", message: "Train first." });
    key(root, "Escape");
    expect(line($)).toEqual(["", false]);
    model.emit({ type: "info", message: "Kept." });
    $(".ew-message").dispatchEvent(new Event("pointerdown", { bubbles: true }));
    expect(line($)).toEqual(["Kept.", false]);
  });

  it("takes an error away when training starts or a step arrives", () => {
    const { model, $ } = mount(training);
    model.emit({ type: "error", message: "Train first." });
    model.set("running", true);
    expect(line($)).toEqual(["", false]);
    model.emit({ type: "error", message: "Train first." });
    model.set("losses", [1]); // no new step yet
    expect(line($)).toEqual(["Train first.", true]);
    model.set("step", 1);
    expect(line($)).toEqual(["", false]);
  });

  it("hands the keys back to the picture on Enter in the search box", () => {
    const { model, root, $ } = mount();
    const search = $(".ew-search");
    search.focus();
    search.value = "text 1";
    key(search, "Enter");
    expect(document.activeElement).toBe(root);
    key(root, "1");
    expect(model.sent.map((s) => s.content)).toEqual([{ action: "label", code: 0 }]);
    expect(model.sent[0].indices).toEqual([[1]]);
  });

  it("marks the searched words in the list, whole words only", () => {
    const texts = ["a cat sat", "category", "Cat and cat", "dog"];
    const { $, $$ } = mount({ _texts: texts, _codes: bytes(Uint8Array, [0, 0, 0, 0]) }, 4);
    $(".ew-search").value = "cat";
    key($(".ew-search"), "Enter");
    expect(rowIndices($$)).toEqual([0, 2]);
    expect($$(".ew-list-text mark").map((mark) => mark.textContent)).toEqual(["cat", "Cat", "cat"]);
    expect($(".ew-message").textContent).toBe('2 texts match "cat"');
  });

  it("shows HTML line breaks as breaks in the tooltip and the list, and nothing else as HTML", () => {
    window.__pwned = false;
    const texts = ['Great.<br />Would buy again', '<img src=x onerror="window.__pwned = true">'];
    const { model, plot, $, $$ } = mount({ _texts: texts, _codes: bytes(Uint8Array, [0, 0]) }, 2);
    plot.callbacks.onHover(0);
    expect($(".ew-tooltip").querySelectorAll("br")).toHaveLength(1);
    expect($(".ew-tooltip").textContent).toBe("Great.Would buy again");
    model.set("selection", bytes(Uint32Array, [0, 1]));
    const [first, second] = $$(".ew-list-text");
    expect(first.querySelectorAll("br")).toHaveLength(1);
    expect(first.title).toBe("Great.\nWould buy again");
    expect(second.textContent).toBe(texts[1]);
    expect(second.querySelector("img")).toBeNull();
    expect(window.__pwned).toBe(false);
  });

  it("offers the pair maker only where the model trains on pairs", () => {
    expect(mount().$(".ew-pairs").hidden).toBe(false); // no can_pair trait: pairs, as before
    const { model, $ } = mount({ can_pair: false });
    expect($(".ew-pairs").hidden).toBe(true);
    model.set("can_pair", true);
    expect($(".ew-pairs").hidden).toBe(false);
  });

  it("shows a draw that failed, and draws the next frame", async () => {
    const { model, root, plot, $ } = mount();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const frames = Number(root.dataset.frames);
    plot.drawResult = () => Promise.reject(new Error("WebGL is tired"));
    model.set("_positions", encodePositions(Array.from({ length: 20 }, (_, i) => 2 * i)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(line($)).toEqual(["The picture could not be drawn: WebGL is tired", true]);
    plot.drawResult = () => Promise.resolve(1);
    model.set("_positions", encodePositions(Array.from({ length: 20 }, (_, i) => 3 * i)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Number(root.dataset.frames)).toBe(frames + 1);
  });
});

describe("signposts", () => {
  const TOPICS = [
    { keywords: "coffee, beans, roast", size: 6, x: 4, y: 5 },
    { keywords: "tea, leaves, green", size: 4, x: 14, y: 15 },
  ];

  it("turns on with the Topics toggle and draws the kernel's words over the picture", async () => {
    const { model, plot, root, $, $$ } = mount({ show_topics: false, _topics: [] });
    const toggle = $(".ew-topics");
    expect(toggle.hidden).toBe(false);
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    toggle.click();
    expect(model.get("show_topics")).toBe(true);
    expect(model.saves).toBe(1);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    model.set("_topics", TOPICS); // the kernel names the regions
    expect($$(".ew-signpost").map((label) => label.textContent)).toEqual(TOPICS.map((t) => t.keywords));
    expect(root.querySelector(".ew-signposts").parentElement).toBe($(".ew-stage"));
    // Each render (a pan, a zoom, a frame) places them where their regions are drawn.
    await new Promise((resolve) => setTimeout(resolve, 0)); // the picture is drawn
    plot.renders.forEach((handler) => handler());
    const before = $$(".ew-signpost").map((label) => label.style.transform);
    expect(before.every((t) => t.startsWith("translate("))).toBe(true);
    plot.screen = ([x, y]) => [100 + 90 * x, 100 - 90 * y]; // zoomed in
    plot.renders.forEach((handler) => handler());
    expect($$(".ew-signpost").map((label) => label.style.transform)).not.toEqual(before);
    toggle.click();
    expect(model.get("show_topics")).toBe(false);
    expect($$(".ew-signpost")).toEqual([]);
  });

  it("has no toggle without texts to name regions by", () => {
    expect(mount({ _texts: [] }).$(".ew-topics").hidden).toBe(true);
  });
});

describe("colour by a column of data", () => {
  const region = { kind: "categories", names: ["north", "south"] };
  // Points 0-9: north, south, north, missing, south, south, north, north, south, south.
  const regions = [1, 2, 1, 0, 2, 2, 1, 1, 2, 2];
  const data = { _color_choices: ["label", "region", "price"], color_by: "label", _color_legend: {}, _colors: bytes(Uint8Array, []) };
  const entries = ($$) =>
    $$(".ew-legend-entry").map((e) => [e.querySelector(".ew-legend-name").textContent, e.querySelector(".ew-legend-count").textContent]);

  it("lists the kernel's choices in the colour menu and sets color_by", () => {
    const { model, $ } = mount(data);
    const menu = $(".ew-colour");
    expect(menu.hidden).toBe(false);
    expect(Array.from(menu.options, (o) => [o.value, o.textContent])).toEqual([
      ["label", "colour: labels"],
      ["region", "colour: region"],
      ["price", "colour: price"],
    ]);
    menu.value = "region";
    menu.dispatchEvent(new Event("change"));
    expect(model.get("color_by")).toBe("region");
  });

  it("colours by the categories, counts them in the legend, and a click selects one", async () => {
    const { model, plot, $, $$ } = mount(data);
    model.set("color_by", "region");
    model.set("_color_legend", region);
    model.set("_colors", bytes(Uint8Array, regions));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Array.from(plot.draws.at(-1).points.valueA)).toEqual(regions);
    expect($(".ew-legend-title").textContent).toBe("region");
    expect(entries($$)).toEqual([
      ["north", "4"],
      ["south", "5"],
      ["missing", "1"],
    ]);
    $('.ew-legend-entry[data-code="2"]').click();
    expect(indicesOf(model.get("selection"))).toEqual([1, 4, 5, 8, 9]);
    expect(entries($$)).toEqual([
      ["north", "0 / 4"],
      ["south", "5 / 5"],
      ["missing", "0 / 1"],
    ]);
    // Back to labels: the labels' colours and legend.
    model.set("color_by", "label");
    model.set("_color_legend", {});
    model.set("_colors", bytes(Uint8Array, []));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Array.from(plot.draws.at(-1).points.valueA)).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(entries($$).map(([name]) => name)).toEqual(["tea", "coffee", "unlabelled"]);
  });

  it("colours a numeric column on a scale, shown with its ends", async () => {
    const { model, plot, $, $$ } = mount(data);
    model.set("color_by", "price");
    model.set("_color_legend", { kind: "scale", low: 1.5, high: 99 });
    const values = [1, 255, 128, 0, 30, 60, 90, 120, 150, 180];
    model.set("_colors", bytes(Uint8Array, values));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Array.from(plot.draws.at(-1).points.valueA)).toEqual(values);
    expect($(".ew-legend-scale-title").textContent).toBe("price");
    expect(Array.from($(".ew-legend-ends").children, (end) => end.textContent)).toEqual(["1.5", "99"]);
    expect(entries($$)).toEqual([["missing", "1"]]);
  });

  it("keeps the labels' colours while a column's colours are on their way", async () => {
    const { model, plot } = mount(data);
    model.set("color_by", "region");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Array.from(plot.draws.at(-1).points.valueA)).toEqual([0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("the columns of data in the list and the tooltip", () => {
  const data = { _color_choices: ["label", "region"] };
  const rowsAsked = (model) => model.sent.filter((s) => s.content.action === "rows");

  it("asks for the rows the list shows and shows each one's columns, as text", () => {
    const { model, $ } = mount(data);
    model.set("selection", bytes(Uint32Array, [4, 1]));
    const [asked] = rowsAsked(model);
    expect(asked.indices).toEqual([[4, 1]]);
    const hostile = '<img src=x onerror="window.__pwned = true">';
    model.emit({ type: "rows", id: asked.content.id - 1, indices: [4], columns: { region: ["stale"] } });
    expect($(".ew-list-columns")).toBeNull();
    model.emit({ type: "rows", id: asked.content.id, indices: [4, 1], columns: { region: [hostile, "south"] } });
    const shown = $('.ew-list-row[data-index="4"] .ew-list-columns');
    expect(shown.textContent).toBe(`region${hostile}`);
    expect(shown.querySelector(".ew-column-name").textContent).toBe("region");
    expect($(".ew-list img")).toBeNull();
    expect($('.ew-list-row[data-index="1"] .ew-list-text').textContent).toBe("text 1");
    // Rows it holds already are not asked for again.
    model.set("selection", bytes(Uint32Array, [1, 4, 6]));
    expect(rowsAsked(model).at(-1).indices).toEqual([[6]]);
  });

  it("asks for the point the pointer rests on, and shows its columns under its text", async () => {
    vi.useFakeTimers();
    try {
      const { model, plot, $ } = mount(data);
      plot.callbacks.onHover(3);
      plot.callbacks.onHover(5); // passing over 3 on the way to 5
      expect(rowsAsked(model)).toEqual([]);
      vi.advanceTimersByTime(200);
      const asked = rowsAsked(model);
      expect(asked.map((a) => a.indices)).toEqual([[[5]]]);
      model.emit({ type: "rows", id: asked[0].content.id, indices: [5], columns: { region: ["north"], price: ["2.5"] } });
      expect($(".ew-tooltip").textContent).toBe("text 5regionnorthprice2.5");
      expect(Array.from($(".ew-tooltip-columns").children, (c) => c.title)).toEqual(["region: north", "price: 2.5"]);
      plot.callbacks.onHover(5); // known now: shown at once, not asked again
      vi.advanceTimersByTime(200);
      expect(rowsAsked(model)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("asks nothing of a widget without data", async () => {
    const { model, plot } = mount();
    model.set("selection", bytes(Uint32Array, [4, 1]));
    plot.callbacks.onHover(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rowsAsked(model)).toEqual([]);
  });
});

describe("the projection toggle", () => {
  const toggle = ($) => $(".ew-projection");
  const pressed = ($$) => $$(".ew-projection .ew-button").map((b) => [b.textContent, b.getAttribute("aria-pressed")]);

  it("switches the picture between PCA and UMAP, and the caption says which", () => {
    const { model, $, $$ } = mount({ projection: "pca" });
    expect(toggle($).hidden).toBe(false);
    expect(pressed($$)).toEqual([
      ["PCA", "true"],
      ["UMAP", "false"],
    ]);
    $('.ew-projection [data-projection="umap"]').click();
    expect(model.get("projection")).toBe("umap");
    expect(model.saves).toBe(1);
    expect(pressed($$)).toEqual([
      ["PCA", "false"],
      ["UMAP", "true"],
    ]);
    expect($(".ew-caption").textContent).toBe("UMAP of the embedding");
    model.emit({ type: "info", message: "computing the UMAP map…" });
    expect($(".ew-message").textContent).toBe("computing the UMAP map…");
    $('.ew-projection [data-projection="umap"]').click(); // drawn so already: nothing to ask
    expect(model.saves).toBe(1);
  });

  it("hides where the widget cannot switch: no projection trait, or a 2-D X drawn as given", () => {
    const without = mount();
    expect(toggle(without.$).hidden).toBe(true);
    expect(without.$(".ew-caption").textContent).toBe("PCA of the embedding");
    const given = mount({ projection: "none" });
    expect(toggle(given.$).hidden).toBe(true);
    expect(given.$(".ew-caption").textContent).toBe("The embedding as given");
  });
});
