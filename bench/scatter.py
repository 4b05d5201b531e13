"""EmbeddingScatter's wire and drawing costs, against jupyter-scatter in the same process.

    .venv/bin/python bench/scatter.py [--sizes 100000 1000000] [--repeats 5] [--no-browser]

1. Bytes on the wire per point for a positions update: the message each widget sends,
   JSON-encoded as a kernel would, plus its binary buffers, divided by the points.
2. Python-side time to produce that update for n points (validate, project or take the
   2-D array as is, encode, serialise), ours / jupyter-scatter's ``Scatter.xy``.
3. In headless Chromium (WebGL on SwiftShader, the CPU): the time from a new positions
   buffer arriving to the frame drawn, for our widget (decode the 4-byte points, map them
   to the canvas, draw) and for regl-scatterplot alone on a bare page handed the device
   coordinates it draws (the renderer's floor here), in the same browser; the ratio.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import comm
import numpy as np
import widget_page
from comm.base_comm import BaseComm
from jupyter_client.session import json_packer

from embedwidget import EmbeddingScatter
from embedwidget.widgets.serializers import positions_to_bytes

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # the Chromium driver
from browser.pixels import colour_share, png_pixels  # noqa: E402
from browser.server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


class WireComm(BaseComm):
    """A comm that does what a kernel does with a message (JSON-encode it, hand over the
    buffers) and counts the bytes, so both widgets pay the full price of an update."""

    last_bytes = 0

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        body = json_packer({"data": data, "metadata": metadata or {}})
        WireComm.last_bytes = len(body) + sum(memoryview(b).nbytes for b in buffers or [])


comm.create_comm = WireComm


def timed(update, repeats):
    update()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        update()
        times.append(time.perf_counter() - start)
    return min(times), WireComm.last_bytes


def python_side(n, repeats):
    import jscatter

    rng = np.random.default_rng(0)
    frames = [rng.normal(size=(n, 2)).astype(np.float32) for _ in range(2)]
    ours = EmbeddingScatter(frames[0])
    theirs = jscatter.Scatter(x=frames[0][:, 0], y=frames[0][:, 1])
    theirs.widget  # noqa: B018 - builds the widget, so updates are sent
    step = iter(range(10**9))

    def update_ours():
        ours.set_embedding(frames[next(step) % 2])

    def update_theirs():
        frame = frames[next(step) % 2]
        theirs.xy(x=frame[:, 0], y=frame[:, 1])

    ours_s, ours_bytes = timed(update_ours, repeats)
    theirs_s, theirs_bytes = timed(update_theirs, repeats)
    return ours_s, theirs_s, ours_bytes / n, theirs_bytes / n


SCRIPT = """const bytesOf = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const fromBase64 = (text) => new DataView(bytesOf(text).buffer);
const framesDrawn = () => Number(document.querySelector(".ew-root")?.dataset.frames ?? 0);
const until = async (ok) => { while (!ok()) await new Promise((r) => setTimeout(r, 2)); };
const painted = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
let next = null;
window.start = async (positions, n) => {
  Object.assign(state, { _texts: [], _positions: fromBase64(positions),
    _bounds: [-0.5, 0.5, -0.5, 0.5], _codes: new DataView(new Uint8Array(n).buffer),
    label_names: [], n_pairs: 0, selection: new DataView(new ArrayBuffer(0)),
    height: %(height)d, transition_ms: 0 });
  widget.render({ model: window.model, el: document.getElementById("out") });
  await until(() => framesDrawn() >= 1);
  await painted();
};
// The buffer is decoded from base64 before the clock starts: it arrives from the kernel.
window.prepare = (positions) => { next = fromBase64(positions); };
window.update = async () => {
  const before = framesDrawn();
  const start = performance.now();
  window.model.set("_positions", next);
  await until(() => framesDrawn() > before);
  await painted();
  return performance.now() - start;
};
"""

BARE_PAGE = """<!doctype html><html><body style="margin:0">
<canvas id="canvas" style="display:block; width:%(width)dpx; height:%(height)dpx"></canvas>
<script type="module" src="bare.js"></script></body></html>"""

WIDTH, HEIGHT = 900, 600


def _frame(n, seed):
    return np.random.default_rng(seed).uniform(-0.5, 0.5, (n, 2)).astype(np.float32)


def _b64(data):
    return base64.b64encode(bytes(data)).decode()


def _device(positions):
    """What regl-scatterplot draws: x in [-aspect, aspect] and y in [-1, 1], as the widget
    maps the same view ([-0.5, 0.5] both ways, 95% of the height)."""
    scale = 0.95 * 2
    return _b64(positions[:, 0] * scale), _b64(positions[:, 1] * scale)


def _point_size(n):  # as js/plot.js picks it
    return 1.5 if n > 500_000 else 2.5 if n > 50_000 else 4 if n > 5_000 else 6


def browser_side(n, repeats):
    """Median ms from a new positions buffer to the frame drawn, for our widget and for
    bare regl-scatterplot in the same Chromium, and the share of inked pixels of ours."""
    from playwright.sync_api import sync_playwright

    size = {"width": WIDTH, "height": HEIGHT}
    pages = {"index.html": widget_page.page(SCRIPT, WIDTH, HEIGHT), "bare.html": BARE_PAGE % size}
    with widget_page.site(pages) as (root, url):
        subprocess.run(
            ["npx", "esbuild", str(Path(__file__).with_name("bare_scatter.js")), "--bundle",
             "--format=esm", f"--outfile={root / 'bare.js'}", "--log-level=warning"],
            check=True, cwd=Path(__file__).parents[1],
        )  # fmt: skip
        frames = [_frame(n, seed) for seed in range(1, 3 + repeats)]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT + 160})
            page.goto(f"{url}/index.html")
            page.evaluate(
                "([p, n]) => window.start(p, n)", [_b64(positions_to_bytes(frames[0])), n]
            )
            ours = []
            for frame in frames[1:]:
                page.evaluate("(p) => window.prepare(p)", _b64(positions_to_bytes(frame)))
                ours.append(page.evaluate("() => window.update()"))
            png = page.locator("canvas").first.screenshot()
            page.goto(f"{url}/bare.html")
            page.evaluate(
                "([x, y, s]) => window.start(x, y, s)", [*_device(frames[0]), _point_size(n)]
            )
            bare = []
            for frame in frames[1:]:
                page.evaluate("([x, y]) => window.prepare(x, y)", list(_device(frame)))
                bare.append(page.evaluate("() => window.update()"))
            browser.close()
    return statistics.median(ours[1:]), statistics.median(bare[1:]), _ink(png)


def _ink(png):
    """Share of pixels that are not the white background."""
    return 1 - colour_share(png_pixels(png)[2], (255, 255, 255), tolerance=20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    print(f"Python side of a positions update (best of {args.repeats}), ours vs jupyter-scatter:")
    for n in args.sizes:
        ours, theirs, ours_bpp, theirs_bpp = python_side(n, args.repeats)
        print(
            f"  n={n:>9,}: ours {ours * 1e3:7.1f} ms, jupyter-scatter {theirs * 1e3:7.1f} ms,"
            f" ratio {ours / theirs:.3f};  wire bytes/point: ours {ours_bpp:.2f},"
            f" jupyter-scatter {theirs_bpp:.2f}"
        )
    if args.no_browser:
        return
    print("Headless Chromium (SwiftShader), new positions buffer to frame drawn (median):")
    for n in args.sizes:
        ours, bare, ink = browser_side(n, args.repeats)
        print(
            f"  n={n:>9,}: ours {ours:7.1f} ms, bare regl-scatterplot {bare:7.1f} ms,"
            f" ratio {ours / bare:.2f} (target <= 1.2); {ink:.1%} of our canvas has points"
        )


if __name__ == "__main__":
    main()
