"""TunerWidget and LearnerWidget: the picture moves while a model trains, and labels or
pairs made by hand join the next training step.

The widgets adapt a training session (``embedwidget.session``: the model, its loop thread,
frames, doubt, suggestions) to synced traits and the browser's requests.
"""

from __future__ import annotations

import numpy as np
import traitlets

from embedwidget.session import LearnerSession, TunerSession
from embedwidget.widgets.scatter import EmbeddingScatter
from embedwidget.widgets.serializers import doubt_to_bytes, indices_from_bytes, positions_to_bytes


class _TrainingWidget(EmbeddingScatter):
    """The traits and requests shared by TunerWidget and LearnerWidget."""

    _training = traitlets.Bool(True).tag(sync=True)
    step = traitlets.Int(0, read_only=True).tag(sync=True)
    losses = traitlets.List(traitlets.Float(), read_only=True).tag(sync=True)
    running = traitlets.Bool(False, read_only=True).tag(sync=True)
    status = traitlets.Unicode("", read_only=True).tag(sync=True)
    error = traitlets.Unicode("", read_only=True).tag(sync=True)
    _doubt = traitlets.Bytes().tag(sync=True)
    compare = traitlets.Bool(False, read_only=True).tag(sync=True)
    _start_positions = traitlets.Bytes().tag(sync=True)
    _start_bounds = traitlets.List(traitlets.Float()).tag(sync=True)
    # Is it helping: the latest estimate and the learning curve, as the toolbar shows them.
    _estimate = traitlets.Dict().tag(sync=True)  # {macro_f1, low, high, labels, hint}
    _learning_curve = traitlets.List().tag(sync=True)  # [labels, macro_f1, low, high] rows

    _commands = {
        **EmbeddingScatter._commands,
        "start": "_start_request",
        "stop": "_stop_request",
        "reset": "_reset_request",
        "doubtful": "_doubtful_request",
        "suggest": "_suggest_request",
        "accept": "_accept_request",
        "suspicious": "_suspicious_request",
    }

    def _adopt(self, session, *, compare=False, **kwargs):
        if compare and session.X.shape[1] == 2:
            raise ValueError(
                "compare=True draws the PCA picture of X beside the tuned one, but X is "
                "already 2-D: pass the embedding itself (say, SentenceEncoder's output)."
            )
        self._sent_doubt = None
        self._review = None  # the suspicious labels under review, by point
        kwargs.setdefault("transition_ms", int(900 / session.pacer.max_fps))
        super()._adopt(session, **kwargs)
        self.set_trait("can_predict", session.can_predict)
        if compare:
            # The starting picture stays as it is; the live one moves beside it.
            with self.hold_sync():
                self.set_trait("compare", True)
                self._start_positions = self._positions
                self._start_bounds = list(self._bounds)
        self._on_color_by({"new": self.color_by})
        self.observe(self._on_color_by, "color_by")

    @property
    def model(self):
        """The model being trained (a fresh copy after ``reset()``)."""
        return self.session.model

    @property
    def max_fps(self):
        """Most frames a second sent to the browser."""
        return self.session.pacer.max_fps

    @max_fps.setter
    def max_fps(self, value):
        self.session.pacer.max_fps = value

    @property
    def max_bytes_per_second(self):
        """Most bytes of frames a second sent to the browser while training (None: no
        limit)."""
        return self.session.pacer.max_bytes_per_second

    @property
    def max_steps_per_second(self):
        """Pace of ``start()``'s steps (None: flat out)."""
        return self.session.loop.max_steps_per_second

    @max_steps_per_second.setter
    def max_steps_per_second(self, value):
        self.session.loop.max_steps_per_second = value

    # -- from the session to the traits ----------------------------------------------------

    def _on_positions(self):
        """A frame: the picture, the doubt colours when they changed, and the pace of the
        next frames by the bytes this one took."""
        session = self.session
        with self._lock, self.hold_sync():
            super()._on_positions()
            nbytes = len(self._positions)
            if session.doubt is not self._sent_doubt:
                self._sent_doubt = session.doubt
                self._doubt = b"" if session.doubt is None else doubt_to_bytes(session.doubt)
                nbytes += len(self._doubt)
            if session.running or session.steps:
                session.frame_sent(nbytes)
                self.transition_ms = int(900 * session.pacer.interval)

    def _on_projection(self):
        super()._on_projection()
        if self.compare:  # the starting picture beside, with the same projection
            positions, bounds = self.session.start_picture()
            with self._lock, self.hold_sync():
                self._start_positions = positions_to_bytes(positions)
                self._start_bounds = list(bounds)

    def _on_doubt(self):
        with self._lock:
            self._sent_doubt = self.session.doubt
            self._doubt = doubt_to_bytes(self.session.doubt)

    def _on_training(self):
        session = self.session
        with self._lock, self.hold_sync():
            self.set_trait("step", session.steps)
            self.set_trait("losses", list(session.losses))
            self.set_trait("running", session.running)
            self.set_trait("status", session.status)
            self.set_trait("error", session.error)
            if session.estimates.latest is None and self._estimate:  # reset: start over
                self._estimate, self._learning_curve = {}, []

    def _on_estimate(self):
        latest = self.session.estimates.latest
        if latest is None:
            return
        curve = self.session.learning_curve()
        with self._lock, self.hold_sync():
            self._estimate = {key: latest[key] for key in ESTIMATE_SHOWN}
            self._learning_curve = curve[["labels", "macro_f1", "low", "high"]].to_numpy().tolist()

    def _colour_choices(self):
        return ["label", "doubt", *super()._colour_choices()[1:]]

    def _on_color_by(self, change):
        self.session.show_doubt = change["new"] == "doubt"
        if self.session.show_doubt:
            self.session.update_doubt()

    # -- running ------------------------------------------------------------------------------

    def start(self):
        """Train in a background thread until ``stop()``; returns at once."""
        self.session.start()
        return self

    def stop(self):
        """End background training after the step in progress; raises what it raised."""
        self.session.stop()
        return self

    def close(self):
        """Stop training, then close the widget (its views disappear)."""
        super().close()

    def fit(self, steps=10):
        """Run ``steps`` training steps here and now (blocking), then send a frame."""
        self.session.fit(steps)
        return self

    def reset(self):
        """Stop, forget what the model learned, and show the starting picture again."""
        self.session.reset()
        return self

    # -- doubt and suggestions -----------------------------------------------------------------

    def select_doubtful(self, n=20):
        """Select the ``n`` unlabelled points the model is least sure of; returns them."""
        return self.session.select_doubtful(n)

    def suggestions(self, indices=None):
        """The model's label for each point of ``indices`` (default: the selection).

        Returns a DataFrame with columns index, text, label (now), suggestion (the most
        probable class) and confidence (its probability).
        """
        return self.session.suggestions(indices)

    def accept_suggestions(self, indices=None):
        """Label every point of ``indices`` (default: the selection) with the model's
        suggestion, as one action that one ``undo()`` takes back; returns the
        suggestions it accepted (as ``suggestions`` gives them)."""
        return self.session.accept_suggestions(indices)

    # -- is it helping -------------------------------------------------------------------------

    def estimate(self):
        """The model's expected macro-F1 and accuracy on the points it has not seen, from
        the labels alone, with an interval: a mapping with ``macro_f1``, ``low``,
        ``high``, ``labels``, ``accuracy`` and more. The toolbar shows it, kept fresh in
        the background while training runs."""
        estimated = self.session.estimate()
        self._on_estimate()
        return estimated

    def learning_curve(self):
        """The estimate against the number of labels, as a DataFrame (labels, macro_f1,
        low, high, step); ``.attrs["hint"]`` says when more labels stop paying. Draw it
        with ``embedwidget.charts.learning_curve_chart``."""
        return self.session.learning_curve()

    def suspicious_labels(self, n=None):
        """The labelled points the model believes are labelled wrong, most suspicious
        first: a DataFrame with index, text, label (given), suggestion and confidence
        (and more, see ``TrainingSession.suspicious_labels``)."""
        return self.session.suspicious_labels(n)

    def review_suspicious(self, n=None):
        """Select the suspicious labels (the "Review suspicious" button): the list shows
        each beside the suggestion, and Accept (or ``accept_suggestions()``) relabels the
        selection with them as one undoable action. Returns ``suspicious_labels(n)``."""
        frame = self.session.suspicious_labels(n)
        self._review = frame.set_index("index")
        self.session.select(frame["index"].to_numpy())
        if len(frame):
            self.session.say(
                f"{len(frame)} labels look wrong: each is listed beside the model's suggestion; "
                "Accept relabels the selection (Undo takes it back)."
            )
        else:
            self.session.say("No label looks wrong to the model.")
        return frame

    def fix_labels(self, frame):
        """Give the points of ``frame`` (from ``suspicious_labels``) their suggestions, as
        one action that one ``undo()`` takes back; returns its id."""
        return self.session.fix_labels(frame)

    def _under_review(self, rows):
        """The review's rows for points ``rows``, if every one of them is under review."""
        review = self._review
        if review is None or not len(rows) or not np.isin(rows, review.index).all():
            return None
        return review.loc[rows].reset_index()

    # -- the browser's requests ----------------------------------------------------------------

    def _start_request(self, content, buffers):
        self.start()

    def _stop_request(self, content, buffers):
        self.stop()

    def _reset_request(self, content, buffers):
        self.reset()

    def _doubtful_request(self, content, buffers):
        self.session.select_doubtful(int(content.get("n", 20)))

    def _suggest_request(self, content, buffers):
        """Answer the selection list: a suggestion and confidence for each row it shows."""
        session = self.session
        rows = indices_from_bytes(buffers[0] if buffers else None)
        answer = {"type": "suggestions", "id": content.get("id"), "indices": rows.tolist()}
        reviewed = self._under_review(rows)
        if reviewed is not None:  # the review's suggestions, not the live model's
            answer["labels"] = [str(v) for v in reviewed["suggestion"]]
            answer["confidence"] = [round(float(c), 4) for c in reviewed["confidence"]]
        elif session.can_predict and session.is_fitted() and len(rows):
            frame = session.suggestions(rows)
            answer["labels"] = [str(v) for v in frame["suggestion"]]
            answer["confidence"] = [round(float(c), 4) for c in frame["confidence"]]
        else:
            answer["labels"] = [None] * len(rows)
            answer["confidence"] = [0.0] * len(rows)
        self.send(answer)

    def _accept_request(self, content, buffers):
        rows = indices_from_bytes(buffers[0] if buffers else None)
        reviewed = self._under_review(rows)
        if reviewed is not None:
            self.session.fix_labels(reviewed)
            self.session.say(f"Relabelled {len(reviewed)} points (Undo takes it back).")
            return
        accepted = self.session.accept_suggestions(rows)
        self.session.say(f"Accepted {len(accepted)} suggestions (Undo takes them back).")

    def _suspicious_request(self, content, buffers):
        n = content.get("n")
        self.review_suspicious(None if n is None else int(n))


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
        if "labels" in kwargs:
            raise TypeError(
                "TunerWidget takes the labels as y=, as scikit-learn does: "
                "TunerWidget(tuner, X, y=labels)."
            )
        session_kwargs = _take_session_kwargs(kwargs)
        session = TunerSession(tuner, X, texts, y, store, max_fps=max_fps, **session_kwargs)
        self._adopt(session, **kwargs)
        self.set_trait("can_pair", False)  # it trains on labels: pairs would do nothing

    @property
    def tuner(self):
        """The tuner being trained (a fresh clone after ``reset()``)."""
        return self.model


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
        session_kwargs = _take_session_kwargs(kwargs)
        session = LearnerSession(learner, X, texts, pairs, store, max_fps=max_fps, **session_kwargs)
        self._adopt(session, **kwargs)

    _pair_review = traitlets.Int(0).tag(sync=True)  # pairs under review (Fix pairs)

    _commands = {
        **_TrainingWidget._commands,
        "review_pairs": "_review_pairs_request",
        "fix_pairs": "_fix_pairs_request",
    }

    @property
    def learner(self):
        """The learner being trained (a fresh clone after ``reset()``)."""
        return self.model

    def contradicting_pairs(self, n=None):
        """The pairs made by hand that most contradict the pairs around them: a DataFrame
        with a, b, similar, text_a, text_b and a score (see
        ``LearnerSession.contradicting_pairs``)."""
        return self.session.contradicting_pairs(n)

    def review_pairs(self, n=None):
        """Select the points of the contradicting pairs ("Review pairs"); ``fix_pairs()``
        (the "Fix pairs" button) then turns them the other way. Returns them."""
        frame = self.session.contradicting_pairs(n)
        self._pairs_under_review = frame
        self._pair_review = len(frame)
        points = np.unique(np.concatenate([frame["a"].to_numpy(), frame["b"].to_numpy()]))
        self.session.select(points.astype(np.int64))
        if len(frame):
            self.session.say(
                f"{len(frame)} pairs contradict the pairs around them (their points are "
                "selected): Fix pairs turns them the other way."
            )
        else:
            self.session.say("No pair contradicts the rest.")
        return frame

    def fix_pairs(self, frame=None):
        """Turn each pair of ``frame`` (default: those under review) the other way, as one
        action that one ``undo()`` takes back; returns its id."""
        if frame is None:
            frame = getattr(self, "_pairs_under_review", None)
            if frame is None or not len(frame):
                raise ValueError("No pairs under review: review_pairs() (Review pairs) first.")
        action = self.session.fix_pairs(frame)
        self._pairs_under_review, self._pair_review = None, 0
        self.session.say(f"Turned {len(frame)} pairs the other way (Undo takes it back).")
        return action

    def _review_pairs_request(self, content, buffers):
        self.review_pairs()

    def _fix_pairs_request(self, content, buffers):
        self.fix_pairs()


# What of an estimate the toolbar shows.
ESTIMATE_SHOWN = ("macro_f1", "low", "high", "labels", "hint")

_SESSION_KWARGS = (
    "encoder",
    "data",
    "projection",
    "max_steps_per_second",
    "max_bytes_per_second",
    "frame_chunk",
)


def _take_session_kwargs(kwargs):
    """The keyword arguments that are the session's, taken out of ``kwargs`` (the rest are
    the widget's)."""
    return {name: kwargs.pop(name) for name in _SESSION_KWARGS if name in kwargs}
