"""Training that has converged stops stepping and says so, and resumes when something new
arrives: a label, a pair, start() or fit()."""

import time

import numpy as np
import pytest

from embedwidget.finetune import ContrastiveLearner, FeedForwardTuner
from embedwidget.session import LearnerSession, TunerSession
from embedwidget.session.convergence import Convergence

N = 150


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    truth = np.repeat(np.arange(3), N // 3)
    return (np.eye(3, 8)[truth] * 4 + rng.normal(size=(N, 8))).astype(np.float32)


def labels():
    y = [None] * N
    for i in range(0, N, 5):
        y[i] = "abc"[i * 3 // N]
    return y


def quick(session):
    """A short window, so that a test converges in seconds."""
    session.convergence = Convergence(window=30)
    return session


def tuner_session(X, **kwargs):
    """A session of a small tuner on the clusters, a frame after every step."""
    tuner = FeedForwardTuner(hidden_dim=4, random_state=0)
    return quick(TunerSession(tuner, X, labels=labels(), max_fps=1000, **kwargs))


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_training_converges_says_so_and_resumes_on_a_new_label(X):
    session = tuner_session(X)
    told = []
    session.subscribe(lambda what, _: told.append(session.status) if what == "training" else 0)
    session.fit(3000)
    assert session.converged and session.steps < 3000
    assert session.status == f"converged · step {session.steps}" and session.status in told
    assert session.calibration.loss is not None  # the validation loss held still too
    steps = session.steps
    assert session.step() is False and session.steps == steps  # nothing new: no step
    session.label([1], "a")
    assert session.step() is True and not session.converged and session.status == ""
    before = session.positions.copy()
    session.fit(3000)
    assert session.converged
    session.fit(1)  # asked for: one more step, which barely moves the picture
    moved = np.median(np.linalg.norm(session.positions - before, axis=1))
    assert session.steps > steps and moved < 0.01 * np.ptp(session.positions[:, 0])


def test_the_loop_thread_idles_once_converged_and_a_new_label_wakes_it(X):
    session = tuner_session(X, max_steps_per_second=None)
    session.start()
    try:
        assert wait_for(lambda: session.converged)
        steps = session.steps
        time.sleep(0.6)  # the thread asks again every idle_wait, and steps no more
        assert session.running and session.steps == steps
        session.label([2], "a")
        assert wait_for(lambda: session.steps > steps)
        assert wait_for(lambda: session.converged)
    finally:
        session.stop()
    steps = session.steps
    session.start()  # start() resumes too
    try:
        assert wait_for(lambda: session.steps > steps)
    finally:
        session.stop()


def test_a_learner_session_converges_on_the_picture_alone(X):
    learner = ContrastiveLearner(shape_out=4, learning_rate=0.01, random_state=0)
    session = quick(LearnerSession(learner, X, max_fps=1000))
    session.add_pairs(np.arange(0, 50, 5), np.arange(1, 50, 5))  # similar, within a cluster
    session.add_pairs(np.arange(0, 50, 5), np.arange(100, 150, 5), similar=False)
    session.fit(3000)
    assert session.converged and session.steps < 3000 and not session.can_predict
    assert session.status.startswith("converged · step ")
    assert session.step() is False
    session.add_pairs([2], [3])  # a new pair resumes it
    assert session.step() is True and not session.converged


def test_a_label_before_convergence_restarts_the_window_it_must_hold_still_for():
    still = np.zeros((50, 2), np.float32)
    rule = Convergence(window=10, tolerance=np.inf)  # the picture alone decides
    assert not rule.holds((1, 1))
    for step in range(1, 8):  # still for 7 of the 10 steps it needs...
        assert not rule.frame(step, still, version=(1, 1))
    assert not rule.holds((2, 2))  # ...when a label arrives
    for step in range(8, 15):  # 7 more still steps: not yet a whole window since it
        assert not rule.frame(step, still, version=(2, 2))
    assert any(rule.frame(step, still, version=(2, 2)) for step in range(15, 20))
