"""What a scikit-learn user hands a transformer: sparse text features, np.matrix, lists, a
handful of rows; the torch tuners and the learner take them all, with the same results."""

import numpy as np
import pytest
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

from embedwidget.finetune import (
    ContrastiveLearner,
    ContrastiveTuner,
    FeedForwardTuner,
    pairs_from_labels,
)

TEXTS = [
    "the striker scored twice in the cup final",
    "a late goal won the match for the home side",
    "the keeper saved a penalty in extra time",
    "fans sang as the team lifted the trophy",
    "the central bank raised interest rates again",
    "shares fell as inflation figures surprised markets",
    "the company reported record quarterly profits",
    "bond yields rose after the budget statement",
    "the new phone has a faster chip and a brighter screen",
    "the update fixes a bug in the laptop's battery software",
    "researchers built a smaller and cheaper sensor chip",
    "the app now syncs photos across every device",
] * 3
TOPICS = np.repeat(["sport", "money", "tech"], 4).tolist() * 3

TUNERS = {
    "feedforward": lambda **kw: FeedForwardTuner(n_epochs=20, random_state=0, **kw),
    "contrastive": lambda **kw: ContrastiveTuner(epochs=5, random_state=0, **kw),
    "contrastive plain": lambda **kw: ContrastiveTuner(
        epochs=5, residual=False, random_state=0, **kw
    ),
}


@pytest.fixture(scope="module")
def tfidf():
    return TfidfVectorizer().fit_transform(TEXTS).astype(np.float32)


@pytest.mark.parametrize("make", TUNERS.values(), ids=TUNERS)
def test_sparse_input_gives_the_dense_result(make, tfidf):
    dense = make(hidden_dim=6).fit(tfidf.toarray(), TOPICS).transform(tfidf.toarray())
    sparse = make(hidden_dim=6).fit(tfidf, TOPICS).transform(tfidf)
    np.testing.assert_allclose(sparse, dense, rtol=1e-5, atol=1e-6)
    assert sparse.shape == (len(TEXTS), 6) and sparse.dtype == np.float32


@pytest.mark.parametrize("make", TUNERS.values(), ids=TUNERS)
def test_a_tfidf_pipeline_fits_and_transforms_texts(make):
    pipe = make_pipeline(TfidfVectorizer(), make(hidden_dim=4)).fit(TEXTS, TOPICS)
    assert pipe.transform(["a goal in the final"]).shape == (1, 4)


@pytest.mark.parametrize("make", TUNERS.values(), ids=TUNERS)
def test_np_matrix_and_lists_give_the_array_result(make, tfidf):
    X = tfidf.toarray()
    expected = make(hidden_dim=5).fit(X, TOPICS).transform(X)
    as_matrix = make(hidden_dim=5).fit(tfidf.todense(), TOPICS).transform(tfidf.todense())
    as_lists = make(hidden_dim=5).fit(X.tolist(), TOPICS).transform(X.tolist())
    np.testing.assert_array_equal(as_matrix, expected)
    np.testing.assert_allclose(as_lists, expected, rtol=1e-5, atol=1e-6)


def test_learner_sparse_pairs_give_the_dense_result(tfidf):
    pairs = pairs_from_labels(TOPICS, n_neg=2, random_state=0)
    X1, X2 = tfidf[pairs.first], tfidf[pairs.second]

    def fitted(a, b):
        learner = ContrastiveLearner(shape_out=8, epochs=3, learning_rate=0.01, random_state=0)
        return learner.fit(a, b, pairs.similar)

    dense = fitted(X1.toarray(), X2.toarray()).transform(tfidf.toarray())
    np.testing.assert_allclose(fitted(X1, X2).transform(tfidf), dense, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(fitted(X1.todense(), X2.todense()).transform(tfidf), dense)


def test_learner_takes_one_item_of_each_pair_sparse():
    rng = np.random.default_rng(0)
    X1 = rng.normal(size=(10, 6)).astype(np.float32)
    X2 = rng.normal(size=(10, 6)).astype(np.float32)
    y = np.arange(10) % 2
    learner = ContrastiveLearner(shape_out=3, epochs=2, random_state=0)
    expected = learner.fit(X1, X2, y).transform(X1)
    mixed = learner.fit(scipy.sparse.csr_matrix(X1), X2, y).transform(X1)
    np.testing.assert_allclose(mixed, expected, rtol=1e-5, atol=1e-6)


def test_learner_de_duplicates_repeated_items_by_value():
    from embedwidget.finetune.contrastive_learner import distinct_rows

    X = np.array([[1, 0], [0, 1], [1, 0], [-0.0, 1]], dtype=np.float32)
    items, where = distinct_rows(X[:2], X[2:])
    np.testing.assert_array_equal(items, X[:2])
    assert where.tolist() == [0, 1, 0, 1]
    sparse_items, sparse_where = distinct_rows(*map(scipy.sparse.csr_matrix, (X[:2], X[2:])))
    np.testing.assert_array_equal(sparse_items.toarray(), items)
    assert sparse_where.tolist() == where.tolist()


# -- tiny data: three texts, one per class, as embetter's own tests use -------------------


@pytest.mark.parametrize("make", TUNERS.values(), ids=TUNERS)
def test_three_texts_one_per_class(make, tfidf):
    X, y = tfidf[[0, 4, 8]].toarray(), ["sport", "money", "tech"]
    tuner = make(hidden_dim=7).fit(X, y)
    Z = tuner.transform(X)
    assert Z.shape == (3, 7) and np.isfinite(Z).all()
    assert tuner.validation_scores_ == []  # nothing to hold back: all three train


def test_learner_on_three_texts(tfidf):
    X = tfidf[[0, 4, 8]].toarray()
    learner = ContrastiveLearner(shape_out=7, epochs=3, random_state=0)
    learner.fit(X[[0, 0, 1]], X[[1, 2, 2]], [0.0, 0.0, 0.0])
    assert learner.transform(X).shape == (3, 7)


@pytest.mark.parametrize("hidden_dim", [1, 7, 64])
@pytest.mark.parametrize("make", TUNERS.values(), ids=TUNERS)
def test_output_width_is_hidden_dim(make, hidden_dim):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 16)).astype(np.float32)  # 64 is wider than the input
    y = np.arange(40) % 3
    Z = make(hidden_dim=hidden_dim).fit(X, y).transform(X)
    assert Z.shape == (40, hidden_dim) and np.isfinite(Z).all()


@pytest.mark.parametrize("residual", [False, True])
def test_learner_output_width_is_shape_out(residual):
    rng = np.random.default_rng(0)
    X1, X2 = rng.normal(size=(2, 30, 16)).astype(np.float32)
    y = (np.arange(30) % 2).astype(float)
    learner = ContrastiveLearner(shape_out=24, epochs=2, residual=residual, random_state=0)
    assert learner.fit(X1, X2, y).transform(X1).shape == (30, 24)
