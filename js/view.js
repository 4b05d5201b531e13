// The widget's parts on the page (toolbar, training row, picture, tooltip) and how the
// state shows in them. It builds DOM and draws; what a click means is in actions.js.

import { createPicture } from "./picture.js";
import { createPlot } from "./plot.js";
import { countCodes, describePlan, pairPlan } from "./selection.js";
import { createToolbar } from "./toolbar.js";
import { createTooltip } from "./tooltip.js";
import { createTrainingBar } from "./training.js";

export function createView(el, model, state, actions) {
  const root = document.createElement("div");
  root.className = "ew-root";
  root.tabIndex = 0;
  // JupyterLab leaves key presses inside this element to us (no cell shortcuts).
  root.dataset.lmSuppressShortcuts = "true";
  el.appendChild(root);

  const toolbar = createToolbar(root, actions);
  const training = model.get("_training") ? createTrainingBar(root, model) : null;

  const stage = document.createElement("div");
  stage.className = "ew-stage";
  stage.style.height = `${model.get("height")}px`;
  root.appendChild(stage);
  const tooltip = createTooltip(stage);
  let pointer = { x: 0, y: 0 };
  const plot = createPlot(stage, state.positions.length >> 1, {
    onSelect: (indices) => actions.select(indices),
    onHover: (index) => showTooltip(index),
  });
  stage.addEventListener("mousemove", (event) => {
    const box = stage.getBoundingClientRect();
    pointer = { x: event.clientX - box.left, y: event.clientY - box.top };
  });
  stage.addEventListener("mouseleave", () => tooltip.hide());
  root.addEventListener("keydown", (event) => actions.key(event));
  stage.addEventListener("pointerdown", () => root.focus({ preventScroll: true }));
  // A Shift-drag in the picture is a lasso, not the notebook's Shift-click cell selection
  // (which would swallow the mouse moves the lasso needs).
  stage.addEventListener("mousedown", (event) => event.stopPropagation());

  const picture = createPicture({ model, state, plot, stage, root });

  function showTooltip(index) {
    if (index < 0 || index >= state.texts.length) return tooltip.hide();
    const names = model.get("label_names");
    const code = state.codes[index] ?? 0;
    tooltip.show(state.texts[index], code ? names[code - 1] : "", pointer.x, pointer.y);
  }

  function showStatus() {
    const names = model.get("label_names");
    const counts = countCodes(state.codes, names.length);
    const labelled = state.codes.length - counts[0];
    toolbar.setStatus(
      `${state.selection.length} selected · ${labelled} labelled · ${model.get("n_pairs")} pairs`,
    );
    toolbar.setLabels(names, counts);
  }

  function showPlan() {
    const plan = pairPlan(state.sideA, state.selection);
    const text = state.sideA.length ? `A: ${state.sideA.length} points → ${describePlan(plan)}` : "";
    toolbar.setPlan(text, plan.count > 0);
  }

  /** The selection changed: say so everywhere; `inPicture` when the picture must follow. */
  function showSelection(inPicture) {
    if (inPicture) plot.select(state.selection);
    showStatus();
    showPlan();
  }

  function showTraining() {
    training?.update();
    const error = model.get("error");
    if (error) toolbar.setMessage(error, true);
  }

  return {
    root,
    toolbar,
    training,
    plot,
    picture,
    showStatus,
    showPlan,
    showSelection,
    showTraining,
    destroy: () => plot.destroy(),
  };
}
