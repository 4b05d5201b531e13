// What the points are coloured by, decided in one place: their label (the default), the
// model's doubt (training widgets) or a column of `data`, by its categories or on a
// scale. The picture takes its colour column and palette from it, the legend its entries,
// a legend click the codes it selects by.

import { doubtColors, labelColors, scaleColors, scaleSteps } from "./palettes.js";

const LABELS = Object.freeze({ kind: "label" });

// The names color_by takes besides the columns of `data`.
const BUILT_IN = new Set(["label", "doubt"]);

/**
 * The colour menu's names: the kernel's `_color_choices` ("label", "doubt" on training
 * widgets, then the columns of `data`), or where a widget has no such trait, "label" and
 * (training) "doubt". Doubt is offered only once the model can predict.
 */
export function colourMenu(state, training) {
  const choices = state.colorChoices ?? (training ? ["label", "doubt"] : ["label"]);
  return choices.filter((name, i) => !(training && i === 1 && name === "doubt" && !state.canPredict));
}

/** The columns of `data`, from the kernel's `_color_choices` (none without it). */
export function dataColumns(choices) {
  return (choices ?? []).filter((name) => !BUILT_IN.has(name));
}

/**
 * The colouring the state asks for and holds the bytes of, for `n` points: {kind:
 * "label"}, {kind: "doubt"}, {kind: "categories", column, names, values} (values: a code
 * a point, k for names[k-1], 0 missing) or {kind: "scale", column, low, high, values}
 * (values: a byte a point, 1..255 from low to high, 0 missing). Until a column's colours
 * arrive, or while they do not fit the points, the points keep their labels' colours.
 */
export function colouringOf(state, n) {
  const { colorBy, colorLegend: legend, colors } = state;
  if (colorBy === "doubt") return state.doubt.length === n && n > 0 ? { kind: "doubt" } : LABELS;
  if (colorBy === "label" || colors.length !== n || n === 0) return LABELS;
  if (legend.kind === "categories") {
    return { kind: "categories", column: colorBy, names: legend.names ?? [], values: colors };
  }
  if (legend.kind === "scale") {
    return { kind: "scale", column: colorBy, low: legend.low, high: legend.high, values: colors };
  }
  return LABELS;
}

/**
 * The colour of each value the picture's colour column takes, index = value: label codes
 * (and categories) on the label palette, doubt classes, scale bytes. `grey` is the
 * theme's colour of unlabelled, sure or missing points; `dark` whether the theme is dark.
 */
export function paletteOf(colouring, { nLabels, grey, dark = false }) {
  if (colouring.kind === "doubt") return doubtColors(grey);
  if (colouring.kind === "categories") return labelColors(colouring.names.length, grey);
  if (colouring.kind === "scale") return scaleColors(grey, dark);
  return labelColors(nLabels, grey);
}

const number = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

/** A scale's end as the legend writes it: "0.125", "12,350", "-3". */
export function scaleEnd(value) {
  return Number.isFinite(value) ? number.format(value) : "";
}

/** The colour scale the legend draws for a colouring (null where it has none). */
export function legendScale(colouring, { grey, dark = false }) {
  if (colouring.kind === "doubt") return { title: "doubt", colors: doubtColors(grey), low: "sure", high: "unsure" };
  if (colouring.kind !== "scale") return null;
  return {
    title: colouring.column,
    colors: scaleSteps(12, dark),
    low: scaleEnd(colouring.low),
    high: scaleEnd(colouring.high),
  };
}

/** The codes a legend entry selects by: a column's while the points are coloured by it. */
export function legendCodes(colouring, labelCodes) {
  return colouring.kind === "categories" || colouring.kind === "scale" ? colouring.values : labelCodes;
}
