// Every colour the points take: the label palette, the grey of unlabelled points and the
// doubt scale. The legend, the selection list and the picture read them here, so they
// agree. The grey comes from the theme (theme.js), so it reads on light and dark hosts.

export const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
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
