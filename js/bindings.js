// The traits Python owns, read into the browser's state, and what follows when one of
// them changes. All listeners are kept in one list so that cleanup detaches exactly them.

import { decodeCodes, decodePositions, uint32 } from "./wire.js";

/** The state the browser keeps: decoded traits plus what only the browser knows. */
export function readState(model) {
  return {
    texts: model.get("_texts") ?? [],
    positions: decodePositions(model.get("_positions")),
    startPositions: decodePositions(model.get("_start_positions")), // the compare view's left picture
    codes: decodeCodes(model.get("_codes"), (model.get("label_names") ?? []).length),
    selection: uint32(model.get("selection")),
    hits: new Uint32Array(0),
    sideA: new Uint32Array(0),
    lasso: false,
    searchMode: "words",
    rows: new Uint32Array(0), // the selected points the list shows
    suggestions: new Map(), // point index -> {label, confidence}, from the kernel
  };
}

/** Listen to the model; returns the function that stops listening. */
export function bindTraits(model, state, view, actions) {
  const onPositions = () => {
    const incoming = decodePositions(model.get("_positions"));
    const animate = model.get("transition_ms") > 0 && incoming.n === state.positions.n;
    state.positions = incoming;
    view.picture.request(animate);
    // A new frame of a training widget is a new model: its suggestions may have changed.
    if (view.training) actions.suggest();
  };
  const onCodes = () => {
    state.codes = decodeCodes(model.get("_codes"), model.get("label_names").length);
    view.showStatus();
    view.showRows();
    view.redraw();
  };
  const onSelection = () => {
    const at = performance.now();
    const incoming = uint32(model.get("selection"));
    // Our own model.set comes back as a change too; only Python's changes are news.
    if (sameIndices(incoming, state.selection)) return;
    state.selection = incoming;
    actions.follow({ at });
  };
  const onPrediction = () => {
    view.showTraining();
    view.showRows();
    actions.suggest();
  };
  const onColours = () => view.redraw();
  const onMessage = (msg) => {
    if (msg?.type === "error") view.toolbar.setMessage(msg.message, true);
    else if (msg?.type === "info") view.toolbar.setMessage(msg.message, false);
    else if (msg?.type === "suggestions") actions.receiveSuggestions(msg);
  };
  const listeners = [
    ["change:_positions", onPositions],
    ["change:_codes", onCodes],
    ["change:label_names", onCodes],
    ["change:n_pairs", view.showStatus],
    ["change:selection", onSelection],
    ["change:can_predict", onPrediction],
    ["change:can_search_similar", view.showSearchModes],
    ["msg:custom", onMessage],
  ];
  if (view.training) {
    const trainingTraits = ["step", "losses", "running", "status", "error", "color_by"];
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
