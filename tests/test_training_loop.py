"""TrainingLoop on its own: no widget, no Jupyter, just a model and a step function."""

import threading
import time

import numpy as np
import pytest
from sklearn.linear_model import SGDClassifier

from embedwidget.session.trainer import TrainingLoop

X = np.random.default_rng(0).normal(size=(40, 3))
Y = (X[:, 0] > 0).astype(int)


def sgd_step(loop):
    loop.model.partial_fit(X, Y, classes=[0, 1])
    return True


def wait_until(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return condition()


def test_run_steps_here_and_counts_them():
    loop = TrainingLoop(SGDClassifier(random_state=0), sgd_step)
    assert loop.run(4).steps == 4
    assert loop.model.t_ > 1  # the model really trained


def test_background_steps_are_paced():
    loop = TrainingLoop(SGDClassifier(random_state=0), sgd_step, max_steps_per_second=20)
    loop.start()
    time.sleep(1.0)
    loop.stop()
    assert 5 <= loop.steps <= 25  # about 20 in a second, never hundreds


def test_stop_returns_within_one_step():
    began = threading.Event()

    def slow_step(loop):
        began.set()
        time.sleep(0.3)
        return True

    loop = TrainingLoop(None, slow_step, max_steps_per_second=None)
    loop.start()
    assert began.wait(5)
    t = time.monotonic()
    loop.stop()
    assert time.monotonic() - t < 0.6 and not loop.running
    assert loop.steps in (1, 2)


def test_nothing_to_train_on_waits_and_asks_again():
    asked = []
    loop = TrainingLoop(None, lambda loop: asked.append(1) and False, idle_wait=0.05)
    loop.start()
    assert wait_until(lambda: len(asked) >= 3)
    loop.stop()
    assert loop.steps == 0


def test_an_error_stops_the_thread_and_is_raised_once():
    seen, running = [], []

    def failing(loop):
        raise RuntimeError("out of memory")

    loop = TrainingLoop(None, failing, on_error=seen.append, on_running=running.append)
    loop.start()
    assert wait_until(lambda: not loop.running and running == [True, False])
    assert [str(e) for e in seen] == ["out of memory"]
    with pytest.raises(RuntimeError, match="out of memory"):
        loop.stop()
    loop.stop()  # raised once, then cleared
    with pytest.raises(RuntimeError, match="out of memory"):
        TrainingLoop(None, failing).run(3)


def test_run_refuses_while_the_thread_trains():
    loop = TrainingLoop(SGDClassifier(random_state=0), sgd_step)
    loop.start()
    with pytest.raises(RuntimeError, match="stop"):
        loop.run(1)
    loop.close()
    assert not loop.running


def test_reset_gives_an_untrained_copy_and_restart_if_new_grows_the_classes():
    loop = TrainingLoop(SGDClassifier(random_state=0), sgd_step).run(2)
    trained = loop.model
    loop.reset()
    assert loop.steps == 0 and loop.model is not trained and not hasattr(loop.model, "coef_")
    loop.run(1)
    assert not loop.restart_if_new(np.array([0, 1, 1]))
    assert loop.restart_if_new(np.array([0, 2])) and not hasattr(loop.model, "coef_")


def test_bad_pace_is_refused():
    with pytest.raises(ValueError, match="max_steps_per_second"):
        TrainingLoop(None, sgd_step, max_steps_per_second=0)
