// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { countText, createSelectionList, suggestionText } from "../list.js";
import { colorOf } from "../palettes.js";

const GREY = "#bcbcbc";

function recorder() {
  const calls = [];
  const record = (name) => (...args) => calls.push([name, ...args]);
  return {
    calls,
    actions: {
      remove: record("remove"),
      hover: record("hover"),
      resample: record("resample"),
      more: record("more"),
      accept: record("accept"),
    },
  };
}

function listView(overrides = {}) {
  return {
    rows: Uint32Array.from([0, 2]),
    total: 2,
    texts: ["good coffee", "bad tea", "water"],
    codes: Uint16Array.from([0, 1, 2]),
    names: ["tea", "coffee"],
    colorOf: (code) => colorOf(code, GREY),
    canPredict: false,
    suggestions: new Map(),
    ...overrides,
  };
}

function mount() {
  const parent = document.createElement("div");
  document.body.appendChild(parent);
  const { calls, actions } = recorder();
  const list = createSelectionList(parent, actions);
  return { parent, list, calls };
}

const rgb = (hex) => {
  const probe = document.createElement("span");
  probe.style.background = hex;
  return probe.style.background;
};

describe("selection list", () => {
  it("draws one row per shown point with its label's chip and name, and its text", () => {
    const { parent, list } = mount();
    list.render(listView());
    const rows = parent.querySelectorAll(".ew-list-row");
    expect(Array.from(rows, (row) => row.dataset.index)).toEqual(["0", "2"]);
    expect(rows[0].querySelector(".ew-list-label").textContent).toBe("unlabelled");
    expect(rows[1].querySelector(".ew-list-label").textContent).toBe("coffee");
    expect(rows[0].querySelector(".ew-swatch").style.background).toBe(rgb(GREY));
    expect(rows[1].querySelector(".ew-swatch").style.background).toBe(rgb(colorOf(2, GREY)));
    expect(rows[1].querySelector(".ew-list-text").textContent).toBe("water");
    expect(parent.querySelector(".ew-list-count").textContent).toBe("2 selected");
  });

  it("counts a sample against the whole selection and offers another sample", () => {
    const { parent, list, calls } = mount();
    const rows = Uint32Array.from({ length: 50 }, (_, i) => i % 3);
    list.render(listView({ rows, total: 8112 }));
    expect(parent.querySelector(".ew-list-count").textContent).toBe("50 of 8,112 selected");
    expect(parent.querySelectorAll(".ew-list-row")).toHaveLength(50);
    const resample = parent.querySelector(".ew-list-resample");
    expect(resample.hidden).toBe(false);
    resample.click();
    expect(calls).toContainEqual(["resample"]);
    list.render(listView());
    expect(resample.hidden).toBe(true);
  });

  it("says how to select when nothing is", () => {
    const { parent, list } = mount();
    list.render(listView({ rows: new Uint32Array(0), total: 0 }));
    expect(parent.querySelectorAll(".ew-list-row")).toHaveLength(0);
    expect(parent.querySelector(".ew-list-count").textContent).toMatch(/^Nothing selected/);
    expect(parent.querySelector(".ew-more").disabled).toBe(true);
  });

  it("shows a hostile text as characters; nothing in it runs", () => {
    const { parent, list } = mount();
    window.__pwned = false;
    const hostile = '<img src=x onerror="window.__pwned = true"><script>window.__pwned = true</script>';
    list.render(listView({ texts: [hostile, "", ""], names: ["<b>tea</b>", "coffee"], codes: Uint16Array.from([1, 0, 0]) }));
    const row = parent.querySelector(".ew-list-row");
    expect(row.querySelector(".ew-list-text").textContent).toBe(hostile);
    expect(row.querySelector(".ew-list-label").textContent).toBe("<b>tea</b>");
    expect(parent.querySelector("img, script, b")).toBeNull();
    expect(window.__pwned).toBe(false);
  });

  it("reports the × of a row with its point, and hovering rows", () => {
    const { parent, list, calls } = mount();
    list.render(listView());
    const second = parent.querySelectorAll(".ew-list-row")[1];
    second.dispatchEvent(new MouseEvent("mouseenter"));
    second.querySelector(".ew-list-remove").click();
    parent.querySelector(".ew-list-rows").dispatchEvent(new MouseEvent("mouseleave"));
    expect(calls).toEqual([["hover", 2], ["remove", 2], ["hover", -1]]);
  });

  it("shows suggestions and the Accept button only where the model can predict", () => {
    const { parent, list, calls } = mount();
    list.render(listView());
    expect(parent.querySelector(".ew-list-suggestion")).toBeNull();
    expect(parent.querySelector(".ew-accept").hidden).toBe(true);
    const suggestions = new Map([[0, { label: "coffee", confidence: 0.834 }]]);
    list.render(listView({ canPredict: true, suggestions }));
    const cells = parent.querySelectorAll(".ew-list-suggestion");
    expect(Array.from(cells, (cell) => cell.textContent)).toEqual(["coffee 83%", "…"]);
    expect(cells[0].querySelector(".ew-swatch").style.background).toBe(rgb(colorOf(2, GREY)));
    const accept = parent.querySelector(".ew-accept");
    expect(accept.hidden).toBe(false);
    accept.click();
    parent.querySelector(".ew-more").click();
    expect(calls).toEqual([["accept"], ["more"]]);
  });
});

describe("list texts", () => {
  it("formats counts", () => {
    expect(countText(3, 3)).toBe("3 selected");
    expect(countText(50, 100_000)).toBe("50 of 100,000 selected");
  });
  it("formats suggestions: pending, none yet, label and confidence", () => {
    expect(suggestionText(undefined)).toBe("…");
    expect(suggestionText({ label: null, confidence: 0 })).toBe("no suggestion yet");
    expect(suggestionText({ label: "tea", confidence: 0.5 })).toBe("tea 50%");
  });
});
