"""Frames under a budget of bytes a second: with many points the training widgets send
fewer frames, tween over the wait, and say so; counted on a comm, as a kernel sends."""

import threading
import time

import comm
import numpy as np
import pytest
from comm.base_comm import BaseComm

from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner
from embedwidget.session.frames import FramePacer


class CountingComm(BaseComm):
    """Counts the bytes of every message's buffers, with the time it was sent."""

    sent = []
    lock = threading.Lock()

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        if ["_positions"] in (data or {}).get("buffer_paths", []):  # a frame
            with CountingComm.lock:
                nbytes = sum(memoryview(b).nbytes for b in buffers or [])
                CountingComm.sent.append((time.monotonic(), nbytes))


@pytest.fixture
def counting(monkeypatch):
    CountingComm.sent = []
    monkeypatch.setattr(comm, "create_comm", CountingComm)
    return CountingComm.sent


def test_the_budget_holds_at_a_million_points(counting):
    n, budget = 1_000_000, 4_000_000
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 8)).astype(np.float32)
    y = [None] * n
    y[:20], y[20:40] = ["a"] * 20, ["b"] * 20
    w = TunerWidget(FeedForwardTuner(hidden_dim=4, random_state=0), X, y=y,
                    max_bytes_per_second=budget)  # fmt: skip
    counting.clear()
    began = time.monotonic()
    w.start()
    time.sleep(6)
    w.stop()
    window = time.monotonic() - began
    frames = [b for t, b in counting]
    assert len(frames) >= 2  # it does send while training...
    frame = max(frames)
    assert sum(frames) <= budget * window + frame  # ...but never more than the budget
    assert w.status.startswith("frames held back to 4 MB/s")
    assert w.transition_ms >= 900 * frame / budget * 0.99  # the browser tweens over the wait


def test_few_points_keep_max_fps_and_say_nothing():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 8)).astype(np.float32)
    y = [None] * 300
    y[:5], y[5:10] = ["a"] * 5, ["b"] * 5
    w = TunerWidget(FeedForwardTuner(hidden_dim=4, random_state=0), X, y=y)
    w.fit(3)
    w.fit(1)
    assert w.status == "" and w.transition_ms == 90


def test_pacer_waits_by_bytes_or_by_fps():
    pacer = FramePacer(max_fps=10, max_bytes_per_second=1000)
    pacer.sent(50, now=0.0)
    assert pacer.interval == pytest.approx(0.1) and not pacer.held_back
    assert not pacer.due(0.09) and pacer.due(0.1)
    pacer.sent(500, now=1.0)
    assert pacer.interval == pytest.approx(0.5) and pacer.held_back and not pacer.due(1.4)
    unlimited = FramePacer(max_fps=10, max_bytes_per_second=None)
    unlimited.sent(10**9, now=0.0)
    assert unlimited.interval == pytest.approx(0.1)


@pytest.mark.parametrize("budget", [0, -5, "8MB", float("nan")])
def test_a_budget_that_is_not_positive_is_refused(budget):
    X = np.zeros((10, 3), np.float32)
    with pytest.raises(ValueError, match="max_bytes_per_second must be > 0"):
        TunerWidget(FeedForwardTuner(), X, max_bytes_per_second=budget)


@pytest.mark.parametrize("fps", [0, -1])
def test_max_fps_must_be_positive(fps):
    with pytest.raises(ValueError, match="max_fps must be > 0"):
        FramePacer(max_fps=fps)
