"""UmapProjector: a live UMAP picture that keeps clusters apart, lines up with the frame
before, holds still when the embedding does, and never keeps a widget waiting.

numba compiles umap-learn's code once a test session (about 15 s), in the first test
that draws the map.
"""

import threading
import time

import numpy as np
import pytest
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from embedwidget import projection
from embedwidget.projection import UmapProjector


def blobs(n=600, dim=10, centres=6, seed=0):
    """``centres`` well-separated clusters in ``dim`` dimensions: (Z float32, labels)."""
    rng = np.random.default_rng(seed)
    middles = rng.normal(scale=6, size=(centres, dim))
    labels = np.arange(n) % centres
    return (middles[labels] + rng.normal(size=(n, dim))).astype(np.float32), labels


def lasso_score(positions, labels):
    """Can a lasso around a region pick one cluster? 15-NN accuracy on the positions."""
    return cross_val_score(KNeighborsClassifier(15), positions, labels, cv=3).mean()


def median_move(before, after):
    """How far the median point moved, as a fraction of the picture's width."""
    width = np.ptp(before, axis=0).max()
    return float(np.median(np.linalg.norm(after - before, axis=1)) / width)


def test_a_frame_is_one_float32_position_per_point():
    Z, _ = blobs()
    projector = UmapProjector(background=False)
    positions = projector(Z)
    assert positions.shape == (600, 2) and positions.dtype == np.float32
    assert projector.method_ == "umap"
    assert np.isfinite(positions).all()
    lo_x, hi_x, lo_y, hi_y = projector.bounds_
    assert lo_x < positions[:, 0].min() and positions[:, 0].max() < hi_x
    assert lo_y < positions[:, 1].min() and positions[:, 1].max() < hi_y


def test_the_reference_keeps_what_the_raw_embedding_knew():
    # A model that has merged the six clusters of the raw embedding into two (it was
    # taught two labels); passed as the reference, the raw one keeps the six apart.
    raw, labels = blobs()
    tuned, merged = blobs(centres=2, dim=5, seed=1)
    assert (merged == labels % 2).all()
    alone = UmapProjector(background=False)(tuned)
    beside = UmapProjector(reference=raw, background=False)(tuned)
    assert lasso_score(alone, labels) < 0.5
    assert lasso_score(beside, labels) > 0.9


@pytest.mark.parametrize("turn", ["mirror", "rotation"])
def test_a_mirrored_or_turned_embedding_gives_the_same_picture(turn):
    Z, _ = blobs()
    rng = np.random.default_rng(3)
    if turn == "mirror":
        R = np.diag([-1.0] + [1.0] * 9)
    else:
        R = np.linalg.qr(rng.normal(size=(10, 10)))[0]
    projector = UmapProjector(smoothing=0, background=False)
    first = projector(Z)
    # The same neighbourhoods: nothing to move, and no flip of the picture.
    again = projector(Z @ R.astype(np.float32))
    assert median_move(first, again) < 1e-3


def test_a_slightly_changed_embedding_moves_the_picture_slightly():
    Z, labels = blobs()
    rng = np.random.default_rng(4)
    projector = UmapProjector(background=False)
    frames = [projector(Z)]
    for _ in range(4):  # a model training: every step moves the embedding a little
        Z = Z + 0.05 * rng.normal(size=Z.shape).astype(np.float32)
        frames.append(projector(Z))
    for before, after in zip(frames, frames[1:], strict=False):
        assert median_move(before, after) < 0.04
    assert lasso_score(frames[-1], labels) > 0.95


@pytest.fixture(params=["all-laid-out", "most-placed", "most-placed-by-their-last"])
def n_landmarks(request, monkeypatch):
    """All points laid out; most placed among 150 landmarks, looked for among all of
    them; or, as with more than EXACT_ROWS points, mostly among their last ones."""
    if request.param == "most-placed-by-their-last":
        monkeypatch.setattr(projection, "EXACT_ROWS", 100)
    return 2048 if request.param == "all-laid-out" else 150


def test_the_map_keeps_clusters_apart_as_the_embedding_moves(n_landmarks):
    Z, labels = blobs(n=900, centres=9)
    rng = np.random.default_rng(6)
    projector = UmapProjector(n_landmarks=n_landmarks, background=False)
    assert lasso_score(projector(Z), labels) > 0.95
    for _ in range(5):
        Z = Z + 0.1 * rng.normal(size=Z.shape).astype(np.float32)
        positions = projector(Z)
    assert lasso_score(positions, labels) > 0.95


def test_the_picture_holds_still_when_the_embedding_does(n_landmarks):
    Z, _ = blobs()
    rng = np.random.default_rng(5)
    projector = UmapProjector(n_landmarks=n_landmarks, background=False)
    for _ in range(3):
        Z = Z + 0.05 * rng.normal(size=Z.shape).astype(np.float32)
        settled = projector(Z)
    assert median_move(settled, projector(Z)) < 0.01
    assert median_move(settled, projector(Z.copy())) < 0.01


def test_a_wider_or_longer_embedding_starts_a_new_layout_lined_up_with_the_last():
    raw, labels = blobs(dim=30)
    tuned = raw[:, :8] * 2  # e.g. the raw embedding, then a model's narrower one
    projector = UmapProjector(background=False)
    projector(raw)
    assert projector(tuned).shape == (600, 2)
    assert projector(tuned[:400]).shape == (400, 2)  # other points: other landmarks
    assert lasso_score(projector(tuned[:400]), labels[:400]) > 0.95


def test_the_first_calls_draw_pca_while_umap_compiles_in_the_background(monkeypatch):
    release = threading.Event()

    class SlowCompiler(projection._Compiler):
        def here(self):
            release.wait(30)
            super().here()

    monkeypatch.setattr(projection, "_COMPILER", SlowCompiler())
    monkeypatch.setattr(projection, "_compile_lock", threading.Lock())
    Z, labels = blobs()
    ready = threading.Event()
    projector = UmapProjector().warm_up(on_ready=ready.set)
    assert not projector.ready
    started = time.perf_counter()
    pca = projector(Z)  # never waits for the compiler
    assert time.perf_counter() - started < 2
    assert projector.method_ == "pca" and pca.shape == (600, 2)
    release.set()
    assert ready.wait(60) and projector.ready
    assert lasso_score(projector(Z), labels) > 0.95
    assert projector.method_ == "umap"


@pytest.mark.parametrize("n", [1, 2, 15])
def test_too_few_points_for_a_neighbourhood_get_the_pca_picture(n):
    Z, _ = blobs(n=n)
    projector = UmapProjector(background=False)
    positions = projector(Z)
    assert positions.shape == (n, 2) and np.isfinite(positions).all()
    assert projector.method_ == "pca"


@pytest.mark.parametrize(
    "Z",
    [
        np.random.default_rng(0).normal(size=(50, 1)),
        np.c_[np.random.default_rng(0).normal(size=(50, 3)), np.ones((50, 4))],
        np.ones((50, 6)),
    ],
    ids=["dim1", "constant-columns", "all-constant"],
)
def test_degenerate_embeddings_give_finite_pictures(Z):
    projector = UmapProjector(background=False)
    for _ in range(2):
        positions = projector(Z.astype(np.float32))
        assert positions.shape == (50, 2) and np.isfinite(positions).all()
        assert np.isfinite(projector.bounds_).all()


def test_a_two_column_embedding_is_drawn_as_it_is():
    Z = np.random.default_rng(0).normal(size=(40, 2))
    projector = UmapProjector(background=False)
    np.testing.assert_array_equal(projector(Z), Z.astype(np.float32))
    assert projector.method_ == "as is"


@pytest.mark.parametrize(
    "Z, message",
    [
        (np.zeros(5), "2-D"),
        (np.zeros((2, 3, 4)), "2-D"),
        (np.zeros((0, 4)), "empty"),
        (np.c_[np.zeros((30, 3)), np.full(30, np.nan)], "NaN"),
    ],
)
def test_bad_embeddings_are_refused(Z, message):
    with pytest.raises(ValueError, match=message):
        UmapProjector(background=False)(Z)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"n_neighbors": 1}, "n_neighbors"),
        ({"n_landmarks": 10}, "n_landmarks"),
        ({"min_dist": -1}, "min_dist"),
        ({"smoothing": 1}, "smoothing"),
        ({"reference": np.zeros((7, 3))}, "reference has 7 rows"),
    ],
)
def test_bad_parameters_are_refused(params, message):
    Z, _ = blobs(n=50)
    with pytest.raises(ValueError, match=message):
        UmapProjector(background=False, **params)(Z)


def test_a_returned_picture_is_the_callers_to_keep():
    Z, _ = blobs()
    projector = UmapProjector(background=False)
    first = projector(Z)
    kept = first.copy()
    projector(Z + 0.1)
    projector(Z[:, ::-1].copy())
    np.testing.assert_array_equal(first, kept)


def test_without_umap_learn_warm_up_says_what_to_install(monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "umap" else find_spec(name)
    )
    monkeypatch.setattr(projection, "_COMPILER", projection._Compiler())
    with pytest.raises(ImportError, match="pip install 'umap-learn>=0.5'"):
        UmapProjector().warm_up()
