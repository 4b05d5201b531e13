"""What naming the regions of the picture (the signposts) costs the kernel at 100k points.

    OMP_NUM_THREADS=1 .venv/bin/python bench/topics.py [--n 100000] [--repeats 3]

The texts: the 5,000 fine-food reviews of ``benchdata`` (4,000 + 1,000), repeated with
variations to n (copy j of a review drops every word whose place is j modulo 7, so no
two copies read alike); the embedding: each review's real one (the default model,
cached) plus a little noise per copy, so the picture, PCA of it as the widget draws it,
is the reviews' own clustered map. Timed, one thread, median of ``--repeats``:
``AnnotationSession.topics()`` on a fresh session each time (it keeps its answer per
picture), split into its two parts, the regions (k-means on the 2-D positions) and their
words (class-based TF-IDF over a sample of the texts), each timed alone on the same
picture. The baseline, in the same process: one scikit-learn ``TfidfVectorizer``
``fit_transform`` of the same n texts; beside it, one PCA frame of the embedding (the
widget's ``Projector``, as every training step draws one). Target: ``topics()`` within
1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import benchdata  # noqa: E402
import results  # noqa: E402

from embedwidget.projection import Projector  # noqa: E402
from embedwidget.session import AnnotationSession  # noqa: E402
from embedwidget.session.topics import default_regions, region_keywords, regions  # noqa: E402

NOISE = 0.02  # per coordinate of a unit-length embedding: copies stay near their review


def corpus(n, seed=0):
    """(texts, X) of n reviews: copies of the 5,000 with words dropped, and their
    embeddings with a little noise."""
    reviews, _ = benchdata.reviews()
    base = benchdata.encode(reviews)
    rng = np.random.default_rng(seed)
    texts, rows = [], []
    for i in range(n):
        j, source = divmod(i, len(reviews))
        words = reviews[source].split()
        texts.append(" ".join(w for place, w in enumerate(words) if j == 0 or place % 7 != j % 7))
        rows.append(source)
    X = base[rows] + rng.normal(scale=NOISE, size=(n, base.shape[1])).astype(np.float32)
    return texts, X


def median_s(repeats, run, before=None):
    """Median seconds of ``run()`` over ``repeats`` calls; ``before()`` runs untimed first."""
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    from sklearn.feature_extraction.text import TfidfVectorizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    texts, X = corpus(args.n)
    sessions = []

    def fresh():
        sessions[:] = [AnnotationSession(X, texts)]

    fresh()
    found = sessions[0].topics()  # warm up: imports, and the answer shown below
    whole = median_s(args.repeats, lambda: sessions[0].topics(), before=fresh)

    positions = sessions[0].positions
    k = default_regions(args.n)
    region, _ = regions(positions, k, np.random.default_rng(0))
    clustering = median_s(args.repeats, lambda: regions(positions, k, np.random.default_rng(0)))
    words = median_s(
        args.repeats, lambda: region_keywords(texts, region, k, 3, np.random.default_rng(0))
    )
    tfidf = median_s(args.repeats, lambda: TfidfVectorizer().fit_transform(texts))
    projector = Projector()
    projector(X)
    frame = median_s(args.repeats, lambda: projector(X))

    print(
        f"{args.n:,} reviews (5,000 real ones with words dropped), {X.shape[1]}-d embedding,"
        f" {k} regions; one thread, median of {args.repeats}"
    )
    print(f"  {'':<52} {'s':>7} {'/ TF-IDF':>9}")
    rows = [
        ("AnnotationSession.topics()", whole),
        ("  regions: k-means on the 2-D positions", clustering),
        ("  words: class-based TF-IDF of a sample", words),
        ("baseline: TfidfVectorizer().fit_transform(texts)", tfidf),
        ("one PCA frame of the embedding (Projector)", frame),
    ]
    for name, seconds in rows:
        print(f"  {name:<52} {seconds:7.3f} {seconds / tfidf:9.2f}")
    print(f"  target: topics() within 1 s: {'met' if whole <= 1 else 'NOT met'}")
    print("  the largest regions:")
    for row in found.head(4).itertuples():
        print(f"    {row.size:>7,} points: {row.keywords}")


if __name__ == "__main__":
    with results.recording():
        main()
