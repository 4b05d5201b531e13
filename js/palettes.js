// Every colour the points take: the label palette, the grey of unlabelled points and the
// doubt scale. The toolbar's legend and the picture read them here, so they agree.

export const UNLABELLED = "#c4c4c4";
export const PALETTE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
];

/** Colour of label code `code` (0 = unlabelled; k = the k-th label, the palette cycling). */
export function colorOf(code) {
  return code === 0 ? UNLABELLED : PALETTE[(code - 1) % PALETTE.length];
}

/** Colours of codes 0..nCodes, as the picture's colour categories. */
export function labelColors(nCodes) {
  return Array.from({ length: nCodes + 1 }, (_, code) => colorOf(code));
}

export const DOUBT_PALETTE = [
  "#d9d9d9", "#fde0c5", "#facba6", "#f8b58b", "#f59e72",
  "#f2855d", "#ef6a4c", "#eb4a40", "#d42f3a", "#a51f35",
];

/** Doubt bytes (0 sure .. 255 unsure) to colour categories 0..9 of DOUBT_PALETTE. */
export function doubtBins(doubt) {
  const bins = new Float32Array(doubt.length);
  for (let i = 0; i < doubt.length; i++) bins[i] = Math.min(9, Math.floor(doubt[i] / 25.6));
  return bins;
}
