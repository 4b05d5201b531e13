"""Altair charts of embeddings: a PCA picture, and the guide's before/after comparison.

Altair's default renderer fetches vega from the internet; offline, call
``alt.renderers.enable("svg")`` (it needs ``vl-convert-python``) or save charts with
``chart.save("picture.png")``.
"""

from __future__ import annotations

import numpy as np


def pca_frame(X, y=None):
    """Two PCA coordinates of ``X`` (and the label, when given) as a DataFrame."""
    import pandas as pd
    from sklearn.decomposition import PCA

    X = np.asarray(X, dtype=np.float32)
    coords = PCA(n_components=2).fit_transform(X) if X.shape[1] > 2 else X
    frame = pd.DataFrame({"pc1": coords[:, 0], "pc2": coords[:, 1]})
    if y is not None:
        frame["label"] = np.asarray(y).astype(str)
    return frame


def pca_chart(X, y=None, title="", width=300, height=300):
    """Scatter of the first two principal components of ``X``, coloured by ``y``."""
    import altair as alt

    chart = alt.Chart(pca_frame(X, y), title=title, width=width, height=height).mark_circle(
        size=20, opacity=0.6
    )
    encoding = {"x": alt.X("pc1", axis=None), "y": alt.Y("pc2", axis=None)}
    if y is not None:
        encoding["color"] = alt.Color("label:N", title="label")
    return chart.encode(**encoding)


def compare_chart(X_before, X_after, y, titles=("original", "finetuned"), **kwargs):
    """The PCA pictures of two embeddings of the same points, side by side."""
    return pca_chart(X_before, y, titles[0], **kwargs) | pca_chart(X_after, y, titles[1], **kwargs)


def loss_chart(model, title="training loss", width=400, height=200):
    """The training loss of every pass a fitted tuner or learner has made (``loss_curve_``)."""
    import altair as alt
    import pandas as pd

    curve = np.asarray(model.loss_curve_, dtype=float)
    frame = pd.DataFrame({"epoch": np.arange(1, len(curve) + 1), "loss": curve})
    return (
        alt.Chart(frame, title=title, width=width, height=height)
        .mark_line()
        .encode(x="epoch:Q", y=alt.Y("loss:Q", scale=alt.Scale(type="log")))
    )
