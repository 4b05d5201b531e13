"""A training session: an annotation session whose picture is a model's embedding, while
the model trains on what the person labels or pairs.

One training step is one ``partial_fit`` on everything labelled (or paired) so far, read
from the store at the start of the step: a label made while a step runs, here or by
another writer, is in the store, so the next step uses it, whatever the timing. Frames
(embed, project, draw) are paced by a ``FramePacer``. The probabilities a person sees
are calibrated (``proba``, see ``calibration``), and training stops stepping once it has
converged (see ``convergence``) until something new arrives.
"""

from __future__ import annotations

import copy
import time

import numpy as np

from embedwidget._utils import check_embedding, check_indices, progress_to, quiet
from embedwidget.session import suspicious
from embedwidget.session.annotate import AnnotationSession
from embedwidget.session.calibration import Calibration
from embedwidget.session.convergence import Convergence
from embedwidget.session.doubt import doubt, pick_doubtful
from embedwidget.session.estimate import Estimates
from embedwidget.session.frames import FramePacer, encode_texts, preview, transform_rows
from embedwidget.session.trainer import TrainingLoop

MAX_LOSSES = 300  # points of the loss curve kept for a person to see


class TrainingSession(AnnotationSession):
    """The training loop shared by the tuner and learner sessions.

    Parameters
    ----------
    model : estimator with ``partial_fit`` and ``transform``
    X, texts, labels, store, encoder, data, projection : as in AnnotationSession
    max_fps, max_steps_per_second, max_bytes_per_second, frame_chunk :
        as in TunerWidget.

    Attributes
    ----------
    steps : int
        Training steps made since the start or the last ``reset``.
    losses : list of float
        The model's latest loss after each step (the last ``MAX_LOSSES``).
    status, error : str
        What the person is told about the training now ("converged · step N" once it
        has converged); the error that stopped it.
    converged : bool
        Whether training has converged and stopped stepping: a new label or pair,
        ``start()`` or ``fit()`` resumes it.
    calibration : Calibration
        The twins of a model that predicts, and the temperature of its probabilities.
    embedding : ndarray or None
        The model's embedding of every point, as of the last frame.
    doubt : ndarray or None
        Each point's doubt (0 sure, 1 unsure) as of the last frame, when ``show_doubt``.
    estimates : Estimates
        The model's estimated macro-F1 (``estimate()``) and its learning curve.

    Besides AnnotationSession's, subscribers hear "training" (steps, losses, status,
    error or running changed), "settled" (training paused: ``fit`` returned, the
    thread stopped; the time for work that is too slow for every frame) and "estimate"
    (a new background estimate, the detail: ``estimate()``'s mapping).
    """

    def __init__(
        self,
        model,
        X,
        texts=None,
        labels=None,
        store=None,
        *,
        encoder=None,
        data=None,
        projection="pca",
        max_fps=10,
        max_steps_per_second=20,
        max_bytes_per_second=8_000_000,
        frame_chunk=256,
    ):
        check_model(model, self.role)
        X = np.ascontiguousarray(check_embedding(X), dtype=np.float32)
        self.pacer = FramePacer(max_fps, max_bytes_per_second)
        self.takes_texts = takes_texts(model)
        if self.takes_texts and texts is None:
            raise ValueError(
                f"{type(model).__name__} trains on texts (its scikit-learn tags say so): "
                "pass texts=, one per row of X."
            )
        if not (isinstance(frame_chunk, int) and frame_chunk > 0):
            raise ValueError(f"frame_chunk must be a positive int; got {frame_chunk!r}.")
        self.frame_chunk = frame_chunk
        self.loop = TrainingLoop(
            model,
            lambda loop: self.step(),
            max_steps_per_second=max_steps_per_second,
            on_running=self._set_running,
            on_error=self._stopped_by,
        )
        self.calibration = Calibration(model, len(X))
        self.convergence = Convergence()
        self.estimates = Estimates()
        self.steps = 0
        self.losses = []
        self.status = self.error = ""
        self.embedding = None
        self.doubt = None
        self.show_doubt = False
        self._frame_step = -1  # the step the last frame showed
        self._encode_order = None  # the order texts are encoded in for a frame
        # One projector for the starting picture and the live frames, so the first live
        # frame is turned to line up with the starting picture.
        super().__init__(
            X, texts, labels, store, encoder=encoder, data=data, projection=projection,
            smoothing=0.5,
        )  # fmt: skip

    role = "model"
    umap_reference = True

    @property
    def model(self):
        """The model being trained (a fresh copy after ``reset()``)."""
        return self.loop.model

    @property
    def can_predict(self):
        return hasattr(self.model, "predict_proba")

    @property
    def running(self):
        """Whether the background thread trains (as it last told the session)."""
        return self._running

    _running = False

    def _set_running(self, running):
        self._running = running
        self._tell("training")
        if not running:
            self._tell("settled")

    # -- running --------------------------------------------------------------------------

    @property
    def converged(self):
        return self.convergence.converged

    def start(self):
        """Train in a background thread until ``stop()``; returns at once. Resumes
        training that had converged."""
        self.convergence.reset(self._version)
        self.loop.start()

    def stop(self):
        """End background training after the step in progress; raises what it raised."""
        try:
            self.loop.stop()
        finally:
            self._tell("training")

    def fit(self, steps=10):
        """Run ``steps`` training steps here and now (blocking), fewer if training
        converges first, then draw a frame. Resumes training that had converged."""
        self.convergence.reset(self._version)
        self.loop.run(steps)
        if self._frame_step != self.steps:  # unless the last step just drew one
            self.frame()
        self._tell("settled")

    def reset(self):
        """Stop, forget what the model learned, and draw the starting picture again."""
        self.stop()
        self.loop.reset()
        with self.loop.lock:
            with self.lock:
                self.projector.reset()
                self.calibration.reset()
                self.convergence.reset()
                self.estimates.reset()
                self._temperature_of = None
                self.steps = 0
                self.losses = []
                self.status = self.error = ""
                self.doubt = self.embedding = None
            self._tell("training")
            self.show(self.X)

    def close(self):
        """Stop training (without raising what stopped it) and stop watching the store."""
        self.loop.close()
        super().close()

    def undo(self):
        """Take back the last action made here (see AnnotationSession.undo). Undoing an
        Accept also takes back what the model learned from it: the model is put back as
        it was just before the Accept, so what was accepted is not suggested back."""
        with self.loop.lock:
            undone = super().undo()
            before = self._before_accept.pop(undone["id"], None) if undone else None
            if before is not None:
                self.loop.model = before
                self.say("Undone, and the model is back as it was before the Accept.")
                self.frame()
        return undone

    def _stopped_by(self, error):
        """Shown to the person; raised by the next fit() or stop()."""
        self.error = f"Training stopped: {describe(error)}"
        self._tell("training")

    def set_status(self, status):
        if status != self.status:
            self.status = status
            self._tell("training")

    # -- one step -----------------------------------------------------------------------

    def step(self):
        """One partial_fit on everything labelled so far, and a frame when one is due.
        Returns False when there is not enough to train on, or when training has
        converged and the store has not changed since."""
        self.sync()
        if self.convergence.holds(self._version):
            return False
        batch = self.batch()
        if batch is None:
            return False
        reported = []  # a step of many batches (a sentence model's) says how far it is

        def progress(done, total):
            reported.append(done)
            self.set_status(f"step {self.steps + 1}: batch {done} of {total}")

        with quiet(self.model), progress_to(progress):
            self.partial_fit(*batch)
        if reported:
            self.set_status("")
        losses = getattr(self.model, "loss_curve_", None)
        with self.lock:
            self.steps += 1
            if losses:
                self.losses = [*self.losses, float(losses[-1])][-MAX_LOSSES:]
            self.error = ""
        self._tell("training")
        if self.pacer.due(time.monotonic()):
            self.frame()
            self.watch_convergence()
        estimated = self.estimates.maybe_update(self)
        if estimated is not None:
            self._tell("estimate", estimated)
        return True

    def watch_convergence(self):
        """Show the frame just drawn, and the validation loss, to the convergence rule;
        once it holds, say so."""
        loss = None
        if self.can_predict:
            self.fit_temperature()
            loss = self.calibration.loss
        if self.convergence.frame(self.steps, self.positions, loss, self._version):
            self.set_status(f"converged · step {self.steps}")

    def batch(self):
        """What the next step trains on, or None (with a status saying why)."""
        raise NotImplementedError

    def partial_fit(self, *batch):
        raise NotImplementedError

    # -- frames ---------------------------------------------------------------------------

    def frame(self):
        """Embed every point with the model as it is now, and draw it."""
        if not self.is_fitted():
            return
        embedding = self.embed()
        if embedding is None:  # given up: training was stopped while it was encoded
            return
        before = self.embedding
        if before is not None and embedding.shape[1] != before.shape[1]:
            raise ValueError(
                f"{type(self.model).__name__}.transform gave {embedding.shape[1]} columns, "
                f"after {before.shape[1]} in the frame before: its output width must stay "
                "the same while it trains."
            )
        with self.lock:
            self.embedding = embedding
            self._frame_step = self.steps
            self.doubt = self.doubt_of_all() if self.show_doubt and self.can_predict else None
        self.draw(embedding)

    def frame_sent(self, nbytes):
        """Note that a frame of ``nbytes`` went to a browser: it sets the pace of the next
        ones (and the status says so while the byte budget holds them back)."""
        self.pacer.sent(nbytes, time.monotonic())

    def embed(self):
        """The model's embedding of every point, or None when training stopped first."""
        if not self.takes_texts:
            return transform_rows(self.model, self.X)
        if self._encode_order is None:
            self._encode_order = np.random.default_rng(0).permutation(self.n)
        out = encode_texts(
            self.model,
            self.texts,
            self._encode_order,
            self.frame_chunk,
            should_stop=self.loop.should_stop,
            progress=lambda done: self.set_status(
                f"encoding the picture: {done:,} of {self.n:,} texts"
            ),
            preview=lambda encoded, done: self.draw(preview(self.X, encoded, done)),
        )
        self.set_status("")
        return out

    def is_fitted(self):
        if hasattr(self.model, "get_params"):  # a scikit-learn estimator says so itself
            return fitted(self.model)
        return self.steps > 0

    def drawn_embedding(self):
        return self.X if self.embedding is None else self.embedding

    def model_input(self, rows):
        """What the model takes for points ``rows``: rows of X, or their texts."""
        if not self.takes_texts:
            return self.X[rows]
        if len(rows) == self.n and (rows == np.arange(self.n)).all():
            return self.texts
        return [self.texts[i] for i in rows]

    # -- is it helping ----------------------------------------------------------------------

    def estimate(self):
        """The model's expected macro-F1 and accuracy on the points it has not seen, from
        the labels alone, with an interval: a mapping with ``macro_f1``, ``low``,
        ``high``, ``labels``, ``accuracy`` and more (see ``session.estimate``)."""
        with self.loop.lock:
            return self.estimates.current(self)

    def learning_curve(self):
        """The estimate against the number of labels (DataFrame: labels, macro_f1, low,
        high, step); ``attrs["hint"]`` says when more labels stop paying."""
        return self.estimates.learning_curve()

    # -- doubt and suggestions --------------------------------------------------------------

    def proba(self, rows):
        """The model's calibrated class probabilities for points ``rows``: an array
        (len(rows), n_classes) in the order of ``model.classes_``. Suggestions, doubt
        and "Select doubtful" all read these."""
        rows = np.asarray(rows)
        raw = self.model.predict_proba(self.model_input(rows))
        self.fit_temperature()
        return self.calibration.calibrate(raw)

    _temperature_of = None  # (steps, store version) the temperature was fitted at

    def fit_temperature(self):
        """Fit the temperature of ``proba`` on the twins' held-out predictions, unless
        it was fitted since the last step and the last change of the store."""
        with self.lock:
            key = (self.steps, self._version)
            if key == self._temperature_of:
                return
            rows, y = self.labels.labelled()
        classes = getattr(self.model, "classes_", None)
        if classes is None or not len(rows):
            return
        self.calibration.fit(rows, uniform_labels(y), self.model_input, classes)
        self._temperature_of = key

    def proba_of_all(self):
        return self.proba(np.arange(self.n))

    def doubt_of_all(self):
        """1 where the model cannot tell the classes apart, 0 where it is sure."""
        return doubt(self.proba_of_all())

    def update_doubt(self):
        """Compute the doubt now (say, when a person asks to colour by it)."""
        if self.can_predict and self.is_fitted():
            with self.lock:
                self.doubt = self.doubt_of_all()
            self._tell("doubt")

    def require_predictions(self, what):
        """Raise unless the model can give probabilities now: a TypeError when it has no
        ``predict_proba``, a ValueError before it has trained. ``what`` is what needs
        them, as in "the model cannot {what} yet" ("measure doubt")."""
        if not self.can_predict:
            raise TypeError(
                f"{type(self.model).__name__} has no predict_proba, so it cannot {what}."
            )
        if not self.is_fitted():
            raise ValueError(f"Train first (start() or fit()): the model cannot {what} yet.")

    def select_doubtful(self, n=20):
        """Select the ``n`` unlabelled points the model is least sure of; returns them."""
        self.require_predictions("measure doubt")
        unlabelled = self.labels.unlabelled()
        chosen = pick_doubtful(self.proba_of_all(), unlabelled, n, embedding=self.drawn_embedding())
        return self.select(chosen)

    def suggestions(self, indices=None):
        """The model's label for each point of ``indices`` (default: the selection):
        a DataFrame with index, text, label (now), suggestion and confidence."""
        import pandas as pd

        indices = self._suggestion_rows(indices)
        proba = self.proba(indices)
        best = proba.argmax(axis=1)
        classes = [self.labels.match(str(c)) for c in np.asarray(self.model.classes_).tolist()]
        return pd.DataFrame(
            {
                "index": indices,
                "text": self.texts_at(indices),
                "label": pd.Series(self.labels.at(indices), dtype=object),
                "suggestion": pd.Series([classes[c] for c in best.tolist()], dtype=object),
                "confidence": proba[np.arange(len(indices)), best],
            }
        )

    def accept_suggestions(self, indices=None):
        """Label every point of ``indices`` (default: the selection) with the model's
        suggestion, as one undoable action; returns the suggestions it accepted."""
        with self.loop.lock:
            frame = self.suggestions(indices)
            before = copy.deepcopy(self.model)
            action = self.label_each(frame["index"].to_numpy(), frame["suggestion"].tolist())
            self._before_accept = {action: before}  # the latest Accept's, for its undo
        return frame

    _before_accept = {}

    def suspicious_labels(self, n=None):
        """The labelled points whose labels are most likely wrong, most suspicious first:
        a DataFrame with index, text, label, suggestion, confidence, p_wrong and
        action_size; ``n=None`` lists those more likely wrong than right (see
        ``session.suspicious``)."""
        return suspicious.suspicious_labels(self, n)

    def fix_labels(self, frame):
        """Give the points of ``frame`` (from ``suspicious_labels``) their suggestions,
        as one undoable action; returns its id."""
        return suspicious.fix_labels(self, frame)

    def _suggestion_rows(self, indices):
        self.require_predictions("suggest labels")
        rows = check_indices(self.selection if indices is None else indices, self.n, "indices")
        if not len(rows):
            raise ValueError("No points given: select some points to get suggestions for.")
        return rows


class TunerSession(TrainingSession):
    """A training session whose model trains on labels: every step is one
    ``tuner.partial_fit`` on every labelled point, given up front or in the store."""

    role = "tuner"
    labels_name = "y"

    def batch(self):
        with self.lock:
            rows, y = self.labels.labelled()
        if len(set(y.tolist())) < 2:
            self.set_status("Label points of at least two classes to start training.")
            return None
        self.set_status(self.pacer.note)
        return rows, y

    def partial_fit(self, rows, y):
        y = uniform_labels(y)
        if self.loop.restart_if_new(y):
            self.say("A new label: the model starts over.")
        self.model.partial_fit(self.model_input(rows), y)
        if self.can_predict:
            self.calibration.partial_fit(rows, y, self.model_input, self.model.classes_)


class LearnerSession(TrainingSession):
    """A training session whose model trains on pairs: every step is one
    ``learner.partial_fit(X[a], X[b], similar)`` on the given pairs and those in the store.

    ``pairs`` : (a, b, similar) index arrays to train on from the start.
    """

    role = "learner"

    def __init__(self, learner, X, texts=None, pairs=None, store=None, **kwargs):
        super().__init__(learner, X, texts=texts, store=store, **kwargs)
        self.given_pairs = check_pairs(pairs, self.n)

    def batch(self):
        a, b, similar, _ = self.pairs
        ga, gb, gs = self.given_pairs
        a, b, similar = np.r_[ga, a], np.r_[gb, b], np.r_[gs, similar].astype(np.float32)
        if not len(a):
            self.set_status("Make some pairs (Set side A, then Similar) to train.")
            return None
        self.set_status(self.pacer.note)
        return a, b, similar

    def partial_fit(self, a, b, similar):
        self.model.partial_fit(self.model_input(a), self.model_input(b), similar)

    def contradicting_pairs(self, n=None):
        """The pairs made by hand that most contradict the pairs around them: a
        DataFrame with a, b, similar, text_a, text_b, expected, score and distance;
        ``n=None`` lists those scoring above 0.5 (see ``session.suspicious``)."""
        return suspicious.contradicting_pairs(self, n)

    def fix_pairs(self, frame):
        """Turn each pair of ``frame`` (from ``contradicting_pairs``) the other way, as
        one undoable action; returns its id."""
        return suspicious.fix_pairs(self, frame)


def describe(error):
    """An error as a person reads it: our ValueErrors and TypeErrors are written for
    people; anything else keeps its type's name."""
    if type(error) in (ValueError, TypeError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def check_model(model, role):
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


def check_pairs(pairs, n):
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


def uniform_labels(y):
    """Labels as one numpy type (all int or all str), as estimators expect."""
    values = y.tolist()
    if all(isinstance(v, int) for v in values):
        return np.array(values, dtype=np.int64)
    return np.array([str(v) for v in values])


def fitted(model):
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except Exception:
        return False
    return True
