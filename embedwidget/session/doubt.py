"""Which unlabelled points to show a person next: ones the model is unsure of, spread out.

Taking the ``n`` most doubtful points alone teaches little: they crowd onto one stretch
of one border, often near-duplicates of each other. ``pick_doubtful`` shortlists the
most doubtful few hundred, then spreads its ``n`` picks over them by weighted k-means
in the embedding, taking the shortlisted point nearest each centre: doubtful, typical
of a region, and no two from the same region. ``bench/annotator.py`` measures it
against random picks.

Its figures, and the variants screened that did no better, are in ``bench/RESULTS.md``.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

SHORTLIST = 10  # shortlist this many times n of the most doubtful points
KMEANS_ITERATIONS = 10


def doubt(proba):
    """1 where the model cannot tell its two likeliest classes apart, 0 where it is sure.

    One minus the margin between the two highest probabilities of each row of
    ``proba`` (``predict_proba``'s output, shape (n, k)); 0 everywhere for one class.
    """
    proba = np.asarray(proba)
    if proba.shape[1] < 2:
        return np.zeros(len(proba))
    top2 = np.partition(proba, -2, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0]).astype(np.float64)


def pick_doubtful(proba, candidates, n, embedding=None, random_state=0):
    """The ``n`` points among ``candidates`` to label next, most doubtful first.

    Parameters
    ----------
    proba : array of shape (n_points, n_classes)
        The model's class probabilities for every point.
    candidates : array of int
        The points that may be picked (the unlabelled ones).
    n : int
        How many to pick; fewer come back when there are fewer candidates.
    embedding : array of shape (n_points, dim), optional
        The embedding that is drawn: the picks are spread out in it. Without it they are
        spread out in ``proba`` (points confused between different classes).
    random_state : int, default=0
        Seeds the tie-breaking and the k-means: the same seed, the same picks.

    Returns
    -------
    ndarray of int64
        Up to ``n`` distinct point indices from ``candidates``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> proba = rng.dirichlet([1, 1, 1], size=1000)
    >>> picks = pick_doubtful(proba, np.arange(100, 1000), 20)
    >>> len(picks), len(set(picks.tolist())), bool(picks.min() >= 100)
    (20, 20, True)
    """
    proba, candidates, n, embedding = _check(proba, candidates, n, embedding)
    if n == 0 or len(candidates) == 0:
        return np.empty(0, dtype=np.int64)
    rng = np.random.default_rng(random_state)
    # Jitter far below any real difference only breaks ties (one class: all tie).
    scores = doubt(proba[candidates]) + rng.random(len(candidates)) * 1e-9
    short = _most(scores, SHORTLIST * n)
    short = short[_first_of_each(candidates[short])]
    if len(short) <= n:
        return candidates[short]
    space = proba if embedding is None else embedding
    points = np.asarray(space[candidates[short]], dtype=np.float64)
    chosen = _kmeans_representatives(points, scores[short], n, rng)
    return candidates[short[np.sort(chosen)]]


def _most(scores, m):
    """Indices of the ``m`` highest scores, highest first."""
    if m < len(scores):
        top = np.argpartition(-scores, m - 1)[:m]
    else:
        top = np.arange(len(scores))
    return top[np.argsort(-scores[top], kind="stable")]


def _first_of_each(ids):
    """Positions of the first occurrence of each id, in their order (drops repeats)."""
    _, first = np.unique(ids, return_index=True)
    return np.sort(first)


def _kmeans_representatives(points, weights, n, rng):
    """Weighted k-means of ``points`` into ``n`` clusters; for each centre, the nearest
    point not taken yet. Returns ``n`` distinct row indices."""
    centres = points[_kmeans_plus_plus(points, weights, n, rng)]
    for _ in range(KMEANS_ITERATIONS):
        nearest = _sq_distances(points, centres).argmin(axis=1)
        for c in range(n):
            members = nearest == c
            if members.any():
                w = weights[members]
                centres[c] = w @ points[members] / w.sum()
    distances = _sq_distances(points, centres)
    taken = np.zeros(len(points), dtype=bool)
    chosen = np.empty(n, dtype=np.int64)
    for c in range(n):
        order = np.argsort(distances[:, c], kind="stable")
        chosen[c] = order[~taken[order]][0]
        taken[chosen[c]] = True
    return chosen


def _kmeans_plus_plus(points, weights, n, rng):
    """k-means++ seeding, each draw weighted by doubt times squared distance; the first
    centre is the most doubtful point."""
    chosen = [int(np.argmax(weights))]
    distance = _sq_distances(points, points[chosen])[:, 0]
    for _ in range(n - 1):
        p = weights * distance
        if p.sum() <= 0:  # every point sits on a centre already: any untaken one will do
            p = np.ones(len(points))
            p[chosen] = 0
        chosen.append(int(rng.choice(len(points), p=p / p.sum())))
        distance = np.minimum(distance, _sq_distances(points, points[chosen[-1:]])[:, 0])
    return np.array(chosen)


def _sq_distances(a, b):
    """Squared Euclidean distances between the rows of ``a`` and of ``b``."""
    d = (a * a).sum(axis=1)[:, None] - 2 * a @ b.T + (b * b).sum(axis=1)
    return np.maximum(d, 0)


def _check(proba, candidates, n, embedding):
    proba = np.asarray(proba)
    if proba.ndim != 2 or proba.shape[1] < 1:
        raise ValueError(f"proba must be 2-D (n_points, n_classes); got shape {proba.shape}.")
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
        raise ValueError(f"n must be an int >= 0; got {n!r}.")
    candidates = np.asarray(candidates)
    if candidates.size == 0:
        candidates = candidates.astype(np.int64)
    if candidates.ndim != 1 or not np.issubdtype(candidates.dtype, np.integer):
        raise ValueError(
            f"candidates must be a 1-D array of ints; got {candidates.dtype} of shape "
            f"{candidates.shape}."
        )
    candidates = candidates.astype(np.int64, copy=False)
    if len(candidates) and (candidates.min() < 0 or candidates.max() >= len(proba)):
        raise ValueError(
            f"candidates must lie in [0, {len(proba)}); got values from {candidates.min()} "
            f"to {candidates.max()}."
        )
    if embedding is not None:
        embedding = np.asarray(embedding)
        if embedding.ndim != 2 or len(embedding) != len(proba):
            raise ValueError(
                f"embedding must be 2-D with one row per point ({len(proba)}); got shape "
                f"{embedding.shape}."
            )
    return proba, candidates, int(n), embedding
