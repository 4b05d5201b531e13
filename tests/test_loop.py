"""The shared training loop's progress bars: none for a single pass, and never a
notebook widget bar from a background thread (a widget's training thread)."""

import threading

import numpy as np
import pytest

from embedwidget.finetune import FeedForwardTuner, _loop


@pytest.fixture
def bars(monkeypatch):
    made = []

    class AutoBar(_loop.tqdm):  # stands where tqdm.auto's notebook bar would be
        def __init__(self, *args, **kwargs):
            made.append(("auto", kwargs["disable"]))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(_loop, "tqdm", AutoBar)
    return made


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 6)).astype(np.float32), np.repeat([0, 1], 20)


def test_partial_fit_shows_no_bar(bars, data):
    FeedForwardTuner(hidden_dim=4, random_state=0).partial_fit(*data)
    assert bars == [("auto", True)]


def test_fit_in_a_background_thread_never_makes_a_notebook_bar(bars, data):
    errors = []

    def train():
        try:
            FeedForwardTuner(hidden_dim=4, n_epochs=5, random_state=0).fit(*data)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    thread = threading.Thread(target=train)
    thread.start()
    thread.join()
    assert not errors
    assert bars == []
    FeedForwardTuner(hidden_dim=4, n_epochs=5, random_state=0).fit(*data)
    assert bars == [("auto", False)]  # on the main thread the bar may show, after 2 s
