"""The live model's confidence is honest: the session's probabilities are calibrated by a
temperature fitted on its twins' held-out predictions, and suggestions, doubt and
"Select doubtful" read them."""

import numpy as np
import pytest

from embedwidget.finetune import FeedForwardTuner
from embedwidget.session import TunerSession
from embedwidget.session.calibration import Calibration, fit_temperature, temper
from embedwidget.session.convergence import Convergence
from embedwidget.session.doubt import doubt


def ece(proba, truth, bins=10):
    """Expected calibration error of the top label: |accuracy - confidence| per bin."""
    confidence, right = proba.max(axis=1), proba.argmax(axis=1) == truth
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    return sum(
        (which == b).mean() * abs(right[which == b].mean() - confidence[which == b].mean())
        for b in range(bins)
        if (which == b).any()
    )


def overlapping_clusters(seed, n=2100, n_labels=150):
    """Three clusters so close that a point's cluster is a guess right ~60% of the
    time, and ``n_labels`` of them labelled."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(3), n // 3)
    X = (np.eye(3, 8)[truth] + rng.normal(size=(n, 8))).astype(np.float32)
    labels = [None] * n
    for i in rng.choice(n, n_labels, replace=False):
        labels[i] = "abc"[truth[i]]
    return X, labels, truth


def trained(X, labels, steps=100):
    # A high learning rate learns 150 labels by heart in a hundred steps.
    tuner = FeedForwardTuner(hidden_dim=16, learning_rate=0.03, random_state=0)
    session = TunerSession(tuner, X, labels=labels)
    session.convergence = Convergence(window=10**9)  # make every step asked for
    session.fit(steps)
    return session


@pytest.mark.parametrize("seed", [0, 1])
def test_the_sessions_probabilities_are_calibrated_where_the_models_are_not(seed):
    X, labels, truth = overlapping_clusters(seed)
    session = trained(X, labels)
    unlabelled = session.labels.unlabelled()
    raw = ece(session.model.predict_proba(X[unlabelled]), truth[unlabelled])
    calibrated = ece(session.proba(unlabelled), truth[unlabelled])
    assert raw > 0.15  # the model alone is sure of points it gets wrong
    assert calibrated < 0.07 and calibrated < raw / 3
    assert session.calibration.temperature > 1.5


def test_suggestions_doubt_and_doubtful_picks_read_the_calibrated_probabilities():
    X, labels, _ = overlapping_clusters(0)
    session = trained(X, labels)
    rows = np.arange(40)
    proba = session.proba(rows)
    frame = session.suggestions(rows)
    np.testing.assert_allclose(frame["confidence"], proba.max(axis=1))
    assert (frame["suggestion"] == session.model.predict(X[rows])).all()  # same order
    raw = session.model.predict_proba(X[rows])
    assert frame["confidence"].max() < raw.max(axis=1).max()
    np.testing.assert_allclose(session.doubt_of_all()[rows], doubt(proba))
    picked = session.select_doubtful(10)
    assert doubt(session.proba(picked)).mean() > doubt(session.proba_of_all()).mean()


def test_each_labelled_point_keeps_the_fold_it_was_first_dealt():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    y = np.array(["a", "b"] * 30)
    model = FeedForwardTuner(hidden_dim=4, random_state=0)
    calibration = Calibration(model, n=60)
    first = np.arange(20)
    model.partial_fit(X[first], y[first])
    calibration.partial_fit(first, y[first], lambda r: X[r], model.classes_)
    dealt = calibration.fold[first].copy()
    for label in "ab":  # round-robin within each class: 10 labels, 2 in each of 5 folds
        assert np.bincount(dealt[y[first] == label], minlength=5).tolist() == [2] * 5
    more = np.arange(40)
    calibration.partial_fit(more, y[more], lambda r: X[r], model.classes_)
    assert np.array_equal(calibration.fold[first], dealt)
    assert (calibration.fold[40:] == -1).all()
    assert sorted(calibration.twins) == [0, 1, 2, 3, 4]


def test_without_held_out_predictions_the_probabilities_stay_the_models():
    X = np.random.default_rng(0).normal(size=(30, 4)).astype(np.float32)
    labels = [None] * 30
    labels[0], labels[1] = "a", "b"  # one label a class: no twin sees both classes
    session = TunerSession(FeedForwardTuner(hidden_dim=4, random_state=0), X, labels=labels)
    session.fit(5)
    np.testing.assert_allclose(session.proba([5, 6]), session.model.predict_proba(X[[5, 6]]))


def test_the_temperature_softens_overconfident_logits_and_keeps_the_order():
    rng = np.random.default_rng(0)
    codes = rng.integers(3, size=500)
    right = rng.random(500) < 0.7  # right 70% of the time, always ~99.9% sure
    top = np.where(right, codes, (codes + 1) % 3)
    logits = np.full((500, 3), -7.0)
    logits[np.arange(500), top] = 0.0
    t, loss = fit_temperature(logits, codes)
    proba = temper(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True), t)
    assert t > 3 and abs(proba.max(axis=1).mean() - 0.7) < 0.05
    assert (proba.argmax(axis=1) == top).all() and loss < 1.0
