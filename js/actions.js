// What a click, a key or a button does: change the state the browser owns (selection,
// the list's rows, search hits, side A, lasso mode) or ask Python for a change (labels,
// pairs, undo, neighbours, suggestions). Python answers with new traits or messages;
// bindings.js shows them.

import { actionForKey } from "./keys.js";
import { LIST_SIZE } from "./list.js";
import { sampleSelection, withoutIndex } from "./sample.js";
import { createTextSearch } from "./selection.js";
import { createSuggester } from "./suggest.js";
import { encodeIndices } from "./wire.js";

// How many points "find by meaning" selects and "More like this" adds.
export const NEIGHBOURS = 20;

const SELECT_FIRST = "Select points first (click, Shift-click or lasso).";

export function createActions(model, state, view) {
  const suggester = createSuggester((id, rows) =>
    model.send({ action: "suggest", id }, undefined, [encodeIndices(rows)]),
  );
  const message = (text, isError = false) => view.toolbar.setMessage(text, isError);
  const findWords = createTextSearch(state.texts);

  /**
   * A new selection made here, sent to Python once. `shownBy` the plots that made it (and
   * show it already); `at` when it arrived; `rows` the list's rows when they are not a
   * fresh sample.
   */
  function select(indices, { shownBy = [], at = performance.now(), rows = null } = {}) {
    state.selection = indices;
    model.set("selection", encodeIndices(indices));
    model.save_changes();
    follow({ shownBy, at, rows });
  }

  /** Show the (new) selection everywhere: the pictures, the status, the list. */
  function follow({ shownBy = [], at = performance.now(), rows = null } = {}) {
    view.showSelection(shownBy);
    showRows(rows ?? sampleSelection(state.selection, LIST_SIZE), at);
  }

  function showRows(rows, at = performance.now()) {
    state.rows = rows;
    view.showRows(at);
    suggest();
  }

  /** Ask for the suggestions of the rows shown, when the model can make them. */
  function suggest() {
    if (model.get("can_predict") && state.rows.length) suggester.request(state.rows);
  }

  function withSelection(content) {
    if (!state.selection.length) return message(SELECT_FIRST, true);
    model.send(content, undefined, [encodeIndices(state.selection)]);
  }

  const sendLabel = (content) => withSelection({ action: "label", ...content });

  function accept() {
    if (model.get("can_predict")) withSelection({ action: "accept" });
  }

  function toggleLasso() {
    state.lasso = !state.lasso;
    view.setLasso(state.lasso);
    view.toolbar.setLasso(state.lasso);
  }

  const undo = () => model.send({ action: "undo" });

  function key(event) {
    const names = model.get("label_names");
    const action = actionForKey(event, names.length, Boolean(model.get("can_predict")));
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    if (action.type === "undo") undo();
    else if (action.type === "label") sendLabel({ code: action.index });
    else if (action.type === "deselect") select(new Uint32Array(0));
    else if (action.type === "lasso") toggleLasso();
    else if (action.type === "accept") accept();
  }

  /**
   * Words: the count of matches follows every key, and Enter selects the matches. The
   * picture highlights them once typing pauses, and again on Enter, but only while it
   * draws quickly: at a million points a redraw takes seconds, which would freeze the
   * page between two keys; there the selection alone shows the matches (the next frame
   * highlights them too).
   */
  function searchWords(query, andSelect) {
    state.hits = findWords(query);
    const trimmed = query.trim();
    const n = state.hits.length;
    const count = `${n} ${n === 1 ? "text matches" : "texts match"} "${trimmed}"`;
    message(trimmed ? (andSelect ? count : `${count} · Enter selects them`) : "");
    const redraw = view.quickToDraw();
    if (!andSelect) {
      if (redraw) view.redrawSoon();
      return;
    }
    if (redraw) view.redraw();
    select(state.hits);
  }

  /** Meaning: the kernel encodes the query and selects its nearest points (on Enter only). */
  function searchMeaning(query, andSelect) {
    if (!andSelect) return;
    const trimmed = query.trim();
    if (!trimmed) return message("Type what to look for, then press Enter.", true);
    model.send({ action: "similar", query: trimmed, k: NEIGHBOURS });
    message(`Looking for texts like "${trimmed}"…`);
  }

  return {
    select,
    follow,
    suggest,
    key,
    undo,
    toggleLasso,
    accept,
    search(query, andSelect) {
      if (state.searchMode === "meaning") searchMeaning(query, andSelect);
      else searchWords(query, andSelect);
    },
    searchMode(mode) {
      state.searchMode = mode;
      if (mode === "meaning" && state.hits.length) searchWords("", false);
    },
    more: () => withSelection({ action: "neighbours", k: NEIGHBOURS }),
    /** The list's × : the point leaves the selection, the other rows stay. */
    deselect(index) {
      const at = performance.now();
      select(withoutIndex(state.selection, index), { at, rows: withoutIndex(state.rows, index) });
    },
    resample: () => showRows(sampleSelection(state.selection, LIST_SIZE)),
    /** A "suggestions" message from the kernel; answers to older requests are dropped. */
    receiveSuggestions(msg) {
      const suggestions = suggester.receive(msg);
      if (!suggestions) return;
      state.suggestions = suggestions;
      view.showRows();
    },
    resetView: () => view.resetView(),
    label: (code) => sendLabel({ code }),
    labelNew: (label) => sendLabel({ label }),
    setSideA() {
      state.sideA = state.selection.slice();
      view.showPlan();
    },
    pairs(similar) {
      if (!state.sideA.length || !state.selection.length) return;
      model.send({ action: "pairs", similar }, undefined, [
        encodeIndices(state.sideA),
        encodeIndices(state.selection),
      ]);
      state.sideA = new Uint32Array(0);
      view.showPlan();
    },
    stop: () => suggester.stop(),
  };
}
