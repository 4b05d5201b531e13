// Toolbar: search (by words, or by meaning when the kernel can encode a query), lasso,
// invert, undo, the view (fit, zoom to the selection), the map (PCA or UMAP, signposts,
// what the points are coloured by), the label buttons (each with its count and key), a
// field for a new label, the pair maker (where the model trains on pairs), and the
// widget's one message line. It only builds DOM and reports clicks.

import { button, swatch } from "./dom.js";

const PLACEHOLDERS = {
  words: "Search texts (Enter selects matches)",
  meaning: "Find by meaning (Enter selects the nearest)",
};

function row(className) {
  const div = document.createElement("div");
  div.className = `ew-row ${className}`;
  return div;
}

/** The search box and its mode (words | meaning; meaning only once `setMeaningSearch(true)`). */
function createSearch(actions) {
  const search = document.createElement("input");
  search.type = "search";
  search.className = "ew-search";
  search.placeholder = PLACEHOLDERS.words;
  search.addEventListener("input", () => actions.search(search.value, false));
  search.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key !== "Enter" || event.repeat) return;
    actions.search(search.value, true);
    // The search is done: the keys go back to the picture (a digit labels, not types).
    actions.focusPicture();
  });
  const mode = document.createElement("select");
  mode.className = "ew-search-mode";
  mode.title = "Search by the words in the texts, or by meaning (the kernel encodes the query)";
  mode.append(new Option("words", "words"));
  mode.hidden = true;
  const meaning = new Option("meaning", "meaning");
  const setMode = (value) => {
    mode.value = value;
    search.placeholder = PLACEHOLDERS[value];
    actions.searchMode(value);
  };
  mode.addEventListener("change", () => setMode(mode.value));
  mode.addEventListener("keydown", (event) => event.stopPropagation());
  return {
    search,
    mode,
    setMeaningSearch(available) {
      mode.hidden = !available;
      if (available) mode.append(meaning);
      else if (meaning.parentNode) {
        if (mode.value === "meaning") setMode("words");
        meaning.remove();
      }
    },
  };
}

// The projections the toggle offers, each with what it serves best.
const PROJECTIONS = [
  ["pca", "PCA", "Draw the picture by PCA: a linear map, the guide's picture; reads well with a few classes"],
  ["umap", "UMAP", "Draw the picture by UMAP: keeps neighbourhoods; serves better with more than a few classes"],
];

/** The colour menu's words for a choice of color_by. */
function colourChoiceText(choice) {
  if (choice === "label") return "colour: labels";
  return `colour: ${choice}`;
}

/** A toggle button: `setOn(on)` shows whether it is on (also to assistive technology). */
function toggle(text, title, onClick) {
  const b = button(text, title, onClick);
  b.setAttribute("aria-pressed", "false");
  b.setOn = (on) => {
    b.classList.toggle("ew-active", on);
    b.setAttribute("aria-pressed", String(on));
  };
  return b;
}

/** The map's controls: PCA or UMAP, the signposts, and the colour menu. */
function createMapControls(actions) {
  const projection = document.createElement("span");
  projection.className = "ew-toggle ew-projection";
  projection.hidden = true;
  const projections = PROJECTIONS.map(([how, text, title]) => {
    const b = toggle(text, title, () => actions.project(how));
    b.dataset.projection = how;
    return b;
  });
  projection.append(...projections);
  const topics = toggle("Topics", "Name the regions of the picture by the words of their texts", () =>
    actions.toggleTopics(),
  );
  topics.classList.add("ew-topics");
  const colour = document.createElement("select");
  colour.className = "ew-colour";
  colour.title = "Colour the points by their label, the model's doubt, or a column of data";
  colour.addEventListener("change", () => actions.colorBy(colour.value));
  colour.addEventListener("keydown", (event) => event.stopPropagation());
  let choices = "";
  return {
    elements: [projection, topics, colour],
    /** Show the projection drawn ("pca", "umap"); hidden for none (null) or "none". */
    setProjection(how) {
      projection.hidden = how === null || how === "none";
      for (const b of projections) b.setOn(b.dataset.projection === how);
    },
    setTopics({ available, on }) {
      topics.hidden = !available;
      topics.setOn(on);
    },
    /** The names color_by takes now, and the one it has; one name alone needs no menu. */
    setColours(names, value) {
      const key = JSON.stringify(names);
      if (key !== choices) {
        choices = key;
        colour.replaceChildren(...names.map((name) => new Option(colourChoiceText(name), name)));
      }
      colour.hidden = names.length < 2;
      colour.value = names.includes(value) ? value : "label";
    },
  };
}

export function createToolbar(parent, actions) {
  const top = row("ew-top");
  const { search, mode, setMeaningSearch } = createSearch(actions);
  const lasso = button("Lasso", "Drag to lasso (L); Shift-drag adds to the selection", () =>
    actions.toggleLasso(),
  );
  const undo = button("Undo", "Undo the last label or pair action (Ctrl/Cmd+Z)", () =>
    actions.undo(),
  );
  const invert = button("Invert", "Select the points that are not selected, and only those (I)", () =>
    actions.invert(),
  );
  const reset = button("Fit view", "Zoom back to all points", () => actions.resetView());
  const zoom = button("Zoom to selection", "Zoom the picture to the selected points", () =>
    actions.zoomToSelection(),
  );
  const status = document.createElement("span");
  status.className = "ew-status";
  const map = createMapControls(actions);
  top.append(mode, search, lasso, invert, undo, reset, zoom, ...map.elements, status);

  const labelRow = row("ew-labels");
  const labels = document.createElement("span");
  labels.className = "ew-label-buttons";
  const newLabel = document.createElement("input");
  newLabel.type = "text";
  newLabel.className = "ew-new-label";
  newLabel.placeholder = "new label";
  const addLabel = () => {
    const text = newLabel.value.trim();
    if (text) actions.labelNew(text);
    newLabel.value = "";
  };
  newLabel.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key !== "Enter") return;
    addLabel();
    actions.focusPicture();
  });
  labelRow.append(labels, newLabel, button("Label", "Label the selection with the new label", addLabel));

  // The pair maker shares the labels' row (wrapping onto its own line when narrow).
  const pairs = document.createElement("span");
  pairs.className = "ew-pairs";
  const sideA = button("Set side A", "Remember the selection as side A of the pairs", () =>
    actions.setSideA(),
  );
  const similar = button("Similar", "Pair side A with the selection as similar", () =>
    actions.pairs(true),
  );
  const dissimilar = button("Dissimilar", "Pair side A with the selection as dissimilar", () =>
    actions.pairs(false),
  );
  const plan = document.createElement("span");
  plan.className = "ew-plan";
  pairs.append(sideA, similar, dissimilar, plan);
  labelRow.append(pairs);

  const message = document.createElement("div");
  message.className = "ew-message";
  message.setAttribute("role", "status");

  parent.append(top, labelRow, message);

  return {
    search,
    mode,
    newLabel,
    /** Offer the meaning mode only when the kernel can encode a query. */
    setMeaningSearch,
    setLasso(on) {
      lasso.classList.toggle("ew-active", on);
    },
    setProjection: map.setProjection,
    setTopics: map.setTopics,
    setColours: map.setColours,
    setStatus(text) {
      status.textContent = text;
    },
    /** The pair maker shows only where the model trains on pairs. */
    setPairs(available) {
      pairs.hidden = !available;
    },
    setPlan(text, ready) {
      plan.textContent = text;
      similar.disabled = dissimilar.disabled = !ready;
    },
    message,
    /** The one message line: each message replaces the last; errors in the error style. */
    setMessage(text, isError = false) {
      // A message taken away keeps its room until the next change of the line: a press
      // clears it, the click that ends the press gives the room back. So nothing below
      // moves under the pointer (a press that clears a two-line message must not move the
      // button it is pressing, nor the picture a lasso is being drawn on).
      message.style.minHeight = text || !message.textContent ? "" : `${message.offsetHeight}px`;
      message.textContent = text;
      message.classList.toggle("ew-error", isError && Boolean(text));
    },
    /** Whether the message line shows an error now. */
    showsError: () => message.classList.contains("ew-error"),
    /** One button per label, coloured (`colorOf(code)`) like its points, with its count and key. */
    setLabels(names, counts, colorOf) {
      labels.textContent = "";
      names.forEach((name, i) => {
        const key = i < 9 ? `${i + 1}: ` : "";
        const b = button("", `Label the selection "${name}"${key ? ` (key ${i + 1})` : ""}`, () =>
          actions.label(i),
        );
        b.classList.add("ew-label-button");
        b.append(swatch(colorOf(i + 1)), `${key}${name} ${counts[i + 1] ?? 0}`);
        labels.append(b);
      });
    },
  };
}
