"""Which labels and pairs are wrong: planted mistakes come out first, and are fixed in one
undoable action."""

import numpy as np
import pytest

from embedwidget.finetune import ContrastiveLearner, FeedForwardTuner
from embedwidget.session import LearnerSession, TunerSession
from embedwidget.session.suspicious import (
    contradicting_pairs,
    fix_labels,
    fix_pairs,
    suspicious_labels,
)

CLASSES = ["red", "green", "blue", "gold"]


def clusters(n_per=60, dim=6, seed=0):
    """Four well apart blobs; ``y`` the blob of each point."""
    rng = np.random.default_rng(seed)
    centres = np.eye(len(CLASSES), dim) * 8
    y = np.repeat(np.arange(len(CLASSES)), n_per)
    return (centres[y] + rng.normal(size=(len(y), dim))).astype(np.float32), y


def tuner_session(X):
    return TunerSession(FeedForwardTuner(hidden_dim=8, random_state=0, device="cpu"), X)


def test_planted_wrong_labels_are_the_most_suspicious():
    X, y = clusters()
    rng = np.random.default_rng(1)
    labelled = rng.choice(len(y), 60, replace=False)
    planted = labelled[:4]
    session = tuner_session(X)
    for i in labelled:  # one by one, as a person clicks
        label = y[i] if i not in planted else (y[i] + 1) % len(CLASSES)
        session.label(int(i), CLASSES[label])
    session.fit(150)
    found = suspicious_labels(session, n=4)
    assert sorted(found["index"]) == sorted(planted)
    assert found["suggestion"].tolist() == [CLASSES[y[i]] for i in found["index"]]
    assert (found["action_size"] == 1).all() and found["p_wrong"].is_monotonic_decreasing
    listed = suspicious_labels(session)  # those more likely wrong than right
    assert len(listed) and set(listed["index"]) <= set(planted)
    assert list(listed.columns[:5]) == ["index", "text", "label", "suggestion", "confidence"]
    session.close()


def test_the_minority_of_a_hasty_lasso_comes_first_and_one_undo_takes_the_fix_back():
    X, y = clusters()
    session = tuner_session(X)
    rng = np.random.default_rng(2)
    for i in rng.choice(len(y), 40, replace=False):
        session.label(int(i), CLASSES[y[i]])
    unlabelled = session.labels.unlabelled()
    # A lasso over the red blob that caught a few green points: all called red.
    lasso = np.r_[unlabelled[y[unlabelled] == 0][:16], unlabelled[y[unlabelled] == 1][:4]]
    session.label(lasso, "red")
    session.fit(150)
    found = session.suspicious_labels(n=4)
    assert sorted(found["index"]) == sorted(lasso[16:])
    assert (found["action_size"] == 20).all() and (found["suggestion"] == "green").all()
    fixing = session.store.n_actions()
    session.fix_labels(found)
    assert session.store.n_actions() == fixing + 1
    assert (session.labels.at(lasso[16:]) == "green").all()
    session.undo()
    assert (session.labels.at(lasso) == "red").all()
    session.close()


def test_a_fix_is_refused_when_a_listed_label_changed_since():
    X, y = clusters(n_per=20)
    session = tuner_session(X)
    for i in range(0, 80, 4):
        session.label(i, CLASSES[y[i]])
    session.label(1, "green")  # red, called green
    session.fit(60)
    found = suspicious_labels(session, n=1)
    assert found["index"].tolist() == [1]
    session.label(1, None)  # unlabelled since
    with pytest.raises(ValueError, match=r"points \[1\] changed"):
        fix_labels(session, found)
    session.close()


def test_judging_labels_needs_a_trained_model_that_predicts_and_two_classes():
    X, y = clusters(n_per=10)
    session = tuner_session(X)
    session.label([0, 1], "red")
    session.label([10, 11], "green")
    with pytest.raises(ValueError, match="Train first"):
        suspicious_labels(session)
    session.fit(5)
    session.label([10, 11], None)
    with pytest.raises(ValueError, match="two classes"):
        suspicious_labels(session)
    with pytest.raises(ValueError, match="n must be"):
        session.label([10, 11], "green")
        suspicious_labels(session, n=-1)
    session.close()
    learner = LearnerSession(ContrastiveLearner(shape_out=4, random_state=0), X)
    learner.add_pairs([0], [1])
    learner.fit(2)
    with pytest.raises(TypeError, match="ContrastiveLearner has no predict_proba"):
        suspicious_labels(learner)
    learner.close()


def planted_pairs(y, rng, n=80):
    """``n`` distinct pairs of distinct points, similar when of one blob."""
    ends = np.sort(rng.choice(len(y), (2 * n, 2)), axis=1)
    ends = np.unique(ends[ends[:, 0] != ends[:, 1]], axis=0)
    a, b = rng.permutation(ends)[:n].T
    return a, b, (y[a] == y[b]).astype(float)


def test_pairs_that_contradict_the_rest_come_first_and_are_flipped_in_one_action():
    X, y = clusters(n_per=30)
    rng = np.random.default_rng(3)
    session = LearnerSession(ContrastiveLearner(shape_out=8, learning_rate=0.01, random_state=0), X)
    a, b, similar = planted_pairs(y, rng)
    same = np.flatnonzero(similar == 1)
    # Two pairs of the same blob called dissimilar, two of different blobs similar.
    wrong = np.r_[same[:2], np.flatnonzero(similar == 0)[:2]]
    similar[wrong] = 1 - similar[wrong]
    for similar_or_not in (0.0, 1.0):
        mine = similar == similar_or_not
        session.add_pairs(a[mine], b[mine], similar=similar_or_not, how="zip")
    session.fit(100)
    found = session.contradicting_pairs(n=4)
    pairs = {(min(i, j), max(i, j)) for i, j in zip(a[wrong], b[wrong], strict=True)}
    assert {(min(i, j), max(i, j)) for i, j in zip(found["a"], found["b"], strict=True)} == pairs
    assert (found["score"] > 0.5).all() and len(contradicting_pairs(session)) <= 6
    fixing = session.store.n_actions()
    session.fix_pairs(found)
    assert session.store.n_actions() == fixing + 1
    assert len(session.pairs[0]) == len(a)  # the flipped pairs replace the wrong ones
    assert (contradicting_pairs(session, n=len(a))["score"] < 0.5).all()
    session.undo()
    assert sorted(session.pairs[2].tolist()) == sorted(similar.tolist())
    with pytest.raises(ValueError, match="no longer in the store"):
        fix_pairs(session, found.assign(similar=1 - found["similar"]))
    session.close()


def test_judging_pairs_needs_a_trained_model_and_some_pairs():
    X, _ = clusters(n_per=5)
    session = LearnerSession(ContrastiveLearner(shape_out=4, random_state=0), X)
    session.add_pairs([0, 1], [2, 3])
    with pytest.raises(ValueError, match="Train first"):
        contradicting_pairs(session)
    session.fit(2)
    with pytest.raises(ValueError, match="at least three pairs"):
        contradicting_pairs(session)
    session.close()


def test_a_class_labelled_once_is_not_called_wrong_for_being_new():
    X, y = clusters(n_per=20)
    session = tuner_session(X)
    for i in range(0, 60, 3):  # red, green and blue, one by one
        session.label(i, CLASSES[y[i]])
    session.label(70, "gold")  # the one gold label: no held-out model has seen gold
    session.fit(60)
    assert 70 not in suspicious_labels(session)["index"].tolist()
    session.close()
