// The renderer's floor for bench/scatter.py: regl-scatterplot alone on a bare page,
// drawing the points the widget draws (device coordinates, a colour category and an
// opacity class a point, as the widget hands them) with no widget around it. Bundled by
// the bench with esbuild, from the project's node_modules.
import createScatterplot from "regl-scatterplot";

const fromBase64 = (text) => new Float32Array(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer);
const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
let scatterplot = null;
let next = null;

const columns = (x, y) => {
  const points = { x: fromBase64(x), y: fromBase64(y) };
  points.valueA = new Float32Array(points.x.length); // every point unlabelled
  points.valueB = new Float32Array(points.x.length).fill(1); // none dimmed by a search
  return points;
};
const options = { zDataType: "categorical", wDataType: "categorical" };

window.start = async (x, y, pointSize) => {
  const canvas = document.getElementById("canvas");
  scatterplot = createScatterplot({
    canvas, pointSize, backgroundColor: [1, 1, 1, 1], colorBy: "valueA", opacityBy: "valueB",
    opacity: [0.1, 1], pointColor: ["#bcbcbc"],
  });
  await scatterplot.draw(columns(x, y), options);
  await painted();
};
window.prepare = (x, y) => {
  next = columns(x, y);
};
window.update = async () => {
  const start = performance.now();
  await scatterplot.draw(next, options);
  await painted();
  return performance.now() - start;
};
