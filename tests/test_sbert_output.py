"""What SbertTuner shows while it trains: a progress bar if asked, never the trainer's
log dictionaries."""

import random

import pytest

from embedwidget.finetune import SbertTuner

TEXTS = ["tasty and fresh", "lovely flavour", "stale and bland", "arrived broken"]
LABELS = ["good", "good", "bad", "bad"]


@pytest.mark.parametrize("show_progress_bar", [True, False])
def test_training_logs_do_not_reach_the_output(show_progress_bar, capfd):
    tuner = SbertTuner(show_progress_bar=show_progress_bar, random_state=0)
    tuner.fit(TEXTS, LABELS)
    out, err = capfd.readouterr()
    for stream in (out, err):
        assert "train_runtime" not in stream and "'loss'" not in stream
    assert len(tuner.loss_curve_) == 1  # the loss is recorded all the same


@pytest.fixture(scope="module")
def trained_once():
    """One fit first, so that what importing the trainer draws is not counted."""
    SbertTuner(show_progress_bar=False, random_state=0).fit(TEXTS, LABELS)


@pytest.mark.parametrize("show_progress_bar", [True, False])
def test_no_bar_unless_asked_and_the_global_generators_left_alone(
    show_progress_bar, capfd, trained_once
):
    import numpy as np
    import torch

    def draw():
        return random.random(), np.random.random(), torch.rand(1).item()

    capfd.readouterr()
    random.seed(123), np.random.seed(123), torch.manual_seed(123)
    expected = draw()
    random.seed(123), np.random.seed(123), torch.manual_seed(123)
    SbertTuner(show_progress_bar=show_progress_bar, random_state=0).fit(TEXTS, LABELS)
    assert draw() == expected  # the trainer seeds all three, its model card draws on one
    _, err = capfd.readouterr()
    if not show_progress_bar:  # neither the model's loading nor its model card's scan
        assert "it/s" not in err and "example/s" not in err, err


def test_quiet_reaches_the_model_the_tuner_trains(capfd, trained_once):
    from embedwidget._utils import quiet

    tuner = SbertTuner(show_progress_bar=True, random_state=0).fit(TEXTS, LABELS)
    capfd.readouterr()
    with quiet(tuner):  # as a training session steps it, from its thread
        tuner.partial_fit(TEXTS, LABELS)
    _, err = capfd.readouterr()
    assert "it/s" not in err, err
    assert tuner.show_progress_bar is True
