"""TunerWidget's live loop: what a training step plus a frame costs, and how many frames a
second reach the browser.

    OMP_NUM_THREADS=1 .venv/bin/python bench/live.py [--n 100000]
        [--only python|browser|sbert|compare|umap]

1. Python: one step (partial_fit on 200 labels) plus one frame (transform all n points,
   project, encode, serialise as a kernel would) at n=100k, d=384, hidden_dim=200, as a
   ratio to the bare matmul X @ W1 of the same shapes, in the same process (1 thread).
2. Browser: a TunerWidget on n points in real JupyterLab and headless Chromium, start():
   frames drawn per second, counted in the page over 15 s. With ``--only compare`` the
   same for the compare view (compare=True: the starting picture beside the live one),
   against the single view, one after the other in the same JupyterLab and Chromium.
With ``--only umap``: the same step and frame with ``projection="umap"`` against
   ``projection="pca"``, same data, same process (numba compiled first).
3. SbertTuner in a TunerWidget on 2,000 fine-food reviews (20 labelled), 1 thread: seconds
   a step (one partial_fit), seconds a full frame (every review encoded by the current
   model, then projected and sent), and seconds from start() to the first new picture (a
   preview: reviews not yet encoded placed by a map fitted on those that are);
   beside them the bare ``SentenceTransformer.encode`` of the same reviews.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # the Lab driver
import results  # noqa: E402 - records the printed figures in RESULTS.md
import scatter  # noqa: E402 - installs the kernel-like comm that counts and encodes messages


def data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(5, d)).astype(np.float32)
    X = centres[rng.integers(0, 5, n)] + rng.normal(size=(n, d)).astype(np.float32)
    y = [None] * n
    for i in range(200):
        y[i] = f"class {i % 5}"
    return X, y


def step_and_frame(X, y, hidden, repeats, projection="pca"):
    """The best of ``repeats`` training steps, each with its frame, in a TunerWidget."""
    from embedwidget import TunerWidget
    from embedwidget.finetune import FeedForwardTuner

    tuner = FeedForwardTuner(hidden_dim=hidden, random_state=0)
    widget = TunerWidget(tuner, X, y=y, projection=projection)
    if projection == "umap":
        widget.session.projector.warm_up().background = False  # wait for numba here
    widget.fit(steps=2)  # warm up: first fit, first frame (the first map's layout)
    steps = []
    for _ in range(repeats):
        widget.session.pacer.reset()  # a frame is due at every step here
        start = time.perf_counter()
        widget.session.step()
        steps.append(time.perf_counter() - start)
    widget.close()
    return min(steps)


def python_side(n, d, hidden, repeats):
    import torch

    torch.set_num_threads(1)
    X, y = data(n, d)
    steps = [step_and_frame(X, y, hidden, repeats)]
    W1 = torch.from_numpy(np.random.default_rng(1).normal(size=(d, hidden)).astype(np.float32))
    Xt = torch.from_numpy(X)
    out = torch.empty(n, hidden)
    matmuls, into = [], []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        Xt @ W1
        matmuls.append(time.perf_counter() - start)
        start = time.perf_counter()
        torch.mm(Xt, W1, out=out)  # the stricter floor: no new output array
        into.append(time.perf_counter() - start)
    return min(steps), min(matmuls[1:]), min(into[1:]), scatter.WireComm.last_bytes


def umap_side(n, d, hidden, repeats):
    """A step and its frame with projection="umap" against one with "pca", same data,
    same process (numba compiled before the clock starts)."""
    import torch

    torch.set_num_threads(1)
    X, y = data(n, d)
    umap = step_and_frame(X, y, hidden, repeats, projection="umap")
    pca = step_and_frame(X, y, hidden, repeats, projection="pca")
    return umap, pca


SETUP = """
import numpy as np, time
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner
rng = np.random.default_rng(0)
centres = rng.normal(size=(5, {d})).astype("float32")
X = centres[rng.integers(0, 5, {n})] + rng.normal(size=({n}, {d})).astype("float32")
y = [None] * {n}
for i in range(200):
    y[i] = f"class {{i % 5}}"
w = TunerWidget(FeedForwardTuner(hidden_dim={hidden}, random_state=0), X, y=y, compare={compare})
w
"""

VIEWS = {"single": False, "compare": True}  # view -> TunerWidget's compare=


def browser_side(n, d, hidden, seconds, views=("single",)):
    """Each of ``views`` in turn in one JupyterLab and one Chromium, its own kernel each:
    {view: (frames drawn a second by the live picture, training steps a second,
    frames drawn by the starting picture meanwhile)}."""
    from browser.notebook import cell_output, open_notebook, run_cell, write_notebook
    from browser.server import CHROMIUM, CHROMIUM_ARGS, start_lab, stop_lab
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as home:
        server = start_lab(Path(home))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(
                    base_url=server.url, viewport={"width": 1280, "height": 900}
                )
                context.set_default_timeout(300_000)
                page = context.new_page()
                page.goto(f"api/status?token={server.token}")  # logs in
                for view in views:
                    setup = SETUP.format(n=n, d=d, hidden=hidden, compare=VIEWS[view])
                    write_notebook(server.root, f"live-{view}.ipynb", [setup])
                    open_notebook(page, f"live-{view}.ipynb", timeout=300_000)
                    run_cell(page, 0, timeout=300_000)
                    root = cell_output(page, 0).locator(".ew-root")
                    root.and_(page.locator("[data-frames]")).wait_for()
                    results[view] = frame_rates(page, root, seconds)
                    # This kernel's thread and memory would weigh on the next view's.
                    page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
                browser.close()
        finally:
            stop_lab(server)
    return results


def frame_rates(page, root, seconds):
    """Start training; over ``seconds``, frames a second drawn by the live picture,
    steps a second, and the frames the starting picture drew (0 when it stays still)."""
    from browser.notebook import kernel_stdout

    def count(name):
        return int(root.get_attribute(name) or 0)

    kernel_stdout(page, "w.start()")
    time.sleep(3)  # past the first steps
    first, still, steps = count("data-frames"), count("data-frames-before"), step(page)
    time.sleep(seconds)
    frames = count("data-frames") - first
    moved = count("data-frames-before") - still
    steps = step(page) - steps
    kernel_stdout(page, "w.stop()")
    return frames / seconds, steps / seconds, moved


def step(page):
    from browser.notebook import kernel_stdout

    return int(kernel_stdout(page, "print(w.step)"))


def sbert_side(n_texts, repeats):
    import benchdata
    import torch

    from embedwidget import TunerWidget
    from embedwidget.finetune import SbertTuner

    torch.set_num_threads(1)
    X, y_all, texts = benchdata.load("reviews")
    X, y_all, texts = X[:n_texts], y_all[:n_texts], texts[:n_texts]
    y = [None] * n_texts
    for label in np.unique(y_all):
        for i in np.flatnonzero(y_all == label)[:10]:
            y[i] = str(label)
    widget = TunerWidget(SbertTuner(random_state=0), X, texts=texts, y=y)
    started = time.perf_counter()
    widget.start()
    first = widget._positions
    while widget._positions is first and widget.running:  # the first preview
        time.sleep(0.05)
    first_frame = time.perf_counter() - started
    widget.stop()  # gives up the frame it was encoding
    steps, frames = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        widget._partial_fit(*widget._batch())  # a step without its frame
        steps.append(time.perf_counter() - start)
        start = time.perf_counter()
        widget._frame()
        frames.append(time.perf_counter() - start)
    start = time.perf_counter()
    widget.model.learner_.sent_tfm.encode(texts, batch_size=32, show_progress_bar=False)
    bare = time.perf_counter() - start
    return first_frame, min(steps), min(frames), bare


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--hidden", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--only", choices=["python", "browser", "sbert", "compare", "umap"])
    parser.add_argument("--texts", type=int, default=2_000, help="reviews for --only sbert")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.only == "sbert":
        first, step, frame, bare = sbert_side(args.texts, max(1, args.repeats // 2))
        print(f"SbertTuner in a TunerWidget, {args.texts:,} reviews, 20 labelled, 1 thread:")
        print(
            f"  a step {step:.1f} s; a full frame {frame:.1f} s (bare encode {bare:.1f} s:"
            f" ratio {frame / bare:.2f}); start() to the first new picture {first:.1f} s"
        )
        return
    if args.only == "compare":
        rates = browser_side(args.n, args.dim, args.hidden, args.seconds, views=VIEWS)
        (single, single_steps, _), (compare, compare_steps, moved) = rates.values()
        print(f"JupyterLab + headless Chromium, n={args.n:,}, during start(), same run:")
        print(f"  single view:  {single:.1f} frames/s drawn, {single_steps:.1f} steps/s")
        print(
            f"  compare view: {compare:.1f} frames/s drawn by the live picture"
            f" ({compare / single:.2f} of the single view's), {compare_steps:.1f} steps/s;"
            f" the starting picture drew {moved} frames meanwhile"
        )
        return
    if args.only == "umap":
        umap, pca = umap_side(args.n, args.dim, args.hidden, args.repeats)
        print(
            f"n={args.n:,}: step + frame with projection='umap' {umap * 1e3:.0f} ms, with 'pca'"
            f" {pca * 1e3:.0f} ms: ratio {umap / pca:.2f} (target <= 3)"
        )
        return
    if args.only != "browser":
        step, matmul, into, wire = python_side(args.n, args.dim, args.hidden, args.repeats)
        print(f"n={args.n:,} d={args.dim} hidden={args.hidden}, 1 thread, best of {args.repeats}:")
        print(
            f"  step + frame {step * 1e3:.0f} ms; bare X @ W1 {matmul * 1e3:.0f} ms: ratio"
            f" {step / matmul:.2f} (target <= 2.0); into a preallocated array"
            f" {into * 1e3:.0f} ms: ratio {step / into:.2f}"
        )
        print(f"  {1 / step:.1f} frames/s here; {wire / args.n:.1f} bytes a point on the wire")
    if args.only != "python":
        ((fps, steps, _),) = browser_side(args.n, args.dim, args.hidden, args.seconds).values()
        print(
            f"JupyterLab + headless Chromium, n={args.n:,}, during start():"
            f" {fps:.1f} frames/s drawn, {steps:.1f} training steps/s"
        )


if __name__ == "__main__":
    with results.recording():
        main()
