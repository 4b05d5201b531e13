"""Bytes a second of frames while a TunerWidget trains, counted on a comm as a kernel
sends them, at 100k and 1M points, under budgets of 8 MB/s (the default) and 2 MB/s, and
without one.

    OMP_NUM_THREADS=1 .venv/bin/python bench/budget.py [--sizes 100000 1000000] [--seconds 10]

Each run: n points of ``--dim`` dimensions in 5 clusters, 200 labels, FeedForwardTuner
(hidden 32), ``start()`` for ``--seconds``; every message carrying ``_positions`` is
counted with its time. Printed: frames sent, bytes a point of a frame, bytes a second.
"""

from __future__ import annotations

import argparse
import time

import comm
import numpy as np
from comm.base_comm import BaseComm

from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner


class CountingComm(BaseComm):
    frames = []

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        if ["_positions"] in (data or {}).get("buffer_paths", []):
            nbytes = sum(memoryview(b).nbytes for b in buffers or [])
            CountingComm.frames.append((time.monotonic(), nbytes))


comm.create_comm = CountingComm


def run(n, dim, seconds, budget):
    import torch

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(5, dim)).astype(np.float32) * 3
    X = centres[rng.integers(0, 5, n)] + rng.normal(size=(n, dim)).astype(np.float32)
    y = [None] * n
    for i in range(200):
        y[i] = f"class {i % 5}"
    widget = TunerWidget(FeedForwardTuner(hidden_dim=32, random_state=0), X, y=y,
                         max_bytes_per_second=budget)  # fmt: skip
    CountingComm.frames = []
    began = time.monotonic()
    widget.start()
    time.sleep(seconds)
    widget.stop()
    took = time.monotonic() - began
    frames = [b for _, b in CountingComm.frames]
    widget.close()
    return len(frames), (frames[-1] / n if frames else 0), sum(frames) / took, widget.step / took


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--budgets", type=float, nargs="+", default=[8e6, 2e6, 0],
                        help="bytes a second; 0 for no budget")  # fmt: skip
    args = parser.parse_args()
    print(f"start() for {args.seconds:g} s, d={args.dim}, hidden 32, 1 thread:")
    for n in args.sizes:
        for budget in args.budgets:
            frames, per_point, rate, steps = run(n, args.dim, args.seconds, budget or None)
            name = f"{budget / 1e6:g} MB/s budget" if budget else "no budget"
            print(
                f"  n={n:>9,} {name:<14}: {frames:3d} frames, {per_point:.2f} bytes a point,"
                f" {rate / 1e6:6.2f} MB/s of frames, {steps:.1f} steps/s"
            )


if __name__ == "__main__":
    main()
