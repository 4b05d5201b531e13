"""EmbeddingScatter: look at an embedding in a WebGL scatter and label it by hand."""

from __future__ import annotations

import os
import pathlib
import threading

import anywidget
import numpy as np
import traitlets

from embedwidget._utils import (
    check_embedding,
    check_encoder,
    check_indices,
    check_length,
    check_texts,
)
from embedwidget.projection import Projector, view_bounds
from embedwidget.store import AnnotationStore
from embedwidget.widgets.labels import Labels
from embedwidget.widgets.neighbours import CosineIndex, check_k
from embedwidget.widgets.serializers import (
    codes_to_bytes,
    indices_from_bytes,
    indices_serialization,
    positions_to_bytes,
)

STATIC = pathlib.Path(__file__).parent.parent / "static"


class IndexList(traitlets.List):
    """A list of point indices that also takes a numpy array, range or tuple."""

    def validate(self, obj, value):
        if isinstance(value, (np.ndarray, range, tuple)):
            value = np.asarray(value).tolist()
        return super().validate(obj, value)


class EmbeddingScatter(anywidget.AnyWidget):
    """A 2-D picture of an embedding where a person selects, labels and pairs points.

    Hover shows a point's text; the search box highlights matching texts; click,
    Shift-click and lasso (the Lasso button or ``L``, or Shift-drag) select. The toolbar
    labels the selection (keys 1-9 pick the n-th label), pairs two selections as similar
    or dissimilar, and undoes (Ctrl/Cmd+Z). Every action is written to the annotation
    store before the picture shows it.

    Parameters
    ----------
    X : array-like of shape (n, dim)
        The embedding. Two columns are drawn as they are; more are projected by PCA.
    texts : sequence of str, optional
        One text per point, shown on hover and searched in the browser.
    labels : sequence, optional
        A label per point given up front (str or int; ``None`` or NaN for unlabelled).
        Labels made in the widget override these and are the ones kept in the store.
    store : str, os.PathLike, AnnotationStore or None, default=None
        Where labels and pairs made here are kept: ``None`` for memory, a file name for
        a SQLite file that a later widget (after a kernel restart) reads back.
    height : int, default=480
        Height of the picture in pixels.
    encoder : object with ``transform(list_of_str)``, optional
        Turns a query into a vector of ``X``'s space (e.g. ``SentenceEncoder()``): the
        search box then finds texts by meaning, and ``select_similar`` works.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget import EmbeddingScatter
    >>> X = np.random.default_rng(0).normal(size=(100, 16)).astype("float32")
    >>> w = EmbeddingScatter(X, texts=[f"text {i}" for i in range(100)])
    >>> w.label([1, 2, 3], "good")
    >>> w.label([4], "bad")
    >>> w.labels_frame()[["index", "label"]].values.tolist()
    [[1, 'good'], [2, 'good'], [3, 'good'], [4, 'bad']]
    >>> w.undo()["indices"].tolist()
    [4]
    >>> w.selection = [5, 6]
    >>> w.selection_frame()["text"].tolist()
    ['text 5', 'text 6']
    """

    _esm = STATIC / "scatter.js"
    _css = STATIC / "scatter.css"

    _texts = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _positions = traitlets.Bytes().tag(sync=True)
    _bounds = traitlets.List(traitlets.Float()).tag(sync=True)
    _codes = traitlets.Bytes().tag(sync=True)
    label_names = traitlets.List(traitlets.Unicode(), read_only=True).tag(sync=True)
    selection = IndexList(traitlets.Int()).tag(sync=True, **indices_serialization)
    n_pairs = traitlets.Int(0, read_only=True).tag(sync=True)
    height = traitlets.Int(480).tag(sync=True)
    transition_ms = traitlets.Int(300).tag(sync=True)
    can_search_similar = traitlets.Bool(False, read_only=True).tag(sync=True)
    can_predict = traitlets.Bool(False, read_only=True).tag(sync=True)

    def __init__(
        self, X, texts=None, labels=None, store=None, *, height=480, encoder=None, **kwargs
    ):
        X = check_embedding(X)
        n = len(X)
        self._n = n
        self._X_given = X
        self.encoder = check_encoder(encoder)
        self._index = None  # nearest neighbours in the drawn embedding, made when first asked
        self._lock = threading.RLock()
        self._text_list = (
            None if texts is None else check_length(check_texts(texts, "texts"), n, "texts")
        )
        self.store = _open_store(store)
        _check_store_fits(self.store, n)
        self._labels = Labels(labels, n, self.store)
        self._projector = Projector(smoothing=0)
        # Picture and labels are set before the widget opens its comm, so the browser's
        # first render has all of them (no half-initialised first frame).
        self._show(X)
        self._refresh()
        super().__init__(_texts=self._text_list or [], height=height, **kwargs)
        self.set_trait("can_search_similar", encoder is not None)
        self.on_msg(self._on_msg)

    # -- what the picture shows ------------------------------------------------------------

    @property
    def positions(self):
        """The (n, 2) float32 coordinates the picture shows now (read-only)."""
        view = self._positions_array.view()
        view.flags.writeable = False
        return view

    def set_embedding(self, X):
        """Show a new embedding of the same points (say, after finetuning).

        The picture moves to it in an animation; a PCA picture is turned to line up with
        the one before, so only real changes show.
        """
        X = check_embedding(X)
        if len(X) != self._n:
            raise ValueError(f"X has {len(X)} points but the widget shows {self._n}.")
        self._show(X)

    def _show(self, X):
        positions = np.asarray(X, dtype=np.float32) if X.shape[1] == 2 else self._projector(X)
        self._set_positions(positions, view_bounds(positions))

    def _set_positions(self, positions, bounds):
        self._positions_array = np.ascontiguousarray(positions, dtype=np.float32)
        with self._lock, self.hold_sync():
            self._bounds = list(bounds)
            self._positions = positions_to_bytes(self._positions_array)

    @traitlets.validate("selection")
    def _check_selection(self, proposal):
        indices = check_indices(proposal["value"], self._n, "selection")
        return indices.tolist()

    # -- actions: each one goes to the store first, then to the picture --------------------

    def label(self, indices, label):
        """Give the points ``indices`` the label ``label`` (a non-empty str or an int).

        ``label=None`` removes labels made here from those points. Undoable.
        """
        indices = check_indices(indices, self._n, "indices")
        with self._lock:
            self.store.label(indices, label)
            self._refresh()

    def add_pairs(self, a, b, similar=True, how="auto"):
        """Pair the points of ``a`` with those of ``b`` as similar (or not). Undoable.

        ``how="zip"`` pairs ``a[i]`` with ``b[i]``; ``"product"`` pairs every ``a`` with
        every ``b``; ``"auto"`` (the toolbar's rule) zips when both have the same size.
        """
        a = check_indices(a, self._n, "a")
        b = check_indices(b, self._n, "b")
        if how == "auto":
            how = "zip" if len(a) == len(b) else "product"
        if how == "product":
            a, b = np.repeat(a, len(b)), np.tile(b, len(a))
        elif how != "zip":
            raise ValueError(f"how must be 'auto', 'zip' or 'product'; got {how!r}.")
        with self._lock:
            self.store.add_pairs(a, b, similar)
            self._refresh()

    def undo(self):
        """Take back the last label or pair action; returns what it touched, or None."""
        with self._lock:
            undone = self.store.undo()
            self._refresh()
        return undone

    def current_labels(self):
        """A list with every point's label now (``None`` where unlabelled)."""
        with self._lock:
            return self._labels.as_list()

    def _refresh(self):
        """Recompute label codes and counts from the store and send them."""
        with self._lock:
            codes = self._labels.refresh().codes
            with self.hold_sync():
                self.set_trait("label_names", self._labels.names())
                self.set_trait("n_pairs", len(self.store.pairs()[0]))
                self._codes = codes_to_bytes(codes, len(self._labels.vocab))

    # -- finding points by meaning --------------------------------------------------------------

    def select_similar(self, query, k=20):
        """Select the ``k`` points nearest in meaning to ``query``; returns them, nearest first.

        The query is encoded with the widget's ``encoder`` and compared (cosine) with every
        point of the embedding that is drawn. ``k`` is clamped to the number of points.
        """
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
        vector = self._query_vector(query)
        chosen = self._neighbour_index().nearest(vector, k)
        self.selection = chosen
        return chosen

    def select_neighbours(self, indices=None, k=20):
        """Add to the selection the ``k`` points nearest (cosine) to ``indices`` (default:
        the selection) in the embedding that is drawn; returns the points added.

        Nearness is to the mean direction of the given points; points already given or
        selected are not added again. ``k`` is clamped to the points left.
        """
        k = check_k(k)
        given = self.selection if indices is None else indices
        given = check_indices(given, self._n, "indices")
        if not len(given):
            raise ValueError("Select some points first: neighbours of what?")
        index = self._neighbour_index()
        current = np.asarray(self.selection, dtype=np.int64)
        exclude = np.union1d(given, current)
        added = index.nearest(index.centroid(given), k, exclude=exclude)
        self.selection = np.concatenate([current, added])
        return added

    def _query_vector(self, query):
        """The query in the drawn embedding's space."""
        vector = self.encoder.transform([query])
        if hasattr(vector, "toarray"):  # a scipy sparse row, as TfidfVectorizer gives
            vector = vector.toarray()
        vector = np.asarray(vector, dtype=np.float32)
        width = self._X_given.shape[1]
        if vector.ndim != 2 or vector.shape != (1, width):
            raise ValueError(
                f"The encoder turned the query into shape {vector.shape}, but X has {width} "
                "columns: the encoder must map texts into X's space (the one that made X)."
            )
        return vector

    def _drawn_embedding(self):
        """The embedding the picture is drawn from (before its projection to 2-D)."""
        return self._X_given

    def _neighbour_index(self):
        drawn = self._drawn_embedding()
        if self._index is None or self._index.embedding is not drawn:
            self._index = CosineIndex(drawn)
        return self._index

    def _on_msg(self, _, content, buffers):
        """Requests from the browser: label, pairs, undo. Errors go back to be shown."""
        try:
            action = content.get("action")
            if action == "label":
                indices = indices_from_bytes(buffers[0] if buffers else None)
                label = (
                    self._labels.vocab[content["code"]]
                    if "code" in content
                    else self._labels.match(content["label"])
                )
                self.label(indices, label)
            elif action == "pairs":
                self.add_pairs(
                    indices_from_bytes(buffers[0]),
                    indices_from_bytes(buffers[1]),
                    similar=bool(content["similar"]),
                )
            elif action == "undo":
                if self.undo() is None:
                    self.send({"type": "info", "message": "Nothing to undo."})
            elif action == "similar":
                chosen = self.select_similar(content.get("query", ""), int(content.get("k", 20)))
                self._say(f'{len(chosen)} texts nearest in meaning to "{content["query"]}"')
            elif action == "neighbours":
                self.selection = indices_from_bytes(buffers[0] if buffers else None)
                added = self.select_neighbours(k=int(content.get("k", 20)))
                self._say(f"{len(added)} nearest points added to the selection")
            else:
                raise ValueError(f"Unknown request from the browser: {action!r}.")
        except (ValueError, TypeError, IndexError, KeyError) as error:
            self.send({"type": "error", "message": str(error)})

    def _say(self, message):
        self.send({"type": "info", "message": message})

    # -- exports ------------------------------------------------------------------------------

    def selection_frame(self):
        """The selected points as a DataFrame: index, text, label, x, y."""
        return self._points_frame(np.asarray(self.selection, dtype=np.int64))

    def labels_frame(self):
        """Every labelled point: index, text, label, x, y and when it was labelled
        (``NaT`` for labels given up front)."""
        import pandas as pd

        with self._lock:
            index = self._labels.labelled()[0]
            frame = self._points_frame(index)
            frame["time"] = pd.to_datetime(self._labels.times(index), unit="s", utc=True)
        return frame

    def _points_frame(self, index):
        """Points ``index`` as a DataFrame: index, text, label, x, y."""
        import pandas as pd

        return pd.DataFrame(
            {
                "index": index,
                "text": self._texts_at(index),
                "label": pd.Series(self._labels.at(index), dtype=object),
                "x": self._positions_array[index, 0],
                "y": self._positions_array[index, 1],
            }
        )

    def pairs_frame(self):
        """Every pair: index_a, index_b, text_a, text_b, similar, x/y of both, time."""
        import pandas as pd

        a, b, similar, times = self.store.pairs()
        p = self._positions_array
        return pd.DataFrame(
            {
                "index_a": a,
                "index_b": b,
                "text_a": self._texts_at(a),
                "text_b": self._texts_at(b),
                "similar": similar,
                "x_a": p[a, 0],
                "y_a": p[a, 1],
                "x_b": p[b, 0],
                "y_b": p[b, 1],
                "time": pd.to_datetime(times, unit="s", utc=True),
            }
        )

    def _texts_at(self, index):
        if self._text_list is None:
            return [None] * len(index)
        return [self._text_list[i] for i in index]


def _open_store(store):
    if isinstance(store, AnnotationStore):
        return store
    if store is None or isinstance(store, (str, os.PathLike)):
        return AnnotationStore(store)
    raise TypeError(
        f"store must be None, a file name or an AnnotationStore; got {type(store).__name__}."
    )


def _check_store_fits(store, n):
    largest = store.max_index()
    if largest >= n:
        raise ValueError(
            f"The store {store.path or '(in memory)'} has annotations on point {largest}, "
            f"but X has only {n} points: is it the store of another data set?"
        )
