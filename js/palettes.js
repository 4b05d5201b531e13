// Every colour the points take: the label palette (also a column's categories), the grey
// of unlabelled (or missing) points, the doubt scale and the scale of a numeric column.
// The legend, the selection list and the picture read them here, so they agree. The grey
// comes from the theme (theme.js), so it reads on light and dark hosts.

// Twenty colours, so a set of twenty classes shows each in its own: ten strong ones first
// (what two to ten labels get), then ten lighter or darker ones unlike any of them.
export const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
  "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894",
  "#d37295", "#d4a6c8", "#d7b5a6", "#7b4173", "#637939",
];

/** Colour of label code `code`: 0 is unlabelled (`grey`), k the k-th label, the palette cycling. */
export function colorOf(code, grey) {
  return code === 0 ? grey : PALETTE[(code - 1) % PALETTE.length];
}

/** Colours of codes 0..nCodes, as the picture's colour categories. */
export function labelColors(nCodes, grey) {
  return Array.from({ length: nCodes + 1 }, (_, code) => colorOf(code, grey));
}

// Doubt classes 1..9, from a little unsure (light orange) to most unsure (dark red).
const DOUBT_SCALE = [
  "#fde0c5", "#facba6", "#f8b58b", "#f59e72",
  "#f2855d", "#ef6a4c", "#eb4a40", "#d42f3a", "#a51f35",
];

/** Colours of doubt classes 0..9, class 0 (sure) in the theme's `grey`. */
export function doubtColors(grey) {
  return [grey, ...DOUBT_SCALE];
}

/** Doubt bytes (0 sure .. 255 unsure) to doubt classes 0..9. */
export function doubtBins(doubt) {
  const bins = new Float32Array(doubt.length);
  for (let i = 0; i < doubt.length; i++) bins[i] = Math.min(9, Math.floor(doubt[i] / 25.6));
  return bins;
}

// A numeric column's scale: viridis (perceptually even, read by colour-blind people too),
// sampled at nine stops.
const VIRIDIS = [
  "#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c",
  "#28ae80", "#5ec962", "#addc30", "#fde725",
];

// The part of viridis each theme shows: its pale yellow end vanishes on white, its dark
// purple end on a dark background.
const SCALE_SPAN = { light: [0, 0.88], dark: [0.25, 1] };

function rgbOf(hex) {
  return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
}

/** The scale's colour at `t` in 0..1 (for the theme, `dark` or not), as #rrggbb. */
export function scaleColor(t, dark = false) {
  const [lo, hi] = dark ? SCALE_SPAN.dark : SCALE_SPAN.light;
  const at = (lo + Math.min(1, Math.max(0, t)) * (hi - lo)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(at));
  const [a, b] = [rgbOf(VIRIDIS[k]), rgbOf(VIRIDIS[k + 1])];
  const mixed = a.map((c, i) => Math.round(c + (b[i] - c) * (at - k)));
  return `#${mixed.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
}

/** Colours of scale bytes 0..255: 0 (missing) in the theme's `grey`, 1..255 low to high. */
export function scaleColors(grey, dark = false) {
  return [grey, ...Array.from({ length: 255 }, (_, k) => scaleColor(k / 254, dark))];
}

/** `count` colours evenly along the scale, low to high: the legend's bar. */
export function scaleSteps(count, dark = false) {
  return Array.from({ length: count }, (_, k) => scaleColor(k / (count - 1), dark));
}
