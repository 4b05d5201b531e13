// The widget's model, in one module: the traits Python owns, read into the browser's
// state (the other modules read the state, never the model), what follows when one of
// them changes, the traits the browser writes, and the kernel's messages. All
// listeners are kept in one list so that cleanup detaches exactly them.

import { REPLY, replyListener } from "./protocol.js";
import { decodeCodes, decodeColors, decodePositions, encodeIndices, uint8, uint32 } from "./wire.js";

/** What is fixed once the widget is made: the training row, the compare view, the height. */
export function readSettings(model) {
  return {
    training: Boolean(model.get("_training")),
    compare: Boolean(model.get("compare")),
    height: model.get("height"),
  };
}

// Each trait the browser reads: its name in the state, and its value there (bytes
// decoded by wire.js; a default where a widget has no such trait). `label_names` comes
// before `_codes`, whose width depends on it.
const TRAITS = {
  _texts: ["texts", (texts) => texts ?? []],
  _positions: ["positions", decodePositions],
  _bounds: ["bounds", (bounds) => bounds ?? []], // the live picture's view bounds
  _start_positions: ["startPositions", decodePositions], // the compare view's left picture
  _start_bounds: ["startBounds", (bounds) => bounds ?? []],
  transition_ms: ["transitionMs", (ms) => ms ?? 0],
  label_names: ["labelNames", (names) => names ?? []],
  _codes: ["codes", (codes, state) => decodeCodes(codes, state.labelNames.length)],
  n_pairs: ["nPairs", (n) => n ?? 0],
  selection: ["selection", uint32],
  can_predict: ["canPredict", Boolean],
  can_search_similar: ["canSearchSimilar", Boolean],
  // Whether the model trains on pairs (the pair maker shows); a widget without the trait
  // offers pairs, as every widget did before it.
  can_pair: ["canPair", (can) => can ?? true],
  // How the picture is drawn from the embedding: "pca", "umap", or "none" (a 2-D X as
  // given); null where the widget has no such trait (drawn by PCA, not switchable).
  projection: ["projection", (how) => how ?? null],
  // Why the picture is not (yet) that projection ("PCA while the UMAP map is computed"),
  // shown in the caption; "" when it is.
  _projection_note: ["projectionNote", (note) => note ?? ""],
  // Colour by "label", "doubt" or a column of `data`: the names it takes, then the column's
  // legend ({kind: "categories", names} or {kind: "scale", low, high}) before its bytes,
  // whose width depends on it.
  color_by: ["colorBy", (by) => by ?? "label"],
  _color_choices: ["colorChoices", (choices) => choices ?? null],
  _color_legend: ["colorLegend", (legend) => legend ?? {}],
  _colors: ["colors", (colors, state) => decodeColors(colors, state.colorLegend)],
  // The signposts: whether they show, and the regions with their words.
  show_topics: ["showTopics", Boolean],
  _topics: ["topics", (topics) => topics ?? []],
  // The training widgets' own.
  step: ["step", (step) => step ?? 0],
  losses: ["losses", (losses) => losses ?? []],
  running: ["running", Boolean],
  status: ["status", (status) => status ?? ""], // what training waits for, or holds back
  error: ["error", (error) => error ?? ""], // why training stopped
  _doubt: ["doubt", uint8],
  // Is it helping: the estimate ({macro_f1, low, high, labels, hint}), the learning curve
  // ([labels, f1, low, high] rows) and whether pairs are under review (LearnerWidget).
  _estimate: ["estimate", (estimate) => estimate ?? {}],
  _learning_curve: ["learningCurve", (curve) => curve ?? []],
  _pair_review: ["pairReview", (n) => n ?? 0],
};

function read(model, state, name) {
  const [field, value] = TRAITS[name];
  state[field] = value(model.get(name), state);
}

/** The state the browser keeps: the traits, read, plus what only the browser knows. */
export function readState(model) {
  const state = {
    hits: new Uint32Array(0), // the search's matches
    terms: [], // the words searched for (lowercase), marked in the list
    sideA: new Uint32Array(0),
    lasso: false,
    searchMode: "words",
    rows: new Uint32Array(0), // the selected points the list shows
    suggestions: new Map(), // point index -> {label, confidence}, from the kernel
    columns: new Map(), // point index -> [[column, text], ...]: its `data` row, from the kernel
    noColumns: false, // the kernel said it has no `data`
  };
  for (const name of Object.keys(TRAITS)) read(model, state, name);
  return state;
}

/** Tell Python of a selection made in the browser (uint32 bytes). */
export function saveSelection(model, indices) {
  save(model, "selection", encodeIndices(indices));
}

/** Colour the points by "label", "doubt" or a column (Python sends what it needs). */
export function saveColorBy(model, value) {
  save(model, "color_by", value);
}

/** Show or hide the signposts (Python names the regions when they show). */
export function saveShowTopics(model, on) {
  save(model, "show_topics", on);
}

/** Draw the picture by "pca" or "umap" (Python draws the next frame so). */
export function saveProjection(model, how) {
  save(model, "projection", how);
}

function save(model, name, value) {
  model.set(name, value);
  model.save_changes();
}

/** Listen to the model; returns the function that stops listening. */
export function bindTraits(model, state, view, actions) {
  const update = (...names) => names.forEach((name) => read(model, state, name));
  // One error policy: an error shows as the toolbar's message in its error style, the
  // same whether a request failed or training stopped, until the next message replaces it.
  const showError = (text) => view.showMessage(text, true);

  const onPositions = () => {
    const before = state.positions.n;
    update("_positions");
    view.picture.request(state.transitionMs > 0 && state.positions.n === before);
    // A new frame of a training widget is a new model: its suggestions may have changed.
    if (view.training) actions.suggest();
  };
  const onCodes = () => {
    update("label_names", "_codes");
    view.showStatus();
    view.showRows();
    view.redraw();
  };
  const onPairs = () => {
    update("n_pairs");
    view.showStatus();
  };
  const onSelection = () => {
    const at = performance.now();
    const incoming = uint32(model.get("selection"));
    // Our own saveSelection comes back as a change too; only Python's changes are news.
    if (sameIndices(incoming, state.selection)) return;
    state.selection = incoming;
    actions.follow({ at });
  };
  const onPrediction = () => {
    update("can_predict");
    view.showTraining();
    view.showColours();
    view.showRows();
    actions.suggest();
  };
  const onSearchModes = () => {
    update("can_search_similar");
    view.showSearchModes();
  };
  const onPairing = () => {
    update("can_pair");
    view.showPairs();
    view.showTraining();
  };
  const onProjection = () => {
    update("projection", "_projection_note");
    view.showCaption();
    view.showProjection();
  };
  const onTraining = () => {
    const { step, running } = state;
    update("step", "losses", "running", "status", "error", "_estimate", "_learning_curve", "_pair_review");
    // Training started or went on: an error shown before ("Train first") is over, unless
    // training itself stopped on one.
    if ((state.step !== step || (state.running && !running)) && !state.error) view.clearError();
    view.showTraining();
  };
  const onColours = () => {
    update("color_by", "_color_choices", "_color_legend", "_colors", "_doubt");
    view.showColours();
    view.showStatus();
    view.redraw();
  };
  const onTopics = () => {
    update("show_topics", "_topics");
    view.showTopics();
  };
  const onError = () => {
    update("error");
    if (state.error) showError(state.error);
  };
  const onReply = replyListener({
    [REPLY.INFO]: ({ message }) => view.showMessage(message),
    [REPLY.ERROR]: ({ message }) => showError(message),
    [REPLY.SUGGESTIONS]: (message) => actions.receiveSuggestions(message),
    [REPLY.ROWS]: (message) => actions.receiveRows(message),
  });

  const listeners = [
    ["change:_positions", onPositions],
    ["change:_bounds", () => update("_bounds")],
    ["change:transition_ms", () => update("transition_ms")],
    ["change:_codes", onCodes],
    ["change:label_names", onCodes],
    ["change:n_pairs", onPairs],
    ["change:selection", onSelection],
    ["change:can_predict", onPrediction],
    ["change:can_search_similar", onSearchModes],
    ["change:can_pair", onPairing],
    ["change:projection", onProjection],
    ["change:_projection_note", onProjection],
    ["msg:custom", onReply],
  ];
  for (const name of ["color_by", "_color_choices", "_color_legend", "_colors", "_doubt"]) {
    listeners.push([`change:${name}`, onColours]);
  }
  for (const name of ["show_topics", "_topics"]) listeners.push([`change:${name}`, onTopics]);
  if (view.training) {
    for (const name of ["step", "losses", "running", "status", "_estimate", "_learning_curve", "_pair_review"]) {
      listeners.push([`change:${name}`, onTraining]);
    }
    listeners.push(["change:error", onError]);
  }
  for (const [event, handler] of listeners) model.on(event, handler);
  if (state.error) showError(state.error);
  return () => {
    for (const [event, handler] of listeners) model.off(event, handler);
  };
}

function sameIndices(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
