"""TunerWidget and LearnerWidget: the picture moves while a model trains, and labels or
pairs made by hand join the next training step.

One training step is one ``partial_fit`` on everything labelled (or paired) so far, read
from the annotation store at the start of the step: a label made while a step runs is
in the store, so the next step uses it, whatever the timing. Frames (transform, project,
send) are paced by ``max_fps`` and a budget of bytes a second; the browser animates
between them.
"""

from __future__ import annotations

import contextlib
import time

import numpy as np
import traitlets
from sklearn import config_context

from embedwidget._utils import check_embedding, check_indices
from embedwidget.projection import Projector
from embedwidget.widgets.doubt import doubt, pick_doubtful
from embedwidget.widgets.loop import FramePacer, TrainingLoop
from embedwidget.widgets.scatter import EmbeddingScatter
from embedwidget.widgets.serializers import indices_from_bytes

MAX_LOSSES = 300  # points of the loss curve kept for the widget
PREVIEW_SECONDS = 1.0  # while a texts model encodes a frame, a preview this often


class _TrainingWidget(EmbeddingScatter):
    """The training loop shared by TunerWidget and LearnerWidget."""

    _training = traitlets.Bool(True).tag(sync=True)
    step = traitlets.Int(0, read_only=True).tag(sync=True)
    losses = traitlets.List(traitlets.Float(), read_only=True).tag(sync=True)
    running = traitlets.Bool(False, read_only=True).tag(sync=True)
    status = traitlets.Unicode("", read_only=True).tag(sync=True)
    error = traitlets.Unicode("", read_only=True).tag(sync=True)
    color_by = traitlets.Enum(["label", "doubt"], default_value="label").tag(sync=True)
    _doubt = traitlets.Bytes().tag(sync=True)
    compare = traitlets.Bool(False, read_only=True).tag(sync=True)
    _start_positions = traitlets.Bytes().tag(sync=True)
    _start_bounds = traitlets.List(traitlets.Float()).tag(sync=True)

    def __init__(
        self,
        model,
        X,
        texts=None,
        labels=None,
        store=None,
        *,
        max_fps=10,
        max_steps_per_second=20,
        max_bytes_per_second=8_000_000,
        compare=False,
        frame_chunk=256,
        **kwargs,
    ):
        X = np.ascontiguousarray(check_embedding(X), dtype=np.float32)
        self._pacer = FramePacer(max_fps, max_bytes_per_second)
        if compare and X.shape[1] == 2:
            raise ValueError(
                "compare=True draws the PCA picture of X beside the tuned one, but X is "
                "already 2-D: pass the embedding itself (say, SentenceEncoder's output)."
            )
        self._takes_texts = takes_texts(model)
        if self._takes_texts and texts is None:
            raise ValueError(
                f"{type(model).__name__} trains on texts (its scikit-learn tags say so): "
                "pass texts=, one per row of X."
            )
        if not (isinstance(frame_chunk, int) and frame_chunk > 0):
            raise ValueError(f"frame_chunk must be a positive int; got {frame_chunk!r}.")
        self.frame_chunk = frame_chunk
        self._loop = TrainingLoop(
            model,
            lambda loop: self._step(),
            max_steps_per_second=max_steps_per_second,
            on_running=lambda running: self.set_trait("running", running),
            on_error=self._show_error,
        )
        self._X = X
        self._embedding = None  # the model's embedding of every point, from the last frame
        self._frame_note = ""  # what the toolbar says while frames are held back
        self._encode_order = None  # the order texts are encoded in for a frame
        self._frame_step = -1  # the step the last frame showed
        kwargs.setdefault("transition_ms", int(900 / max_fps))
        super().__init__(X, texts=texts, labels=labels, store=store, **kwargs)
        self._projector = Projector(smoothing=0.5)
        self.set_trait("can_predict", hasattr(model, "predict_proba"))
        if compare:
            # The starting picture stays as it is; the live one moves beside it.
            with self.hold_sync():
                self.set_trait("compare", True)
                self._start_positions = self._positions
                self._start_bounds = list(self._bounds)
        self.observe(self._on_color_by, "color_by")

    @property
    def model(self):
        """The model being trained (a fresh copy after ``reset()``)."""
        return self._loop.model

    @property
    def max_fps(self):
        """Most frames a second sent to the browser."""
        return self._pacer.max_fps

    @max_fps.setter
    def max_fps(self, value):
        self._pacer.max_fps = value

    @property
    def max_bytes_per_second(self):
        """Most bytes of frames a second sent to the browser while training (None: no
        limit)."""
        return self._pacer.max_bytes_per_second

    @property
    def max_steps_per_second(self):
        """Pace of ``start()``'s steps (None: flat out)."""
        return self._loop.max_steps_per_second

    @max_steps_per_second.setter
    def max_steps_per_second(self, value):
        self._loop.max_steps_per_second = value

    # -- running ------------------------------------------------------------------------------

    def start(self):
        """Train in a background thread until ``stop()``; returns at once."""
        self._loop.start()
        return self

    def stop(self):
        """End background training after the step in progress; raises what it raised."""
        try:
            self._loop.stop()
        finally:
            self.set_trait("running", False)
        return self

    def close(self):
        """Stop training, then close the widget (its views disappear)."""
        # Also called by __del__ on a widget whose __init__ refused its input.
        loop = getattr(self, "_loop", None)
        if loop is not None:
            loop.close()
        super().close()

    def fit(self, steps=10):
        """Run ``steps`` training steps here and now (blocking), then send a frame."""
        self._loop.run(steps)
        if self._frame_step != self.step:  # unless the last step just drew one
            self._frame()
        return self

    def reset(self):
        """Stop, forget what the model learned, and show the starting picture again."""
        self.stop()
        self._loop.reset()
        with self._loop.lock:
            self._projector.reset()
            with self._lock, self.hold_sync():
                self.set_trait("step", 0)
                self.set_trait("losses", [])
                self.set_trait("status", "")
                self.set_trait("error", "")
                self._doubt = b""
                self._embedding = None
            self._show(self._X)
        return self

    def _show_error(self, error):
        """Shown in the widget; raised by the next fit() or stop()."""
        self.set_trait("error", f"Training stopped: {type(error).__name__}: {error}")

    # -- one step ------------------------------------------------------------------------------

    def _step(self):
        """One partial_fit on everything labelled so far, and a frame when one is due.
        Returns False when there is not enough to train on."""
        batch = self._batch()
        if batch is None:
            return False
        self._partial_fit(*batch)
        losses = getattr(self.model, "loss_curve_", None)
        with self._lock, self.hold_sync():
            self.set_trait("step", self.step + 1)
            if losses:
                self.set_trait("losses", [*self.losses, float(losses[-1])][-MAX_LOSSES:])
            self.set_trait("error", "")
        if self._pacer.due(time.monotonic()):
            self._frame()
        return True

    def _frame(self):
        """Transform every point, project, and send the picture (and the doubt colours)."""
        if not self._is_fitted():
            return
        embedding = self._embed()
        if embedding is None:  # given up: training was stopped while it was encoded
            return
        before = self._embedding
        if before is not None and embedding.shape[1] != before.shape[1]:
            raise ValueError(
                f"{type(self.model).__name__}.transform gave {embedding.shape[1]} columns, "
                f"after {before.shape[1]} in the frame before: its output width must stay "
                "the same while it trains."
            )
        self._embedding = embedding
        self._frame_step = self.step
        self._draw(embedding, doubt=self.color_by == "doubt" and self.can_predict)

    def _draw(self, embedding, doubt=False):
        """Project ``embedding`` and send the picture (and the doubt colours)."""
        positions = self._projector(embedding)
        # One thread at a time in hold_sync: ipywidgets' batching is not thread-safe.
        with self._lock, self.hold_sync():
            self._set_positions(positions, self._projector.bounds_)
            nbytes = len(self._positions)
            if doubt:
                self._doubt = _doubt_bytes(self._doubt_of_all())
                nbytes += len(self._doubt)
            self._pace_frames(nbytes)

    def _pace_frames(self, nbytes):
        """Hold the next frame back as long as the byte budget asks, tween over the wait
        (so the motion stays smooth), and say so in the toolbar."""
        self._pacer.sent(nbytes, time.monotonic())
        self.transition_ms = int(900 * self._pacer.interval)
        if self._pacer.held_back:
            budget = self._pacer.max_bytes_per_second / 1e6
            self._frame_note = (
                f"frames held back to {budget:g} MB/s: one every {self._pacer.interval:.1f} s"
            )
        else:
            self._frame_note = ""

    def _on_color_by(self, change):
        if change["new"] == "doubt" and self.can_predict and self._is_fitted():
            self._doubt = _doubt_bytes(self._doubt_of_all())

    def _is_fitted(self):
        return self.step > 0 or _fitted(self.model)

    # -- doubt ---------------------------------------------------------------------------------

    def _proba_of_all(self):
        return np.asarray(self.model.predict_proba(self._model_input(np.arange(len(self._X)))))

    def _doubt_of_all(self):
        """1 where the model cannot tell the classes apart, 0 where it is sure."""
        return doubt(self._proba_of_all())

    def select_doubtful(self, n=20):
        """Select the ``n`` unlabelled points the model is least sure of; returns them."""
        if not self.can_predict:
            raise TypeError(f"{type(self.model).__name__} has no predict_proba to measure doubt.")
        if not self._is_fitted():
            raise ValueError("Train first (start() or fit()): the model cannot predict yet.")
        unlabelled = self._labels.unlabelled()
        chosen = pick_doubtful(
            self._proba_of_all(), unlabelled, n, embedding=self._drawn_embedding()
        )
        self.selection = chosen
        return chosen

    # -- the model's suggestions ---------------------------------------------------------------

    def suggestions(self, indices=None):
        """The model's label for each point of ``indices`` (default: the selection).

        Returns a DataFrame with columns index, text, label (now), suggestion (the most
        probable class) and confidence (its probability).
        """
        import pandas as pd

        indices = self._suggestion_rows(indices)
        proba = np.asarray(self.model.predict_proba(self._model_input(indices)))
        best = proba.argmax(axis=1)
        classes = [self._labels.match(str(c)) for c in np.asarray(self.model.classes_).tolist()]
        return pd.DataFrame(
            {
                "index": indices,
                "text": self._texts_at(indices),
                "label": pd.Series(self._labels.at(indices), dtype=object),
                "suggestion": pd.Series([classes[c] for c in best.tolist()], dtype=object),
                "confidence": proba[np.arange(len(indices)), best],
            }
        )

    def accept_suggestions(self, indices=None):
        """Label every point of ``indices`` (default: the selection) with the model's
        suggestion, as one action that one ``undo()`` takes back; returns the
        suggestions it accepted (as ``suggestions`` gives them)."""
        frame = self.suggestions(indices)
        with self._lock:
            self.store.label_each(frame["index"].to_numpy(), frame["suggestion"].tolist())
            self._refresh()
        return frame

    def _suggestion_rows(self, indices):
        if not self.can_predict:
            raise TypeError(
                f"{type(self.model).__name__} has no predict_proba, so it suggests no labels."
            )
        if not self._is_fitted():
            raise ValueError("Train first (start() or fit()): the model cannot suggest yet.")
        rows = check_indices(self.selection if indices is None else indices, self._n, "indices")
        if not len(rows):
            raise ValueError("No points given: select some points to get suggestions for.")
        return rows

    def _drawn_embedding(self):
        return self._X if self._embedding is None else self._embedding

    def _query_vector(self, query):
        vector = super()._query_vector(query)
        if self._embedding is None:
            return vector
        with config_context(assume_finite=True):
            return self.model.transform([query] if self._takes_texts else vector)

    # -- messages from the toolbar -----------------------------------------------------------

    def _on_msg(self, widget, content, buffers):
        actions = {
            "start": self.start,
            "stop": self.stop,
            "reset": self.reset,
            "doubtful": lambda: self.select_doubtful(int(content.get("n", 20))),
            "suggest": lambda: self._send_suggestions(content.get("id"), buffers),
            "accept": lambda: self._accept_from_browser(buffers),
        }
        action = actions.get(content.get("action"))
        if action is None:
            return super()._on_msg(widget, content, buffers)
        try:
            action()
        except Exception as error:  # shown in the widget, not lost in the kernel log
            self.send({"type": "error", "message": f"{type(error).__name__}: {error}"})

    def _send_suggestions(self, request, buffers):
        """Answer the selection list: a suggestion and confidence for each row it shows."""
        rows = indices_from_bytes(buffers[0] if buffers else None)
        answer = {"type": "suggestions", "id": request, "indices": rows.tolist()}
        if self.can_predict and self._is_fitted() and len(rows):
            frame = self.suggestions(rows)
            answer["labels"] = [str(v) for v in frame["suggestion"]]
            answer["confidence"] = [round(float(c), 4) for c in frame["confidence"]]
        else:
            answer["labels"] = [None] * len(rows)
            answer["confidence"] = [0.0] * len(rows)
        self.send(answer)

    def _accept_from_browser(self, buffers):
        accepted = self.accept_suggestions(indices_from_bytes(buffers[0] if buffers else None))
        self._say(f"Accepted {len(accepted)} suggestions (Undo takes them back).")

    # -- what subclasses define ----------------------------------------------------------------

    def _batch(self):
        raise NotImplementedError

    def _partial_fit(self, *batch):
        raise NotImplementedError

    def _model_input(self, rows):
        """What the model takes for points ``rows``: rows of X, or their texts."""
        if not self._takes_texts:
            return self._X[rows]
        if len(rows) == self._n and (rows == np.arange(self._n)).all():
            return self._text_list
        return [self._text_list[i] for i in rows]

    def _embed(self):
        """The model's embedding of every point, or None when training stopped first."""
        if self._takes_texts:
            return self._encode_texts()
        # X was checked for NaN and inf once, when the widget was made.
        with config_context(assume_finite=True):
            return self.model.transform(self._X)

    def _encode_texts(self):
        """Encode every text with the model as it is now, ``frame_chunk`` texts at a time,
        in a fixed random order, with progress in the toolbar.

        Encoding is slow on a CPU (a few hundred texts a second), so the picture does not
        wait for the last text: about once a second a preview is drawn, in which the texts
        not yet encoded are placed by a linear map from X to the new embedding, fitted on
        the texts encoded so far (a random sample of them). A background step gives up
        when stop() is asked for, instead of finishing.
        """
        if self._encode_order is None:
            self._encode_order = np.random.default_rng(0).permutation(self._n)
        order, out = self._encode_order, None
        last_preview = time.monotonic()
        for start in range(0, self._n, self.frame_chunk):
            if self._loop.should_stop():
                self.set_trait("status", "")
                return None
            rows = order[start : start + self.frame_chunk]
            part = np.asarray(self.model.transform([self._text_list[i] for i in rows]))
            if out is None:
                out = np.empty((self._n, part.shape[1]), dtype=np.float32)
            out[rows] = part
            done = start + len(rows)
            self.set_trait("status", f"encoding the picture: {done:,} of {self._n:,} texts")
            if done < self._n and time.monotonic() - last_preview >= PREVIEW_SECONDS:
                self._draw(_preview(self._X, out, order[:done]))
                last_preview = time.monotonic()
        self.set_trait("status", "")
        return out


def _preview(X, encoded, done):
    """Every row's new embedding: the encoded rows as they are, the rest predicted from X
    by a ridge regression fitted on the encoded ones (a little ridge, since a first chunk
    has fewer texts than dimensions)."""
    A, B = X[done], encoded[done]
    mean_a, mean_b = A.mean(axis=0), B.mean(axis=0)
    A, B = A - mean_a, B - mean_b
    gram = A.T @ A
    ridge = 1e-2 * np.trace(gram) / len(gram) + 1e-6
    W = np.linalg.solve(gram + ridge * np.eye(len(gram), dtype=gram.dtype), A.T @ B)
    estimate = (X - mean_a) @ W + mean_b
    estimate[done] = encoded[done]
    return estimate.astype(np.float32, copy=False)


class TunerWidget(_TrainingWidget):
    """An EmbeddingScatter whose points are ``tuner.transform(X)``, while the tuner trains.

    Each step is one ``tuner.partial_fit`` on every labelled point: the labels in ``y``
    plus every label made in the widget (or with ``label``). ``start()`` trains in the
    background, so the notebook stays usable and labels made meanwhile join the next step;
    ``stop()`` ends it; ``fit(steps)`` trains blocking. When the tuner has
    ``predict_proba``, ``color_by="doubt"`` colours points by the model's doubt,
    ``select_doubtful(n)`` selects the unlabelled points it is most worth labelling next,
    ``suggestions()`` gives the model's label for the selected points and
    ``accept_suggestions()`` (the Accept button, key A) labels them so, in one undoable
    action.

    A tuner that takes texts (its scikit-learn tags say ``input_tags.string``, as
    SbertTuner's do) trains on the labelled ``texts``, and each frame encodes every text
    with the model as it is now: ``frame_chunk`` texts at a time, with the progress in
    the toolbar (a few hundred texts a second on a laptop CPU; the model's device is
    used, so a GPU makes frames fast).

    Parameters
    ----------
    tuner : estimator with ``partial_fit(X, y)`` and ``transform(X)``
        Any of embedwidget's tuners, or a scikit-learn transformer with ``partial_fit``.
    X : array-like of shape (n, dim)
        The embedding the tuner takes as input.
    texts : sequence of str, optional
        One text per point, for hover and search.
    y : sequence, optional
        A label per point, ``None`` (or NaN) where unlabelled.
    store : str, os.PathLike, AnnotationStore or None
        Where labels made in the widget are kept (see EmbeddingScatter).
    max_fps : float, default=10
        Most frames a second sent to the browser.
    max_steps_per_second : float or None, default=20
        Pace of ``start()``'s steps (``fit`` is never paced); None trains flat out.
    max_bytes_per_second : float or None, default=8_000_000
        Most bytes of frames a second sent while training: with many points, fewer
        frames are sent (the toolbar says so) and the browser tweens between them, so a
        kernel on a remote machine keeps up. None: no limit.
    compare : bool, default=False
        Draw the starting picture (the PCA of ``X``) beside the live one; selection,
        hover and search are shared between the two.
    frame_chunk : int, default=256
        Texts encoded at a time for a frame of a tuner that takes texts.
    encoder : object with ``transform(list_of_str)``, optional
        As in EmbeddingScatter: search by meaning, here in the tuner's embedding.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget import TunerWidget
    >>> from embedwidget.finetune import FeedForwardTuner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 16)).astype("float32")
    >>> y = [None] * 300
    >>> y[:10], y[10:20] = ["a"] * 10, ["b"] * 10
    >>> w = TunerWidget(FeedForwardTuner(hidden_dim=8, random_state=0), X, y=y)
    >>> w.label([20, 21], "a")  # joins the next step
    >>> w.fit(steps=5).step
    5
    >>> w.positions.shape
    (300, 2)
    >>> len(w.select_doubtful(10))
    10
    >>> w.suggestions([20, 25])[["index", "suggestion"]].shape
    (2, 2)
    """

    def __init__(self, tuner, X, texts=None, y=None, store=None, *, max_fps=10, **kwargs):
        _check_model(tuner, "tuner")
        super().__init__(tuner, X, texts=texts, labels=y, store=store, max_fps=max_fps, **kwargs)

    @property
    def tuner(self):
        """The tuner being trained (a fresh clone after ``reset()``)."""
        return self.model

    def _batch(self):
        with self._lock:
            rows, y = self._labels.labelled()
        if len(set(y.tolist())) < 2:
            self.set_trait("status", "Label points of at least two classes to start training.")
            return None
        self.set_trait("status", self._frame_note)
        return rows, y

    def _partial_fit(self, rows, y):
        y = _uniform_labels(y)
        if self._loop.restart_if_new(y):
            self.send({"type": "info", "message": "A new label: the model starts over."})
        with _quiet(self.model):
            self.model.partial_fit(self._model_input(rows), y)


class LearnerWidget(_TrainingWidget):
    """The training loop of TunerWidget for a learner trained on pairs.

    Each step is one ``learner.partial_fit(X[a], X[b], similar)`` on the given ``pairs``
    plus every pair made in the widget (Set side A, then Similar or Dissimilar) or with
    ``add_pairs``. With an ``SbertLearner``, pass ``texts``: it trains on and encodes
    the texts themselves (slower steps, same loop).

    Parameters
    ----------
    learner : ContrastiveLearner, SbertLearner, or anything with
        ``partial_fit(X1, X2, y)`` and ``transform(X)``
    X : array-like of shape (n, dim)
        The embedding of the points (the starting picture, and the learner's input
        unless it takes texts).
    texts : sequence of str, optional
        One text per point, for hover, search, and an SbertLearner's input.
    pairs : (a, b, similar) index arrays, optional
        Pairs to train on from the start (e.g. from ``pairs_from_labels``).
    store, max_fps, max_steps_per_second, max_bytes_per_second, compare, frame_chunk, encoder :
        as in TunerWidget.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget import LearnerWidget
    >>> from embedwidget.finetune import ContrastiveLearner
    >>> X = np.random.default_rng(0).normal(size=(200, 12)).astype("float32")
    >>> w = LearnerWidget(ContrastiveLearner(shape_out=6, random_state=0), X)
    >>> w.add_pairs([0, 1, 2], [3, 4, 5], similar=True)
    >>> w.add_pairs([0, 1], [10, 11], similar=False)
    >>> w.fit(steps=3).step
    3
    """

    def __init__(self, learner, X, texts=None, pairs=None, store=None, *, max_fps=10, **kwargs):
        _check_model(learner, "learner")
        super().__init__(learner, X, texts=texts, store=store, max_fps=max_fps, **kwargs)
        self._given_pairs = _check_pairs(pairs, self._n)

    @property
    def learner(self):
        """The learner being trained (a fresh clone after ``reset()``)."""
        return self.model

    def _batch(self):
        a, b, similar, _ = self.store.pairs()
        ga, gb, gs = self._given_pairs
        a, b, similar = np.r_[ga, a], np.r_[gb, b], np.r_[gs, similar].astype(np.float32)
        if not len(a):
            self.set_trait("status", "Make some pairs (Set side A, then Similar) to train.")
            return None
        self.set_trait("status", self._frame_note)
        return a, b, similar

    def _partial_fit(self, a, b, similar):
        with _quiet(self.model):
            self.model.partial_fit(self._model_input(a), self._model_input(b), similar)


@contextlib.contextmanager
def _quiet(model):
    """No progress bars during a step: the widget shows its own progress, and a notebook
    bar is a widget, which must not be made from the training thread."""
    if not hasattr(model, "show_progress_bar"):
        yield
        return
    saved, model.show_progress_bar = model.show_progress_bar, False
    try:
        yield
    finally:
        model.show_progress_bar = saved


def _check_model(model, role):
    if isinstance(model, type):
        raise TypeError(f"{role} must be an instance, like {model.__name__}(), not the class.")
    for method in ("partial_fit", "transform"):
        if not callable(getattr(model, method, None)):
            raise TypeError(
                f"{role} must have partial_fit and transform; {type(model).__name__} "
                f"has no {method}."
            )


def takes_texts(model):
    """Whether ``model`` takes texts rather than arrays, by its scikit-learn tags."""
    from sklearn.utils import get_tags

    try:
        tags = get_tags(model)
    except AttributeError:  # not a scikit-learn estimator, and no tags of its own
        return False
    return bool(tags.input_tags.string) and not tags.input_tags.two_d_array


def _check_pairs(pairs, n):
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32))
    if pairs is None:
        return empty
    try:
        a, b, similar = (np.asarray(part) for part in pairs)
    except (TypeError, ValueError):
        raise TypeError(
            "pairs must be (a, b, similar): two index arrays and the targets."
        ) from None
    if not (len(a) == len(b) == len(similar)):
        raise ValueError(
            f"pairs have {len(a)}, {len(b)} and {len(similar)} entries; need one length."
        )
    for name, part in (("a", a), ("b", b)):
        if len(part) and (
            not np.issubdtype(part.dtype, np.integer) or part.min() < 0 or part.max() >= n
        ):
            raise ValueError(f"pairs' {name} must be point indices in 0..{n - 1}.")
    similar = similar.astype(np.float32)
    if len(similar) and not ((similar >= 0) & (similar <= 1)).all():
        raise ValueError("pairs' similar must be in [0, 1] (1 similar, 0 dissimilar).")
    return a.astype(np.int64), b.astype(np.int64), similar


def _uniform_labels(y):
    """Labels as one numpy type (all int or all str), as estimators expect."""
    values = y.tolist()
    if all(isinstance(v, int) for v in values):
        return np.array(values, dtype=np.int64)
    return np.array([str(v) for v in values])


def _fitted(model):
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except Exception:
        return False
    return True


def _doubt_bytes(doubt):
    return np.round(np.asarray(doubt) * 255).astype(np.uint8).tobytes()
