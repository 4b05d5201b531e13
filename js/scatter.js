// EmbeddingScatter's browser side (anywidget). State comes from traits; label, pair and
// undo requests go to Python as messages, and the picture changes only when Python
// answers with new traits, so what is shown has been stored.

import "./style.css";
import { actionForKey } from "./keys.js";
import { createPlot } from "./plot.js";
import { countCodes, describePlan, highlightMask, pairPlan, searchTexts } from "./selection.js";
import { createToolbar } from "./toolbar.js";
import { createTooltip } from "./tooltip.js";
import { DOUBT_PALETTE, doubtBins } from "./palettes.js";
import { createTrainingBar } from "./training.js";
import {
  boundsOf,
  encodeIndices,
  float32,
  toDeviceCoordinates,
  uint8,
  uint16,
  uint32,
} from "./wire.js";

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "ew-root";
  root.tabIndex = 0;
  // JupyterLab leaves key presses inside this element to us (no cell shortcuts).
  root.dataset.lmSuppressShortcuts = "true";
  el.appendChild(root);

  const texts = model.get("_texts") ?? [];
  let positions = float32(model.get("_positions"));
  let codes = uint16(model.get("_codes"));
  let selection = uint32(model.get("selection"));
  let hits = new Uint32Array(0);
  let sideA = new Uint32Array(0);
  let lasso = false;
  let pointer = { x: 0, y: 0 };

  const toolbar = createToolbar(root, {
    search: (query, select) => {
      hits = searchTexts(texts, query);
      toolbar.setMessage(query.trim() ? `${hits.length} texts match "${query.trim()}"` : "");
      redraw();
      if (select) setSelection(hits, true);
    },
    toggleLasso: () => toggleLasso(),
    undo: () => model.send({ action: "undo" }),
    resetView: () => plot.resetView(),
    label: (code) => sendLabel({ code }),
    labelNew: (label) => sendLabel({ label }),
    setSideA: () => {
      sideA = selection.slice();
      updatePlan();
    },
    pairs: (similar) => {
      if (!sideA.length || !selection.length) return;
      model.send({ action: "pairs", similar }, undefined, [
        encodeIndices(sideA),
        encodeIndices(selection),
      ]);
      sideA = new Uint32Array(0);
      updatePlan();
    },
  });

  const training = model.get("_training") ? createTrainingBar(root, model) : null;

  const stage = document.createElement("div");
  stage.className = "ew-stage";
  stage.style.height = `${model.get("height")}px`;
  root.appendChild(stage);
  const tooltip = createTooltip(stage);
  const plot = createPlot(stage, positions.length >> 1, {
    onSelect: (indices) => setSelection(indices, false),
    onHover: (index) => {
      if (index < 0 || index >= texts.length) return tooltip.hide();
      const names = model.get("label_names");
      const code = codes[index] ?? 0;
      tooltip.show(texts[index], code ? names[code - 1] : "", pointer.x, pointer.y);
    },
  });
  stage.addEventListener("mousemove", (event) => {
    const box = stage.getBoundingClientRect();
    pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
  });
  stage.addEventListener("mouseleave", () => tooltip.hide());

  function toggleLasso() {
    lasso = !lasso;
    plot.setLasso(lasso);
    toolbar.setLasso(lasso);
  }

  function sendLabel(content) {
    if (!selection.length) {
      toolbar.setMessage("Select points first (click, Shift-click or lasso).", true);
      return;
    }
    model.send({ action: "label", ...content }, undefined, [encodeIndices(selection)]);
  }

  function setSelection(indices, fromUs) {
    selection = indices;
    if (fromUs) plot.select(selection);
    model.set("selection", encodeIndices(selection));
    model.save_changes();
    updateStatus();
    updatePlan();
  }

  function updateStatus() {
    const names = model.get("label_names");
    const counts = countCodes(codes, names.length);
    const labelled = codes.length - counts[0];
    toolbar.setStatus(
      `${selection.length} selected · ${labelled} labelled · ${model.get("n_pairs")} pairs`,
    );
    toolbar.setLabels(names, counts);
  }

  function updatePlan() {
    const plan = pairPlan(sideA, selection);
    const text = sideA.length ? `A: ${sideA.length} points → ${describePlan(plan)}` : "";
    toolbar.setPlan(text, plan.count > 0);
  }

  let frames = 0;
  function redraw(transition = false) {
    const bounds = model.get("_bounds")?.length === 4 ? model.get("_bounds") : boundsOf(positions);
    const aspect = stage.clientHeight ? stage.clientWidth / stage.clientHeight : 1;
    const { x, y } = toDeviceCoordinates(positions, bounds, aspect);
    const doubt = model.get("color_by") === "doubt" ? uint8(model.get("_doubt")) : null;
    const byDoubt = doubt !== null && doubt.length === x.length;
    const valueA = byDoubt ? doubtBins(doubt) : Float32Array.from(codes);
    const valueB = highlightMask(x.length, hits.length ? hits : null);
    if (byDoubt) plot.setPalette(DOUBT_PALETTE);
    else plot.setColors(model.get("label_names").length);
    const drawn = plot.draw(
      { x, y, valueA, valueB },
      { transition, transitionDuration: model.get("transition_ms"), select: Array.from(selection) },
    );
    drawn.then((ms) => {
      if (Number.isNaN(ms)) return;
      frames += 1;
      root.dataset.frames = String(frames);
      root.dataset.drawMs = ms.toFixed(1);
    });
    return drawn;
  }

  const onKey = (event) => {
    const action = actionForKey(event, model.get("label_names").length);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    if (action.type === "undo") model.send({ action: "undo" });
    else if (action.type === "label") sendLabel({ code: action.index });
    else if (action.type === "deselect") setSelection(new Uint32Array(0), true);
    else if (action.type === "lasso") toggleLasso();
  };
  root.addEventListener("keydown", onKey);
  stage.addEventListener("pointerdown", () => root.focus({ preventScroll: true }));
  // A Shift-drag in the picture is a lasso, not the notebook's Shift-click cell selection
  // (which would swallow the mouse moves the lasso needs).
  stage.addEventListener("mousedown", (event) => event.stopPropagation());

  // One update from Python changes several traits at once (codes, names, positions...);
  // draw once for all of them. regl-scatterplot ignores clicks while it draws, so fewer
  // draws also means fewer lost clicks.
  let pending = null;
  function requestRedraw(transition = false) {
    if (pending) {
      pending.transition ||= transition;
      return;
    }
    pending = { transition };
    queueMicrotask(() => {
      const { transition: animate } = pending;
      pending = null;
      redraw(animate);
    });
  }

  const onPositions = () => {
    const animate = model.get("transition_ms") > 0;
    const transition = animate && float32(model.get("_positions")).length === positions.length;
    positions = float32(model.get("_positions"));
    requestRedraw(transition);
  };
  const onCodes = () => {
    codes = uint16(model.get("_codes"));
    updateStatus();
    requestRedraw();
  };
  const onSelection = () => {
    const incoming = uint32(model.get("selection"));
    if (sameIndices(incoming, selection)) return;
    selection = incoming;
    plot.select(selection);
    updateStatus();
    updatePlan();
  };
  const onTraining = () => {
    training?.update();
    const error = model.get("error");
    if (error) toolbar.setMessage(error, true);
  };
  const onColours = () => requestRedraw();
  const onMessage = (msg) => {
    if (msg?.type === "error") toolbar.setMessage(msg.message, true);
    else if (msg?.type === "info") toolbar.setMessage(msg.message, false);
  };
  const listeners = [
    ["change:_positions", onPositions],
    ["change:_codes", onCodes],
    ["change:label_names", onCodes],
    ["change:n_pairs", updateStatus],
    ["change:selection", onSelection],
    ["msg:custom", onMessage],
  ];
  if (training) {
    const trainingTraits = ["step", "losses", "running", "status", "error", "can_predict", "color_by"];
    for (const name of trainingTraits) listeners.push([`change:${name}`, onTraining]);
    for (const name of ["_doubt", "color_by"]) listeners.push([`change:${name}`, onColours]);
  }
  for (const [event, handler] of listeners) model.on(event, handler);

  updateStatus();
  updatePlan();
  redraw();

  return () => {
    for (const [event, handler] of listeners) model.off(event, handler);
    plot.destroy();
  };
}

function sameIndices(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export default { render };
