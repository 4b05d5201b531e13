"""What SbertTuner shows while it trains: a progress bar if asked, never the trainer's
log dictionaries."""

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
