"""What every estimator of embedwidget.finetune shares: ``fit`` starts over and
``partial_fit`` continues, through one path; ``clone`` gives an unfitted twin that trains
to the same result; the guide's parameter names are aliases of the family's."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from embedwidget.finetune import (
    ContrastiveLearner,
    ContrastiveTuner,
    FeedForwardTuner,
    SbertTuner,
    pairs_from_labels,
)


def blobs(n=60, d=8, k=3, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=2.0, size=(k, d))
    y = np.arange(n) % k
    return (centers[y] + rng.normal(size=(n, d))).astype(np.float32), y


def labelled():
    return blobs()


def paired():
    X, y = blobs()
    pairs = pairs_from_labels(y, random_state=0)
    return X[pairs.first], X[pairs.second], pairs.similar


# An estimator, the data it trains on, and what to transform.
FAMILY = {
    "FeedForwardTuner": (
        lambda: FeedForwardTuner(hidden_dim=4, epochs=3, early_stopping=False, random_state=0),
        labelled,
    ),
    "ContrastiveTuner": (
        lambda: ContrastiveTuner(hidden_dim=4, epochs=3, early_stopping=False, random_state=0),
        labelled,
    ),
    "ContrastiveLearner": (
        lambda: ContrastiveLearner(hidden_dim=4, epochs=3, learning_rate=0.01, random_state=0),
        paired,
    ),
}


@pytest.mark.parametrize(("make", "data"), FAMILY.values(), ids=FAMILY)
def test_clone_gives_an_unfitted_twin_that_trains_to_the_same_result(make, data):
    args = data()
    X = args[0]
    fitted = make().fit(*args)
    twin = clone(fitted)
    assert twin.get_params() == fitted.get_params()
    assert not hasattr(twin, "loss_curve_")
    with pytest.raises(NotFittedError):
        twin.transform(X)
    np.testing.assert_array_equal(twin.fit(*args).transform(X), fitted.transform(X))


def test_clone_of_a_text_tuner_keeps_its_parameters():
    tuner = SbertTuner(epochs=2, n_neg=3, show_progress_bar=False, random_state=1)
    assert clone(tuner).get_params() == tuner.get_params()


@pytest.mark.parametrize(("make", "data"), FAMILY.values(), ids=FAMILY)
def test_fit_starts_over_after_partial_fit_and_partial_fit_continues_after_fit(make, data):
    args = data()
    model = make()
    model.partial_fit(*args).partial_fit(*args)
    assert len(model.loss_curve_) == 2
    assert len(model.fit(*args).loss_curve_) == 3  # fit: three passes, from scratch
    assert len(model.partial_fit(*args).loss_curve_) == 4  # one more pass, on top


# -- the guide's names: aliases of the family's ------------------------------------------


def test_n_epochs_is_another_name_for_epochs():
    X, y = blobs()
    old = FeedForwardTuner(n_epochs=7, hidden_dim=4, random_state=0)
    new = FeedForwardTuner(epochs=7, hidden_dim=4, random_state=0)
    assert old.get_params()["n_epochs"] == 7  # kept as given: clone and grid search see it
    assert clone(old).get_params() == old.get_params()
    np.testing.assert_array_equal(old.fit(X, y).transform(X), new.fit(X, y).transform(X))
    assert old.n_iter_ == new.n_iter_


def test_shape_out_is_another_name_for_hidden_dim():
    X1, X2, similar = paired()
    old = ContrastiveLearner(shape_out=6, epochs=2, random_state=0).fit(X1, X2, similar)
    new = ContrastiveLearner(hidden_dim=6, epochs=2, random_state=0).fit(X1, X2, similar)
    assert old.get_params()["shape_out"] == 6 and old.transform(X1).shape == (len(X1), 6)
    np.testing.assert_array_equal(old.transform(X1), new.transform(X1))


def test_the_guides_calls_set_what_the_family_calls_alike():
    FeedForwardTuner(n_epochs=500, learning_rate=0.01, hidden_dim=200)
    learner = ContrastiveLearner(epochs=50, batch_size=256, learning_rate=0.002, shape_out=384)
    assert learner._resolved("hidden_dim") == 384


@pytest.mark.parametrize(
    ("make", "data", "message"),
    [
        (lambda: FeedForwardTuner(n_epochs=5, epochs=7), labelled, "n_epochs=5 and epochs=7"),
        (lambda: ContrastiveLearner(shape_out=5, hidden_dim=7), paired, "shape_out=5 and hidden"),
    ],
    ids=["n_epochs", "shape_out"],
)
def test_an_alias_and_its_name_given_different_values_is_refused(make, data, message):
    with pytest.raises(ValueError, match=message):
        make().fit(*data())


def test_an_alias_and_its_name_given_the_same_value_agree():
    X, y = blobs()
    tuner = FeedForwardTuner(n_epochs=4, epochs=4, early_stopping=False, random_state=0)
    assert tuner.fit(X, y).n_iter_ == 4


@pytest.mark.parametrize(
    ("make", "data", "param"),
    [
        (lambda: FeedForwardTuner(n_epochs=0), labelled, "n_epochs"),
        (lambda: ContrastiveLearner(shape_out=0), paired, "shape_out"),
        (lambda: ContrastiveLearner(hidden_dim=0), paired, "hidden_dim"),
        (lambda: ContrastiveTuner(margin=3.0), labelled, "margin"),
    ],
)
def test_the_shared_constraints_name_the_parameter(make, data, param):
    with pytest.raises(ValueError, match=f"'{param}' parameter"):
        make().fit(*data())
