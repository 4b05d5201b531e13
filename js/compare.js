// The compare view of the training widgets (compare=True): the starting picture, still,
// beside the live one. Each side is a pane of the stage with a canvas of its own; what
// the two share (selection, hover, search, colours) is wired in view.js.

/** The sides, left to right: the PCA of the embedding given, and the live picture. */
export const SIDES = ["before", "now"];

/** What a side's pane says in its corner. */
export function sideTitle(side, step) {
  return side === "before" ? "before" : `now (step ${step})`;
}

/**
 * The panes the pictures go in, left to right, as {side, element, title}. Without a
 * comparison the stage itself is the one pane (untitled), as it always was; with one, a
 * `.ew-compare` row of two `.ew-pane`s, data-side "before" and "now", each titled.
 */
export function createPanes(stage, compare) {
  if (!compare) return [{ side: "now", element: stage, title: null }];
  const row = document.createElement("div");
  row.className = "ew-compare";
  stage.appendChild(row);
  return SIDES.map((side) => {
    const pane = document.createElement("div");
    pane.className = "ew-pane";
    pane.dataset.side = side;
    const title = document.createElement("div");
    title.className = "ew-pane-title";
    title.textContent = sideTitle(side, 0);
    pane.appendChild(title);
    row.appendChild(pane);
    return { side, element: pane, title };
  });
}

/** The plots that must be told of what `shownBy` (the plots that show it already) lack. */
export function plotsToTell(plots, shownBy = []) {
  return plots.filter((plot) => !shownBy.includes(plot));
}
