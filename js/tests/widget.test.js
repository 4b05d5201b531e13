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
      draw: () => Promise.resolve(1),
      setColors() {},
      setPalette() {},
      select: (indices) => plot.selected.push(Array.from(indices)),
      ring: (index) => plot.rung.push(index),
      setTheme: (next) => plot.themes.push(next),
      setLasso() {},
      resetView() {},
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
