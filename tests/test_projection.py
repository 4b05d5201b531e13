"""Projector: PCA frames that line up with the frame before, and never NaN."""

import numpy as np
import pytest

from embedwidget.projection import Projector


@pytest.fixture
def Z():
    rng = np.random.default_rng(1)
    return (rng.normal(size=(400, 10)) * np.linspace(3, 0.5, 10)).astype(np.float32)


@pytest.mark.parametrize("turn", [np.pi / 5, np.pi / 2, np.pi])
def test_a_rotated_or_flipped_copy_comes_back_aligned(Z, turn):
    projector = Projector(smoothing=0)
    first = projector(Z)
    # Turn and mirror the embedding's top two axes: the PCA picture may come out turned,
    # flipped or swapped; alignment must undo it.
    c, s = np.cos(turn), np.sin(turn)
    R = np.eye(10, dtype=np.float32)
    R[:2, :2] = [[c, -s], [s, c]]
    R[2, 2] = -1
    again = projector(Z @ R.T @ np.diag([1, -1] + [1] * 8).astype(np.float32))
    np.testing.assert_allclose(again, first, atol=1e-3)


def test_alignment_keeps_consecutive_frames_close_while_the_embedding_drifts(Z):
    projector = Projector(smoothing=0)
    rng = np.random.default_rng(2)
    frames = [
        projector(Z + 0.05 * k * rng.normal(size=Z.shape).astype(np.float32)) for k in range(5)
    ]
    for before, after in zip(frames, frames[1:], strict=False):
        assert np.abs(after - before).mean() < 0.3 * np.abs(before).mean()


def test_large_inputs_use_a_fixed_sample(Z):
    big = np.tile(Z, (10, 1))
    projector = Projector(max_sample=500)
    first = projector(big)
    assert first.shape == (4000, 2)
    assert np.array_equal(projector._rows, Projector(max_sample=500)._sample_rows(4000))


@pytest.mark.parametrize(
    "Z",
    [
        np.random.default_rng(0).normal(size=(50, 1)),  # hidden_dim 1
        np.random.default_rng(0).normal(size=(50, 2)),  # hidden_dim 2
        np.c_[np.random.default_rng(0).normal(size=(50, 3)), np.ones((50, 4))],  # constant columns
        np.ones((50, 6)),  # everything constant
        np.zeros((1, 5)),  # one point
    ],
    ids=["dim1", "dim2", "constant-columns", "all-constant", "one-point"],
)
def test_degenerate_embeddings_give_finite_pictures(Z):
    projector = Projector()
    for _ in range(2):
        positions = projector(Z.astype(np.float32))
        assert positions.shape == (len(Z), 2)
        assert np.isfinite(positions).all()
        assert np.isfinite(projector.bounds_).all()
        lo_x, hi_x, lo_y, hi_y = projector.bounds_
        assert hi_x > lo_x and hi_y > lo_y


def test_bounds_follow_the_points_smoothly():
    projector = Projector(smoothing=0.5)
    small = np.random.default_rng(0).normal(size=(100, 3)).astype(np.float32)
    projector(small)
    before = projector.bounds_
    projector(small * 10)
    after = projector.bounds_
    assert after[1] > before[1]  # grows towards the bigger picture...
    assert after[1] < 10 * before[1]  # ...but not in one jump


def test_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        Projector()(np.zeros(5))
