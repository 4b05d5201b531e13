"""projection="pca" | "umap" on every widget, switchable while training."""

import time

import numpy as np
import pytest
import traitlets

from embedwidget import EmbeddingScatter, TunerWidget
from embedwidget.finetune import FeedForwardTuner
from embedwidget.widgets.serializers import HEADER_BYTES

N = 300


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    centres = rng.normal(scale=6, size=(6, 16))
    return (centres[np.arange(N) % 6] + rng.normal(size=(N, 16))).astype(np.float32)


def labels():
    y = [None] * N
    for i in range(24):
        y[i] = f"c{i % 6}"
    return y


def wait_for_map(widget, seconds=120):
    """umap-learn compiles once a process (in the background): until then, PCA."""
    deadline = time.monotonic() + seconds
    while widget.session.projector.method_ != "umap" and time.monotonic() < deadline:
        time.sleep(0.1)
    return widget.session.projector.method_


def test_a_map_that_keeps_clusters_apart(X):
    from sklearn.model_selection import cross_val_score
    from sklearn.neighbors import KNeighborsClassifier

    w = EmbeddingScatter(X, projection="umap")
    assert w.projection == "umap"
    assert w.wait_for_map() is True and w.session.projector.method_ == "umap"
    assert w._projection_note == ""  # the caption's note goes once the map is drawn
    assert w.positions.shape == (N, 2) and len(w._positions) == 4 * N + HEADER_BYTES
    knn = KNeighborsClassifier(15)
    assert cross_val_score(knn, w.positions, np.arange(N) % 6, cv=3).mean() > 0.9
    w.close()


def test_switching_while_training_keeps_training_and_the_wire(X):
    w = TunerWidget(FeedForwardTuner(hidden_dim=8, random_state=0), X, y=labels(), compare=True)
    w.fit(3)
    start = w._start_positions
    w.projection = "umap"  # from the toolbar, or here
    assert wait_for_map(w) == "umap"
    w.fit(3)  # the next frames use the map; nothing is lost
    assert w.step == 6 and w.session.projection == "umap"
    assert w.positions.shape == (N, 2) and len(w._positions) == 4 * N + HEADER_BYTES
    assert w._start_positions != start  # the starting picture, with the same projection
    w.projection = "pca"
    w.fit(1)
    assert w.step == 7 and w.session.projector.__class__.__name__ == "Projector"
    w.close()


def test_bad_projections_are_clear_errors(X):
    with pytest.raises(ValueError, match=r"\['pca', 'umap'\]"):
        EmbeddingScatter(X, projection="tsne")
    w = EmbeddingScatter(X)
    with pytest.raises(traitlets.TraitError, match="must be one of"):
        w.projection = "tsne"
    assert w.projection == "pca"
    flat = EmbeddingScatter(X[:, :2])
    assert flat.projection == "none"  # a 2-D X is drawn as it is
    with pytest.raises(ValueError, match="already 2-D"):
        EmbeddingScatter(X[:, :2], projection="umap")


def test_a_map_of_fewer_points_than_a_neighbourhood_is_the_pca_picture(X):
    w = EmbeddingScatter(X[:10], projection="umap")
    assert w.positions.shape == (10, 2) and w.session.projector.method_ == "pca"
    assert w._projection_note == "drawn by PCA: UMAP needs more than 15 points"  # the caption
    started = time.monotonic()
    assert w.wait_for_map() is False and time.monotonic() - started < 1  # it never will be
