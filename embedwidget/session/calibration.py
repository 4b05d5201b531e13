"""Honest probabilities of a live model: one temperature, fitted on what copies of the
model predict for labels they did not train on.

A model trained step after step on the same labels learns them by heart, and its softmax
grows sure of everything. Temperature scaling (Guo et al., 2017) divides the model's
log-probabilities by one number T fitted to points it did not train on: the suggestion of
every point and the order of the doubts stay, only the confidence changes.

Which points did it not train on? Holding a slice of the labels back from the live model
costs it those labels: with twenty, a fifth held back cost it 3 to 6 points of accuracy,
and a class with two labels cannot spare one (``bench/calibration.py``). So the live
model trains on every label, and, as scikit-learn's
``CalibratedClassifierCV(ensemble=False)`` does, the temperature comes from elsewhere: a
few twins (untrained copies of the model) train alongside it, step for step, each on
every label but those of its own fold, and T is the one that best fits their
predictions for their own folds. Each labelled point gets its fold once, when it is
first trained on, round-robin within its class, so every twin sees every class that has
two labels and a fold never churns as labels arrive.

A twin's step is as long as the live model's (its own labels and a few of them again),
so that it makes as many optimiser steps and its logits grow as fast: T fitted on a twin
after two thousand steps fits the live model after two thousand steps. The twins cost a
``partial_fit`` each a step: all of them while there are few labels, fewer as labels grow
(``VALIDATION`` held-out predictions fit one number well), down to one twin.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
from sklearn import config_context

from embedwidget.session.trainer import fresh_copy, weights_trained_in_place

FOLDS = 5  # the labels are dealt into this many folds, one twin each
VALIDATION = 200  # held-out predictions enough to fit T: past them, fewer twins
LOG_T_BOUNDS = (math.log(0.5), math.log(1000.0))
PRIOR = 2.0  # a Gaussian prior on log T of this deviation: few held-out labels barely move T
TINY = 1e-300  # probabilities are clipped here before their log


class Calibration:
    """Twins of a live classifier, and the temperature their held-out predictions give.

    Parameters
    ----------
    model : classifier with ``partial_fit`` and ``predict_proba``
        The live model; the twins are untrained copies of it (``template``).
    n : int
        The number of points (folds are kept per point).
    folds : int, default=5
    random_state : int, default=0
        Seeds where each class's round of folds begins.

    Attributes
    ----------
    temperature : float
        T as last fitted (1 before any fit, and while no twin has held-out labels).
    loss : float or None
        The calibrated log-loss of the held-out predictions at that T: the validation
        loss of the run.
    fold : ndarray of int8, shape (n,)
        Each point's fold (-1 until it is first trained on).

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.finetune import FeedForwardTuner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 5)).astype("float32")
    >>> y = np.where(X[:, 0] + rng.normal(size=200) > 0, "a", "b")  # overlapping classes
    >>> model = FeedForwardTuner(hidden_dim=8, random_state=0)
    >>> calibration = Calibration(model, n=200)
    >>> rows = np.arange(60)
    >>> for _ in range(300):
    ...     _ = model.partial_fit(X[rows], y[rows])
    ...     calibration.partial_fit(rows, y[rows], lambda r: X[r], model.classes_)
    >>> calibration.fit(rows, y[rows], lambda r: X[r], model.classes_) > 1  # softer than raw
    True
    >>> proba = calibration.calibrate(model.predict_proba(X))
    >>> bool(proba.max(axis=1).max() < model.predict_proba(X).max(axis=1).max())
    True
    """

    def __init__(self, model, n, folds=FOLDS, random_state=0):
        # A copy that shares weights with the model (trained in place) cannot be a twin.
        self.template = None if weights_trained_in_place(model) else fresh_copy(model)
        self.folds = folds
        self.random_state = random_state
        self.fold = np.full(n, -1, dtype=np.int8)
        self._dealt = {}  # class -> labels of it dealt so far
        self.reset()

    def reset(self):
        """Forget the twins (the live model starts over); folds are kept."""
        self.twins = {}
        self._seen = {}  # fold -> the classes its twin has trained on
        self._steps = 0
        self._classes = None
        self.temperature = 1.0
        self.loss = None

    # -- training the twins ---------------------------------------------------------------

    def partial_fit(self, rows, y, inputs, classes):
        """One step of every twin, on the labelled points ``rows`` (labels ``y``) but
        those of its fold; ``inputs(rows)`` is what the model takes for them and
        ``classes`` the live model's ``classes_`` (a new class starts the twins over)."""
        if self.template is None:
            return
        classes = np.asarray(classes)
        if self._classes is None or not np.array_equal(self._classes, classes):
            self.twins, self._seen, self._classes = {}, {}, classes
        self._deal(rows, y)
        folds = self.fold[rows]
        for k in range(self.folds):
            held = folds == k
            if k >= self.active(len(rows)) or held.all() or not held.any():
                self.twins.pop(k, None)
                continue
            if k not in self.twins:
                self.twins[k] = fresh_copy(self.template)
            train = self._padded(np.flatnonzero(~held), len(rows))
            with config_context(assume_finite=True):  # the session checked X once
                self.twins[k].partial_fit(inputs(rows[train]), y[train], classes=classes)
            self._seen[k] = set(y[train].tolist())
        self._steps += 1

    def _padded(self, train, n):
        """``train`` and, again, a few of its rows (others each step), ``n`` in all: a
        twin's step then makes as many optimiser steps as the live model's, and its
        logits grow as fast."""
        start = self._steps * (n - len(train))
        again = train[np.arange(start, start + n - len(train)) % len(train)]
        return np.concatenate([train, again])

    def active(self, n_labelled):
        """How many twins train with ``n_labelled`` labels: all folds while the held-out
        predictions are few, then fewer, down to one."""
        wanted = math.ceil(VALIDATION * self.folds / max(n_labelled, 1))
        return min(self.folds, max(1, wanted))

    def _deal(self, rows, y):
        """Give each point trained on for the first time its fold: round-robin within
        its class, each class's round starting at its own fold."""
        new = self.fold[rows] < 0
        for row, label in zip(rows[new].tolist(), y[new].tolist(), strict=True):
            if label not in self._dealt:
                self._dealt[label] = hash_start(label, self.folds, self.random_state)
            self.fold[row] = self._dealt[label] % self.folds
            self._dealt[label] += 1

    # -- the temperature ------------------------------------------------------------------

    def held_out(self, rows, y, inputs, classes):
        """Each twin's log-probabilities for the labelled points of its fold, and their
        classes as positions in ``classes``: ``(logits, codes)``, or None if none. A
        point of a class its twin never trained on (a class with one label) is left
        out: no model can be judged on a class it was never shown."""
        found = self.held_out_at(rows, y, inputs, classes)
        return None if found is None else found[1:]

    def held_out_at(self, rows, y, inputs, classes):
        """``held_out``'s ``(logits, codes)`` and, first, where each held-out point is in
        ``rows``: ``(positions, logits, codes)``, or None if none."""
        code_of = {c: i for i, c in enumerate(np.asarray(classes).tolist())}
        positions, logits, codes = [], [], []
        for k, twin in list(self.twins.items()):
            seen = self._seen.get(k, ())
            known = np.array([label in seen and label in code_of for label in y.tolist()])
            mine = np.flatnonzero((self.fold[rows] == k) & known)
            if not len(mine):
                continue
            with config_context(assume_finite=True):
                proba = np.asarray(twin.predict_proba(inputs(rows[mine])), dtype=np.float64)
            positions.append(mine)
            logits.append(np.log(np.maximum(proba, TINY)))
            codes.append([code_of[c] for c in y[mine].tolist()])
        if not logits:
            return None
        return (
            np.concatenate(positions),
            np.concatenate(logits),
            np.concatenate(codes).astype(np.int64),
        )

    def fit(self, rows, y, inputs, classes):
        """Fit the temperature on the twins' held-out predictions of the labelled points
        ``rows`` (labels ``y``); returns it (1 when there are none)."""
        found = self.held_out(rows, y, inputs, classes)
        if found is None:
            self.temperature, self.loss = 1.0, None
        else:
            self.temperature, self.loss = fit_temperature(*found)
        return self.temperature

    def calibrate(self, proba):
        """``proba`` (the live model's ``predict_proba``) at the fitted temperature."""
        return temper(proba, self.temperature)


def hash_start(label, folds, random_state):
    """Where a class's round of folds begins: fixed by its name, so the first labels of
    all classes do not all land in fold 0."""
    return (zlib.crc32(str(label).encode()) + random_state) % folds


def temper(proba, temperature):
    """Probabilities ``proba`` (rows sum to 1) divided in log space by ``temperature``."""
    proba = np.asarray(proba, dtype=np.float64)
    if temperature == 1.0:
        return proba
    z = np.log(np.maximum(proba, TINY)) / temperature
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def log_loss_at(logits, codes, log_t, weights=None):
    """Mean log-loss of softmax(logits / exp(log_t)) against class positions ``codes``
    (weighted by ``weights``, if given)."""
    z = logits / math.exp(log_t)
    z = z - z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(z).sum(axis=1))
    return float(np.average(log_norm - z[np.arange(len(z)), codes], weights=weights))


def fit_temperature(logits, codes, prior=PRIOR, weights=None):
    """``(T, loss)``: the temperature that minimises the log-loss of ``logits`` (n, k)
    against ``codes`` under a Gaussian prior on log T (deviation ``prior``: a few
    held-out labels move T little), and the log-loss at it. ``weights`` (n,): how much
    each label counts (a label likely wrong, little); the prior weighs as their sum."""
    from scipy.optimize import minimize_scalar

    n = len(codes) if weights is None else float(np.sum(weights))

    def objective(log_t):
        return log_loss_at(logits, codes, log_t, weights) + log_t**2 / (2 * prior**2 * n)

    best = minimize_scalar(objective, bounds=LOG_T_BOUNDS, method="bounded")
    return math.exp(best.x), log_loss_at(logits, codes, best.x, weights)
