"""Altair charts: a PCA picture of an embedding, the guide's before/after comparison, a
training-loss curve, held-out scores across hyperparameters, and a training session's
learning curve.

Altair's default renderer fetches vega from the internet; offline, call
``alt.renderers.enable("svg")`` (it needs ``vl-convert-python``) or save charts with
``chart.save("picture.png")`` or ``chart.save("picture.svg")``.
"""

from __future__ import annotations

import numpy as np
from sklearn.exceptions import NotFittedError


def pca_frame(X, y=None):
    """Two PCA coordinates of ``X`` (and the label, when given) as a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(10, 5))
    >>> pca_frame(X, y=["a", "b"] * 5).columns.tolist()
    ['pc1', 'pc2', 'label']
    """
    import pandas as pd
    from sklearn.decomposition import PCA

    X = _check_embedding(X)
    coords = PCA(n_components=2).fit_transform(X) if X.shape[1] > 2 else X
    frame = pd.DataFrame({"pc1": coords[:, 0], "pc2": coords[:, 1]})
    if y is not None:
        y = np.asarray(y)
        if y.shape != (len(X),):
            raise ValueError(f"y must hold one label per row of X ({len(X)}); got shape {y.shape}.")
        frame["label"] = y.astype(str)
    return frame


def pca_chart(X, y=None, title="", width=300, height=300):
    """Scatter of the first two principal components of ``X``, coloured by ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.charts import pca_chart
    >>> X = np.random.default_rng(0).normal(size=(50, 8))
    >>> chart = pca_chart(X, ["a", "b"] * 25, title="raw")
    >>> chart.to_dict()["mark"]["type"]
    'circle'
    >>> # chart.save("raw.svg") or chart.save("raw.png") writes it, offline
    """
    import altair as alt

    chart = alt.Chart(pca_frame(X, y), title=title, width=width, height=height).mark_circle(
        size=20, opacity=0.6
    )
    encoding = {"x": alt.X("pc1", axis=None), "y": alt.Y("pc2", axis=None)}
    if y is not None:
        encoding["color"] = alt.Color("label:N", title="label")
    return chart.encode(**encoding)


def compare_chart(X_before, X_after, y, titles=("original", "finetuned"), **kwargs):
    """The PCA pictures of two embeddings of the same points, side by side.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.charts import compare_chart
    >>> X = np.random.default_rng(0).normal(size=(40, 8))
    >>> chart = compare_chart(X, X[:, :4] * 2, ["a", "b"] * 20)
    >>> [part["title"] for part in chart.to_dict()["hconcat"]]
    ['original', 'finetuned']
    """
    if len(X_before) != len(X_after):
        raise ValueError(
            "X_before and X_after must embed the same points; got "
            f"{len(X_before)} and {len(X_after)} rows."
        )
    return pca_chart(X_before, y, titles[0], **kwargs) | pca_chart(X_after, y, titles[1], **kwargs)


def loss_chart(model, title="training loss", width=400, height=200, unit="epoch"):
    """The training loss of every pass a fitted tuner or learner has made (``loss_curve_``).

    ``unit`` names what one point of the curve is on the x axis: "epoch" for ``fit``'s
    passes, "step" for a live widget's (one ``partial_fit`` a step).

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.charts import loss_chart
    >>> from embedwidget.finetune import FeedForwardTuner
    >>> X = np.random.default_rng(0).normal(size=(40, 8)).astype("float32")
    >>> tuner = FeedForwardTuner(hidden_dim=4, n_epochs=5, early_stopping=False).fit(X, [0, 1] * 20)
    >>> len(loss_chart(tuner).to_dict()["datasets"].popitem()[1])
    5
    """
    import altair as alt
    import pandas as pd

    try:
        curve = model.loss_curve_
    except AttributeError:
        curve = None
    if curve is None or len(curve) == 0:
        raise NotFittedError(
            f"{type(model).__name__} has no loss_curve_ to draw; fit it first "
            "(loss_chart takes a fitted tuner or learner)."
        )
    if not isinstance(unit, str) or not unit or unit == "loss":
        raise ValueError(
            f"unit must name what a point is, such as 'epoch' or 'step'; got {unit!r}."
        )
    curve = np.asarray(curve, dtype=float)
    frame = pd.DataFrame({unit: np.arange(1, len(curve) + 1), "loss": curve})
    scale = alt.Scale(type="log") if (curve > 0).all() else alt.Scale()
    return (
        alt.Chart(frame, title=title, width=width, height=height)
        .mark_line()
        .encode(x=alt.X(f"{unit}:Q"), y=alt.Y("loss:Q", scale=scale))
    )


def scores_chart(
    results, x, y="score", color=None, std=None, log_x=False, title="", width=400, height=250
):
    """Held-out scores across a hyperparameter: a line per ``color`` value, with a band.

    Parameters
    ----------
    results : DataFrame or dict
        A row per run, or a GridSearchCV's ``cv_results_``. For ``cv_results_``, names
        are looked up with and without the ``param_`` prefix, ``y`` is the mean
        cross-validated score (``mean_test_score``, or ``mean_test_<y>`` with several
        scorers) and the band is one standard deviation across folds.
    x, color : str
        The hyperparameter on the x-axis, and the one that gets a line per value.
    y : str, default="score"
    std : str or None
        A column holding each row's standard deviation. Without it, rows that repeat an
        ``(x, color)`` setting (seeds, say) are averaged and the band is their spread.
    log_x : bool, default=False

    Examples
    --------
    >>> import pandas as pd
    >>> runs = pd.DataFrame({"hidden_dim": [10, 10, 50, 50], "score": [0.7, 0.8, 0.8, 0.9]})
    >>> chart = scores_chart(runs, x="hidden_dim")
    >>> chart.data.round(3)  # the band: one standard deviation of the runs
       hidden_dim  mean  runs  lower  upper
    0          10  0.75     2  0.679  0.821
    1          50  0.85     2  0.779  0.921
    >>> scores_chart(runs, x="epochs")
    Traceback (most recent call last):
    ...
    ValueError: x: no column 'epochs' in the results; they have ['hidden_dim', 'score'].
    """
    import altair as alt

    frame, x, y, color, std = _results_frame(results, x, y, color, std)
    summary = _summarise(frame, x, y, color, std)
    x_title, y_title = _short_name(x), _short_name(y)
    x_type = "Q" if summary[x].dtype.kind in "iuf" else "O"
    log = log_x and x_type == "Q"
    x_scale = alt.Scale(type="log", nice=False, padding=12) if log else alt.Undefined
    encoding = {"x": alt.X(f"{x}:{x_type}", title=x_title, scale=x_scale)}
    if color is not None:
        encoding["color"] = alt.Color(f"{color}:N", title=_short_name(color))
    base = alt.Chart(summary, title=title, width=width, height=height).encode(**encoding)
    y_scale = alt.Scale(zero=False)
    band = base.mark_area(opacity=0.2).encode(
        y=alt.Y("lower:Q", title=y_title, scale=y_scale), y2="upper:Q"
    )
    tooltip = [x, "mean", "lower", "upper", "runs"] + ([color] if color else [])
    line = base.mark_line().encode(y=alt.Y("mean:Q", title=y_title, scale=y_scale))
    points = base.mark_point(filled=True).encode(y="mean:Q", tooltip=tooltip)
    return alt.layer(band, line, points)


def learning_curve_chart(frame, title="estimated macro-F1", width=400, height=200):
    """A training session's learning curve (``session.learning_curve()``): the estimated
    macro-F1 against the number of labels, its interval as a band, and the hint (when
    more labels stopped paying) as the subtitle.

    Examples
    --------
    >>> import pandas as pd
    >>> from embedwidget.charts import learning_curve_chart
    >>> curve = pd.DataFrame({"labels": [20, 60], "macro_f1": [0.6, 0.8], "low": [0.4, 0.7],
    ...                       "high": [0.75, 0.88], "step": [100, 400]})
    >>> [layer["mark"]["type"] for layer in learning_curve_chart(curve).to_dict()["layer"]]
    ['area', 'line', 'point']
    """
    import altair as alt

    missing = {"labels", "macro_f1", "low", "high"} - set(getattr(frame, "columns", ()))
    if missing:
        raise ValueError(
            "frame must be a learning curve (session.learning_curve()); it lacks "
            f"{sorted(missing)}."
        )
    if frame.empty:
        raise ValueError("The learning curve is empty: train, and estimate() it, first.")
    hint = frame.attrs.get("hint")
    heading = alt.TitleParams(title, subtitle=hint) if hint else title
    base = alt.Chart(frame, title=heading, width=width, height=height).encode(
        x=alt.X("labels:Q", title="labels")
    )
    scale = alt.Scale(domain=[0, 1])
    band = base.mark_area(opacity=0.2).encode(
        y=alt.Y("low:Q", title="macro-F1", scale=scale), y2="high:Q"
    )
    line = base.mark_line().encode(y=alt.Y("macro_f1:Q", scale=scale))
    tooltip = ["labels", "macro_f1", "low", "high"] + (["step"] if "step" in frame else [])
    points = base.mark_point(filled=True).encode(y="macro_f1:Q", tooltip=tooltip)
    return alt.layer(band, line, points)


def _results_frame(results, x, y, color, std):
    """The results as a DataFrame, and the column names ``x``, ``y``, ``color`` and ``std``
    resolve to in it (``cv_results_`` names its columns ``param_*`` and ``mean_test_*``)."""
    import pandas as pd

    cv_results = isinstance(results, dict)
    if cv_results:
        results = pd.DataFrame({k: list(v) for k, v in results.items()})
    elif not isinstance(results, pd.DataFrame):
        raise TypeError(
            "results must be a DataFrame or a GridSearchCV's cv_results_ dict; "
            f"got {type(results).__name__}."
        )
    if results.empty:
        raise ValueError("results is empty: there are no scores to draw.")
    columns = list(results.columns)

    def find(role, name, candidates):
        for candidate in candidates:
            if candidate in columns:
                return candidate
        raise ValueError(f"{role}: no column {name!r} in the results; they have {columns}.")

    def param(role, name):
        return find(role, name, [name, f"param_{name}"])

    x = param("x", x)
    color = None if color is None else param("color", color)
    if cv_results:
        scorer = "score" if y == "score" else y
        y = find("y", y, [y, f"mean_test_{scorer}"])
        if std is None and y.startswith("mean_test_"):
            std = "std_test_" + y[len("mean_test_") :]
    else:
        y = find("y", y, [y])
    if std is not None:
        std = find("std", std, [std])
    if cv_results:
        others = [
            c for c in columns
            if c.startswith("param_") and c not in (x, color) and results[c].nunique() > 1
        ]  # fmt: skip
        if others:
            raise ValueError(
                f"the search also varied {others}; pass one of them as color=, or draw a "
                "DataFrame of the rows to compare."
            )
    frame = results[[c for c in (x, y, color, std) if c is not None]].copy()
    frame[y] = pd.to_numeric(frame[y], errors="coerce")
    if frame[y].isna().all():
        raise ValueError(f"y: column {y!r} holds no numeric scores.")
    if frame[x].dtype == object:
        try:
            frame[x] = pd.to_numeric(frame[x])
        except (TypeError, ValueError):
            frame[x] = frame[x].astype(str)
    if color is not None:
        frame[color] = frame[color].astype(str)
    return frame, x, y, color, std


def _summarise(frame, x, y, color, std):
    """Mean, band and number of runs per ``(x, color)`` setting."""
    keys = [x] + ([color] if color is not None else [])
    groups = frame.groupby(keys, sort=True)
    summary = groups[y].agg(mean="mean", runs="count", spread="std").reset_index()
    if std is not None:
        summary["spread"] = groups[std].mean().to_numpy()
    spread = summary["spread"].fillna(0.0)
    summary["lower"] = summary["mean"] - spread
    summary["upper"] = summary["mean"] + spread
    return summary.drop(columns="spread")


def _short_name(column):
    """An axis title: ``param_feedforwardtuner__hidden_dim`` -> ``hidden_dim``."""
    for prefix in ("param_", "mean_test_"):
        if column.startswith(prefix):
            column = column[len(prefix) :]
    return column.rsplit("__", 1)[-1]


def _check_embedding(X):
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, a row per point; got shape {X.shape}.")
    if X.shape[0] < 2 or X.shape[1] < 2:
        raise ValueError(f"a PCA picture needs at least 2 points and 2 dimensions; got {X.shape}.")
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or infinity.")
    return X
