"""The charts draw offline (vl-convert), save as PNG and SVG, and name what is wrong."""

import altair as alt
import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from embedwidget.charts import compare_chart, loss_chart, pca_chart, scores_chart
from embedwidget.finetune import FeedForwardTuner

HEADERS = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<svg"}


def blobs(n=60, d=8, seed=0):
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 2, "good", "bad")
    X = rng.normal(size=(n, d)) + 2.0 * (y == "good")[:, None]
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def tuner():
    X, y = blobs()
    return FeedForwardTuner(hidden_dim=4, n_epochs=20, random_state=0, device="cpu").fit(X, y)


@pytest.fixture(scope="module")
def search():
    X, y = blobs(n=80)
    pipe = make_pipeline(FeedForwardTuner(n_epochs=10, random_state=0, device="cpu"),
                         LogisticRegression())  # fmt: skip
    grid = {"feedforwardtuner__hidden_dim": [2, 8], "feedforwardtuner__n_epochs": [5, 10]}
    return GridSearchCV(pipe, grid, cv=3).fit(X, y)


def charts(tuner):
    X, y = blobs()
    runs = pd.DataFrame({"hidden_dim": [10, 10, 50, 50], "score": [0.7, 0.8, 0.8, 0.9]})
    return {
        "pca": pca_chart(X, y),
        "compare": compare_chart(X, tuner.transform(X), y),
        "loss": loss_chart(tuner),
        "scores": scores_chart(runs, x="hidden_dim", log_x=True),
    }


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_every_chart_saves_offline(tuner, tmp_path, fmt):
    for name, chart in charts(tuner).items():
        path = tmp_path / f"{name}.{fmt}"
        chart.save(path)
        assert path.read_bytes().startswith(HEADERS[fmt]), name


def test_charts_render_as_svg_in_a_notebook(tuner):
    with alt.renderers.enable("svg"):
        for name, chart in charts(tuner).items():
            bundle = chart._repr_mimebundle_()
            assert "<svg" in bundle["image/svg+xml"], name


def test_scores_chart_averages_repeated_runs_with_their_spread():
    runs = pd.DataFrame({
        "hidden_dim": [10, 10, 50, 50, 10, 50],
        "epochs": [5, 5, 5, 5, 50, 50],
        "score": [0.6, 0.8, 0.7, 0.9, 0.75, 0.85],
    })  # fmt: skip
    chart = scores_chart(runs, x="hidden_dim", color="epochs")
    summary = chart.data.set_index(["hidden_dim", "epochs"])
    row = summary.loc[(10, "5")]
    assert row["mean"] == pytest.approx(0.7) and row["runs"] == 2
    assert row["upper"] - row["lower"] == pytest.approx(2 * np.std([0.6, 0.8], ddof=1))
    assert summary.loc[(50, "50"), "lower"] == summary.loc[(50, "50"), "upper"]  # one run


def test_scores_chart_reads_grid_search_results(search):
    chart = scores_chart(search.cv_results_, x="param_feedforwardtuner__hidden_dim",
                         color="feedforwardtuner__n_epochs")  # fmt: skip
    summary = chart.data
    assert len(summary) == 4
    best = summary.loc[summary["mean"].idxmax()]
    assert best["mean"] == pytest.approx(search.best_score_)
    std = search.cv_results_["std_test_score"][search.best_index_]
    assert best["upper"] - best["mean"] == pytest.approx(std)
    spec = chart.to_dict()
    assert spec["layer"][1]["encoding"]["x"]["title"] == "hidden_dim"


def test_scores_chart_needs_a_line_per_other_searched_parameter(search):
    with pytest.raises(ValueError, match="also varied.*n_epochs.*color="):
        scores_chart(search.cv_results_, x="feedforwardtuner__hidden_dim")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": "epochs"}, "x: no column 'epochs'.*'hidden_dim', 'score'"),
        ({"x": "hidden_dim", "y": "f1"}, "y: no column 'f1'"),
        ({"x": "hidden_dim", "color": "seed"}, "color: no column 'seed'"),
        ({"x": "hidden_dim", "std": "sd"}, "std: no column 'sd'"),
    ],
)
def test_scores_chart_names_a_missing_column(kwargs, message):
    runs = pd.DataFrame({"hidden_dim": [10, 50], "score": [0.7, 0.8]})
    with pytest.raises(ValueError, match=message):
        scores_chart(runs, **kwargs)


def test_scores_chart_refuses_empty_or_unusable_results():
    with pytest.raises(ValueError, match="empty"):
        scores_chart(pd.DataFrame({"hidden_dim": [], "score": []}), x="hidden_dim")
    with pytest.raises(ValueError, match="no numeric scores"):
        scores_chart(pd.DataFrame({"hidden_dim": [1], "score": ["high"]}), x="hidden_dim")
    with pytest.raises(TypeError, match="DataFrame or a GridSearchCV"):
        scores_chart([(10, 0.7)], x="hidden_dim")


def test_the_loss_chart_names_its_x_axis_by_what_a_point_is():
    X, y = blobs()
    tuner = FeedForwardTuner(hidden_dim=4, random_state=0)
    for _ in range(3):
        tuner.partial_fit(X, y)
    spec = loss_chart(tuner, title="one point per step", unit="step").to_dict()
    assert spec["encoding"]["x"]["field"] == "step"
    assert loss_chart(tuner).to_dict()["encoding"]["x"]["field"] == "epoch"
    with pytest.raises(ValueError, match="unit must name"):
        loss_chart(tuner, unit="")


def test_loss_chart_needs_a_fitted_model():
    with pytest.raises(NotFittedError, match="FeedForwardTuner has no loss_curve_"):
        loss_chart(FeedForwardTuner())


def test_pca_chart_says_what_is_wrong_with_its_input():
    X, y = blobs()
    with pytest.raises(ValueError, match="2-D"):
        pca_chart(X[:, 0], y)
    with pytest.raises(ValueError, match="one label per row"):
        pca_chart(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        pca_chart(np.full_like(X, np.nan), y)
    with pytest.raises(ValueError, match="same points"):
        compare_chart(X, X[:-1], y)
