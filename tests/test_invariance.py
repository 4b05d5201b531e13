"""Outputs of the torch estimators do not depend on the order or the batch the rows come in.

scikit-learn's order and subset checks draw a new permutation on every run; in float32 they
failed about one run in three, so each runs here under twenty different permutations.
"""

import numpy as np
import pytest
from sklearn.utils.estimator_checks import (
    check_methods_sample_order_invariance,
    check_methods_subset_invariance,
)

from embedwidget.finetune import ContrastiveLearner, ContrastiveTuner, FeedForwardTuner

ESTIMATORS = [
    FeedForwardTuner(n_epochs=5, hidden_dim=4, device="cpu"),
    ContrastiveTuner(epochs=2, hidden_dim=4, device="cpu"),
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize(
    "check", [check_methods_sample_order_invariance, check_methods_subset_invariance]
)
def test_twenty_runs_in_a_row(estimator, check):
    for seed in range(20):
        np.random.seed(seed)  # the checks permute with the global generator
        check(type(estimator).__name__, estimator)


def test_learner_embeds_a_row_the_same_in_any_order_or_batch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 12)).astype(np.float32)
    learner = ContrastiveLearner(shape_out=6, residual=True, epochs=3, random_state=0)
    learner.fit(X[:100], X[100:200], (np.arange(100) % 2).astype(float))
    Z = learner.transform(X)
    for seed in range(20):
        order = np.random.default_rng(seed).permutation(len(X))
        np.testing.assert_array_equal(learner.transform(X[order]), Z[order])
        np.testing.assert_array_equal(learner.transform(X[order[:37]]), Z[order[:37]])


def test_probabilities_are_float64_like_scikit_learns_mlp_and_the_embedding_float32():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 8)).astype(np.float32)
    y = np.where(X[:, 0] > 0, "pos", "neg")
    tuner = FeedForwardTuner(hidden_dim=4, n_epochs=5, random_state=0).fit(X, y)
    assert tuner.predict_proba(X).dtype == np.float64
    assert tuner.transform(X).dtype == np.float32
