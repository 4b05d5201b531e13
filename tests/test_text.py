import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline

from embedwidget.finetune import ForwardFinetuner
from embedwidget.text import SentenceEncoder

TEXTS = [
    "the soup was delicious",
    "a tasty, rich soup",
    "my parcel never arrived",
    "shipping took weeks",
]


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder()


def test_encodes_to_unit_float32_vectors(encoder):
    X = encoder.transform(TEXTS)
    assert X.shape == (4, 384) and X.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-5)
    similarity = X @ X.T
    assert similarity[0, 1] > similarity[0, 2]  # soup is closer to soup than to shipping


def test_accepts_series_arrays_and_a_column(encoder):
    expected = encoder.transform(TEXTS)
    for form in (pd.Series(TEXTS), np.array(TEXTS), np.array(TEXTS)[:, None], tuple(TEXTS)):
        np.testing.assert_allclose(encoder.transform(form), expected, atol=1e-5)


def test_batch_size_does_not_change_the_result(encoder):
    small = SentenceEncoder(batch_size=1).transform(TEXTS)
    np.testing.assert_allclose(small, encoder.transform(TEXTS), atol=1e-5)


def test_the_model_loads_once_and_clones_share_it(encoder):
    assert "model" not in vars(encoder)  # nothing loaded in __init__
    assert clone(encoder).model is encoder.model


def test_guide_pipeline_on_texts():
    y = [1, 1, 0, 0]
    pipe = make_pipeline(
        SentenceEncoder(), ForwardFinetuner(n_epochs=500, learning_rate=0.01, hidden_dim=10), PCA()
    )
    out = pipe.fit(TEXTS, y).transform(TEXTS)
    assert out.shape == (4, 4)


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ([], ValueError, "empty"),
        ("just one string", TypeError, "not a single string"),
        (["fine", 3], TypeError, "item 1 is int"),
        (["fine", None], TypeError, "item 1 is NoneType"),
        (np.array([["a", "b"], ["c", "d"]]), ValueError, "1-D"),
    ],
)
def test_bad_input_says_what_is_wrong(encoder, bad, error, message):
    with pytest.raises(error, match=message):
        encoder.transform(bad)


def test_bad_batch_size_and_device_are_refused():
    with pytest.raises(ValueError, match="batch_size"):
        SentenceEncoder(batch_size=0).transform(TEXTS)
    with pytest.raises(ValueError, match="device must be one of"):
        SentenceEncoder(device="gpu").transform(TEXTS)


def test_loading_the_model_draws_no_bar(monkeypatch, capfd):
    from embedwidget import text

    monkeypatch.setattr(text, "_models", {})  # load afresh in this process
    SentenceEncoder(show_progress_bar=False).transform(TEXTS[:1])
    _, err = capfd.readouterr()
    assert "Loading weights" not in err and "it/s" not in err, err
    from transformers.utils import logging

    assert logging.is_progress_bar_enabled()  # the user's setting comes back


def test_the_progress_bar_goes_away_once_the_texts_are_encoded(monkeypatch, capsys):
    from embedwidget import text

    monkeypatch.setattr(text, "PROGRESS_CHUNK", 1)  # a chunk of one batch: 3 chunks
    encoder = SentenceEncoder(batch_size=2, show_progress_bar=True)
    shown = encoder.transform(TEXTS[:5])
    err = capsys.readouterr().err
    assert "encoding" in err and err.split("\r")[-1].strip() == ""  # the bar is cleared
    quiet = SentenceEncoder(batch_size=2, show_progress_bar=False).transform(TEXTS[:5])
    np.testing.assert_allclose(shown, quiet, atol=1e-6)  # chunks encode the same
