// The training row of TunerWidget and LearnerWidget: start, stop, reset, the step and
// a small live loss curve, colour by doubt, and "select the most doubtful points".

import { button } from "./toolbar.js";

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

export function createTrainingBar(parent, model) {
  const row = document.createElement("div");
  row.className = "ew-row ew-training";
  const send = (action, extra = {}) => model.send({ action, ...extra });
  const start = button("Start", "Train in the background: one partial_fit a step", () => send("start"));
  const stop = button("Stop", "Stop after the step in progress", () => send("stop"));
  const reset = button("Reset", "Forget what the model learned", () => send("reset"));
  const info = document.createElement("span");
  info.className = "ew-step";
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("class", "ew-loss");
  svg.setAttribute("width", "120");
  svg.setAttribute("height", "24");
  const line = document.createElementNS(svgNS, "polyline");
  svg.appendChild(line);
  const colour = document.createElement("select");
  colour.className = "ew-colour";
  colour.title = "Colour the points by their label or by the model's doubt";
  for (const [value, text] of [["label", "colour: labels"], ["doubt", "colour: doubt"]]) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = text;
    colour.appendChild(option);
  }
  colour.addEventListener("change", () => {
    model.set("color_by", colour.value);
    model.save_changes();
  });
  const doubtful = button("Select 20 doubtful", "Select the unlabelled points the model is least sure of", () =>
    send("doubtful", { n: 20 }),
  );
  row.append(start, stop, reset, info, svg, colour, doubtful);
  parent.appendChild(row);

  function update() {
    const running = model.get("running");
    start.disabled = running;
    stop.disabled = !running;
    const losses = model.get("losses") ?? [];
    const last = losses.length ? ` · loss ${losses[losses.length - 1].toPrecision(3)}` : "";
    const status = model.get("status") ? ` · ${model.get("status")}` : "";
    info.textContent = `${running ? "training" : "stopped"} · step ${model.get("step")}${last}${status}`;
    line.setAttribute("points", sparkline(losses, 120, 24));
    const canPredict = model.get("can_predict");
    colour.hidden = doubtful.hidden = !canPredict;
    colour.value = model.get("color_by");
  }
  update();
  return { update, element: row };
}
