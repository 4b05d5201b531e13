// What a click, a key or a button does: change the state the browser owns (selection,
// the list's rows, search hits, side A, lasso mode) or ask Python for a change (labels,
// pairs, undo, neighbours, suggestions, `data` rows, training, colours, signposts,
// projection). Requests go out through protocol.js; Python answers with new traits or
// messages, which bindings.js shows.

import { saveColorBy, saveProjection, saveSelection, saveShowTopics } from "./bindings.js";
import { colouringOf, dataColumns, legendCodes } from "./colouring.js";
import { actionForKey } from "./keys.js";
import { LIST_SIZE } from "./list.js";
import { request, REQUEST } from "./protocol.js";
import { createRowsAsker } from "./rows.js";
import { sampleSelection, withoutIndex } from "./sample.js";
import { complement, createTextSearch, union, withCode } from "./selection.js";
import { createSuggester } from "./suggest.js";
import { DOUBTFUL } from "./training.js";
import { parseTerms } from "./words.js";

// How many points "find by meaning" selects and "More like this" adds.
export const NEIGHBOURS = 20;

const SELECT_FIRST = "Select points first (click, Shift-click or lasso).";

// The most `data` rows the browser keeps (the oldest go first).
export const KEEP_ROWS = 5000;

export function createActions(model, state, view) {
  const suggester = createSuggester((id, rows) => request(model, REQUEST.SUGGEST, { id }, [rows]));
  const rowsAsker = createRowsAsker((id, rows) => request(model, REQUEST.ROWS, { id }, [rows]));
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
    askColumns("list", rows);
  }

  /**
   * Ask the kernel for the `data` columns of `indices` that the browser does not hold,
   * for `asker` ("list", "tooltip"), after `delay` ms; replaces what it asked before.
   * Nothing is asked of a widget without `data`.
   */
  function askColumns(asker, indices, delay = 0) {
    if (state.noColumns || !dataColumns(state.colorChoices).length) return;
    rowsAsker.ask(asker, Array.from(indices).filter((i) => !state.columns.has(i)), delay);
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
    /**
     * A legend entry's click: select the points with label `code` (0: unlabelled), or
     * with category `code` of the column the points are coloured by (0: missing); `add`
     * keeps the selection too.
     */
    selectLabel(code, add = false) {
      const codes = legendCodes(colouringOf(state, state.positions.n), state.codes);
      const points = withCode(codes, code);
      select(add ? union(state.selection, points, codes.length) : points);
    },
    /** Give the keys back to the picture (after Enter in a field). */
    focusPicture: () => view.focus(),
    /** The list's × : the point leaves the selection, the other rows stay. */
    deselect(index) {
      const at = performance.now();
      select(withoutIndex(state.selection, index), { at, rows: withoutIndex(state.rows, index) });
    },
    resample: () => showRows(sampleSelection(state.selection, LIST_SIZE)),
    askColumns,
    /** A ROWS reply from the kernel: the rows' columns are kept; replies to older requests are dropped. */
    receiveRows(msg) {
      const answer = rowsAsker.receive(msg);
      if (!answer) return;
      if (answer.rows.size && !Object.keys(msg.columns ?? {}).length) state.noColumns = true;
      for (const [index, columns] of answer.rows) {
        state.columns.delete(index); // kept as the newest
        state.columns.set(index, columns);
      }
      for (const index of state.columns.keys()) {
        if (state.columns.size <= KEEP_ROWS) break;
        state.columns.delete(index);
      }
      view.showColumns();
    },
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
    reviewSuspicious: () => request(model, REQUEST.SUSPICIOUS),
    reviewPairs: () => request(model, REQUEST.REVIEW_PAIRS),
    fixPairs: () => request(model, REQUEST.FIX_PAIRS),
    colorBy: (value) => saveColorBy(model, value),
    toggleTopics: () => saveShowTopics(model, !state.showTopics),
    /** Draw the picture by `how` ("pca", "umap"); the kernel answers with the next frame. */
    project(how) {
      if (how !== state.projection) saveProjection(model, how);
    },
    /** Cleanup: no more requests for suggestions or rows. */
    destroy() {
      suggester.stop();
      rowsAsker.stop();
    },
  };
}
