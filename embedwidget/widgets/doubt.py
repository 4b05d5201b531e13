"""Which unlabelled points to show a person next: the ones the model is least sure of."""

from __future__ import annotations

import numpy as np


def doubt(proba):
    """1 where the model cannot tell the classes apart, 0 where it is sure.

    ``proba`` is ``predict_proba``'s output, shape (n, k).
    """
    proba = np.asarray(proba)
    k = proba.shape[1]
    if k < 2:
        return np.zeros(len(proba))
    return np.clip((1 - proba.max(axis=1)) / (1 - 1 / k), 0, 1)


def pick_doubtful(proba, candidates, n, embedding=None, random_state=0):
    """The ``n`` points among ``candidates`` to label next, most useful first.

    Parameters
    ----------
    proba : array of shape (n_points, n_classes)
        The model's class probabilities for every point.
    candidates : array of int
        The points that may be picked (the unlabelled ones).
    n : int
        How many to pick.
    embedding : array of shape (n_points, dim), optional
        The embedding that is drawn, for spreading the picks out.
    random_state : int, default=0
        Seed for any tie-breaking or sampling.

    Returns
    -------
    ndarray of int64
        Up to ``n`` point indices from ``candidates``.
    """
    candidates = np.asarray(candidates, dtype=np.int64)
    scores = doubt(np.asarray(proba)[candidates])
    return candidates[np.argsort(-scores, kind="stable")[:n]]
