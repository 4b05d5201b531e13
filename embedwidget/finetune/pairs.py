"""Pairs of similar and dissimilar items, sampled from labels, partial records or groups.

Contrastive finetuning learns from pairs; this module makes them, so nobody writes a
sampling loop by hand. Every sampler returns index pairs (``Pairs``), so the same pairs
can index an array of vectors or a list of texts::

    pairs = pairs_from_labels(y, n_neg=3, random_state=0)
    learner.fit(X[pairs.first], X[pairs.second], pairs.similar)
    texts1, texts2, similar = pair_texts(texts, pairs)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.utils import check_random_state


class Pairs(NamedTuple):
    """Index pairs and their targets: ``similar[k]`` is 1.0 when items ``first[k]`` and
    ``second[k]`` belong together, 0.0 when they do not.

    Examples
    --------
    >>> import numpy as np
    >>> pairs = Pairs(np.array([0, 1]), np.array([2, 3]), np.array([1.0, 0.0]))
    >>> len(pairs), pairs.second.tolist()
    (2, [2, 3])
    >>> X = np.arange(8.0).reshape(4, 2)
    >>> X[pairs.first].tolist()  # the same pairs index arrays, or texts via pair_texts
    [[0.0, 1.0], [2.0, 3.0]]
    """

    first: np.ndarray
    second: np.ndarray
    similar: np.ndarray

    def __len__(self):
        return len(self.first)


def pairs_from_labels(y, n_pos=1, n_neg=3, random_state=None):
    """For every item, ``n_pos`` partners from its own class and ``n_neg`` from others.

    An item alone in its class has no positive partner and gets only negatives.

    Parameters
    ----------
    y : array-like of shape (n_items,)
        A class per item, ints or strings.
    n_pos, n_neg : int
        Similar and dissimilar partners drawn per item (with replacement).
    random_state : int, RandomState or None

    Examples
    --------
    >>> pairs = pairs_from_labels(["a", "a", "b", "b"], n_pos=1, n_neg=1, random_state=0)
    >>> len(pairs), pairs.similar.tolist()[:2]
    (8, [1.0, 0.0])
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, one label per item; got shape {y.shape}.")
    classes, codes = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            f"y has only one class ({classes.tolist()!r}); dissimilar pairs need at least two."
        )
    return _sample(np.arange(len(y)), codes, n_pos, n_neg, check_random_state(random_state))


def pairs_from_groups(groups, n_pos=1, n_neg=3, random_state=None):
    """Items of the same group are similar: the unsupervised case (say, a headline and its
    article body share a group id). Same sampling as ``pairs_from_labels``.

    Examples
    --------
    >>> article = [0, 0, 1, 1, 2, 2]  # headline and body of three articles
    >>> pairs = pairs_from_groups(article, n_pos=1, n_neg=1, random_state=0)
    >>> all(article[a] == article[b] for a, b, s in zip(*pairs) if s == 1.0)
    True
    """
    return pairs_from_labels(groups, n_pos=n_pos, n_neg=n_neg, random_state=random_state)


def pairs_from_records(records, label=None, n_pos=1, n_neg=3, key="cats", random_state=None):
    """Pairs from partially labelled records such as ``{"text": ..., "cats": {"spam": 1}}``.

    For each label, every item marked 1 is paired with ``n_pos`` other items marked 1
    (similar) and ``n_neg`` items marked 0 (dissimilar). A label missing from a record
    means unknown: that record takes no part for that label. Items marked 0 are not paired
    with each other, since "not spam" says nothing about two items being alike.

    Parameters
    ----------
    records : sequence of dict
    label : str, sequence of str, or None
        The label(s) to use; None uses every label found.
    key : str, default="cats"
        The field of each record that holds its labels.

    Examples
    --------
    >>> records = [
    ...     {"text": "win a prize now", "cats": {"spam": 1}},
    ...     {"text": "claim your reward", "cats": {"spam": 1}},
    ...     {"text": "lunch at noon?", "cats": {"spam": 0}},
    ...     {"text": "see you there", "cats": {}},  # unknown: takes no part
    ... ]
    >>> pairs = pairs_from_records(records, "spam", n_pos=1, n_neg=1, random_state=0)
    >>> sorted(set(pairs.first.tolist() + pairs.second.tolist()))
    [0, 1, 2]
    """
    rng = check_random_state(random_state)
    found = sorted({name for record in records for name in record.get(key, {})})
    labels = found if label is None else [label] if isinstance(label, str) else list(label)
    if not labels:
        raise ValueError(f"no record has any label under {key!r}.")
    parts = []
    for name in labels:
        marks = [
            (i, record[key][name])
            for i, record in enumerate(records)
            if name in record.get(key, {})
        ]
        if not marks:
            raise ValueError(f"label {name!r} is set in no record; labels found: {found!r}.")
        index = np.array([i for i, _ in marks])
        value = np.array([float(v) for _, v in marks])
        if not np.isin(value, (0.0, 1.0)).all():
            raise ValueError(
                f"label {name!r} must be 0 or 1 where set; got {sorted(set(value))!r}."
            )
        if value.min() == value.max():
            continue  # only positives or only negatives: no pair of both kinds to make
        parts.append(_sample(index, value.astype(int), n_pos, n_neg, rng, anchors=value == 1))
    if not parts:
        raise ValueError(f"no label among {labels!r} has both a 1 and a 0 in the records.")
    return Pairs(*(np.concatenate(arrays) for arrays in zip(*parts, strict=True)))


def pair_texts(texts, pairs):
    """``(texts1, texts2, similar)`` lists for a text learner, from index ``pairs``.

    Examples
    --------
    >>> pairs = pairs_from_labels(["a", "a", "b"], n_pos=1, n_neg=1, random_state=0)
    >>> texts1, texts2, similar = pair_texts(["tasty", "yummy", "broken"], pairs)
    >>> texts1[0], texts2[0], similar[0]
    ('tasty', 'yummy', 1.0)
    """
    texts = list(texts)
    return (
        [texts[i] for i in pairs.first],
        [texts[i] for i in pairs.second],
        pairs.similar.tolist(),
    )


def _sample(index, codes, n_pos, n_neg, rng, anchors=None):
    """Draw partners for each anchor among ``index`` (positions, with class ``codes``)."""
    if n_pos < 0 or n_neg < 0 or n_pos + n_neg == 0:
        raise ValueError(f"n_pos and n_neg must be >= 0 and not both 0; got {n_pos}, {n_neg}.")
    members = [np.flatnonzero(codes == c) for c in range(codes.max() + 1)]
    others = [np.flatnonzero(codes != c) for c in range(codes.max() + 1)]
    anchor_pos = np.flatnonzero(anchors) if anchors is not None else np.arange(len(index))
    first, second, similar = [], [], []
    for a in anchor_pos:
        mates = members[codes[a]]
        if n_pos and len(mates) > 1:
            # draw among the other members: shift draws past the anchor itself
            draw = rng.randint(len(mates) - 1, size=n_pos)
            draw += draw >= np.searchsorted(mates, a)
            first.append(np.full(n_pos, a))
            second.append(mates[draw])
            similar.append(np.ones(n_pos))
        if n_neg and len(others[codes[a]]):
            first.append(np.full(n_neg, a))
            second.append(rng.choice(others[codes[a]], size=n_neg))
            similar.append(np.zeros(n_neg))
    return Pairs(
        index[np.concatenate(first)],
        index[np.concatenate(second)],
        np.concatenate(similar).astype(np.float32),
    )
