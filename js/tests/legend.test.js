// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { captionText, categoryEntries, countLabel, createCaption, createLegend, legendEntries } from "../legend.js";

const colorOf = (code) => ["#999999", "#4e79a7", "#f28e2b"][code];

describe("the legend's entries", () => {
  it("lists each label with its count, then the unlabelled points", () => {
    expect(legendEntries(["great", "bad"], Uint32Array.from([10, 480, 3]))).toEqual([
      { code: 1, name: "great", count: 480, picked: null },
      { code: 2, name: "bad", count: 3, picked: null },
      { code: 0, name: "unlabelled", count: 10, picked: null },
    ]);
  });

  it("says the selection's share of each label when something is selected", () => {
    const [great] = legendEntries(["great"], Uint32Array.from([5, 480]), Uint32Array.from([0, 12]));
    expect(countLabel(great)).toBe("12 / 480");
    expect(countLabel({ count: 1234567, picked: null })).toBe("1,234,567");
  });
});

describe("a column's legend", () => {
  it("lists each category with its count, then the missing values if there are any", () => {
    const counts = Uint32Array.from([0, 12, 30]);
    expect(categoryEntries(["north", "south"], counts)).toEqual([
      { code: 1, name: "north", count: 12, picked: null },
      { code: 2, name: "south", count: 30, picked: null },
    ]);
    expect(categoryEntries(["north"], Uint32Array.from([4, 12]), Uint32Array.from([1, 3])).at(-1)).toEqual({
      code: 0,
      name: "missing",
      count: 4,
      picked: 1,
    });
  });

  it("lists only the missing values beside a numeric column's scale", () => {
    expect(categoryEntries([], Uint32Array.from([0]))).toEqual([]);
    expect(categoryEntries([], Uint32Array.from([7]))).toEqual([{ code: 0, name: "missing", count: 7, picked: null }]);
  });
});

describe("the legend", () => {
  function mount() {
    const parent = document.createElement("div");
    const clicks = [];
    const legend = createLegend(parent, { selectLabel: (code, add) => clicks.push([code, add]) });
    return { parent, legend, clicks };
  }

  it("shows an entry per label, names as text, and tells which was clicked", () => {
    const { parent, legend, clicks } = mount();
    const names = ["great", "<b>bad</b>"];
    legend.render({ entries: legendEntries(names, Uint32Array.from([7, 2, 1]), Uint32Array.from([1, 2, 0])), colorOf });
    const entries = Array.from(parent.querySelectorAll(".ew-legend-entry"));
    expect(entries.map((e) => e.textContent)).toEqual(["great2 / 2", "<b>bad</b>0 / 1", "unlabelled1 / 7"]);
    expect(parent.querySelector("b")).toBeNull();
    expect(entries.map((e) => e.dataset.count)).toEqual(["2", "1", "7"]);
    entries[0].click();
    entries[2].dispatchEvent(new MouseEvent("click", { shiftKey: true }));
    expect(clicks).toEqual([
      [1, false],
      [0, true],
    ]);
  });

  it("hides while there is no label and no scale to read", () => {
    const { parent, legend } = mount();
    legend.render({ entries: legendEntries([], Uint32Array.from([7])), colorOf });
    expect(parent.querySelector(".ew-legend").hidden).toBe(true);
    const scale = { title: "doubt", colors: ["#999999", "#ff0000"], low: "sure", high: "unsure" };
    legend.render({ entries: legendEntries([], Uint32Array.from([7])), colorOf, scale });
    expect(parent.querySelector(".ew-legend").hidden).toBe(false);
    expect(parent.querySelectorAll(".ew-legend-bar > span")).toHaveLength(2);
    expect(parent.querySelector(".ew-legend-ends").textContent).toBe("sureunsure");
  });
});

describe("the legend of a column", () => {
  it("is titled by the column, and says what a click on an entry selects", () => {
    const parent = document.createElement("div");
    const clicks = [];
    const legend = createLegend(parent, { selectLabel: (code, add) => clicks.push([code, add]) });
    const entries = categoryEntries(["north", "south"], Uint32Array.from([3, 5, 8]));
    legend.render({ entries, colorOf, column: "region" });
    expect(parent.querySelector(".ew-legend-title").textContent).toBe("region");
    const buttons = Array.from(parent.querySelectorAll(".ew-legend-entry"));
    expect(buttons.map((b) => b.title)).toEqual([
      'Select the points whose region is "north" (Shift adds them)',
      'Select the points whose region is "south" (Shift adds them)',
      "Select the points with no region (Shift adds them)",
    ]);
    buttons[1].click();
    expect(clicks).toEqual([[2, false]]);
  });

  it("shows a numeric column's scale with its ends, under no other title", () => {
    const parent = document.createElement("div");
    const legend = createLegend(parent, { selectLabel() {} });
    const scale = { title: "price", colors: ["#440154", "#21918c", "#fde725"], low: "1.5", high: "99" };
    legend.render({ entries: categoryEntries([], Uint32Array.from([0])), colorOf, scale, column: "price" });
    expect(parent.querySelector(".ew-legend").hidden).toBe(false);
    expect(parent.querySelector(".ew-legend-title")).toBeNull();
    expect(parent.querySelector(".ew-legend-scale-title").textContent).toBe("price");
    expect(parent.querySelector(".ew-legend-ends").textContent).toBe("1.599");
    expect(parent.querySelectorAll(".ew-legend-entry")).toHaveLength(0);
  });
});

describe("the caption", () => {
  it("says what the picture is drawn from", () => {
    expect(captionText({})).toBe("PCA of the embedding");
    expect(captionText({ training: true, step: 240 })).toBe("PCA of the tuned embedding · step 240");
    expect(captionText({ training: true, step: 0 })).toBe("PCA of the embedding · before training");
    expect(captionText({ training: true, step: 12000, projection: "umap" })).toBe(
      "UMAP of the tuned embedding · step 12,000",
    );
    expect(captionText({ projection: "none" })).toBe("The embedding as given");
    expect(captionText({ projection: "umap" })).toBe("UMAP of the embedding");
    expect(captionText({ projection: "umap", note: "drawn by PCA until umap-learn is ready" })).toBe(
      "UMAP of the embedding · drawn by PCA until umap-learn is ready",
    );
    expect(captionText({ projection: null })).toBe("PCA of the embedding"); // a widget without the trait
    expect(captionText({ training: true, compare: true, step: 3 })).toBe(
      "PCA of the tuned embedding · step 3", // over the live picture; the other is "before"
    );
  });

  it("sets its text", () => {
    const parent = document.createElement("div");
    const caption = createCaption(parent);
    caption.set("PCA of the embedding");
    expect(parent.querySelector(".ew-caption").textContent).toBe("PCA of the embedding");
  });
});
