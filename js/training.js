// The training row of TunerWidget and LearnerWidget: start, stop, reset, the step and
// a small live loss curve, and "select the most doubtful points" (colour by doubt is in
// the toolbar's colour menu); then "is it helping": the model's estimated macro-F1 with
// its interval, the learning curve (the estimate against the number of labels), and the
// reviews of what was given by hand (labels that look wrong; pairs that contradict the
// rest). It builds DOM and reports clicks; actions.js decides what they do.

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

const number = new Intl.NumberFormat("en-US");

/** The estimate in a few words: "F1 ≈ 0.78 (0.71–0.84) · 120 labels"; "" before any. */
export function estimateText(estimate) {
  if (!estimate || !Number.isFinite(estimate.macro_f1)) return "";
  const f = (value) => value.toFixed(2);
  const labels = `${number.format(estimate.labels)} label${estimate.labels === 1 ? "" : "s"}`;
  return `F1 ≈ ${f(estimate.macro_f1)} (${f(estimate.low)}–${f(estimate.high)}) · ${labels}`;
}

/**
 * The learning curve in a width x height box: `curve` rows [labels, f1, low, high], fewest
 * labels first. Returns {line, band}: SVG points of the estimate and of its interval (a
 * closed polygon: the highs left to right, the lows back), on a 0..1 scale of F1 so its
 * height reads the same in every widget; "" for both with fewer than two rows.
 */
export function learningCurve(curve, width, height) {
  if (curve.length < 2) return { line: "", band: "" };
  const first = curve[0][0];
  const span = curve[curve.length - 1][0] - first || 1;
  const x = (labels) => (((labels - first) / span) * width).toFixed(1);
  const y = (f1) => (height - Math.min(1, Math.max(0, f1)) * (height - 2) - 1).toFixed(1);
  const line = curve.map(([labels, f1]) => `${x(labels)},${y(f1)}`).join(" ");
  const highs = curve.map(([labels, , , high]) => `${x(labels)},${y(high)}`);
  const lows = curve.map(([labels, , low]) => `${x(labels)},${y(low)}`).reverse();
  return { line, band: [...highs, ...lows].join(" ") };
}

/**
 * `actions`: startTraining(), stopTraining(), resetTraining(), selectDoubtful(),
 * reviewSuspicious(), reviewPairs(), fixPairs().
 * `update(state)` shows the state's step, losses, running, status, canPredict, canPair,
 * estimate, learningCurve and pairReview (pairs listed for fixing).
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
  const suspicious = button(
    "Review suspicious",
    "Select the labels the model believes are wrong: the list shows each beside its suggestion, Accept relabels them",
    () => actions.reviewSuspicious(),
  );
  const reviewPairs = button(
    "Review pairs",
    "Select the points of the pairs that contradict the pairs around them",
    () => actions.reviewPairs(),
  );
  const fixPairs = button("Fix pairs", "Turn the pairs under review the other way, in one undoable action", () =>
    actions.fixPairs(),
  );
  row.append(start, stop, reset, info, svg, doubtful, suspicious, reviewPairs, fixPairs);

  // "Is it helping": the estimate and its learning curve, in a row of their own.
  const helping = document.createElement("div");
  helping.className = "ew-row ew-helping";
  const estimate = document.createElement("span");
  estimate.className = "ew-estimate";
  const curveSvg = document.createElementNS(svgNS, "svg");
  curveSvg.setAttribute("class", "ew-curve");
  curveSvg.setAttribute("width", "120");
  curveSvg.setAttribute("height", "24");
  const band = document.createElementNS(svgNS, "polygon");
  const curveLine = document.createElementNS(svgNS, "polyline");
  curveSvg.append(band, curveLine);
  const hint = document.createElement("span");
  hint.className = "ew-hint";
  helping.append(estimate, curveSvg, hint);
  parent.append(row, helping);

  function update({ running, losses, step, status, canPredict, canPair, estimate: e, learningCurve: curve, pairReview }) {
    start.disabled = running;
    stop.disabled = !running;
    const last = losses.length ? ` · loss ${losses[losses.length - 1].toPrecision(3)}` : "";
    const note = status ? ` · ${status}` : "";
    info.textContent = `${running ? "training" : "stopped"} · step ${step}${last}${note}`;
    line.setAttribute("points", sparkline(losses, 120, 24));
    doubtful.hidden = !canPredict;
    suspicious.hidden = !canPredict;
    reviewPairs.hidden = !canPair;
    fixPairs.hidden = !canPair;
    fixPairs.disabled = !pairReview;
    const text = estimateText(e);
    helping.hidden = !text;
    estimate.textContent = text ? `estimated ${text}` : "";
    estimate.title = text
      ? "The model's expected macro-F1 on the points it has not seen, from the labels alone, with a 90% interval"
      : "";
    const drawn = learningCurve(curve ?? [], 120, 24);
    curveSvg.setAttribute("visibility", drawn.line ? "visible" : "hidden");
    curveSvg.dataset.points = String((curve ?? []).length);
    curveLine.setAttribute("points", drawn.line);
    band.setAttribute("points", drawn.band);
    hint.textContent = e?.hint ?? "";
  }
  return { update, element: row };
}
