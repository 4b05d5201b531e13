// The renderer's floor for bench/scatter.py: regl-scatterplot alone on a bare page,
// drawing points handed to it as the device coordinates it wants, with no widget around
// it. Bundled by the bench with esbuild, from the project's node_modules.
import createScatterplot from "regl-scatterplot";

const fromBase64 = (text) => new Float32Array(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer);
const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
let scatterplot = null;
let next = null;

window.start = async (x, y, pointSize) => {
  const canvas = document.getElementById("canvas");
  scatterplot = createScatterplot({ canvas, pointSize, backgroundColor: [1, 1, 1, 1] });
  await scatterplot.draw({ x: fromBase64(x), y: fromBase64(y) });
  await painted();
};
window.prepare = (x, y) => {
  next = { x: fromBase64(x), y: fromBase64(y) };
};
window.update = async () => {
  const start = performance.now();
  await scatterplot.draw(next);
  await painted();
  return performance.now() - start;
};
