"""A DataFrame beside the points: its columns in the exports and as colours."""

import numpy as np
import pandas as pd
import pytest
import traitlets

from embedwidget import EmbeddingScatter, TunerWidget
from embedwidget.finetune import FeedForwardTuner
from embedwidget.widgets.serializers import codes_from_bytes

N = 30


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(size=(N, 5)).astype(np.float32)


@pytest.fixture
def data():
    return pd.DataFrame(
        {
            "stars": np.arange(N) % 5 + 1,  # few ints: categories
            "price": np.linspace(2.0, 8.0, N),  # numbers: a scale
            "shop": ["north", "south", None] * (N // 3),
        },
        index=np.arange(100, 100 + N),  # the index is ignored: rows align with X
    )


def test_the_columns_travel_with_the_points_into_the_exports(X, data):
    w = EmbeddingScatter(X, texts=[f"t{i}" for i in range(N)], data=data)
    w.selection = [3, 4]
    frame = w.selection_frame()
    assert list(frame.columns) == ["index", "text", "label", "x", "y", "stars", "price", "shop"]
    assert frame["stars"].tolist() == [4, 5] and frame["shop"].tolist() == ["north", "south"]
    w.label([4], "good")
    assert w.labels_frame()[["index", "price"]].values.tolist() == [[4, data["price"].iloc[4]]]


def test_color_by_a_column_sends_categories_or_a_scale(X, data):
    w = EmbeddingScatter(X, data=data, color_by="shop")
    assert w._color_legend == {"kind": "categories", "names": ["north", "south"]}
    assert codes_from_bytes(w._colors, 2).tolist()[:3] == [1, 2, 0]  # 0: missing
    w.color_by = "price"
    assert w._color_legend == {"kind": "scale", "low": 2.0, "high": 8.0}
    scale = np.frombuffer(w._colors, dtype=np.uint8)
    assert scale[0] == 1 and scale[-1] == 255 and (np.diff(scale.astype(int)) >= 0).all()
    w.color_by = "stars"
    assert w._color_legend["names"] == ["1", "2", "3", "4", "5"]
    w.color_by = "label"
    assert w._colors == b"" and w._color_legend == {}


def test_an_unknown_colour_or_misfit_data_is_a_clear_error(X, data):
    w = EmbeddingScatter(X, data=data)
    with pytest.raises(traitlets.TraitError, match="color_by must be one of"):
        w.color_by = "doubt"  # a training widget's only
    with pytest.raises(ValueError, match="data has 29 rows"):
        EmbeddingScatter(X, data=data.iloc[1:])
    with pytest.raises(ValueError, match="rename"):
        EmbeddingScatter(X, data=data.rename(columns={"shop": "label"}))
    with pytest.raises(TypeError, match="DataFrame"):
        EmbeddingScatter(X, data={"stars": [1] * N})


def test_a_training_widget_colours_by_doubt_or_a_column(X, data):
    y = [None] * N
    y[:3], y[3:6] = ["a"] * 3, ["b"] * 3
    w = TunerWidget(FeedForwardTuner(hidden_dim=3, random_state=0), X, y=y, data=data)
    w.color_by = "price"
    assert w._color_legend["kind"] == "scale"
    w.fit(2)
    w.color_by = "doubt"
    assert len(w._doubt) == N and w._colors == b""
    w.close()


def test_from_dataframe_reads_text_embedding_and_data(X, data):
    df = data.assign(text=[f"t{i}" for i in range(N)], embedding=list(X))
    w = EmbeddingScatter.from_dataframe(df)
    assert w.session.texts[2] == "t2" and np.allclose(w.session.X, X)
    assert list(w.session.data.columns) == ["stars", "price", "shop"]
    with pytest.raises(ValueError, match="no column 'vector'"):
        EmbeddingScatter.from_dataframe(df, embedding="vector")


def test_the_browser_asks_for_the_columns_of_the_rows_it_shows(X, data, monkeypatch):
    from embedwidget.widgets.serializers import indices_to_bytes

    sent = []
    monkeypatch.setattr(EmbeddingScatter, "send", lambda self, msg, buffers=None: sent.append(msg))
    w = EmbeddingScatter(X, data=data)
    content = {"method": "custom", "content": {"action": "rows", "id": 7}}
    w._handle_msg({"content": {"data": content}, "buffers": [indices_to_bytes([2, 0])]})
    assert sent == [
        {
            "type": "rows",
            "id": 7,
            "indices": [2, 0],
            "columns": {
                "stars": ["3", "1"],
                "price": [str(data["price"].iloc[2]), "2.0"],
                "shop": ["", "north"],
            },
        }
    ]
