// Reading the map: the legend in the picture's corner (each label's colour and count, the
// selection's share of it, a click selects the label's points; a column's categories
// likewise when the points are coloured by one; the colour scale when they are coloured
// by doubt or a numeric column) and the caption (what the picture is drawn from). Both
// change only when the codes, the selection, the colouring or the step do, never per
// frame. They build DOM and report clicks; actions.js decides what they do.

import { swatch } from "./dom.js";

const number = new Intl.NumberFormat("en-US");

const PROJECTIONS = { pca: "PCA", umap: "UMAP" };

/**
 * The legend's entries, the labels in order then the unlabelled points, each
 * {code, name, count, picked}: `counts[code]` points have the code, `picked[code]` of
 * them are selected (null: nothing is). Labels with no points left are still listed.
 */
export function legendEntries(names, counts, picked = null) {
  const entry = (code, name) => ({ code, name, count: counts[code] ?? 0, picked: picked ? picked[code] ?? 0 : null });
  return [...names.map((name, i) => entry(i + 1, name)), entry(0, "unlabelled")];
}

/**
 * The legend's entries while the points are coloured by a column's categories: each
 * category in order, as {code, name, count, picked}, then the points the column misses
 * ("missing", code 0) if there are any. `names` may be empty: a numeric column's legend
 * lists only its missing points.
 */
export function categoryEntries(names, counts, picked = null) {
  const entries = legendEntries(names, counts, picked);
  const missing = entries.pop();
  return missing.count ? [...entries, { ...missing, name: "missing" }] : entries;
}

/** What a click on a legend entry selects, in words (its button's tooltip). */
function entryTitle(entry, column) {
  const what = column
    ? entry.code
      ? `points whose ${column} is "${entry.name}"`
      : `points with no ${column}`
    : entry.code
      ? `points labelled "${entry.name}"`
      : "unlabelled points";
  return `Select the ${what} (Shift adds them)`;
}

/** "480", or "12 / 480" when something is selected: the selection's share of the entry. */
export function countLabel({ count, picked }) {
  return picked === null ? number.format(count) : `${number.format(picked)} / ${number.format(count)}`;
}

/**
 * What the live picture shows, in a few words: "PCA of the embedding", "PCA of the tuned
 * embedding · step 240" in a training widget (in the compare view too: the caption sits
 * over the live picture, the starting one is titled "before"). Projection "none": the
 * embedding's own two coordinates, drawn as they are.
 */
export function captionText({ training = false, step = 0, projection = null, note = "" }) {
  projection ??= "pca";
  const how = PROJECTIONS[projection] ?? String(projection).toUpperCase();
  const given = projection === "none" ? "The embedding as given" : `${how} of the embedding`;
  let text = given;
  if (training) {
    text = step > 0 ? `${how} of the tuned embedding · step ${number.format(step)}` : `${given} · before training`;
  }
  // The picture is not yet what was asked for (PCA while umap-learn compiles): say so.
  return note ? `${text} · ${note}` : text;
}

/**
 * The legend, laid over the picture's top right corner. `actions.selectLabel(code, add)`
 * is told of a click on an entry (`add` with Shift). `render({entries, colorOf, scale,
 * column})` draws it; `scale` {title, colors, low, high} is a colour scale drawn above
 * the entries (or null); `column` names the column of `data` the entries are categories
 * of (null: they are labels), drawn as their title. With no entry but unlabelled points
 * and no scale there is nothing to read, and it hides.
 */
export function createLegend(parent, actions) {
  const legend = document.createElement("div");
  legend.className = "ew-legend";
  legend.hidden = true;
  // A press on the legend is not a press on the picture under it (no pan, no lasso).
  legend.addEventListener("mousedown", (event) => event.stopPropagation());
  parent.appendChild(legend);

  function entryButton(entry, colorOf, column) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "ew-legend-entry";
    b.dataset.code = String(entry.code);
    b.dataset.count = String(entry.count);
    if (entry.picked !== null) b.dataset.picked = String(entry.picked);
    b.title = entryTitle(entry, column);
    const name = document.createElement("span");
    name.className = "ew-legend-name";
    name.textContent = entry.name;
    const count = document.createElement("span");
    count.className = "ew-legend-count";
    count.textContent = countLabel(entry);
    b.append(swatch(colorOf(entry.code)), name, count);
    b.addEventListener("click", (event) => actions.selectLabel(entry.code, event.shiftKey));
    return b;
  }

  function titleRow(text) {
    const title = document.createElement("div");
    title.className = "ew-legend-title";
    title.textContent = text;
    return title;
  }

  function scaleRow(scale) {
    const row = document.createElement("div");
    row.className = "ew-legend-scale";
    const title = document.createElement("span");
    title.className = "ew-legend-scale-title";
    title.textContent = scale.title;
    const bar = document.createElement("span");
    bar.className = "ew-legend-bar";
    for (const color of scale.colors) {
      const cell = document.createElement("span");
      cell.style.background = color;
      bar.append(cell);
    }
    const ends = document.createElement("span");
    ends.className = "ew-legend-ends";
    const low = document.createElement("span");
    low.textContent = scale.low;
    const high = document.createElement("span");
    high.textContent = scale.high;
    ends.append(low, high);
    row.append(title, bar, ends);
    return row;
  }

  let drawn = "";
  return {
    element: legend,
    render({ entries, colorOf, scale = null, column = null }) {
      // Drawn again only when something in it changed (it is asked at every doubt frame).
      const key = JSON.stringify([entries, entries.map((entry) => colorOf(entry.code)), scale, column]);
      if (key === drawn) return;
      drawn = key;
      const labelled = entries.some((entry) => entry.code !== 0);
      legend.hidden = !labelled && !scale;
      const children = entries.map((entry) => entryButton(entry, colorOf, column));
      const title = column && !scale ? [titleRow(column)] : [];
      legend.replaceChildren(...title, ...(scale ? [scaleRow(scale)] : []), ...children);
    },
  };
}

/** The caption, laid over the picture's bottom left corner; `set(text)` changes it. */
export function createCaption(parent) {
  const caption = document.createElement("div");
  caption.className = "ew-caption";
  parent.appendChild(caption);
  return {
    element: caption,
    set(text) {
      if (caption.textContent !== text) caption.textContent = text;
    },
  };
}
