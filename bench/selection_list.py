"""The selection list's cost in headless Chromium: from a selection to the list drawn.

    .venv/bin/python bench/selection_list.py [--n 100000] [--selected 100 10000 100000]

The widget's bundle (embedwidget/static) runs in a page with a stand-in for the widget
model, holding n points with a text each. For each size of selection, two ways in:

- set: the selection trait changes, as when Python (or a search) sets it;
- lasso: a Shift-drag lasso around a group of exactly that many points, timed from the
  mouse button's release, so regl-scatterplot's own lasso work is counted too.

Each is timed until the list is drawn and painted (``root.dataset.listMs`` appears
again, then two animation frames); the JS's own ``listMs`` is shown beside. The baseline,
in the same page: one redraw of the picture with that selection (``frame ms``: new
positions, as every training step sends). Medians of ``--repeats``; a ratio under 1 means
a selection, list and all, costs the page less than one frame of the picture.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # the Chromium driver
import widget_page  # noqa: E402
from browser.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from embedwidget.widgets.serializers import positions_to_bytes  # noqa: E402

WIDTH, HEIGHT = 900, 600  # the picture, in CSS pixels

SCRIPT = """const root = () => document.querySelector(".ew-root");
const until = async (ok) => { while (!ok()) await new Promise((r) => setTimeout(r, 1)); };
const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
const listDrawn = async () => {
  await until(() => root().dataset.listMs !== undefined);
  await painted();
};
const indices = (start, stop) => {
  const a = new Uint32Array(stop - start);
  for (let i = 0; i < a.length; i++) a[i] = start + i;
  return new DataView(a.buffer);
};
window.start = async (positions, texts) => {
  const n = texts.length;
  Object.assign(state, {
    _texts: texts,
    _positions: new DataView(Uint8Array.from(atob(positions), (c) => c.charCodeAt(0)).buffer),
    _bounds: [-1, 1, -1, 1], _codes: new DataView(new Uint8Array(n).buffer),
    label_names: [], n_pairs: 0, selection: new DataView(new ArrayBuffer(0)),
    height: %(height)d, transition_ms: 0, can_search_similar: false, can_predict: false,
  });
  widget.render({ model: window.model, el: document.getElementById("out") });
  await until(() => Number(root()?.dataset.frames ?? 0) >= 1);
  await painted();
};
// Empty the selection and wait for the list to follow, so the next change is news (the
// widget ignores a "change" to the selection it already has).
window.clear = async () => {
  if (!state.selection.byteLength) return;
  delete root().dataset.listMs;
  window.model.set("selection", new DataView(new ArrayBuffer(0)));
  await listDrawn();
};
window.viaSet = async (start, stop) => {
  await window.clear();
  const buffer = indices(start, stop);  // made before the clock starts, as a kernel's would be
  delete root().dataset.listMs;
  const t0 = performance.now();
  window.model.set("selection", buffer);
  await listDrawn();
  return [performance.now() - t0, Number(root().dataset.listMs), Number(root().dataset.listRows)];
};
// One redraw of the picture with the selection as it is, as a training frame makes.
window.frame = async () => {
  const before = Number(root().dataset.frames);
  const t0 = performance.now();
  window.model.set("_positions", state._positions);
  await until(() => Number(root().dataset.frames) > before);
  await painted();
  return performance.now() - t0;
};
// The lasso: the bench drags; this times from the button's release to the list drawn.
window.armLasso = async () => {
  await window.clear();
  delete root().dataset.listMs;
  const once = { capture: true, once: true };
  window.released = new Promise((resolve) =>
    window.addEventListener("mouseup", () => resolve(performance.now()), once));
};
window.lassoDone = async () => {
  const t0 = await window.released;
  await listDrawn();
  return [performance.now() - t0, Number(root().dataset.listMs), Number(root().dataset.listRows)];
};
"""


def layout(n, sizes, seed=0):
    """Positions (interleaved x, y in [-1, 1]) where the points of each selection size
    form one tight group in a lasso's reach, and the texts. Group k holds points
    ``[sum(sizes[:k]), sum(sizes[:k + 1]))``; the largest size (all n) is the whole picture."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(-0.9, 0.9, size=(n, 2))
    groups = [size for size in sorted(sizes) if size < n]
    centres = np.linspace(-0.6, 0.6, max(len(groups), 1))
    start = 0
    spans = {}
    for size, cx in zip(groups, centres, strict=False):
        xy[start : start + size] = [cx, 0.6] + rng.normal(scale=0.01, size=(size, 2))
        spans[size] = (start, start + size, (cx, 0.6))
        start += size
    # Keep every other point away from the groups' row, so a lasso takes one group only.
    rest = xy[start:]
    rest[:, 1] = np.where(np.abs(rest[:, 1] - 0.6) < 0.15, rest[:, 1] - 0.4, rest[:, 1])
    texts = [f"review {i}: the taste, the price and the delivery, in a sentence" for i in range(n)]
    return xy.astype(np.float32).ravel().tolist(), texts, spans


def screen_of(box, xy):
    """Screen pixel of data point ``xy`` (bounds [-1, 1] both ways, as start() sets)."""
    scale = 0.95 * min(box["width"] / box["height"], 1.0)
    return (
        box["x"] + box["width"] / 2 + xy[0] * scale * box["height"] / 2,
        box["y"] + box["height"] / 2 - xy[1] * scale * box["height"] / 2,
    )


def drag_square(page, cx, cy, r, after_side=None):
    """A Shift-drag square lasso of half-side ``r`` pixels around (cx, cy);
    ``after_side()``, when given, runs after each side is drawn."""
    corners = [(cx - r, cy - r), (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)]
    page.keyboard.down("Shift")
    page.mouse.move(*corners[0])
    page.mouse.down()
    for corner in [*corners[1:], corners[0]]:
        page.mouse.move(*corner, steps=8)
        if after_side is not None:
            after_side()
    page.mouse.up()
    page.keyboard.up("Shift")


def measure(n, sizes, repeats):
    """{size: (set ms, JS listMs, rows shown, lasso ms, points lassoed, frame ms)},
    medians over ``repeats``."""
    from playwright.sync_api import sync_playwright

    positions, texts, spans = layout(n, sizes)
    with widget_page.site({"index.html": widget_page.page(SCRIPT, WIDTH, HEIGHT)}) as (_, url):
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH + 40, "height": HEIGHT + 400})
            page.set_default_timeout(120_000)
            page.goto(f"{url}/index.html")
            wire = base64.b64encode(positions_to_bytes(np.asarray(positions).reshape(-1, 2)))
            page.evaluate("([p, t]) => window.start(p, t)", [wire.decode(), texts])
            box = page.locator("canvas.ew-canvas").bounding_box()
            results = {}
            for size in sorted(sizes):
                start, stop, centre = spans.get(size, (0, n, (0.0, 0.0)))
                page.evaluate("([a, b]) => window.viaSet(a, b)", [start, stop])  # warm up
                sets = [
                    page.evaluate("([a, b]) => window.viaSet(a, b)", [start, stop])
                    for _ in range(repeats)
                ]
                frames = [page.evaluate("() => window.frame()") for _ in range(repeats)]
                r = 0.47 * box["height"] if size >= n else 0.03 * box["height"]
                lassos = []
                for _ in range(repeats):
                    page.evaluate("() => window.armLasso()")
                    drag_square(page, *screen_of(box, centre), r)
                    lassos.append(page.evaluate("() => window.lassoDone()"))
                rows = {int(s[2]) for s in sets} | {int(s[2]) for s in lassos}
                results[size] = (
                    statistics.median(s[0] for s in sets),
                    statistics.median(s[1] for s in sets),
                    rows,
                    statistics.median(s[0] for s in lassos),
                    _selected(page),
                    statistics.median(frames),
                )
            browser.close()
    return results


def _selected(page):
    """How many points the widget's status says are selected now (after the last lasso)."""
    status = page.locator(".ew-status").text_content()
    return int(status.split(" selected")[0].replace(",", "").split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--selected", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if max(args.selected) > args.n or sum(s for s in args.selected if s < args.n) > args.n:
        parser.error("the selections (other than all n) must fit into n points together")
    results = measure(args.n, args.selected, args.repeats)
    print(
        f"Headless Chromium (SwiftShader), {args.n:,} points, median of {args.repeats}:"
        " from a selection to its list drawn and painted"
    )
    print(
        f"  {'selected':>9} {'lassoed':>9} {'rows':>5} {'JS listMs':>10} {'set ms':>8}"
        f" {'lasso ms':>9} {'frame ms':>9} {'set/frame':>10} {'lasso/frame':>12}"
    )
    for size in sorted(args.selected):
        set_ms, list_ms, rows, lasso_ms, lassoed, frame_ms = results[size]
        print(
            f"  {size:>9,} {lassoed:>9,} {'/'.join(map(str, sorted(rows))):>5} {list_ms:10.1f}"
            f" {set_ms:8.1f} {lasso_ms:9.1f} {frame_ms:9.1f} {set_ms / frame_ms:10.2f}"
            f" {lasso_ms / frame_ms:12.2f}"
        )
    print(
        "  JS listMs: the widget's own count, selection change to the list's rows built;\n"
        "  set / lasso ms: to the page painted; frame ms (the baseline): one redraw of the\n"
        "  picture at these points (new positions, same selection), what a training frame costs."
    )


if __name__ == "__main__":
    main()
