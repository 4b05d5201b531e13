"""The labels a session holds: given up front, made by hand (in the store), as codes.

Kept sparse: the only arrays as long as the data set are the per-point codes (uint16,
0 for unlabelled) and the codes of the labels given up front, so no step or click builds
a Python list with an entry per point.
"""

from __future__ import annotations

import numbers

import numpy as np

# Label codes travel as uint16 (0 for unlabelled), so this many names at most.
MAX_LABELS = np.iinfo(np.uint16).max - 1


class Labels:
    """Labels of ``n`` points: those given up front, overridden by those in ``store``.

    Parameters
    ----------
    given : sequence or None
        A label per point (str or int; None or NaN for unlabelled), or None for none.
    n : int
        The number of points.
    store : AnnotationStore
        Where the labels made by hand are kept; ``refresh()`` reads it.

    Attributes
    ----------
    vocab : list of (str or int)
        Every label seen, in the order of their codes: code ``k`` is ``vocab[k - 1]``.
        Given labels come first (sorted), then labels made by hand as they were first
        made. It only grows, so a code keeps its colour after an undo.
    codes : ndarray of uint16, shape (n,)
        Each point's label code now, 0 where unlabelled.

    Examples
    --------
    >>> from embedwidget.store import AnnotationStore
    >>> store = AnnotationStore()
    >>> labels = Labels(["a", None, "b", None], 4, store)
    >>> _ = store.label([1, 2], "c")
    >>> labels.refresh().codes.tolist()
    [1, 3, 3, 0]
    >>> rows, y = labels.labelled()
    >>> rows.tolist(), y.tolist()
    ([0, 1, 2], ['a', 'c', 'c'])
    """

    def __init__(self, given, n, store, name="labels"):
        self.n = n
        self.store = store
        rows, values = _check_given_labels(given, n, name)
        self.vocab = _sorted_labels(set(values))
        if len(self.vocab) > MAX_LABELS:
            raise ValueError(f"At most {MAX_LABELS} distinct labels can be shown.")
        self._code_of = {label: k + 1 for k, label in enumerate(self.vocab)}
        self._given_codes = np.zeros(n, dtype=np.uint16)
        self._given_codes[rows] = [self._code_of[v] for v in values]
        self._made = (np.empty(0, np.int64), np.empty(0, np.float64))
        self.codes = self._given_codes.copy()

    def refresh(self):
        """Read the labels made by hand from the store and recompute the codes."""
        made, made_labels, times = self.store.current_labels()
        for name in self.store.label_names():
            self._add_to_vocab(name)
        codes = self._given_codes.copy()
        codes[made] = [self._code_of[label] for label in made_labels]
        self.codes = codes
        self._made = (made, times)
        return self

    def _add_to_vocab(self, label):
        if label in self._code_of:
            return
        if len(self.vocab) >= MAX_LABELS:
            raise ValueError(f"At most {MAX_LABELS} distinct labels can be shown.")
        self.vocab.append(label)
        self._code_of[label] = len(self.vocab)

    def names(self):
        """The label names as the browser shows them."""
        return [str(v) for v in self.vocab]

    def match(self, text):
        """A label typed in the browser: an existing label if it reads the same."""
        for label in self.vocab:
            if str(label) == text:
                return label
        return text

    def at(self, rows):
        """The labels of points ``rows`` (an object array, ``None`` where unlabelled)."""
        lookup = np.array([None, *self.vocab], dtype=object)
        return lookup[self.codes[np.asarray(rows, dtype=np.int64)]]

    def labelled(self):
        """``(rows, y)``: every labelled point, ascending, and its label (object array)."""
        rows = np.flatnonzero(self.codes)
        return rows, self.at(rows)

    def unlabelled(self):
        """Every point without a label, ascending."""
        return np.flatnonzero(self.codes == 0)

    def times(self, rows):
        """When each of ``rows`` was labelled by hand, in unix seconds (NaN if given)."""
        made, times = self._made
        when = np.full(len(rows), np.nan)
        where = np.searchsorted(made, rows)
        hit = where < len(made)
        hit[hit] = made[where[hit]] == np.asarray(rows)[hit]
        when[hit] = times[where[hit]]
        return when

    def as_list(self):
        """Every point's label as a list (``None`` where unlabelled)."""
        return self.at(np.arange(self.n)).tolist()


try:
    from pandas import NA as _NA
except ImportError:  # pragma: no cover - pandas is a dependency
    _NA = object()


def _is_missing(value):
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is _NA


def _check_given_labels(labels, n, name="labels"):
    """``(rows, values)`` of the labelled points among ``labels``, one label per point."""
    if labels is None:
        return np.empty(0, np.int64), []
    if isinstance(labels, str):
        raise TypeError(f"{name} must be a sequence with one label per point, not a string.")
    labels = labels.tolist() if hasattr(labels, "tolist") else list(labels)
    if len(labels) != n:
        raise ValueError(f"{name} has {len(labels)} entries but X has {n} points.")
    rows, values = [], []
    for i, label in enumerate(labels):
        if _is_missing(label):
            continue
        if isinstance(label, float) and label.is_integer():
            label = int(label)  # ints that went through a float column with NaN
        elif isinstance(label, numbers.Integral) and not isinstance(label, bool):
            label = int(label)
        elif isinstance(label, str) and label.strip():
            label = str(label)  # a numpy str_ too
        else:
            raise TypeError(
                f"{name}[{i}] is {label!r}; a label must be a non-empty str or an int "
                "(None or NaN for unlabelled)."
            )
        rows.append(i)
        values.append(label)
    return np.array(rows, dtype=np.int64), values


def _sorted_labels(labels):
    return sorted(labels, key=lambda x: (isinstance(x, str), x))
