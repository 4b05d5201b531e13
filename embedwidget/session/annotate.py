"""A person's annotation session, without any UI: the points, their labels and pairs in
the store, the selection, finding points, and exports.

The store is the truth. What is labelled is what the store holds: a session re-reads it
whenever its version changed (a cheap query), at every training step and, through one
watcher thread for the process, about twice a second, so several widgets, notebooks or
processes can label one file together.
"""

from __future__ import annotations

import os
import re
import threading
import time
import weakref

import numpy as np

from embedwidget._utils import (
    check_embedding,
    check_encoder,
    check_indices,
    check_length,
    check_texts,
)
from embedwidget.projection import Projector, view_bounds
from embedwidget.session.labels import Labels
from embedwidget.session.neighbours import CosineIndex, check_k
from embedwidget.store import AnnotationStore

WATCH_SECONDS = 0.5  # how often every live session asks whether its store changed


class AnnotationSession:
    """Points to label, with everything a person does to them.

    Parameters
    ----------
    X : array-like of shape (n, dim)
        The embedding. Two columns are drawn as they are; more are projected by PCA.
    texts : sequence of str, optional
        One text per point.
    labels : sequence, optional
        A label per point given up front (str or int; ``None`` or NaN for unlabelled).
        Labels in the store override them.
    store : str, os.PathLike, AnnotationStore or None, default=None
        Where labels and pairs are kept: ``None`` for memory, or a SQLite file that other
        sessions (other widgets, notebooks, processes) may share.
    encoder : object with ``transform(list_of_str)``, optional
        Turns a query into a vector of X's space, for ``select_similar``.
    data : pandas.DataFrame, optional
        More about each point, one row per row of X (its index is ignored): its columns
        travel with the points in the exports, and can colour the picture.
    projection : {"pca", "umap"}, default="pca"
        How an embedding of more than two columns becomes the picture: "pca", the guide's
        linear picture (enough for two or three classes), or "umap", a neighbour-keeping
        map that shows many classes apart (see ``UmapProjector``). A 2-D X is drawn as it
        is ("none").
    smoothing : float, default=0
        How much of the previous view bounds a new picture keeps (see ``Projector``).

    Attributes
    ----------
    positions : ndarray of float32, shape (n, 2)
        The picture now.
    bounds : list of 4 floats
        ``[xmin, xmax, ymin, ymax]`` of the view.
    selection : ndarray of int64
        The selected points.
    labels : Labels
        Every point's label now, as codes.
    pairs : tuple of arrays
        ``(a, b, similar, times)`` of every pair in the store.

    Changes are told to every callback given to ``subscribe`` as one word: "positions",
    "labels" (labels or pairs, from here or from another writer), "selection",
    "message" (with a sentence for the person), "projection" (switched, or the map is
    ready), "settled" (a new picture holds still: the time to name its regions again).

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.session import AnnotationSession
    >>> X = np.random.default_rng(0).normal(size=(100, 16)).astype("float32")
    >>> session = AnnotationSession(X, texts=[f"text {i}" for i in range(100)])
    >>> _ = session.label([1, 2, 3], "good")
    >>> session.labels_frame()[["index", "label"]].values.tolist()
    [[1, 'good'], [2, 'good'], [3, 'good']]
    >>> session.select([5, 6]).tolist()
    [5, 6]
    >>> session.selection_frame()["text"].tolist()
    ['text 5', 'text 6']
    """

    # What the given labels are called in errors (a TunerSession's are scikit-learn's y).
    labels_name = "labels"

    def __init__(
        self,
        X,
        texts=None,
        labels=None,
        store=None,
        *,
        encoder=None,
        data=None,
        projection="pca",
        smoothing=0,
    ):
        X = check_embedding(X)
        self.n = len(X)
        self.X = X
        self.texts = (
            None if texts is None else check_length(check_texts(texts, "texts"), self.n, "texts")
        )
        self.encoder = check_encoder(encoder)
        self.data = check_data(data, self.n)
        self.store = open_store(store)
        check_store_fits(self.store, self.n)
        self.labels = Labels(labels, self.n, self.store, self.labels_name)
        self.lock = threading.RLock()
        self.smoothing = smoothing
        self.projection = check_projection(projection, X)
        self.projector = self._make_projector(self.projection)
        self.selection = np.empty(0, np.int64)
        self.pairs = None
        self.positions = self.bounds = None
        self._listeners = []
        self._mine = []  # ids of the actions made in this session, oldest first
        self._version = None
        self._index = None  # nearest neighbours in the drawn embedding, made when first asked
        self._meaning_index = None  # the same in X, for queries by meaning
        self.show(X)
        self.sync()
        self._wait_for_umap()
        _WATCHER.add(self)

    # -- telling others ----------------------------------------------------------------

    def subscribe(self, callback):
        """Call ``callback(what, detail)`` on every change (see the class docstring)."""
        self._listeners.append(callback)

    def _tell(self, what, detail=None):
        for callback in self._listeners:
            callback(what, detail)

    def say(self, message):
        """A sentence for the person (shown by a widget, ignored by a script)."""
        self._tell("message", message)

    # -- the picture --------------------------------------------------------------------

    def show(self, X):
        """Draw ``X`` (rows of these points): as it is when 2-D, else by the projector."""
        if X.shape[1] == 2:
            positions = np.asarray(X, dtype=np.float32)
            self._set_picture(positions, view_bounds(positions))
        else:
            self.draw(X)

    def draw(self, embedding):
        """Project ``embedding`` (aligned to the picture before) and draw it."""
        positions = self.projector(embedding)
        self._set_picture(positions, self.projector.bounds_)

    def _set_picture(self, positions, bounds):
        with self.lock:
            self.positions = np.ascontiguousarray(positions, dtype=np.float32)
            self.bounds = list(bounds)
            self._pictures += 1
        self._tell("positions")

    _pictures = 0  # pictures drawn so far: what topics() are cached by

    def drawn_embedding(self):
        """The embedding the picture is drawn from (before its projection to 2-D)."""
        return self.X

    def set_projection(self, name):
        """Draw the picture with the projection ``name`` from now on ("pca" or "umap"),
        and redraw it at once; a training session's next frames use it too.

        umap-learn compiles its code the first time it runs in a process (about 15 s):
        meanwhile the picture stays PCA's and the person is told; it turns into the map
        when the compiling is done. Subscribers hear "projection".
        """
        name = check_projection(name, self.X)
        with self.lock:
            if name == self.projection:
                return
            self.projection = name
            self.projector = self._make_projector(name)
        self.redraw()
        self._tell("projection")
        self._wait_for_umap()

    @property
    def projection_note(self):
        """Why the picture is not (yet) the projection asked for, in a few words; "" when
        it is. A "umap" picture is PCA's while umap-learn compiles, and for good when
        there are too few points for a neighbourhood."""
        if self.projection != "umap" or getattr(self.projector, "method_", "umap") != "pca":
            return ""
        if self.n <= self.projector.n_neighbors:
            return f"drawn by PCA: UMAP needs more than {self.projector.n_neighbors} points"
        return "drawn by PCA until umap-learn is ready (about 15 s, once a session)"

    def wait_for_map(self, timeout=120):
        """Block until the picture is drawn with the projection asked for: a "umap"
        picture is PCA's until umap-learn has compiled (once a session, about 15 s).
        Returns True when it is, False after ``timeout`` seconds or when it never will
        be (too few points: see ``projection_note``)."""
        deadline = time.monotonic() + timeout
        while self.projection_note:
            if self.n <= getattr(self.projector, "n_neighbors", self.n) or (
                time.monotonic() > deadline
            ):
                return False
            time.sleep(0.05)
        return True

    def _wait_for_umap(self):
        """While umap-learn compiles, say so, and redraw when it is done."""
        if self.projection == "umap" and not self.projector.ready:
            self.say("Computing the UMAP map: the first one in a session takes about 15 s.")
            self.projector.warm_up(on_ready=self._umap_ready)

    def _umap_ready(self):
        if self.projection == "umap":
            self.redraw()
            self._tell("projection")
            self.say("The UMAP map is drawn.")

    def redraw(self):
        """Draw the current embedding again (after the projection changed). Unless
        training moves it on, the new picture holds still: subscribers hear "settled"."""
        if self.projection == "none":
            self.show(self.drawn_embedding())
        else:
            self.draw(self.drawn_embedding())
        if not getattr(self, "running", False):
            self._tell("settled")

    def start_picture(self):
        """``(positions, bounds)`` of X alone with the current projection: where training
        started, for a side-by-side view."""
        if self.projection == "none":
            positions = np.asarray(self.X, dtype=np.float32)
            return positions, view_bounds(positions)
        projector = self._make_projector(self.projection, reference=False)
        return projector(self.X), projector.bounds_

    # A training session's map keeps X's neighbourhoods beside the tuned embedding's.
    umap_reference = False

    def _make_projector(self, name, reference=True):
        if name == "umap":
            from embedwidget.projection import UmapProjector

            beside = self.X if reference and self.umap_reference else None
            return UmapProjector(reference=beside, smoothing=self.smoothing)
        return Projector(smoothing=self.smoothing)

    def column_colours(self, name):
        """How to colour the points by the column ``name`` of ``data``.

        Returns ``("categories", codes, names)`` for a column of categories (strings,
        booleans, a pandas category, or integers with at most 20 values): ``codes``
        uint16, k for the k-th of ``names``, 0 where missing; or ``("scale", values, low,
        high)`` for numbers: ``values`` uint8 from 1 (``low``) to 255 (``high``), 0 where
        missing.
        """
        import pandas as pd

        column = self.data[name]
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        if numeric and not (
            pd.api.types.is_integer_dtype(column) and column.nunique() <= MAX_CATEGORIES_OF_INTS
        ):
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            known = np.isfinite(values)
            low, high = (values[known].min(), values[known].max()) if known.any() else (0.0, 0.0)
            span = high - low if high > low else 1.0
            scaled = np.zeros(len(values), dtype=np.uint8)
            scaled[known] = 1 + np.rint((values[known] - low) / span * 254).astype(np.uint8)
            return "scale", scaled, float(low), float(high)
        categories = pd.Categorical(column)
        if len(categories.categories) > MAX_CATEGORIES:
            raise ValueError(
                f"data[{name!r}] has {len(categories.categories)} distinct values; at most "
                f"{MAX_CATEGORIES} can have colours of their own."
            )
        codes = (categories.codes + 1).astype(np.uint16)  # -1 (missing) becomes 0
        return "categories", codes, [str(c) for c in categories.categories]

    def topics(self, n_regions=None):
        """The regions of the picture now and the words that name them: a DataFrame with
        region, keywords, size, x, y (see ``embedwidget.session.topics``). Computed once
        per picture: call it when the picture has settled, not every frame."""
        from embedwidget.session.topics import topics

        key = (self._pictures, n_regions)
        if getattr(self, "_topics_key", None) != key:
            self._topics = topics(self.positions, self.texts, n_regions)
            self._topics_key = key
        return self._topics.copy()

    # -- the store: labels and pairs ----------------------------------------------------

    def sync(self):
        """Re-read labels and pairs if the store changed since the last read (by this
        session or any other writer); returns whether it did."""
        with self.lock:
            version = self.store.version()
            if version == self._version:
                return False
            self._version = version
            self.labels.refresh()
            self.pairs = self.store.pairs()
        self._tell("labels")
        return True

    def label(self, indices, label):
        """Give the points ``indices`` the label ``label`` (a non-empty str or an int);
        ``None`` removes labels made by hand. One undoable action; returns its id."""
        indices = check_indices(indices, self.n, "indices")
        return self._act(lambda: self.store.label(indices, label))

    def label_each(self, indices, labels):
        """Give each point of ``indices`` its own label, as one undoable action."""
        indices = check_indices(indices, self.n, "indices")
        return self._act(lambda: self.store.label_each(indices, labels))

    def add_pairs(self, a, b, similar=True, how="auto"):
        """Pair the points of ``a`` with those of ``b`` as similar (or not). Undoable.

        ``how="zip"`` pairs ``a[i]`` with ``b[i]``; ``"product"`` pairs every ``a`` with
        every ``b``; ``"auto"`` (the toolbar's rule) zips when both have the same size.
        """
        a = check_indices(a, self.n, "a")
        b = check_indices(b, self.n, "b")
        if how == "auto":
            how = "zip" if len(a) == len(b) else "product"
        if how == "product":
            a, b = np.repeat(a, len(b)), np.tile(b, len(a))
        elif how != "zip":
            raise ValueError(f"how must be 'auto', 'zip' or 'product'; got {how!r}.")
        return self._act(lambda: self.store.add_pairs(a, b, similar))

    def _act(self, write):
        with self.lock:
            action = write()
            self._mine.append(action)
            self.sync()
        return action

    def undo(self):
        """Take back the last action made in this session; returns what it touched
        (``{"id", "kind", "indices", "time", "mine"}``) or None when there is nothing.

        Another writer's actions stay, unless this session has made none: then, as after a
        kernel restart, the latest action in the store goes, with ``"mine": False``.
        """
        with self.lock:
            undone = None
            while self._mine and undone is None:
                undone = self.store.undo(self._mine.pop())  # None: undone elsewhere already
            mine = undone is not None
            if undone is None:
                undone = self.store.undo()
            self.sync()
        if undone is not None:
            undone["mine"] = mine
        return undone

    def current_labels(self):
        """A list with every point's label now (``None`` where unlabelled)."""
        with self.lock:
            return self.labels.as_list()

    # -- the selection, and finding points -----------------------------------------------

    def select(self, indices):
        """Make ``indices`` the selection; returns it."""
        indices = check_indices(indices, self.n, "selection")
        with self.lock:
            changed = not np.array_equal(indices, self.selection)
            self.selection = indices
        if changed:
            self._tell("selection")
        return indices

    def invert_selection(self):
        """Select every point that is not selected, and nothing that is; returns it."""
        keep = np.ones(self.n, dtype=bool)
        keep[self.selection] = False
        return self.select(np.flatnonzero(keep))

    def find(self, words):
        """The points whose text holds every one of ``words`` as a whole word, ignoring
        case ("cat" finds "a cat sat", not "category")."""
        if self.texts is None:
            raise ValueError("These points have no texts to search: pass texts=.")
        terms = str(words).split()
        if not terms:
            raise ValueError("Type some words to search for.")
        patterns = [re.compile(rf"\b{re.escape(t)}\b", re.IGNORECASE) for t in terms]
        return np.array(
            [i for i, text in enumerate(self.texts) if all(p.search(text) for p in patterns)],
            dtype=np.int64,
        )

    def select_similar(self, query, k=20):
        """Select the ``k`` points nearest in meaning to ``query``; returns them, nearest
        first. The query is encoded with ``encoder`` and compared (cosine) with every point
        of X, the embedding the texts were encoded into (a tuned embedding knows the
        labels, not the words: in it a query lands among the texts of its likeliest
        class); ``k`` is clamped to the number of points."""
        if self.encoder is None:
            raise ValueError(
                "select_similar needs an encoder: pass encoder= (e.g. SentenceEncoder()) "
                "when making the widget."
            )
        if not isinstance(query, str):
            raise TypeError(f"query must be a str; got {type(query).__name__}.")
        if not query.strip():
            raise ValueError("query is empty: type some words to search for.")
        k = check_k(k)
        if self._meaning_index is None:
            self._meaning_index = CosineIndex(self.X)
        return self.select(self._meaning_index.nearest(self.query_vector(query), k))

    def select_neighbours(self, indices=None, k=20):
        """Add to the selection the ``k`` points nearest (cosine) to ``indices`` (default:
        the selection) in the embedding that is drawn; returns the points added.

        Nearness is to the mean direction of the given points; points already given or
        selected are not added again. ``k`` is clamped to the points left.
        """
        k = check_k(k)
        given = check_indices(self.selection if indices is None else indices, self.n, "indices")
        if not len(given):
            raise ValueError("Select some points first: neighbours of what?")
        index = self._neighbour_index()
        current = self.selection
        added = index.nearest(index.centroid(given), k, exclude=np.union1d(given, current))
        self.select(np.concatenate([current, added]))
        return added

    def query_vector(self, query):
        """The query in X's space, by the encoder."""
        vector = self.encoder.transform([query])
        if hasattr(vector, "toarray"):  # a scipy sparse row, as TfidfVectorizer gives
            vector = vector.toarray()
        vector = np.asarray(vector, dtype=np.float32)
        width = self.X.shape[1]
        if vector.ndim != 2 or vector.shape != (1, width):
            raise ValueError(
                f"The encoder turned the query into shape {vector.shape}, but X has {width} "
                "columns: the encoder must map texts into X's space (the one that made X)."
            )
        return vector

    def _neighbour_index(self):
        drawn = self.drawn_embedding()
        if self._index is None or self._index.embedding is not drawn:
            self._index = CosineIndex(drawn)
        return self._index

    # -- exports ----------------------------------------------------------------------------

    def selection_frame(self):
        """The selected points as a DataFrame: index, text, label, x, y."""
        return self.points_frame(self.selection)

    def labels_frame(self):
        """Every labelled point: index, text, label, x, y and when it was labelled
        (``NaT`` for labels given up front)."""
        import pandas as pd

        self.sync()
        with self.lock:
            index = self.labels.labelled()[0]
            frame = self.points_frame(index)
            frame["time"] = pd.to_datetime(self.labels.times(index), unit="s", utc=True)
        return frame

    def points_frame(self, index):
        """Points ``index`` as a DataFrame: index, text, label, x, y, and the columns of
        ``data``."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "index": index,
                "text": self.texts_at(index),
                "label": pd.Series(self.labels.at(index), dtype=object),
                "x": self.positions[index, 0],
                "y": self.positions[index, 1],
            }
        )
        if self.data is None:
            return frame
        return pd.concat([frame, self.data.iloc[index].reset_index(drop=True)], axis=1)

    def pairs_frame(self):
        """Every pair: index_a, index_b, text_a, text_b, similar, x/y of both, time."""
        import pandas as pd

        self.sync()
        a, b, similar, times = self.pairs
        p = self.positions
        return pd.DataFrame(
            {
                "index_a": a,
                "index_b": b,
                "text_a": self.texts_at(a),
                "text_b": self.texts_at(b),
                "similar": similar,
                "x_a": p[a, 0],
                "y_a": p[a, 1],
                "x_b": p[b, 0],
                "y_b": p[b, 1],
                "time": pd.to_datetime(times, unit="s", utc=True),
            }
        )

    def texts_at(self, index):
        if self.texts is None:
            return [None] * len(index)
        return [self.texts[i] for i in index]

    def close(self):
        """Stop watching the store."""
        _WATCHER.discard(self)


MAX_CATEGORIES = 255  # distinct values of a column that colours the picture
MAX_CATEGORIES_OF_INTS = 20  # an int column with at most this many values is categories

PROJECTIONS = ("pca", "umap")


def check_projection(name, X):
    """The projection ``name`` for X: "none" when X is 2-D (drawn as it is)."""
    if name not in PROJECTIONS and name != "none":
        raise ValueError(f"projection must be one of {list(PROJECTIONS)}; got {name!r}.")
    if X.shape[1] == 2:
        if name in PROJECTIONS and name != "pca":
            raise ValueError(
                f"X is already 2-D and is drawn as it is; projection={name!r} needs the "
                "embedding itself (say, SentenceEncoder's output)."
            )
        return "none"
    if name == "none":
        raise ValueError(f"projection='none' draws a 2-D X as it is; X has {X.shape[1]} columns.")
    return name


# The columns every export starts with; ``data`` may not reuse their names.
OWN_COLUMNS = ("index", "text", "label", "x", "y", "time")


def check_data(data, n):
    """``data`` as a DataFrame with a plain 0..n-1 index, or None."""
    if data is None:
        return None
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame; got {type(data).__name__}.")
    if len(data) != n:
        raise ValueError(f"data has {len(data)} rows but X has {n} points.")
    clash = [str(c) for c in data.columns if c in OWN_COLUMNS]
    if clash:
        raise ValueError(
            f"data has columns named like the exports' own ({', '.join(clash)}): rename them, "
            "e.g. data.rename(columns={...})."
        )
    return data.reset_index(drop=True)


def open_store(store):
    if isinstance(store, AnnotationStore):
        return store
    if store is None or isinstance(store, (str, os.PathLike)):
        return AnnotationStore(store)
    raise TypeError(
        f"store must be None, a file name or an AnnotationStore; got {type(store).__name__}."
    )


def check_store_fits(store, n):
    largest = store.max_index()
    if largest >= n:
        raise ValueError(
            f"The store {store.path or '(in memory)'} has annotations on point {largest}, "
            f"but X has only {n} points: is it the store of another data set?"
        )


class _StoreWatcher:
    """One daemon thread for the process that asks every live session, every
    ``WATCH_SECONDS``, to re-read its store if another writer changed it. Sessions are
    held weakly, so a forgotten one is collected as usual."""

    def __init__(self):
        self._sessions = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread = None

    def add(self, session):
        with self._lock:
            self._sessions.add(session)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="embedwidget-store-watcher", daemon=True
                )
                self._thread.start()

    def discard(self, session):
        with self._lock:
            self._sessions.discard(session)

    def _run(self):
        import time

        while True:
            time.sleep(WATCH_SECONDS)
            with self._lock:
                sessions = list(self._sessions)
            for session in sessions:
                try:
                    session.sync()
                except Exception:  # a closed store, a widget torn down: stop watching it
                    self.discard(session)
            del sessions


_WATCHER = _StoreWatcher()
