import { describe, expect, it } from "vitest";
import {
  colouringOf,
  colourMenu,
  dataColumns,
  legendCodes,
  legendScale,
  paletteOf,
  scaleEnd,
} from "../colouring.js";
import { doubtColors, labelColors, scaleColors } from "../palettes.js";

const GREY = "#bcbcbc";

function state(extra = {}) {
  return {
    colorBy: "label",
    colorLegend: {},
    colors: new Uint8Array(0),
    doubt: new Uint8Array(0),
    canPredict: false,
    colorChoices: null,
    ...extra,
  };
}

describe("what the points are coloured by", () => {
  const region = { colorBy: "region", colorLegend: { kind: "categories", names: ["north", "south"] } };
  const price = { colorBy: "price", colorLegend: { kind: "scale", low: 1.5, high: 99 } };

  it("by label, unless a column's colours or the doubt have come for every point", () => {
    expect(colouringOf(state(), 3)).toEqual({ kind: "label" });
    expect(colouringOf(state({ ...region, colors: Uint8Array.from([1, 2]) }), 3)).toEqual({ kind: "label" });
    expect(colouringOf(state({ colorBy: "doubt" }), 3)).toEqual({ kind: "label" });
    expect(colouringOf(state({ colorBy: "doubt", doubt: new Uint8Array(3) }), 3)).toEqual({ kind: "doubt" });
  });

  it("by a column's categories, or on its scale", () => {
    const colors = Uint8Array.from([1, 0, 2]);
    expect(colouringOf(state({ ...region, colors }), 3)).toEqual({
      kind: "categories",
      column: "region",
      names: ["north", "south"],
      values: colors,
    });
    expect(colouringOf(state({ ...price, colors }), 3)).toEqual({
      kind: "scale",
      column: "price",
      low: 1.5,
      high: 99,
      values: colors,
    });
  });

  it("paints each kind with its palette, missing and unlabelled points in the theme's grey", () => {
    expect(paletteOf({ kind: "label" }, { nLabels: 2, grey: GREY })).toEqual(labelColors(2, GREY));
    expect(paletteOf({ kind: "doubt" }, { nLabels: 2, grey: GREY })).toEqual(doubtColors(GREY));
    const categories = { kind: "categories", names: ["a", "b", "c"] };
    expect(paletteOf(categories, { nLabels: 0, grey: GREY })).toEqual(labelColors(3, GREY));
    const scale = paletteOf({ kind: "scale" }, { nLabels: 0, grey: GREY, dark: true });
    expect(scale).toEqual(scaleColors(GREY, true));
    expect(scale).toHaveLength(256);
    expect(scale[0]).toBe(GREY);
  });

  it("gives the legend a scale for doubt and for numbers, with the column's ends", () => {
    expect(legendScale({ kind: "label" }, { grey: GREY })).toBeNull();
    expect(legendScale({ kind: "categories", names: [] }, { grey: GREY })).toBeNull();
    expect(legendScale({ kind: "doubt" }, { grey: GREY })).toMatchObject({ title: "doubt", low: "sure", high: "unsure" });
    const scale = legendScale({ kind: "scale", column: "price", low: 0.125, high: 12345.6 }, { grey: GREY });
    expect(scale).toMatchObject({ title: "price", low: "0.125", high: "12,350" });
    expect(new Set(scale.colors).size).toBe(scale.colors.length);
    expect(scaleEnd(-3)).toBe("-3");
  });

  it("selects by the column's codes while the points are coloured by it", () => {
    const labels = Uint8Array.from([1, 0]);
    const values = Uint8Array.from([2, 2]);
    expect(legendCodes({ kind: "label" }, labels)).toBe(labels);
    expect(legendCodes({ kind: "doubt" }, labels)).toBe(labels);
    expect(legendCodes({ kind: "categories", values }, labels)).toBe(values);
  });
});

describe("the colour menu", () => {
  it("lists the kernel's choices, doubt only once the model can predict", () => {
    const choices = ["label", "doubt", "region", "price"];
    expect(colourMenu(state({ colorChoices: choices }), true)).toEqual(["label", "region", "price"]);
    expect(colourMenu(state({ colorChoices: choices, canPredict: true }), true)).toEqual(choices);
    expect(colourMenu(state({ colorChoices: ["label", "region"] }), false)).toEqual(["label", "region"]);
  });

  it("offers labels (and doubt) where the widget has no choices trait", () => {
    expect(colourMenu(state(), false)).toEqual(["label"]);
    expect(colourMenu(state({ canPredict: true }), true)).toEqual(["label", "doubt"]);
  });

  it("tells the columns of data from the built-in colourings", () => {
    expect(dataColumns(["label", "doubt", "region", "price"])).toEqual(["region", "price"]);
    expect(dataColumns(["label"])).toEqual([]);
    expect(dataColumns(null)).toEqual([]);
  });
});
