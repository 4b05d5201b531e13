// The traits Python owns, read into the browser's state, and what follows when one of
// them changes. All listeners are kept in one list so that cleanup detaches exactly them.

import { float32, uint16, uint32 } from "./wire.js";

/** The state the browser keeps: decoded traits plus what only the browser knows. */
export function readState(model) {
  return {
    texts: model.get("_texts") ?? [],
    positions: float32(model.get("_positions")),
    codes: uint16(model.get("_codes")),
    selection: uint32(model.get("selection")),
    hits: new Uint32Array(0),
    sideA: new Uint32Array(0),
    lasso: false,
  };
}

/** Listen to the model; returns the function that stops listening. */
export function bindTraits(model, state, view) {
  const onPositions = () => {
    const incoming = float32(model.get("_positions"));
    const animate = model.get("transition_ms") > 0 && incoming.length === state.positions.length;
    state.positions = incoming;
    view.picture.request(animate);
  };
  const onCodes = () => {
    state.codes = uint16(model.get("_codes"));
    view.showStatus();
    view.picture.request();
  };
  const onSelection = () => {
    const incoming = uint32(model.get("selection"));
    // Our own model.set comes back as a change too; only Python's changes are news.
    if (sameIndices(incoming, state.selection)) return;
    state.selection = incoming;
    view.showSelection(true);
  };
  const onColours = () => view.picture.request();
  const onMessage = (msg) => {
    if (msg?.type === "error") view.toolbar.setMessage(msg.message, true);
    else if (msg?.type === "info") view.toolbar.setMessage(msg.message, false);
  };
  const listeners = [
    ["change:_positions", onPositions],
    ["change:_codes", onCodes],
    ["change:label_names", onCodes],
    ["change:n_pairs", view.showStatus],
    ["change:selection", onSelection],
    ["msg:custom", onMessage],
  ];
  if (view.training) {
    const trainingTraits = ["step", "losses", "running", "status", "error", "can_predict", "color_by"];
    for (const name of trainingTraits) listeners.push([`change:${name}`, view.showTraining]);
    for (const name of ["_doubt", "color_by"]) listeners.push([`change:${name}`, onColours]);
  }
  for (const [event, handler] of listeners) model.on(event, handler);
  return () => {
    for (const [event, handler] of listeners) model.off(event, handler);
  };
}

function sameIndices(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
