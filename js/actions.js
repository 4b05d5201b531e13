// What a click, a key or a toolbar button does: change the state the browser owns
// (selection, search hits, side A, lasso mode) or ask Python for a change (labels, pairs,
// undo). Python answers with new traits; bindings.js shows them.

import { actionForKey } from "./keys.js";
import { searchTexts } from "./selection.js";
import { encodeIndices } from "./wire.js";

export function createActions(model, state, view) {
  function select(indices, inPicture = false) {
    state.selection = indices;
    model.set("selection", encodeIndices(indices));
    model.save_changes();
    view.showSelection(inPicture);
  }

  function sendLabel(content) {
    if (!state.selection.length) {
      view.toolbar.setMessage("Select points first (click, Shift-click or lasso).", true);
      return;
    }
    model.send({ action: "label", ...content }, undefined, [encodeIndices(state.selection)]);
  }

  function toggleLasso() {
    state.lasso = !state.lasso;
    view.plot.setLasso(state.lasso);
    view.toolbar.setLasso(state.lasso);
  }

  const undo = () => model.send({ action: "undo" });

  function key(event) {
    const action = actionForKey(event, model.get("label_names").length);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    if (action.type === "undo") undo();
    else if (action.type === "label") sendLabel({ code: action.index });
    else if (action.type === "deselect") select(new Uint32Array(0), true);
    else if (action.type === "lasso") toggleLasso();
  }

  return {
    select,
    key,
    undo,
    toggleLasso,
    search(query, andSelect) {
      state.hits = searchTexts(state.texts, query);
      const trimmed = query.trim();
      view.toolbar.setMessage(trimmed ? `${state.hits.length} texts match "${trimmed}"` : "");
      view.picture.draw(false);
      if (andSelect) select(state.hits, true);
    },
    resetView: () => view.plot.resetView(),
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
  };
}
