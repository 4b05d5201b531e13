// The selection, readable: a panel under the picture listing the selected texts (a sample
// of a large selection), each with its label, its `data` columns once the kernel sent
// them, the model's suggestion where there is one, and a button that takes the point out
// of the selection. Texts and columns go in as text nodes (text.js), never as HTML, with
// the words a search found marked. It builds DOM and reports clicks; actions.js decides
// what they do.

import { button, columnsBlock, swatch } from "./dom.js";
import { appendText, plainText } from "./text.js";

export const LIST_SIZE = 50;

const number = new Intl.NumberFormat("en-US");

/** "12 selected", or "50 of 8,112 selected" for a sample. */
export function countText(shown, total) {
  if (!total) return "Nothing selected: click, Shift-click or lasso points to read them here.";
  if (shown === total) return `${number.format(total)} selected`;
  return `${number.format(shown)} of ${number.format(total)} selected`;
}

/** What a row says of the model's suggestion: pending (undefined), none yet, or label and confidence. */
export function suggestionText(suggestion) {
  if (suggestion === undefined) return "…";
  if (suggestion.label === null) return "no suggestion yet";
  return `${suggestion.label} ${Math.round(suggestion.confidence * 100)}%`;
}

/**
 * `actions`: remove(index), hover(index or -1), resample(), more(), accept().
 * `render(view)` draws the rows of {rows, total, texts, codes, names, colorOf,
 * canPredict, suggestions, terms, columns}: `terms` the search's words (lowercase),
 * marked; `columns` (optional) a Map index -> [[column, text], ...].
 */
export function createSelectionList(parent, actions) {
  const panel = document.createElement("div");
  panel.className = "ew-list";
  const head = document.createElement("div");
  head.className = "ew-row ew-list-head";
  const count = document.createElement("span");
  count.className = "ew-list-count";
  const resample = button("Another sample", `Show another ${LIST_SIZE} of the selected points`, () =>
    actions.resample(),
  );
  resample.classList.add("ew-list-resample");
  const more = button("More like this", "Add the 20 points nearest to the selection", () => actions.more());
  more.classList.add("ew-more");
  const accept = button("Accept suggestions", "Label every selected point with the model's suggestion (A)", () =>
    actions.accept(),
  );
  accept.classList.add("ew-accept");
  head.append(count, resample, more, accept);
  const body = document.createElement("ul");
  body.className = "ew-list-rows";
  body.addEventListener("mouseleave", () => actions.hover(-1));
  panel.append(head, body);
  parent.appendChild(panel);

  function row(index, view) {
    const item = document.createElement("li");
    item.className = "ew-list-row";
    item.dataset.index = String(index);
    const code = view.codes[index] ?? 0;
    const label = document.createElement("span");
    label.className = "ew-list-label";
    label.append(swatch(view.colorOf(code)), code ? view.names[code - 1] : "unlabelled");
    const text = document.createElement("span");
    text.className = "ew-list-text";
    appendText(text, view.texts[index] ?? "", view.terms);
    text.title = plainText(view.texts[index] ?? "");
    const columns = view.columns?.get(index);
    if (columns?.length) {
      const body = document.createElement("span");
      body.className = "ew-list-body";
      body.append(text, columnsBlock(columns, "ew-list-columns"));
      item.append(label, body);
    } else item.append(label, text);
    if (view.canPredict) item.append(suggestionCell(view.suggestions.get(index), view));
    const remove = button("×", "Take this point out of the selection", () => actions.remove(index));
    remove.classList.add("ew-list-remove");
    remove.setAttribute("aria-label", "Deselect this point");
    item.append(remove);
    item.addEventListener("mouseenter", () => actions.hover(index));
    return item;
  }

  function suggestionCell(suggestion, view) {
    const cell = document.createElement("span");
    cell.className = "ew-list-suggestion";
    cell.title = "The model's suggested label and its confidence";
    if (suggestion?.label != null) {
      cell.append(swatch(view.colorOf(view.names.indexOf(suggestion.label) + 1)));
    }
    cell.append(suggestionText(suggestion));
    return cell;
  }

  return {
    element: panel,
    render(view) {
      count.textContent = countText(view.rows.length, view.total);
      resample.hidden = view.rows.length === view.total;
      more.disabled = !view.total;
      accept.hidden = !view.canPredict;
      accept.disabled = !view.total;
      body.replaceChildren(...Array.from(view.rows, (index) => row(index, view)));
    },
  };
}
