// The training row of TunerWidget and LearnerWidget: start, stop, reset, the step and
// a small live loss curve, and "select the most doubtful points" (colour by doubt is in
// the toolbar's colour menu). It builds DOM and reports clicks; actions.js decides what
// they do.

import { button } from "./dom.js";

// How many points "Select 20 doubtful" selects.
export const DOUBTFUL = 20;

/** SVG polyline points for a loss curve in a width x height box (min at the bottom). */
export function sparkline(values, width, height) {
  if (values.length < 2) return "";
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo || 1;
  return values
    .map((v, i) => {
      const x = (i / (values.length - 1)) * width;
      const y = height - ((v - lo) / span) * (height - 2) - 1;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}

/**
 * `actions`: startTraining(), stopTraining(), resetTraining(), selectDoubtful().
 * `update(state)` shows the state's step, losses, running, status and canPredict.
 */
export function createTrainingBar(parent, actions) {
  const row = document.createElement("div");
  row.className = "ew-row ew-training";
  const start = button("Start", "Train in the background: one partial_fit a step", () => actions.startTraining());
  const stop = button("Stop", "Stop after the step in progress", () => actions.stopTraining());
  const reset = button("Reset", "Forget what the model learned", () => actions.resetTraining());
  const info = document.createElement("span");
  info.className = "ew-step";
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("class", "ew-loss");
  svg.setAttribute("width", "120");
  svg.setAttribute("height", "24");
  const line = document.createElementNS(svgNS, "polyline");
  svg.appendChild(line);
  const doubtful = button(
    `Select ${DOUBTFUL} doubtful`,
    "Select the unlabelled points the model is least sure of",
    () => actions.selectDoubtful(),
  );
  row.append(start, stop, reset, info, svg, doubtful);
  parent.appendChild(row);

  function update({ running, losses, step, status, canPredict }) {
    start.disabled = running;
    stop.disabled = !running;
    const last = losses.length ? ` · loss ${losses[losses.length - 1].toPrecision(3)}` : "";
    const note = status ? ` · ${status}` : "";
    info.textContent = `${running ? "training" : "stopped"} · step ${step}${last}${note}`;
    line.setAttribute("points", sparkline(losses, 120, 24));
    doubtful.hidden = !canPredict;
  }
  return { update, element: row };
}
