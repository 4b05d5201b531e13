"""EmbeddingScatter: look at an embedding in a WebGL scatter and label it by hand."""

from __future__ import annotations

import pathlib
import time

import anywidget
import numpy as np
import traitlets

from embedwidget._utils import check_embedding, check_indices
from embedwidget.session import AnnotationSession
from embedwidget.session.annotate import check_projection
from embedwidget.session.training import describe
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

    The widget adapts an ``AnnotationSession`` (``.session``) to synced traits and the
    browser's requests; every method here is the session's.

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
        a SQLite file that a later widget (after a kernel restart) reads back. Several
        widgets, notebooks or processes may share one file: each shows the others'
        labels and pairs within about a second.
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
    can_pair = traitlets.Bool(True, read_only=True).tag(sync=True)  # pair buttons shown
    projection = traitlets.Unicode("pca").tag(sync=True)
    _projection_note = traitlets.Unicode("").tag(sync=True)  # why the picture is not yet that
    color_by = traitlets.Unicode("label").tag(sync=True)
    _color_choices = traitlets.List(traitlets.Unicode(), read_only=True).tag(sync=True)
    _colors = traitlets.Bytes().tag(sync=True)  # the colour_by column, as session encodes it
    _color_legend = traitlets.Dict().tag(sync=True)  # {"kind", "names"} or {"kind", "low", "high"}
    show_topics = traitlets.Bool(False).tag(sync=True)
    _topics = traitlets.List(traitlets.Dict()).tag(sync=True)

    # The browser's requests (js/protocol.js names them): request -> method(content, buffers).
    _commands = {
        "label": "_label_request",
        "pairs": "_pairs_request",
        "undo": "_undo_request",
        "similar": "_similar_request",
        "neighbours": "_neighbours_request",
        "rows": "_rows_request",
    }

    def __init__(
        self,
        X,
        texts=None,
        labels=None,
        store=None,
        *,
        height=480,
        encoder=None,
        data=None,
        projection="pca",
        **kwargs,
    ):
        session = AnnotationSession(
            X, texts, labels, store, encoder=encoder, data=data, projection=projection
        )
        self._adopt(session, height=height, **kwargs)

    @classmethod
    def from_dataframe(cls, df, text="text", embedding="embedding", **kwargs):
        """A widget on the rows of ``df``: ``df[embedding]`` holds each row's vector (or
        name a list of columns), ``df[text]`` its text, and every other column becomes
        ``data``. The rest of ``kwargs`` go to the widget as usual."""
        columns = [embedding] if isinstance(embedding, str) else list(embedding)
        missing = [c for c in [text, *columns] if c is not None and c not in df.columns]
        if missing:
            raise ValueError(f"df has no column {missing[0]!r}; it has {list(df.columns)}.")
        if isinstance(embedding, str):
            X = np.stack(df[embedding].to_numpy())
        else:
            X = df[columns].to_numpy()
        texts = None if text is None else df[text].astype(str).tolist()
        data = df.drop(columns=[c for c in [text, *columns] if c is not None])
        return cls(X, texts=texts, data=data if len(data.columns) else None, **kwargs)

    def _adopt(self, session, **kwargs):
        """Show ``session``: its picture and labels are set before the widget opens its
        comm, so the browser's first render has all of them."""
        self.session = session
        self._lock = session.lock
        self._on_positions()
        self._on_labels()
        super().__init__(_texts=session.texts or [], projection=session.projection, **kwargs)
        self.set_trait("can_search_similar", session.encoder is not None)
        self.set_trait("_color_choices", self._colour_choices())
        self._send_colours(self.color_by)
        session.subscribe(self._on_session)
        self.on_msg(self._on_msg)

    @property
    def store(self):
        """The ``AnnotationStore`` the labels and pairs are kept in."""
        return self.session.store

    @property
    def encoder(self):
        return self.session.encoder

    # -- from the session to the traits ----------------------------------------------------

    def _on_session(self, what, detail):
        handler = getattr(self, f"_on_{what}", None)
        if handler is not None:
            handler(detail) if what == "message" else handler()

    def _on_positions(self):
        # One thread at a time in hold_sync: ipywidgets' batching is not thread-safe.
        with self._lock, self.hold_sync():
            self._bounds = list(self.session.bounds)
            self._positions = positions_to_bytes(self.session.positions)
            self._projection_note = self.session.projection_note

    def _on_settled(self):
        """The picture holds still: name its regions again, if they are shown."""
        if self.show_topics:
            self._topics = self.session.topics()[["keywords", "size", "x", "y"]].to_dict("records")

    @traitlets.observe("show_topics")
    def _toggle_topics(self, change):
        if change["new"]:
            self._on_settled()

    def _on_labels(self):
        session = self.session
        with self._lock, self.hold_sync():
            self.set_trait("label_names", session.labels.names())
            self.set_trait("n_pairs", len(session.pairs[0]))
            self._codes = codes_to_bytes(session.labels.codes, len(session.labels.vocab))

    def _on_selection(self):
        self.selection = self.session.selection.tolist()

    def _on_message(self, message):
        self.send({"type": "info", "message": message})

    @traitlets.validate("projection")
    def _check_projection(self, proposal):
        try:
            return check_projection(proposal["value"], self.session.X)
        except ValueError as error:
            raise traitlets.TraitError(str(error)) from None

    @traitlets.observe("projection")
    def _projection_to_session(self, change):
        self.session.set_projection(change["new"])

    def _on_projection(self):
        self.projection = self.session.projection

    def _colour_choices(self):
        data = self.session.data
        return ["label", *([] if data is None else [str(c) for c in data.columns])]

    @traitlets.validate("color_by")
    def _check_color_by(self, proposal):
        choices = self._colour_choices()
        if proposal["value"] not in choices:
            raise traitlets.TraitError(
                f"color_by must be one of {choices} (the columns of data); "
                f"got {proposal['value']!r}."
            )
        return proposal["value"]

    @traitlets.observe("color_by")
    def _colour_by(self, change):
        self._send_colours(change["new"])

    def _send_colours(self, name):
        data = self.session.data
        with self._lock, self.hold_sync():
            if data is None or name not in data.columns:
                self._colors, self._color_legend = b"", {}
                return
            kind, values, *rest = self.session.column_colours(name)
            self._colors = (
                values.tobytes() if kind == "scale" else codes_to_bytes(values, len(rest[0]))
            )
            if kind == "scale":
                self._color_legend = {"kind": kind, "low": rest[0], "high": rest[1]}
            else:
                self._color_legend = {"kind": kind, "names": rest[0]}

    @traitlets.validate("selection")
    def _check_selection(self, proposal):
        return check_indices(proposal["value"], self.session.n, "selection").tolist()

    @traitlets.observe("selection")
    def _selection_to_session(self, change):
        self.session.select(change["new"])

    # -- what the picture shows ------------------------------------------------------------

    @property
    def positions(self):
        """The (n, 2) float32 coordinates the picture shows now (read-only)."""
        view = self.session.positions.view()
        view.flags.writeable = False
        return view

    def set_embedding(self, X):
        """Show a new embedding of the same points (say, after finetuning).

        The picture moves to it in an animation; a PCA picture is turned to line up with
        the one before, so only real changes show.
        """
        X = check_embedding(X)
        if len(X) != self.session.n:
            raise ValueError(f"X has {len(X)} points but the widget shows {self.session.n}.")
        self.session.show(X)
        self._on_settled()

    def wait_for_map(self, timeout=120):
        """Block until the picture is drawn with ``projection`` (umap-learn compiles
        once a session, about 15 s, and PCA is drawn meanwhile); True when it is."""
        drawn = self.session.wait_for_map(timeout)
        deadline = time.monotonic() + 5  # and the picture has reached the traits
        while self._projection_note != self.session.projection_note:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return drawn

    def topics(self, n_regions=None):
        """The regions of the picture and the words that name them (DataFrame: region,
        keywords, size, x, y); ``show_topics = True`` draws them on the map."""
        return self.session.topics(n_regions)

    # -- actions: each one goes to the store first, then to the picture --------------------

    def label(self, indices, label):
        """Give the points ``indices`` the label ``label`` (a non-empty str or an int).

        ``label=None`` removes labels made here from those points. Undoable.
        """
        self.session.label(indices, label)

    def add_pairs(self, a, b, similar=True, how="auto"):
        """Pair the points of ``a`` with those of ``b`` as similar (or not). Undoable.

        ``how="zip"`` pairs ``a[i]`` with ``b[i]``; ``"product"`` pairs every ``a`` with
        every ``b``; ``"auto"`` (the toolbar's rule) zips when both have the same size.
        """
        self.session.add_pairs(a, b, similar, how)

    def undo(self):
        """Take back the last label or pair action made in this widget (with none made
        here, the latest in the store); returns what it touched, or None."""
        return self.session.undo()

    def current_labels(self):
        """A list with every point's label now (``None`` where unlabelled)."""
        return self.session.current_labels()

    def invert_selection(self):
        """Select every point that is not selected, and nothing that is; returns it."""
        return self.session.invert_selection()

    # -- finding points by meaning --------------------------------------------------------------

    def select_similar(self, query, k=20):
        """Select the ``k`` points nearest in meaning to ``query``; returns them, nearest first.

        The query is encoded with the widget's ``encoder`` and compared (cosine) with every
        point of the embedding that is drawn. ``k`` is clamped to the number of points.
        """
        return self.session.select_similar(query, k)

    def select_neighbours(self, indices=None, k=20):
        """Add to the selection the ``k`` points nearest (cosine) to ``indices`` (default:
        the selection) in the embedding that is drawn; returns the points added.

        Nearness is to the mean direction of the given points; points already given or
        selected are not added again. ``k`` is clamped to the points left.
        """
        return self.session.select_neighbours(indices, k)

    # -- the browser's requests ----------------------------------------------------------------

    def _on_msg(self, _, content, buffers):
        """One dispatcher for every request; whatever a request raises is shown in the
        widget the same way."""
        try:
            name = self._commands.get(content.get("action"))
            if name is None:
                raise ValueError(f"Unknown request from the browser: {content.get('action')!r}.")
            getattr(self, name)(content, buffers)
        except Exception as error:
            self.send({"type": "error", "message": describe(error)})

    def _label_request(self, content, buffers):
        labels = self.session.labels
        label = (
            labels.vocab[content["code"]] if "code" in content else labels.match(content["label"])
        )
        self.session.label(indices_from_bytes(buffers[0] if buffers else None), label)

    def _pairs_request(self, content, buffers):
        a, b = (indices_from_bytes(buffer) for buffer in buffers[:2])
        self.session.add_pairs(a, b, similar=bool(content["similar"]))

    def _undo_request(self, content, buffers):
        undone = self.session.undo()
        if undone is None:
            self.session.say("Nothing to undo.")
        elif not undone["mine"]:
            what = "pairs" if undone["kind"] == "pairs" else "labels"
            self.session.say(
                f"Undid the latest action in the store, made before this widget opened or "
                f"by another: {what} on {len(undone['indices'])} points."
            )

    def _similar_request(self, content, buffers):
        chosen = self.session.select_similar(content.get("query", ""), int(content.get("k", 20)))
        self.session.say(f'{len(chosen)} texts nearest in meaning to "{content["query"]}"')

    def _neighbours_request(self, content, buffers):
        self.session.select(indices_from_bytes(buffers[0] if buffers else None))
        added = self.session.select_neighbours(k=int(content.get("k", 20)))
        self.session.say(f"{len(added)} nearest points added to the selection")

    def _rows_request(self, content, buffers):
        """Answer the tooltip or the selection list: the ``data`` columns of the rows it
        shows, as text (a few rows at a time; the browser never holds the whole frame)."""
        rows = indices_from_bytes(buffers[0] if buffers else None)
        data = self.session.data
        columns = {}
        if data is not None and len(rows):
            part = data.iloc[check_indices(rows, self.session.n, "rows")]
            columns = {
                str(c): part[c].astype(str).where(part[c].notna(), "").tolist() for c in part
            }
        self.send(
            {"type": "rows", "id": content.get("id"), "indices": rows.tolist(), "columns": columns}
        )

    # -- exports ------------------------------------------------------------------------------

    def selection_frame(self):
        """The selected points as a DataFrame: index, text, label, x, y."""
        return self.session.selection_frame()

    def labels_frame(self):
        """Every labelled point: index, text, label, x, y and when it was labelled
        (``NaT`` for labels given up front)."""
        return self.session.labels_frame()

    def pairs_frame(self):
        """Every pair: index_a, index_b, text_a, text_b, similar, x/y of both, time."""
        return self.session.pairs_frame()

    def close(self):
        """Close the widget (its views disappear) and stop watching the store."""
        session = getattr(self, "session", None)  # None when __init__ refused its input
        if session is not None:
            session.close()
        super().close()
