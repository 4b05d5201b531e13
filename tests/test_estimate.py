"""Is it helping? ``estimate()`` says how well the live model does on the points it has
not seen, from the labels alone, and the learning curve shows it grow as labels come in."""

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.decomposition import IncrementalPCA
from sklearn.metrics import f1_score

from embedwidget.charts import learning_curve_chart
from embedwidget.finetune import FeedForwardTuner
from embedwidget.session import TunerSession
from embedwidget.session.estimate import Estimates

SHIFT = 1.0  # two classes at -SHIFT and +SHIFT on one axis, unit noise


def two_gaussians(seed, n=3000, n_labels=200):
    """Two classes whose best possible accuracy (and macro-F1) is Phi(SHIFT) = 0.84,
    ``n_labels`` of them labelled at random."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 2, n)
    X = rng.normal(size=(n, 6)).astype(np.float32)
    X[:, 0] += np.where(truth == 1, SHIFT, -SHIFT)
    labels = [None] * n
    for i in rng.choice(n, n_labels, replace=False):
        labels[i] = "ab"[truth[i]]
    return X, labels, np.array(list("ab"))[truth]


def session_on(X, labels, **kwargs):
    return TunerSession(FeedForwardTuner(hidden_dim=8, random_state=0), X, labels=labels, **kwargs)


def true_macro_f1(session, X, truth):
    unlabelled = session.labels.unlabelled()
    return f1_score(truth[unlabelled], session.model.predict(X[unlabelled]), average="macro")


@pytest.mark.parametrize(
    ("n_labels", "seed"), [(200, 0), (1200, 1)]
)  # 5 twins; past 1000 labels, 1
def test_the_estimate_is_near_the_true_score_and_its_interval_covers_it(n_labels, seed):
    X, labels, truth = two_gaussians(
        seed, n_labels=n_labels
    )  # one draw each: bench/ measures coverage
    session = session_on(X, labels)
    session.fit(150)
    found = session.estimate()
    truth_f1 = true_macro_f1(session, X, truth)
    assert truth_f1 > norm.cdf(SHIFT) - 0.04  # the model is near the best there is
    assert abs(found["macro_f1"] - truth_f1) < 0.05
    assert found["low"] <= truth_f1 <= found["high"]
    assert found["high"] - found["low"] < 0.15
    assert abs(found["accuracy"] - norm.cdf(SHIFT)) < 0.06
    assert found["labels"] == n_labels and found["classes"] == 2 and found["step"] == 150
    # Five twins hold out every label; one (past a thousand labels) a fifth of them.
    assert (
        found["held_out"] == n_labels
        if n_labels == 200
        else n_labels / 8 < found["held_out"] < n_labels / 3
    )  # noqa: E501


def test_wrong_labels_do_not_drag_the_estimate_off_the_truth():
    # A hasty labeller: 160 labels one by one, 8 of them slips, and one lasso of 40
    # neighbours across the border given one label, so about half of them are wrong.
    X, labels, truth = two_gaussians(4, n_labels=160)
    rng = np.random.default_rng(4)
    labelled = np.flatnonzero([label is not None for label in labels])
    for i in rng.choice(labelled, 8, replace=False):
        labels[i] = "ba"[labels[i] == "b"]
    free = np.flatnonzero([label is None for label in labels])
    lasso = free[np.argsort(np.linalg.norm(X[free] - X[free][np.argmin(abs(X[free, 0]))], axis=1))]
    session = session_on(X, labels)
    session.label(lasso[:40], "a")
    assert 10 < (truth[lasso[:40]] == "b").sum() < 30
    session.fit(150)
    found = session.estimate()
    truth_f1 = true_macro_f1(session, X, truth)
    assert abs(found["macro_f1"] - truth_f1) < 0.05
    assert found["low"] <= truth_f1 <= found["high"]
    assert found["held_out"] == 160  # the lasso's labels vouch for each other: not held out


def test_the_learning_curve_grows_as_labels_come_in_and_the_session_says_so():
    X, labels, truth = two_gaussians(1, n=2000, n_labels=0)
    rng = np.random.default_rng(1)
    session = session_on(X, labels)
    session.estimates = Estimates(every=0, share=1.0)  # estimate after every step
    heard = []
    session.subscribe(lambda what, detail: heard.append(detail) if what == "estimate" else None)
    order = rng.permutation(len(X))
    start = np.r_[np.flatnonzero(truth == "a")[:2], np.flatnonzero(truth == "b")[:2]]
    session.label_each(start, truth[start].tolist())
    session.fit(60)
    for batch in (order[:20], order[20:100]):
        session.label_each(batch, truth[batch].tolist())
        session.fit(60)
    curve = session.learning_curve()
    assert curve.columns.tolist() == ["labels", "macro_f1", "low", "high", "step"]
    assert curve["labels"].is_monotonic_increasing and curve["labels"].iloc[0] == 4
    assert curve["labels"].iloc[-1] == len(set(start) | set(order[:100]))
    assert curve["macro_f1"].iloc[-1] > curve["macro_f1"].iloc[0]
    assert (curve["high"] - curve["low"]).iloc[-1] < (curve["high"] - curve["low"]).iloc[0]
    assert heard and heard[-1]["step"] == session.steps == curve["step"].iloc[-1]
    assert curve.attrs["hint"] is None  # still climbing
    chart = learning_curve_chart(curve).to_dict()
    assert [layer["mark"]["type"] for layer in chart["layer"]] == ["area", "line", "point"]


def test_a_hint_once_more_labels_stop_paying():
    rng = np.random.default_rng(2)
    truth = np.repeat(np.array(["a", "b"]), 300)
    X = (np.where(truth == "a", -6.0, 6.0)[:, None] + rng.normal(size=(600, 4))).astype(np.float32)
    order = rng.permutation(600)
    session = session_on(X, [None] * 600)
    for upto in (40, 60, 90):  # every label is easy: the estimate stays near 1
        session.label_each(order[:upto], truth[order[:upto]].tolist())
        session.fit(30)
        found = session.estimate()
        assert found["low"] <= found["macro_f1"] <= found["high"] and found["macro_f1"] > 0.99
        hint = session.learning_curve().attrs["hint"]
        assert (hint is None) == (upto < 80)
    assert hint.startswith("The last 50 labels moved the estimated macro-F1 by less than 0.01")
    assert session.estimate()["hint"] == hint


def test_estimate_says_what_it_needs():
    X, labels, _ = two_gaussians(3, n=300, n_labels=40)
    session = session_on(X, labels)
    with pytest.raises(ValueError, match="Train first"):
        session.estimate()
    session.fit(5)
    session.label([next(i for i, label in enumerate(labels) if label is None)], "x")
    session.fit(5)
    with pytest.raises(ValueError, match="at least 2 labels of every class.*'x' has 1"):
        session.estimate()
    session.fit(5)  # the background estimate waits for a second 'x' and does not stop training
    assert session.error == ""

    no_proba = TunerSession(IncrementalPCA(2), X, labels=labels)
    no_proba.fit(2)
    with pytest.raises(TypeError, match="no predict_proba"):
        no_proba.estimate()
