"""What a label costs, and how soon another widget on the same labels file shows it.

    .venv/bin/python bench/shared_store.py [--n 100000 1000000] [--only label|latency]

label: one label action on an EmbeddingScatter of n points (store write, labels re-read,
codes encoded and sent through a comm that JSON-encodes as a kernel does), against one
picture frame of the same n points encoded the same way, in the same process: the
ratio says how many frames' worth a click costs.

latency: a second process opens an EmbeddingScatter on the same SQLite file and labels
one point about every 0.7 s; this process's widget (no step, no new widget) shows it
when its codes trait changes. From the writer's commit to the codes sent here: median
and worst of ``--labels`` labels. A browser adds the comm's delivery and one redraw.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import scatter  # noqa: E402, F401 - installs the kernel-like comm that encodes messages

from embedwidget import EmbeddingScatter  # noqa: E402
from embedwidget.widgets.serializers import positions_to_bytes  # noqa: E402


def points(n, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype(np.float32)


def label_cost(n, repeats=7):
    X = points(n)
    with tempfile.TemporaryDirectory() as folder:
        widget = EmbeddingScatter(X, store=str(Path(folder) / "labels.db"))
        widget.label([0], "warm up")
        labels, frames = [], []
        rng = np.random.default_rng(1)
        for k in range(repeats):
            start = time.perf_counter()
            widget.label([int(rng.integers(n))], f"label {k % 3}")
            labels.append(time.perf_counter() - start)
            start = time.perf_counter()
            widget._positions = positions_to_bytes(X + k)  # one frame, sent the same way
            frames.append(time.perf_counter() - start)
        widget.close()
    return statistics.median(labels), statistics.median(frames)


WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from embedwidget import EmbeddingScatter
    n, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    w = EmbeddingScatter(np.zeros((n, 2), np.float32), store=path)
    rng = np.random.default_rng(2)
    for k in range(count):
        time.sleep(0.5 + 0.4 * rng.random())  # at no fixed phase to the watcher
        w.label([k], "elsewhere")
        print(k, time.time(), flush=True)
    """
)


def latency(n, count):
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "labels.db")
        widget = EmbeddingScatter(points(n), store=path)
        seen = {}

        def on_codes(change):
            codes = np.frombuffer(change["new"], dtype=np.uint8)
            now = time.time()
            for k in np.flatnonzero(codes[:count]):
                seen.setdefault(int(k), now)

        widget.observe(on_codes, "_codes")
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, str(n), path, str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        time.sleep(1.5)
        widget.close()
    written = {
        int(k): float(t) for k, t in (line.split() for line in writer.stdout.split("\n") if line)
    }
    delays = [seen[k] - t for k, t in written.items() if k in seen]
    return delays, len(written)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--only", choices=["label", "latency"])
    parser.add_argument("--labels", type=int, default=15)
    args = parser.parse_args()
    for n in args.n:
        if args.only in (None, "label"):
            label_s, frame_s = label_cost(n)
            print(
                f"n={n:,}: a label {label_s * 1e3:.1f} ms, a frame {frame_s * 1e3:.1f} ms: "
                f"ratio {label_s / frame_s:.2f}"
            )
        if args.only in (None, "latency"):
            delays, written = latency(n, args.labels)
            print(
                f"n={n:,}: label in another process -> codes sent here: median "
                f"{statistics.median(delays) * 1e3:.0f} ms, worst {max(delays) * 1e3:.0f} ms "
                f"({len(delays)} of {written} labels seen)"
            )


if __name__ == "__main__":
    main()
