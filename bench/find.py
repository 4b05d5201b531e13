"""The kernel side of "find by meaning" and "more like this", at many points.

    OMP_NUM_THREADS=1 .venv/bin/python bench/find.py [--sizes 100000 1000000] [--repeats 5]

For n random 384-dimensional points (the default model's width), the time from the
browser's request arriving at the widget (``similar`` with a query encoded by the real
SentenceEncoder, ``neighbours`` of a 20-point selection) to the new selection set and
sent through a comm that JSON-encodes as a kernel does. Beside each, in the same
process: the bare matrix-vector product ``X @ q`` (the floor of an exact search) and
scikit-learn's ``NearestNeighbors(metric="cosine", algorithm="brute")`` for the same k.
"""

from __future__ import annotations

import argparse
import time

import comm
import numpy as np
from comm.base_comm import BaseComm
from jupyter_client.session import json_packer
from sklearn.neighbors import NearestNeighbors

from embedwidget import EmbeddingScatter
from embedwidget.text import SentenceEncoder
from embedwidget.widgets.serializers import indices_to_bytes


class WireComm(BaseComm):
    """Pays what a kernel pays for a message: JSON for the content, buffers as they are."""

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        json_packer({"data": data, "metadata": metadata or {}})


comm.create_comm = WireComm


def best_of(repeats, run):
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def request(widget, content, *buffers):
    data = {"method": "custom", "content": content}
    widget._handle_msg({"content": {"data": data}, "buffers": list(buffers)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--k", type=int, default=20)
    args = parser.parse_args()

    encoder = SentenceEncoder()
    query = "crunchy peanut butter cookies"
    q = encoder.transform([query])[0]
    print(
        f"{'n':>9}  {'request':<10} {'ours ms':>8} {'X @ q ms':>9} {'ratio':>6} "
        f"{'sklearn ms':>10} {'ratio':>6}"
    )
    for n in args.sizes:
        X = np.random.default_rng(0).normal(size=(n, q.size)).astype(np.float32)
        widget = EmbeddingScatter(X, encoder=encoder)
        widget.select_similar(query, k=args.k)  # builds the norms once, as a first query does
        floor = best_of(args.repeats, lambda X=X: X @ q)
        nn = NearestNeighbors(n_neighbors=args.k, metric="cosine", algorithm="brute").fit(X)
        selected = np.arange(0, n, n // 20)[:20]

        def similar(widget=widget):
            request(widget, {"action": "similar", "query": query, "k": args.k})

        def neighbours(widget=widget, selected=selected):
            request(widget, {"action": "neighbours", "k": args.k}, indices_to_bytes(selected))

        sk_similar = best_of(args.repeats, lambda nn=nn: nn.kneighbors(q[None]))
        centre = X[selected].mean(axis=0, keepdims=True)
        sk_neighbours = best_of(
            args.repeats, lambda nn=nn, c=centre: nn.kneighbors(c, n_neighbors=args.k + 20)
        )
        for name, run, sk in (
            ("similar", similar, sk_similar),
            ("neighbours", neighbours, sk_neighbours),
        ):
            ours = best_of(args.repeats, run)
            print(
                f"{n:>9,}  {name:<10} {ours * 1e3:>8.1f} {floor * 1e3:>9.1f} "
                f"{ours / floor:>6.2f} {sk * 1e3:>10.1f} {ours / sk:>6.2f}"
            )
        assert len(widget.selection) == 20 + args.k
        del widget, nn, X


if __name__ == "__main__":
    main()
