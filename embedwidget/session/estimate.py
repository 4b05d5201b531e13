"""Is it helping? The live model's expected macro-F1 on the points it has not seen,
from the labels alone, and a learning curve of it as labels come in.

Two readings of the labels, both nearly free:

- the twins of ``calibration`` predict every labelled point of their own fold without
  having trained on it: out-of-fold predictions, as cross-validation makes. Their
  macro-F1 is the twins' score, and twins train on fewer labels than the live model
  (four fifths; with two labels of a class, one), so it reads low while the curve
  climbs: by 0.15 at two labels a class of twenty classes (``bench/estimate.py``);
- the live model's probabilities, calibrated by the temperature those twins fit, say
  what it expects to get right on a sample of the unlabelled points: the expected
  confusion matrix, and its macro-F1. It is nearer (its mean error about half the
  twins'), and still low while the twins, whose temperature it takes, lag.

The estimate is the second plus half the gap by which it exceeds the first: the
curve still climbs by about that much between the twins' labels and the live model's.
The interval is the spread of the twins' score (their held-out confusion matrix, each
class's row drawn from a Dirichlet posterior with half a pseudo-label on right and as
much spread over wrong, so two right of two is not taken for always right), moved onto
the estimate, and widened upwards by the other half of the gap.

With many labels fewer twins train (see ``Calibration.active``): beyond about a
thousand labels one twin holds out a fifth of them, still a couple of hundred points or
more, so the interval holds, as narrow as that many points allow.

Wrong labels count the model wrong where it may be right, and give the temperature more
doubt than the model has. So each label is read as its chance of being right (``p_wrong``
of ``suspicious``: held-out models and the label's history): the held-out confusion
counts each point towards its classes by those chances, each posterior draw draws the
points' true classes from them, and the temperature is refitted on the twins' held-out
predictions with each label weighed by its chance of being right. A lasso's labels are
left out of both: the twins trained on the lasso's other points, labelled in the same
sweep, so they vouch for each other, right or wrong (``bench/RESULTS.md``).

``Estimates`` is what a session keeps: the latest estimate, the learning curve (one row
per number of labels, the latest estimate made at that number), when to estimate again
in the background, and a hint once more labels stop paying.
"""

from __future__ import annotations

import time

import numpy as np

from embedwidget.session.calibration import fit_temperature, temper

MIN_PER_CLASS = 2  # a class needs a label to train a twin on and one to hold out
MIN_HELD_OUT = 20  # labels given one by one enough to score the twins on them alone
DRAWS = 1000  # draws from the posterior of the held-out predictions, for the interval
PRIOR = 0.5  # pseudo-labels a class gets on right (and as many on wrong) in that posterior
SAMPLE = 2000  # unlabelled points whose calibrated probabilities make the estimate
LEAN = 0.5  # of the gap between it and the twins' held-out score, added (the curve climbs)
LEVEL = 0.9  # the interval's nominal coverage
EVERY = 2.0  # seconds between background estimates, at least
SHARE = 0.05  # of the training thread's time the background estimates may take, at most
HINT_SPAN = 40  # labels the hint looks back over
HINT_MOVED = 0.01  # a change of the estimate smaller than this over them: "stopped paying"


def estimate(session, draws=DRAWS, level=LEVEL, random_state=0):
    """The live model's expected macro-F1 and accuracy on points it has not seen.

    Parameters
    ----------
    session : TrainingSession
        A session whose model has ``predict_proba`` and has trained.
    draws : int, default=1000
        Draws from the posterior of the held-out predictions, for the interval.
    level : float, default=0.9
        Nominal coverage of the interval.
    random_state : int, default=0

    Returns
    -------
    dict
        ``macro_f1``, ``low``, ``high`` (the interval of macro-F1), ``accuracy``,
        ``accuracy_low``, ``accuracy_high``, ``labels`` (the labels the model trained
        on), ``held_out`` (the twins' out-of-fold predictions of them), ``held_out_f1``
        (their macro-F1: the twins' score), ``classes`` and ``step`` (the training step
        it describes).

    Raises
    ------
    TypeError
        The model has no ``predict_proba``.
    ValueError
        The model has not trained yet, some class has fewer than two labels, or no
        twin has predicted a held-out label yet.
    """
    from embedwidget.session.training import uniform_labels

    session.require_predictions("estimate its score")
    with session.lock:
        rows, y = session.labels.labelled()
        unlabelled = session.labels.unlabelled()
        step = session.steps
    y = uniform_labels(y)
    check_counts(y)
    classes = np.asarray(session.model.classes_)
    k = len(classes)
    found = session.calibration.held_out_at(rows, y, session.model_input, classes)
    if found is None:
        raise ValueError(
            "No held-out predictions yet: the twins that estimate the model train with "
            "it; train a few steps more (a model copied in place has no twins)."
        )
    positions, logits, given = found
    truth, alone = soft_truth(session, rows, y, classes)
    truth = truth[positions]
    # A lasso's labels vouch for each other in the twins (their neighbours, labelled in
    # the same sweep, trained them): only the labels given one by one are held out.
    if alone[positions].sum() >= MIN_HELD_OUT:
        keep = alone[positions]
        logits, given, truth = logits[keep], given[keep], truth[keep]
    predicted = logits.argmax(axis=1)
    held_f1, held_accuracy = f1_and_accuracy(soft_confusion(truth, predicted, k))
    rng = np.random.default_rng(random_state)
    f1s, accuracies = f1_and_accuracy(posterior(truth, predicted, draws, rng))
    if len(unlabelled):
        # The temperature the twins fit, each label weighed by its chance of being right.
        weights = truth[np.arange(len(given)), given]
        temperature, _ = fit_temperature(logits, given, weights=weights)
        sample = np.sort(rng.choice(unlabelled, min(SAMPLE, len(unlabelled)), replace=False))
        raw = session.model.predict_proba(session.model_input(sample))
        f1, accuracy = f1_and_accuracy(expected_confusion(temper(raw, temperature)))
    else:  # nothing left unseen: the held-out score is all there is
        f1, accuracy = held_f1, held_accuracy
    f1, low, high = lean_and_interval(f1, held_f1, f1s, level)
    accuracy, accuracy_low, accuracy_high = lean_and_interval(
        accuracy, held_accuracy, accuracies, level
    )
    return {
        "macro_f1": float(f1),
        "low": float(low),
        "high": float(high),
        "accuracy": float(accuracy),
        "accuracy_low": float(accuracy_low),
        "accuracy_high": float(accuracy_high),
        "labels": int(len(rows)),
        "held_out": int(len(given)),
        "held_out_f1": float(held_f1),
        "classes": int(k),
        "step": int(step),
    }


def lean_and_interval(expected, held, drawn, level, lean=LEAN):
    """The estimate and its interval from the calibrated ``expected`` score, the twins'
    ``held`` score and ``drawn`` scores around it (see the module's docstring)."""
    gap = max(0.0, expected - held)
    point = expected + lean * gap
    tail = (1 - level) / 2 * 100
    below, above = np.percentile(drawn, [tail, 100 - tail]) - held
    low = min(point + below, expected)
    high = max(point + above + (1 - lean) * gap, point)
    return float(np.clip(point, 0, 1)), float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1))


def check_counts(y):
    """A clear error unless every class has at least ``MIN_PER_CLASS`` labels."""
    names, counts = np.unique(y, return_counts=True)
    if len(names) < 2:
        raise ValueError("estimate() needs labels of at least two classes.")
    few = counts < MIN_PER_CLASS
    if few.any():
        name, count = names[few][0].item(), counts[few][0].item()
        raise ValueError(
            f"estimate() needs at least {MIN_PER_CLASS} labels of every class (one to "
            f"train on, one to hold out); {name!r} has {count}."
        )


def expected_confusion(proba):
    """The confusion matrix (true x suggested) the calibrated ``proba`` of some points
    expect: a point suggested as j counts ``proba[c]`` towards true class c."""
    k = proba.shape[1]
    confusion = np.zeros((k, k))
    np.add.at(confusion.T, proba.argmax(axis=1), proba)
    return confusion


def soft_truth(session, rows, y, classes):
    """``(truth, alone)``: each labelled point's chance of being of each class (its
    label's chance of being right on the label, the chance it is wrong spread over the
    other classes as the held-out models see them; see ``suspicious``), and whether
    its label was given one by one (not in a lasso)."""
    from embedwidget.session.suspicious import judge, sweeps

    names = [str(c) for c in classes.tolist()]
    code_of = {name: i for i, name in enumerate(names)}
    unknown = sorted({str(v) for v in y.tolist()} - set(code_of))
    if unknown:
        raise ValueError(f"The model has not trained on the label(s) {unknown} yet.")
    codes = np.array([code_of[str(v)] for v in y.tolist()], dtype=np.int64)
    with session.lock:
        groups, sizes = sweeps(session.store, rows, codes)
    k = len(classes)
    proba, p_wrong = judge(session, rows, codes, groups, sizes, k)
    others = np.nan_to_num(proba)
    others[np.arange(len(codes)), codes] = 0
    total = others.sum(axis=1, keepdims=True)
    spread = np.where(total > 0, others / np.maximum(total, 1e-12), 1 / max(k - 1, 1))
    truth = p_wrong[:, None] * spread
    truth[np.arange(len(codes)), codes] = 1 - p_wrong
    return truth, sizes == 1


def soft_confusion(truth, predicted, k):
    """The confusion matrix (true x predicted) when each point's true class is
    uncertain: its row of ``truth`` counts towards the column it was predicted."""
    confusion = np.zeros((k, k))
    np.add.at(confusion.T, predicted, truth)
    return confusion


def posterior(truth, predicted, n, rng, prior=PRIOR):
    """``n`` confusion matrices (true x predicted) the held-out predictions
    ``predicted`` may have come from: in each, every point's true class is drawn from
    its row of ``truth``, and each true class's predictions from a Dirichlet of its row
    plus a prior (``prior`` on right, as much again spread over the wrong classes), so
    a class whose two held-out labels were both right is not taken for always right."""
    m, k = truth.shape
    drawn = (rng.random((n, m, 1)) > np.cumsum(truth, axis=1)).sum(axis=2).clip(0, k - 1)
    cells = (np.arange(n)[:, None] * k + drawn) * k + predicted
    counts = np.bincount(cells.ravel(), minlength=n * k * k).reshape(n, k, k)
    alpha = np.full((k, k), prior / max(k - 1, 1))
    np.fill_diagonal(alpha, prior)
    rows = rng.gamma(counts + alpha)
    return rows / rows.sum(axis=2, keepdims=True) * counts.sum(axis=2, keepdims=True)


def f1_and_accuracy(confusion):
    """Macro-F1 and accuracy of confusion matrices (..., k, k; true x predicted). The
    macro average runs over the classes that occur as truth or prediction, as
    scikit-learn's ``f1_score(average="macro")`` does."""
    hits = np.diagonal(confusion, axis1=-2, axis2=-1)
    support, called = confusion.sum(axis=-1), confusion.sum(axis=-2)
    occurs = (support + called) > 0
    f1 = np.where(occurs, 2 * hits / np.maximum(support + called, 1e-12), 0.0)
    macro = f1.sum(axis=-1) / np.maximum(occurs.sum(axis=-1), 1)
    return macro, hits.sum(axis=-1) / confusion.sum(axis=(-2, -1))


class Estimates:
    """The estimates of one training session: the latest, the learning curve, and
    when to estimate again in the background.

    After a training step, ``maybe_update`` estimates again when at least ``every``
    seconds have passed since the last estimate began and the last estimate's cost is
    at most ``share`` of the time since (so the estimates take at most that share of
    the training thread however slow they get), or at once when training has just
    converged. An estimate that cannot be made yet (a class with one label) waits as
    long.

    The learning curve keeps one row per number of labels: the latest estimate made
    while there were that many, so the model had the most steps on them.

    Parameters
    ----------
    every : float, default=2.0
    share : float, default=0.05
    """

    def __init__(self, every=EVERY, share=SHARE):
        self.every = every
        self.share = share
        self.latest = None
        self._key = None  # (steps, store version) of the latest
        self._curve = {}  # labels -> (labels, macro_f1, low, high, step)
        self._due = 0.0

    def update(self, session):
        """Estimate now (see ``estimate``), keep it as the latest and on the curve."""
        key = session.steps, session._version
        result = estimate(session)
        self._curve[result["labels"]] = tuple(
            result[name] for name in ("labels", "macro_f1", "low", "high", "step")
        )
        result["hint"] = self.hint()
        self.latest, self._key = result, key  # whole: a widget's thread may read it
        return result

    def current(self, session):
        """The latest estimate if the model and the labels are as they were then, else a
        new one."""
        if self.latest is not None and self._key == (session.steps, session._version):
            return self.latest
        return self.update(session)

    def maybe_update(self, session):
        """After a training step: a new estimate when one is due (see the class), else
        None."""
        if not session.can_predict:
            return None
        began = time.monotonic()
        settled = session.converged and (self.latest or {}).get("step") != session.steps
        if began < self._due and not settled:
            return None
        try:
            result = self.update(session)
        except ValueError:
            result = None
        spent = time.monotonic() - began
        self._due = began + max(self.every, spent / self.share)
        return result

    def reset(self):
        """Forget the estimates (the model starts over)."""
        self.latest = self._key = None
        self._curve = {}
        self._due = 0.0

    def learning_curve(self):
        """The learning curve as a DataFrame: labels, macro_f1, low, high, step; one row
        per number of labels, fewest first. Its ``attrs["hint"]`` is ``hint()``."""
        import pandas as pd

        frame = pd.DataFrame(
            [self._curve[n] for n in sorted(self._curve)],
            columns=["labels", "macro_f1", "low", "high", "step"],
        )
        frame.attrs["hint"] = self.hint()
        return frame

    def hint(self, span=HINT_SPAN, moved=HINT_MOVED):
        """A sentence once more labels stop paying, else None.

        The rule: the curve reaches back at least ``span`` labels from the latest
        number, and the estimate at the latest number differs by less than ``moved``
        from the estimate at every number of labels within those ``span`` (so one
        lucky estimate in between does not hide a climb, and one flat pair of rows does
        not make a plateau).
        """
        numbers = sorted(self._curve)
        if not numbers:
            return None
        last = numbers[-1]
        back = [n for n in numbers if n <= last - span]
        if not back:
            return None
        start = back[-1]
        latest = self._curve[last][1]
        window = [self._curve[n][1] for n in numbers if n >= start]
        change = max(abs(latest - f1) for f1 in window)
        if change >= moved:
            return None
        return (
            f"The last {last - start} labels moved the estimated macro-F1 by less than "
            f"{moved:g} ({self._curve[start][1]:.3f} at {start} labels, {latest:.3f} at "
            f"{last}): more labels like these may not pay; label where the model doubts, "
            "or stop."
        )
