import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from embedwidget.finetune import ContrastiveLearner, ContrastiveTuner, pairs_from_labels


def blobs(n=90, d=16, k=3, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=1.0, size=(k, d))
    y = np.arange(n) % k
    return (centers[y] + rng.normal(size=(n, d))).astype(np.float32), y


def class_separation(Z, y):
    """Mean cosine similarity within classes minus across classes."""
    Z = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    sim = Z @ Z.T
    same = y[:, None] == y[None, :]
    return sim[same].mean() - sim[~same].mean()


@parametrize_with_checks([ContrastiveTuner(epochs=2, hidden_dim=4, device="cpu")])
def test_tuner_is_scikit_learn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("loss", ["cosine", "contrastive"])
def test_learner_pulls_classes_apart(loss):
    X, y = blobs()
    pairs = pairs_from_labels(y, n_neg=3, random_state=0)
    learner = ContrastiveLearner(
        shape_out=8, epochs=30, learning_rate=0.01, loss=loss, random_state=0
    )
    learner.fit(X[pairs.first], X[pairs.second], pairs.similar)
    assert learner.loss_curve_[-1] < learner.loss_curve_[0]
    assert class_separation(learner.transform(X), y) > class_separation(X, y) + 0.1
    similar = learner.predict(X[pairs.first], X[pairs.second])
    assert similar[pairs.similar == 1].mean() > similar[pairs.similar == 0].mean()


def test_the_guides_call_runs_as_written():
    X, y = blobs(n=64, d=384, k=2)
    pairs = pairs_from_labels(y, random_state=0)
    X1, X2, sim = X[pairs.first], X[pairs.second], pairs.similar
    learner = ContrastiveLearner(epochs=50, batch_size=256, learning_rate=0.002, shape_out=384)
    assert learner.fit(X1, X2, sim).transform(X1).shape == (len(X1), 384)


def test_learner_partial_fit_continues_where_fit_stopped():
    X, y = blobs()
    pairs = pairs_from_labels(y, random_state=0)
    args = X[pairs.first], X[pairs.second], pairs.similar
    stepped = ContrastiveLearner(shape_out=5, epochs=1, learning_rate=0.01, random_state=2)
    stepped.partial_fit(*args).partial_fit(*args)
    whole = ContrastiveLearner(shape_out=5, epochs=2, learning_rate=0.01, random_state=2).fit(*args)
    np.testing.assert_allclose(stepped.transform(X), whole.transform(X), rtol=1e-5, atol=1e-6)


def test_learner_pickles_and_keeps_training():
    X, y = blobs()
    pairs = pairs_from_labels(y, random_state=0)
    args = X[pairs.first], X[pairs.second], pairs.similar
    learner = ContrastiveLearner(shape_out=5, epochs=2, random_state=0).fit(*args)
    copy = pickle.loads(pickle.dumps(learner))
    np.testing.assert_array_equal(copy.transform(X), learner.transform(X))
    np.testing.assert_allclose(
        copy.partial_fit(*args).transform(X), learner.partial_fit(*args).transform(X), rtol=1e-6
    )


def test_tuner_in_a_pipeline_with_set_params():
    X, y = blobs()
    pipe = make_pipeline(ContrastiveTuner(epochs=2, random_state=0))
    assert pipe.fit(X, y).transform(X).shape == (len(X), 50)
    pipe.set_params(contrastivetuner__hidden_dim=7, contrastivetuner__residual=False)
    assert pipe.fit(X, y).transform(X).shape == (len(X), 7)
    assert clone(pipe).get_params()["contrastivetuner__hidden_dim"] == 7


def test_tuner_early_stopping_holds_back_items_and_keeps_the_best_pass():
    X, y = blobs(n=120)
    tuner = ContrastiveTuner(epochs=30, learning_rate=0.01, n_iter_no_change=2, random_state=0)
    tuner.fit(X, y)
    scores = tuner.validation_scores_
    assert len(scores) == len(tuner.loss_curve_) <= 30
    assert min(scores) < scores[0]
    if len(scores) < 30:  # stopped: the last passes did not beat the best one
        assert min(scores[-2:]) >= min(scores)
    # a class too small to spare an item: nothing is held back
    y_small = y.copy()
    y_small[:2] = 3
    assert ContrastiveTuner(epochs=2).fit(X, y_small).validation_scores_ == []
    assert ContrastiveTuner(epochs=2, early_stopping=False).fit(X, y).validation_scores_ == []


def test_residual_tuner_starts_from_the_inputs_principal_directions():
    from sklearn.decomposition import PCA

    X, y = blobs()
    tuner = ContrastiveTuner(hidden_dim=5, epochs=1, random_state=0).fit(X, y)
    tuner.learner_._head.flat.zero_()  # no correction left: the projection alone
    basis = PCA(5).fit(X).components_.T
    basis *= np.sign(basis[np.abs(basis).argmax(axis=0), range(5)])
    np.testing.assert_allclose(tuner.transform(X), X @ basis, rtol=1e-4, atol=1e-4)


def test_residual_basis_is_zero_past_the_rank_of_the_items():
    X, y = blobs(n=12, d=16)
    tuner = ContrastiveTuner(hidden_dim=20, epochs=1, random_state=0).fit(X, y)
    basis = tuner.learner_._head.skip.numpy()
    np.testing.assert_allclose(basis[:, :11].T @ basis[:, :11], np.eye(11), atol=1e-5)
    assert not basis[:, 11:].any()  # 12 centred rows span 11 directions


def test_tuner_scale_residual_applies_the_chosen_scale(monkeypatch):
    from embedwidget.finetune import contrastive

    X, y = blobs(n=120)
    tuner = ContrastiveTuner(epochs=3, scale_residual=True, random_state=0).fit(X, y)
    assert tuner.residual_scale_ in contrastive.RESIDUAL_SCALES
    full = ContrastiveTuner(epochs=3, random_state=0).fit(X, y)
    assert full.residual_scale_ == 1.0
    scale = np.float32(tuner.residual_scale_)
    projection = X @ full.learner_._head.skip.numpy()
    np.testing.assert_allclose(
        tuner.transform(X), projection + scale * (full.transform(X) - projection), atol=1e-5
    )
    monkeypatch.setattr(contrastive, "RESIDUAL_SCALES", (0.0,))  # only the raw projection
    raw = ContrastiveTuner(epochs=3, scale_residual=True, random_state=0).fit(X, y)
    np.testing.assert_allclose(raw.transform(X), projection, atol=1e-6)
    assert raw.partial_fit(X, y).residual_scale_ == 1.0


def test_tuner_scale_residual_keeps_the_correction_only_where_it_predicts_better():
    # Labels on a ring in the first two features: no linear model on the raw features can
    # tell them apart, x + f(x) can. Coin-flip labels: the correction only fits noise.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 8)).astype(np.float32)
    ring = (np.linalg.norm(X[:, :2], axis=1) > 1.18).astype(int)
    coin = rng.integers(0, 2, len(X))
    params = dict(scale_residual=True, learning_rate=0.01, epochs=50, hidden_dim=16)
    # The choice is noisy on 200 items (a fold's log-loss decides it), so judge 4 seeds.
    chosen = {
        name: np.mean([ContrastiveTuner(**params, random_state=s).fit(X, y).residual_scale_
                       for s in range(4)])
        for name, y in (("ring", ring), ("coin", coin))
    }  # fmt: skip
    assert chosen["ring"] >= chosen["coin"] + 0.4, chosen


def test_tuner_separates_classes_and_partial_fit_keeps_learning():
    X, y = blobs()
    tuner = ContrastiveTuner(
        hidden_dim=8, epochs=1, learning_rate=0.01, residual=False, weight_decay=0.0,
        random_state=0,
    )  # fmt: skip
    tuner.partial_fit(X, y)
    before = class_separation(tuner.transform(X), y)
    for _ in range(20):
        tuner.partial_fit(X, y)
    assert len(tuner.loss_curve_) == 21
    assert class_separation(tuner.transform(X), y) > before + 0.1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.zeros((3, 2)), np.zeros((2, 2)), [1, 0, 1]), r"got 3, 2 and 3"),
        ((np.zeros((3, 2)), np.zeros((3, 2)), [1, 0]), r"got 3, 3 and 2"),
        ((np.zeros((2, 2)), np.zeros((2, 3)), [1, 0]), "same number of features"),
        ((np.zeros((2, 2)), np.zeros((2, 2)), [1, 2]), r"\[0, 1\]"),
        ((np.zeros((2, 2)), np.zeros((2, 2)), [1, -1]), r"\[0, 1\]"),
        ((np.array([[np.nan, 1], [0, 1]]), np.zeros((2, 2)), [1, 0]), "NaN"),
        ((np.zeros((2, 2)), np.zeros((2, 2)), [np.nan, 1]), "NaN"),
        ((np.zeros((0, 2)), np.zeros((0, 2)), []), "0 sample"),
        ((np.zeros(2), np.zeros(2), [1, 0]), "2D array"),
    ],
    ids=["X2 short", "y short", "features", "y>1", "y<0", "nan X", "nan y", "empty", "1-d"],
)
def test_learner_bad_input_says_what_is_wrong(args, message):
    with pytest.raises(ValueError, match=message):
        ContrastiveLearner().fit(*args)


def test_tuner_partial_fit_batch_with_one_class_is_refused():
    X, y = blobs()
    tuner = ContrastiveTuner(epochs=1).partial_fit(X, y)
    with pytest.raises(ValueError, match="single class"):
        tuner.partial_fit(X[y == 0], y[y == 0])


@pytest.mark.parametrize("residual", [False, True])
@pytest.mark.parametrize("loss", ["cosine", "contrastive"])
def test_hand_written_gradient_matches_autograd(loss, residual):
    import torch

    from embedwidget.finetune.contrastive_learner import _SiameseHead

    torch.manual_seed(0)
    skip = torch.randn(6, 5, dtype=torch.float64) if residual else None
    head = _SiameseHead(6, 5, seed=1, device=torch.device("cpu"), skip=skip)
    head.flat, head.grad = head.flat.double(), head.grad.double()
    head.flat.add_(0.1 * torch.randn_like(head.flat))  # non-zero biases too
    head.W1, head.b1, head.W2, head.b2 = head._views(head.flat)
    head.gW1, head.gb1, head.gW2, head.gb2 = head._views(head.grad)
    x = torch.randn(7, 6, dtype=torch.float64)
    where = torch.tensor([0, 0, 1, 2, 6, 3, 1, 4, 5, 2, 6, 0])  # items repeat across pairs
    target = torch.tensor([1.0, 0.0, 0.0, 1.0, 0.3, 0.0], dtype=torch.float64)

    def reference_loss(flat, margin):
        W1, b1, W2, b2 = head._views(flat)
        out = torch.relu(x @ W1 + b1) @ W2 + b2 + (x @ skip if residual else 0)
        unit = torch.nn.functional.normalize(out, dim=1)[where].view(2, len(target), -1)
        cos = torch.sum(unit[0] * unit[1], dim=1)
        if loss == "cosine":
            return torch.sum((cos - target) ** 2), cos
        distance = 1 - cos
        pushed = torch.relu(margin - distance)
        return torch.sum(target * distance**2 + (1 - target) * pushed**2), cos

    # a margin between two dissimilar pairs' distances: one is pushed, the others are not
    _, cos = reference_loss(head.flat, 0.0)
    margin = float((1 - cos[target == 0]).sort().values[:2].mean())
    loss_by_hand = head.loss_and_grad(x, where, target, loss, margin)

    flat = head.flat.clone().requires_grad_()
    expected, _ = reference_loss(flat, margin)
    (grad,) = torch.autograd.grad(expected / len(target), flat)
    torch.testing.assert_close(loss_by_hand, expected.detach())
    torch.testing.assert_close(head.grad, grad)


@pytest.mark.parametrize("loss", ["cosine", "contrastive"])
def test_one_pair_loss_and_its_derivative(loss):
    import torch

    from embedwidget.finetune.contrastive_learner import pair_losses

    cos = torch.tensor([0.9, 0.2, -0.3, 0.7, 0.45], dtype=torch.float64, requires_grad=True)
    target = torch.tensor([1.0, 1.0, 0.0, 0.0, 0.0], dtype=torch.float64)
    with torch.no_grad():
        losses, d_cos = pair_losses(loss, cos, target, margin=0.5)
    if loss == "cosine":  # the similarity regressed onto the target
        expected = (cos - target) ** 2
    else:  # similar pairs pulled in; dissimilar ones pushed to a distance of 0.5, no further
        expected = torch.where(target == 1, (1 - cos) ** 2, torch.relu(0.5 - (1 - cos)) ** 2)
    torch.testing.assert_close(losses, expected.detach())
    (grad,) = torch.autograd.grad(expected.sum(), cos)
    torch.testing.assert_close(d_cos, grad)


def test_the_tuners_early_stopping_scores_the_pair_loss_the_learner_trains_on():
    import torch

    from embedwidget.finetune._base import Rows
    from embedwidget.finetune.contrastive_learner import pair_losses

    X, y = blobs(n=60)
    tuner = ContrastiveTuner(hidden_dim=4, epochs=1, n_neg=1, residual=False, random_state=0)
    tuner.fit(X, y)
    learner = tuner.learner_
    train, held_back = np.arange(30, 60), np.arange(30)
    score = tuner._validation_loss(Rows(X, learner._device), y, train, held_back)()
    Z = torch.nn.functional.normalize(torch.from_numpy(tuner.transform(X)), dim=1)
    same = torch.from_numpy(y[held_back][:, None] == y[train][None, :])
    losses, _ = pair_losses(learner.loss, Z[held_back] @ Z[train].T, same.float(), 0.5)
    expected = (losses[same].mean() + losses[~same].mean()) / 2  # similar : dissimilar 1 : 1
    assert score == pytest.approx(expected.item(), rel=1e-5)
