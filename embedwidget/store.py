"""Labels and pairs made by hand in the widget, kept in SQLite so that nothing is lost."""

from __future__ import annotations

import numbers
import os
import sqlite3
import threading
import time
from contextlib import contextmanager

import numpy as np

SCHEMA_VERSION = 1
_MARKER = "embedwidget-annotations"
_SQLITE_HEADER = b"SQLite format 3\x00"
_INT64_MAX = np.iinfo(np.int64).max

# The label column has no declared type, so SQLite keeps each value as given:
# int labels come back as int and str labels as str. NULL marks a removal.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('label', 'pairs')),
    time REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS labels (
    point INTEGER NOT NULL,
    action INTEGER NOT NULL REFERENCES actions (id),
    label,
    PRIMARY KEY (point, action)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_by_action ON labels (action);
CREATE TABLE IF NOT EXISTS pairs (
    id INTEGER PRIMARY KEY,
    action INTEGER NOT NULL REFERENCES actions (id),
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    similar REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pairs_by_action ON pairs (action);
"""

# SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum,
# so this picks each point's latest label action in one pass over the (point, action) key.
_CURRENT_LABELS = """
SELECT latest.point, latest.label, actions.time FROM (
    SELECT point, label, MAX(action) AS action FROM labels GROUP BY point
) AS latest JOIN actions ON actions.id = latest.action
WHERE latest.label IS NOT NULL ORDER BY latest.point
"""

# The same, with each current label's action and how many points that action labelled.
_LABEL_ACTIONS = """
SELECT latest.point, latest.action, sizes.n FROM (
    SELECT point, label, MAX(action) AS action FROM labels GROUP BY point
) AS latest JOIN (
    SELECT action, COUNT(*) AS n FROM labels GROUP BY action
) AS sizes ON sizes.action = latest.action
WHERE latest.label IS NOT NULL ORDER BY latest.point
"""

# The table each kind of action writes to, and its columns that hold points.
_TOUCHED = {"label": ("labels", "point"), "pairs": ("pairs", "a, b")}


class AnnotationStore:
    """Labels and similarity pairs on the rows of a dataset, with undo, on SQLite.

    Every call that changes the store is one action, committed before it returns, so a
    second store opened on the same file sees it at once. ``undo`` removes the latest
    action. One store may be shared by several threads.

    Parameters
    ----------
    path : str, os.PathLike or None, default=None
        File to keep the annotations in. ``None`` or ``":memory:"`` keeps them in memory.
        A missing or empty file is set up as a new store; an existing file must be one.

    Attributes
    ----------
    path : str or None
        The file, or ``None`` for a store in memory.

    Examples
    --------
    >>> from embedwidget.store import AnnotationStore
    >>> store = AnnotationStore()  # pass a file name to keep the annotations
    >>> store.label([0, 1, 2], "spam")
    1
    >>> store.label(2, "ham")  # overrides point 2
    2
    >>> points, labels, times = store.current_labels()
    >>> points.tolist(), labels
    ([0, 1, 2], ['spam', 'spam', 'ham'])
    >>> store.add_pairs([0, 3], [1, 4], similar=False)
    3
    >>> store.undo()["kind"]
    'pairs'
    >>> store.undo()["indices"].tolist()
    [2]
    >>> store.current_labels()[1]
    ['spam', 'spam', 'spam']
    >>> store.close()
    """

    def __init__(self, path=None):
        self.path = None if path is None or path == ":memory:" else os.fsdecode(path)
        self._lock = threading.RLock()
        if self.path is None:
            self._conn = _connect(":memory:")
        else:
            self._conn = _open_file(self.path)
        try:
            self._set_up()
        except BaseException:
            self._conn.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        """Close the database connection; the store cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def label(self, indices, label):
        """Give ``label`` to the points ``indices`` as one action.

        Parameters
        ----------
        indices : int or 1-D array-like of int
            Row numbers of the points, ``>= 0``. Repeats count once.
        label : str, int or None
            A non-empty ``str`` or an ``int``. ``None`` removes the points' labels.

        Returns
        -------
        int
            The id of the action.
        """
        points = np.unique(_check_indices(indices, "indices"))
        return self._insert_labels(points.tolist(), [_check_label(label)] * len(points))

    def label_each(self, indices, labels):
        """Give each point of ``indices`` its own label from ``labels``, as one action
        (one ``undo`` takes all of them back).

        Parameters
        ----------
        indices : 1-D array-like of int
            Row numbers of the points, ``>= 0``. A repeated point takes its last label.
        labels : sequence of (str, int or None)
            One label per point, aligned with ``indices``; ``None`` removes a label.

        Returns
        -------
        int
            The id of the action.

        Examples
        --------
        >>> store = AnnotationStore()
        >>> store.label_each([3, 1], ["spam", "ham"])
        1
        >>> store.current_labels()[:2]
        (array([1, 3]), ['ham', 'spam'])
        """
        points = _check_indices(indices, "indices")
        if isinstance(labels, str) or len(labels) != len(points):
            size = "a string" if isinstance(labels, str) else f"{len(labels)} labels"
            raise ValueError(
                f"labels must hold one label per index: {len(points)} indices, {size}."
            )
        values = [_check_label(label) for label in labels]
        last = dict(zip(points.tolist(), values, strict=True))  # a repeat keeps its last label
        return self._insert_labels(list(last), list(last.values()))

    def _insert_labels(self, points, values):
        with self._write() as conn:
            action = self._new_action(conn, "label")
            conn.executemany(
                "INSERT INTO labels (point, action, label) VALUES (?, ?, ?)",
                ((point, action, value) for point, value in zip(points, values, strict=True)),
            )
        return action

    def add_pairs(self, a, b, similar=True):
        """Record the pairs ``(a[i], b[i])`` as similar or not, as one action.

        Parameters
        ----------
        a, b : 1-D array-like of int
            Row numbers of the two points of each pair, of equal length. Pairs of a point
            with itself are dropped.
        similar : bool, float in [0, 1], or 1-D array-like of them, default=True
            How alike the points of every pair are; ``True`` is 1.0 and ``False`` 0.0.
            An array gives each pair its own (so one action can turn some pairs
            similar and others not).

        Returns
        -------
        int
            The id of the action.
        """
        a, b = _check_indices(a, "a"), _check_indices(b, "b")
        if len(a) != len(b):
            raise ValueError(f"a and b must have the same length; got {len(a)} and {len(b)}.")
        keep = a != b
        if not keep.any():
            raise ValueError("Every pair joins a point with itself; there is no pair to add.")
        if np.ndim(similar) == 0:
            values = [_check_similar(similar)] * len(a)
        elif np.ndim(similar) == 1 and len(similar) == len(a):
            values = [_check_similar(v) for v in np.asarray(similar).tolist()]
        else:
            raise ValueError(
                f"similar must be one value or one per pair ({len(a)}); got shape "
                f"{np.shape(similar)}."
            )
        rows = zip(a.tolist(), b.tolist(), values, keep.tolist(), strict=True)
        with self._write() as conn:
            action = self._new_action(conn, "pairs")
            conn.executemany(
                "INSERT INTO pairs (action, a, b, similar) VALUES (?, ?, ?, ?)",
                ((action, i, j, value) for i, j, value, kept in rows if kept),
            )
        return action

    def undo(self, action=None):
        """Remove an action entirely: ``action`` (an id that ``label``, ``label_each`` or
        ``add_pairs`` returned), or the latest one when None.

        Returns
        -------
        dict or None
            ``{"id": int, "kind": "label" or "pairs", "indices": ndarray, "time": float}``
            with every point the action touched, or ``None`` when there is nothing to undo
            (no action, or ``action`` is gone already, say undone by another widget).
        """
        with self._write() as conn:
            if action is None:
                row = conn.execute(
                    "SELECT id, kind, time FROM actions ORDER BY id DESC LIMIT 1"
                ).fetchone()
            else:
                row = conn.execute(
                    "SELECT id, kind, time FROM actions WHERE id = ?", (int(action),)
                ).fetchone()
            if row is None:
                return None
            action, kind, when = row
            table, columns = _TOUCHED[kind]
            rows = conn.execute(f"SELECT {columns} FROM {table} WHERE action = ?", (action,))
            points = np.unique(np.array(rows.fetchall(), dtype=np.int64))
            conn.execute(f"DELETE FROM {table} WHERE action = ?", (action,))
            conn.execute("DELETE FROM actions WHERE id = ?", (action,))
        return {"id": action, "kind": kind, "indices": points, "time": when}

    def version(self):
        """A value that changes whenever any writer (this store, another store on the same
        file, another process) adds or undoes an action: cheap enough to ask every step.
        Action ids only grow (SQLite's AUTOINCREMENT never reuses one), so the latest id
        and the number of actions together tell every change apart."""
        with self._lock:
            return self._conn.execute("SELECT MAX(id), COUNT(*) FROM actions").fetchone()

    def current_labels(self):
        """The label each point holds now.

        Returns
        -------
        indices : ndarray of int64
            Labelled points, ascending; points whose latest label was removed are left out.
        labels : list of str or int
            Their labels, aligned with ``indices``.
        times : ndarray of float64
            When each label was given, in unix seconds.
        """
        with self._lock:
            rows = self._conn.execute(_CURRENT_LABELS).fetchall()
        points, labels, times = zip(*rows, strict=True) if rows else ((), (), ())
        return np.array(points, dtype=np.int64), list(labels), np.array(times, dtype=np.float64)

    def label_actions(self):
        """Which action gave each point its label now, and how many points it labelled:
        a label given in a lasso of 40 is a hastier one than a label given alone.

        Returns
        -------
        indices : ndarray of int64
            Labelled points, ascending, as in ``current_labels``.
        actions : ndarray of int64
            The id of the action that gave each its current label.
        sizes : ndarray of int64
            How many points that action labelled (those relabelled since included).

        Examples
        --------
        >>> store = AnnotationStore()
        >>> _ = store.label([0, 1, 2], "spam")
        >>> _ = store.label(3, "ham")
        >>> [a.tolist() for a in store.label_actions()]
        [[0, 1, 2, 3], [1, 1, 1, 2], [3, 3, 3, 1]]
        """
        with self._lock:
            rows = self._conn.execute(_LABEL_ACTIONS).fetchall()
        columns = tuple(zip(*rows, strict=True)) if rows else ((), (), ())
        return tuple(np.array(c, dtype=np.int64) for c in columns)

    def pairs(self):
        """Every pair, in the order they were made: a pair made again (either way round)
        takes the similarity it was last given, as a point takes its latest label.

        Returns
        -------
        a, b : ndarray of int64
            The two points of each pair.
        similar : ndarray of float32
            1.0 for similar, 0.0 for dissimilar, or a degree in between.
        times : ndarray of float64
            When each pair was made, in unix seconds.
        """
        with self._lock:
            rows = self._conn.execute(
                "SELECT a, b, similar, time FROM pairs JOIN actions ON actions.id = pairs.action"
                " WHERE pairs.id IN (SELECT MAX(id) FROM pairs GROUP BY MIN(a, b), MAX(a, b))"
                " ORDER BY pairs.id"
            ).fetchall()
        columns = tuple(zip(*rows, strict=True)) if rows else ((), (), (), ())
        dtypes = (np.int64, np.int64, np.float32, np.float64)
        return tuple(np.array(c, dtype=d) for c, d in zip(columns, dtypes, strict=True))

    def label_names(self):
        """The distinct labels points hold now, in the order each was first given."""
        with self._lock:
            current = set(self.current_labels()[1])
            rows = self._conn.execute(
                "SELECT label FROM labels WHERE label IS NOT NULL"
                " GROUP BY label ORDER BY MIN(action)"
            ).fetchall()
        return [label for (label,) in rows if label in current]

    def n_actions(self):
        """How many actions there are to undo."""
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM actions").fetchone()[0]

    def max_index(self):
        """The largest point index in any label or pair, or -1 when there are none."""
        with self._lock:
            row = self._conn.execute(
                "SELECT MAX(m) FROM (SELECT MAX(point) AS m FROM labels"
                " UNION ALL SELECT MAX(MAX(a, b)) FROM pairs)"
            ).fetchone()
        return -1 if row[0] is None else row[0]

    @contextmanager
    def _write(self):
        # BEGIN IMMEDIATE takes the write lock up front, so two stores on one file wait
        # for each other instead of failing halfway through an action.
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _new_action(self, conn, kind):
        cursor = conn.execute("INSERT INTO actions (kind, time) VALUES (?, ?)", (kind, time.time()))
        return cursor.lastrowid

    def _set_up(self):
        # Runs only once the file is known to be empty or one of ours.
        if self.path is not None:
            self._conn.execute("PRAGMA journal_mode=WAL")
        with self._write() as conn:
            # executescript would commit first; one statement at a time keeps one transaction.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.executemany(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                [("format", _MARKER), ("schema_version", str(SCHEMA_VERSION))],
            )


def _connect(target):
    # isolation_level=None: transactions are begun and committed by hand in _write.
    return sqlite3.connect(target, isolation_level=None, check_same_thread=False)


def _open_file(path):
    """Connect to ``path`` after checking, without writing, that it is empty or a store."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"The folder {folder!r} for the annotation store does not exist.")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return _connect(path)
    with open(path, "rb") as f:
        if f.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
            raise ValueError(f"{path!r} is not an annotation store: it is not a SQLite file.")
    conn = _connect(path)
    try:
        _check_store(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_store(conn, path):
    """Raise ValueError unless the SQLite database on ``conn`` is a store we can read."""
    try:
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if has_meta else {}
    except sqlite3.DatabaseError as e:
        raise ValueError(
            f"{path!r} is not an annotation store: SQLite cannot read it ({e})."
        ) from e
    if meta.get("format") != _MARKER:
        raise ValueError(
            f"{path!r} is a SQLite file but not an embedwidget annotation store; "
            "pass a new file name instead."
        )
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        raise ValueError(
            f"{path!r} has annotation store schema version {meta.get('schema_version')!r}, but "
            f"this embedwidget reads version {SCHEMA_VERSION}; a newer embedwidget wrote it."
        )


def _check_indices(indices, name):
    """Return ``indices`` as a non-empty 1-D int64 array of row numbers, or raise."""
    if isinstance(indices, (bool, np.bool_)):
        raise TypeError(f"{name} must be point indices (ints), not a bool ({indices!r}).")
    arr = np.asarray(indices)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: give at least one point index.")
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold ints (row numbers); got dtype {arr.dtype} ({arr[:3]}).")
    if arr.min() < 0:
        raise ValueError(f"{name} must be >= 0 (row numbers); got {arr.min()}.")
    if arr.max() > _INT64_MAX:
        raise ValueError(f"{name} holds {arr.max()}, too large for a row number.")
    return arr.astype(np.int64)


def _check_label(label):
    """Return ``label`` as a str, an int, or None (remove), or raise."""
    if label is None:
        return None
    if isinstance(label, (bool, np.bool_)):
        raise TypeError(f"label must be a non-empty str or an int, not a bool ({label!r}).")
    if isinstance(label, numbers.Integral):
        if not -_INT64_MAX - 1 <= int(label) <= _INT64_MAX:
            raise ValueError(f"label {int(label)} does not fit in 64 bits.")
        return int(label)
    if isinstance(label, str):
        if not label.strip():
            raise ValueError(f"label must not be empty or only whitespace; got {label!r}.")
        return str(label)
    raise TypeError(
        f"label must be a non-empty str or an int; got {type(label).__name__} ({label!r:.40})."
    )


def _check_similar(similar):
    """Return ``similar`` as a float in [0, 1], or raise."""
    if isinstance(similar, (bool, np.bool_)):
        return float(similar)
    if not isinstance(similar, numbers.Real):
        raise TypeError(
            f"similar must be a bool or a float in [0, 1]; got {type(similar).__name__} "
            f"({similar!r:.40})."
        )
    if not 0.0 <= float(similar) <= 1.0:  # also refuses NaN
        raise ValueError(f"similar must be in [0, 1]; got {similar!r}.")
    return float(similar)
