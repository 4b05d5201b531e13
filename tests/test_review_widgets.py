"""Is it helping, and which labels are wrong, in the training widgets: the estimate and
its learning curve reach the toolbar's traits, "Review suspicious" selects the labels
that look wrong and the list shows the review's suggestions, Accept relabels them in one
action that one undo takes back; "Review pairs" and "Fix pairs" on a LearnerWidget."""

import numpy as np
import pytest

from embedwidget import LearnerWidget, TunerWidget
from embedwidget.finetune import ContrastiveLearner, FeedForwardTuner
from embedwidget.widgets.serializers import indices_to_bytes

CLASSES = ["red", "green", "blue", "gold"]


def clusters(n_per=60, dim=6, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(CLASSES)), n_per)
    return (np.eye(len(CLASSES), dim)[y] * 8 + rng.normal(size=(len(y), dim))).astype(
        np.float32
    ), y


@pytest.fixture
def tuned():
    """A TunerWidget on four blobs, 60 labels given one by one, four of them wrong."""
    X, y = clusters()
    labelled = np.random.default_rng(1).choice(len(y), 60, replace=False)
    planted = labelled[:4]
    w = TunerWidget(FeedForwardTuner(hidden_dim=8, random_state=0), X)
    for i in labelled:
        wrong = (y[i] + 1) % len(CLASSES) if i in planted else y[i]
        w.label([int(i)], CLASSES[wrong])
    w.fit(60)
    yield w, y, planted
    w.close()


def sent(widget):
    """The replies the widget sends to the browser, as it sends them."""
    replies = []
    widget.send = lambda content, buffers=None: replies.append(content)
    return replies


def test_the_estimate_and_its_learning_curve_reach_the_toolbar(tuned):
    w, y, _ = tuned
    estimated = w.estimate()
    assert set(w._estimate) == {"macro_f1", "low", "high", "labels", "hint"}
    assert w._estimate["labels"] == estimated["labels"] == 60
    assert w._estimate["low"] <= w._estimate["macro_f1"] <= w._estimate["high"]
    unlabelled = w.session.labels.unlabelled()
    truth = np.asarray(CLASSES)[y[unlabelled]]
    predicted = w.suggestions(unlabelled)["suggestion"].to_numpy()
    assert (predicted == truth).mean() > 0.9 and estimated["macro_f1"] > 0.8  # it is good
    rows = len(w._learning_curve)
    for i in w.session.labels.unlabelled()[:20]:  # more labels: the curve grows
        w.label([int(i)], CLASSES[y[i]])
    w.estimate()
    assert len(w._learning_curve) == rows + 1 and w._learning_curve[-1][0] == 80
    w.reset()
    assert w._estimate == {} and w._learning_curve == []


def test_review_suspicious_lists_the_reviews_suggestions_and_accept_fixes_them(tuned):
    w, y, planted = tuned
    replies = sent(w)
    w._on_msg(None, {"action": "suspicious", "n": 4}, [])
    assert set(w.selection) == set(planted.tolist())
    assert "4 labels look wrong" in replies[-1]["message"]
    # The list asks for suggestions of what it shows: the review's, not the live model's
    # (which learned the wrong labels).
    rows = np.asarray(w.selection)
    w._on_msg(None, {"action": "suggest", "id": 7}, [indices_to_bytes(rows)])
    assert replies[-1]["labels"] == [CLASSES[y[i]] for i in rows]
    actions = w.store.n_actions()
    w._on_msg(None, {"action": "accept"}, [indices_to_bytes(rows)])
    assert w.store.n_actions() == actions + 1  # one action
    assert list(w.session.labels.at(rows)) == [CLASSES[y[i]] for i in rows]
    w.undo()  # Ctrl+Z in the browser
    assert list(w.session.labels.at(rows)) == [CLASSES[(y[i] + 1) % 4] for i in rows]


def test_accept_outside_a_review_still_takes_the_live_models_suggestions(tuned):
    w, y, _ = tuned
    w.review_suspicious()
    unlabelled = w.session.labels.unlabelled()[:5]
    w.selection = unlabelled.tolist()
    w._on_msg(None, {"action": "accept"}, [indices_to_bytes(unlabelled)])
    assert list(w.session.labels.at(unlabelled)) == list(
        w.suggestions(unlabelled)["suggestion"]
    )


def test_review_pairs_selects_their_points_and_fix_pairs_turns_them(tmp_path):
    X, y = clusters(n_per=30)
    w = LearnerWidget(ContrastiveLearner(shape_out=4, random_state=0), X)
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(y), 200), rng.integers(0, len(y), 200)
    w.add_pairs(a, b, similar=y[a] == y[b])  # the truth...
    wrong_a, wrong_b = np.array([0, 31]), np.array([1, 32])  # ...and two same-blob pairs
    w.add_pairs(wrong_a, wrong_b, similar=False)  # called dissimilar
    w.fit(30)
    frame = w.review_pairs(n=2)
    assert w._pair_review == 2
    assert {tuple(p) for p in frame[["a", "b"]].to_numpy().tolist()} == {(0, 1), (31, 32)}
    assert set(w.selection) == {0, 1, 31, 32}
    actions = w.store.n_actions()
    w._on_msg(None, {"action": "fix_pairs"}, [])
    assert w.store.n_actions() == actions + 1 and w._pair_review == 0
    with pytest.raises(ValueError, match="Review pairs"):
        w.fix_pairs()
    w.close()
