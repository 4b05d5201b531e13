// What a click, a key or a button does: change the state the browser owns (selection,
// the list's rows, search hits, side A, lasso mode) or ask Python for a change (labels,
// pairs, undo, neighbours, suggestions, training). Requests go out through protocol.js;
// Python answers with new traits or messages, which bindings.js shows.

import { saveColorBy, saveSelection } from "./bindings.js";
import { actionForKey } from "./keys.js";
import { LIST_SIZE } from "./list.js";
import { request, REQUEST } from "./protocol.js";
import { sampleSelection, withoutIndex } from "./sample.js";
import { complement, createTextSearch, union, withCode } from "./selection.js";
import { createSuggester } from "./suggest.js";
import { DOUBTFUL } from "./training.js";
import { parseTerms } from "./words.js";

// How many points "find by meaning" selects and "More like this" adds.
export const NEIGHBOURS = 20;

const SELECT_FIRST = "Select points first (click, Shift-click or lasso).";

export function createActions(model, state, view) {
  const suggester = createSuggester((id, rows) => request(model, REQUEST.SUGGEST, { id }, [rows]));
  const message = (text, isError = false) => view.showMessage(text, isError);
  const findWords = createTextSearch(state.texts);

  /**
   * A new selection made here, sent to Python once. `shownBy` the plots that made it (and
   * show it already); `at` when it arrived; `rows` the list's rows when they are not a
   * fresh sample.
   */
  function select(indices, { shownBy = [], at = performance.now(), rows = null } = {}) {
    state.selection = indices;
    saveSelection(model, indices);
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
    if (state.canPredict && state.rows.length) suggester.request(state.rows);
  }

  /** Request `name` for the selection (its one buffer); with none, say how to make one. */
  function withSelection(name, fields = {}) {
    if (!state.selection.length) return message(SELECT_FIRST, true);
    request(model, name, fields, [state.selection]);
  }

  const sendLabel = (fields) => withSelection(REQUEST.LABEL, fields);

  function accept() {
    if (state.canPredict) withSelection(REQUEST.ACCEPT);
  }

  function toggleLasso() {
    state.lasso = !state.lasso;
    view.setLasso(state.lasso);
    view.toolbar.setLasso(state.lasso);
  }

  const undo = () => request(model, REQUEST.UNDO);

  const invert = () => select(complement(state.selection, state.positions.n));

  function zoomToSelection() {
    if (!view.zoomTo(state.selection)) message(SELECT_FIRST, true);
  }

  // What each key of keys.js does.
  const KEYS = {
    undo,
    label: ({ index }) => sendLabel({ code: index }),
    noLabel: ({ number }) => message(`No label ${number} yet: type a new label first.`, true),
    deselect: () => select(new Uint32Array(0)),
    lasso: toggleLasso,
    invert,
    accept,
  };

  function key(event) {
    const action = actionForKey(event, state.labelNames.length, state.canPredict);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    // A new action: the last one's message goes (this one may say something new).
    message("");
    KEYS[action.type](action);
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
    state.terms = parseTerms(query);
    const trimmed = query.trim();
    const n = state.hits.length;
    const count = `${n} ${n === 1 ? "text matches" : "texts match"} "${trimmed}"`;
    message(trimmed ? (andSelect ? count : `${count} · Enter selects them`) : "");
    const redraw = view.quickToDraw();
    if (!andSelect) {
      if (redraw) view.redrawSoon();
      view.showRows(); // the list marks the words
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
    request(model, REQUEST.SIMILAR, { query: trimmed, k: NEIGHBOURS });
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
      if (mode === "meaning" && (state.hits.length || state.terms.length)) searchWords("", false);
    },
    more: () => withSelection(REQUEST.NEIGHBOURS, { k: NEIGHBOURS }),
    invert,
    zoomToSelection,
    /** A legend entry's click: select the points with label `code` (0: unlabelled); `add` keeps the selection too. */
    selectLabel(code, add = false) {
      const points = withCode(state.codes, code);
      select(add ? union(state.selection, points, state.codes.length) : points);
    },
    /** Give the keys back to the picture (after Enter in a field). */
    focusPicture: () => view.focus(),
    /** The list's × : the point leaves the selection, the other rows stay. */
    deselect(index) {
      const at = performance.now();
      select(withoutIndex(state.selection, index), { at, rows: withoutIndex(state.rows, index) });
    },
    resample: () => showRows(sampleSelection(state.selection, LIST_SIZE)),
    /** A SUGGESTIONS reply from the kernel; replies to older requests are dropped. */
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
      request(model, REQUEST.PAIRS, { similar }, [state.sideA, state.selection]);
      state.sideA = new Uint32Array(0);
      view.showPlan();
    },
    startTraining: () => request(model, REQUEST.START),
    stopTraining: () => request(model, REQUEST.STOP),
    resetTraining: () => request(model, REQUEST.RESET),
    selectDoubtful: () => request(model, REQUEST.DOUBTFUL, { n: DOUBTFUL }),
    colorBy: (value) => saveColorBy(model, value),
    /** Cleanup: no more requests for suggestions. */
    destroy: () => suggester.stop(),
  };
}
