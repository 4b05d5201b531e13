import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from embedwidget.finetune import FeedForwardTuner, ForwardFinetuner
from embedwidget.finetune.feedforward import ACTIVATIONS, _Head


def blobs(n=90, d=16, k=3, seed=0):
    """k well-separated clusters in d dimensions, labelled by cluster."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(k, d))
    y = np.arange(n) % k
    X = centers[y] + rng.normal(size=(n, d))
    return X.astype(np.float32), y


@parametrize_with_checks([FeedForwardTuner(n_epochs=5, hidden_dim=4, device="cpu")])
def test_scikit_learn_compatible(estimator, check):
    check(estimator)


def test_forward_finetuner_is_the_same_class():
    assert ForwardFinetuner is FeedForwardTuner


def test_transform_is_the_hidden_layer_as_float32():
    X, y = blobs()
    tuner = FeedForwardTuner(hidden_dim=7, n_epochs=20, random_state=0).fit(X, y)
    Z = tuner.transform(X)
    assert Z.shape == (len(X), 7) and Z.dtype == np.float32
    assert ((Z >= 0) & (Z <= 1)).all()  # sigmoid
    assert tuner.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_hand_written_gradient_matches_autograd(activation):
    head = _Head(6, 5, 3, activation, seed=0, device=torch.device("cpu"))
    x = torch.randn(8, 6)
    y = torch.tensor([0, 1, 2, 1, 0, 2, 2, 1])
    onehot = torch.nn.functional.one_hot(y, 3).float()
    loss = head.loss_and_grad(x, onehot)

    params = [p.clone().requires_grad_() for p in (head.W1, head.b1, head.W2, head.b2)]
    W1, b1, W2, b2 = params
    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}
    hidden = act.get(activation, lambda t: t)(x @ W1 + b1)
    expected = torch.nn.functional.cross_entropy(hidden @ W2 + b2, y)
    expected.backward()

    assert torch.allclose(loss / len(x), expected)
    for param, grad in zip(params, (head.gW1, head.gb1, head.gW2, head.gb2), strict=True):
        assert torch.allclose(param.grad, grad, atol=1e-6)


def test_dropout_zeroes_inputs_at_its_rate_and_keeps_their_mean():
    head = _Head(50, 4, 2, "sigmoid", seed=0, device=torch.device("cpu"), dropout=0.3)
    dropped = head.drop(torch.ones(2000, 50))
    assert abs((dropped == 0).float().mean().item() - 0.3) < 0.01
    assert torch.allclose(dropped[dropped != 0], torch.tensor(1 / 0.7))
    assert abs(dropped.mean().item() - 1.0) < 0.02
    plain = _Head(50, 4, 2, "sigmoid", seed=0, device=torch.device("cpu"))
    x = torch.randn(5, 50)
    assert plain.drop(x) is x


def test_dropout_trains_on_noisy_copies_repeatably_and_transform_drops_nothing():
    X, y = blobs()
    params = dict(hidden_dim=5, n_epochs=10, early_stopping=False, random_state=2)
    noisy = FeedForwardTuner(dropout=0.5, **params).fit(X, y)
    again = FeedForwardTuner(dropout=0.5, **params).fit(X, y)
    clean = FeedForwardTuner(dropout=0.0, **params).fit(X, y)
    np.testing.assert_array_equal(noisy.transform(X), again.transform(X))  # same seed
    np.testing.assert_array_equal(noisy.transform(X), noisy.transform(X))  # no drop here
    assert not np.allclose(noisy.transform(X), clean.transform(X))
    assert (noisy.predict(X) == y).mean() > 0.95


def test_learns_string_labels_with_three_classes():
    X, y = blobs(k=3)
    names = np.array(["cat", "dog", "eel"])[y]
    tuner = FeedForwardTuner(hidden_dim=8, n_epochs=30, random_state=0).fit(X, names)
    assert tuner.classes_.tolist() == ["cat", "dog", "eel"]
    assert (tuner.predict(X) == names).mean() > 0.95
    proba = tuner.predict_proba(X)
    assert proba.shape == (len(X), 3) and np.allclose(proba.sum(axis=1), 1)
    assert tuner.loss_curve_[-1] < tuner.loss_curve_[0] / 5


def test_fit_starts_over_and_repeats_with_a_seed():
    X, y = blobs()
    tuner = FeedForwardTuner(hidden_dim=5, n_epochs=10, early_stopping=False, random_state=3)
    first = tuner.fit(X, y).transform(X)
    second = tuner.fit(X, y).transform(X)
    assert np.array_equal(first, second)
    assert len(tuner.loss_curve_) == 10


def test_partial_fit_is_one_pass_that_keeps_weights_and_optimizer_state():
    X, y = blobs()
    stepped = FeedForwardTuner(hidden_dim=5, n_epochs=1, random_state=1)
    stepped.partial_fit(X, y)
    stepped.partial_fit(X, y)
    stepped.partial_fit(X, y)
    # Three one-pass calls are exactly a three-epoch fit: nothing restarts in between.
    whole = FeedForwardTuner(hidden_dim=5, n_epochs=3, early_stopping=False, random_state=1)
    whole.fit(X, y)
    assert stepped.n_iter_ == 3 and len(stepped.loss_curve_) == 3
    np.testing.assert_allclose(stepped.transform(X), whole.transform(X), rtol=1e-5, atol=1e-6)


def test_partial_fit_takes_batches_with_some_classes_only():
    X, y = blobs(k=3)
    tuner = FeedForwardTuner(hidden_dim=5, random_state=0)
    tuner.partial_fit(X[y == 0], y[y == 0], classes=[0, 1, 2])
    tuner.partial_fit(X[y == 2], y[y == 2])
    assert tuner.classes_.tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match=r"not among classes_.*\[7\]"):
        tuner.partial_fit(X[:3], [0, 1, 7])
    with pytest.raises(ValueError, match="differs from the classes"):
        tuner.partial_fit(X, y, classes=[0, 1])


def test_pickle_round_trip_keeps_predictions_and_training_state():
    X, y = blobs()
    tuner = FeedForwardTuner(hidden_dim=6, n_epochs=5, random_state=0).fit(X, y)
    copy = pickle.loads(pickle.dumps(tuner))
    np.testing.assert_array_equal(copy.transform(X), tuner.transform(X))
    tuner.partial_fit(X, y)
    copy.partial_fit(X, y)
    np.testing.assert_allclose(copy.transform(X), tuner.transform(X), rtol=1e-6)


def test_early_stopping_stops_and_keeps_the_best_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 16)).astype(np.float32)
    y = rng.integers(0, 2, size=120)  # pure noise: the held-back loss soon rises
    tuner = FeedForwardTuner(
        hidden_dim=8, n_epochs=400, early_stopping=True, n_iter_no_change=5, random_state=0
    ).fit(X, y)
    assert tuner.n_iter_ < 400
    best = int(np.argmin(tuner.validation_scores_))
    assert tuner.n_iter_ == best + 1 + 5


def test_the_guides_calls_run_as_written():
    X, y = blobs(n=60, d=384, k=2)
    tuner = FeedForwardTuner(n_epochs=500, learning_rate=0.01, hidden_dim=200)
    assert tuner.fit(X, y).transform(X).shape == (60, 200)
    pipe = make_pipeline(ForwardFinetuner(n_epochs=500, learning_rate=0.01, hidden_dim=10), PCA())
    assert pipe.fit(X, y).transform(X).shape == (60, 10)


def test_grid_search_over_hidden_dim():
    X, y = blobs(n=60)
    grid = GridSearchCV(
        make_pipeline(FeedForwardTuner(n_epochs=5, random_state=0), PCA(2)),
        {"feedforwardtuner__hidden_dim": [3, 6]},
        cv=2,
        scoring=lambda est, X, y: float(np.var(est.transform(X))),
    ).fit(X, y)
    assert grid.best_params_["feedforwardtuner__hidden_dim"] in (3, 6)
    assert clone(grid.best_estimator_).get_params()["feedforwardtuner__n_epochs"] == 5


# -- bad input says what is wrong ---------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "NaN"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), "infinity"),
        (np.array([1.0, 2.0]), "Expected 2D array, got 1D array"),
        (np.zeros((2, 2, 2)), "3"),
        (np.zeros((0, 2)), "0 sample"),
    ],
    ids=["nan", "inf", "1-d", "3-d", "empty"],
)
def test_bad_X_raises_value_error(bad, message):
    with pytest.raises(ValueError, match=message):
        FeedForwardTuner(n_epochs=1).fit(bad, [0, 1][: len(bad)] if len(bad) else [])


def test_length_mismatch_names_both_lengths():
    with pytest.raises(ValueError, match=r"\[3, 2\]"):
        FeedForwardTuner(n_epochs=1).fit(np.zeros((3, 2)), [0, 1])


def test_a_single_class_is_refused():
    with pytest.raises(ValueError, match="only one class"):
        FeedForwardTuner(n_epochs=1).fit(np.zeros((3, 2)), ["a", "a", "a"])


@pytest.mark.parametrize(
    ("param", "value"),
    [("hidden_dim", 0), ("learning_rate", 0.0), ("learning_rate", -1.0), ("n_epochs", 0),
     ("batch_size", 0), ("activation", "swish"), ("dropout", 1.0), ("dropout", -0.1)],
)  # fmt: skip
def test_bad_parameters_name_the_parameter(param, value):
    X, y = blobs(n=10)
    with pytest.raises(ValueError, match=f"'{param}' parameter"):
        FeedForwardTuner(**{param: value}).fit(X, y)


def test_an_unknown_device_is_refused():
    X, y = blobs(n=10)
    with pytest.raises(ValueError, match="device must be one of"):
        FeedForwardTuner(device="tpu").fit(X, y)


def test_transform_before_fit_says_so():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        FeedForwardTuner().transform(np.zeros((2, 3)))


def test_transform_with_other_feature_count_is_refused():
    X, y = blobs(n=30, d=5)
    tuner = FeedForwardTuner(n_epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="4 features"):
        tuner.transform(np.zeros((2, 4)))
