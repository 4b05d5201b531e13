"""The training loop of a training session: a thread that steps a model, no widget.

A ``TrainingLoop`` owns a model and calls a step function on it, either here and now
(``run``) or over and over in a background thread (``start``/``stop``), one step at a
time, paced so that cheap steps do not spin the CPU. An error in the thread stops it and
is raised once, by the next ``run`` or ``stop``.
"""

from __future__ import annotations

import copy
import sys
import threading
import time

import numpy as np
from sklearn.base import clone


class TrainingLoop:
    """Steps a model in the background or on demand.

    Parameters
    ----------
    model : object
        What the steps train; ``reset()`` replaces it with an untrained copy.
    step : callable(loop) -> bool
        One training step; returns False when there is nothing to train on yet (the
        loop then waits ``idle_wait`` seconds before it asks again).
    max_steps_per_second : float or None, default=20
        Pace of the background steps (``run`` is never paced); None: flat out.
    on_running : callable(bool), optional
        Told when the background thread starts and ends.
    on_error : callable(Exception), optional
        Told of an error that stopped the background thread.
    idle_wait : float, default=0.25
        Seconds between asking again when a step had nothing to train on.

    Examples
    --------
    >>> from sklearn.decomposition import IncrementalPCA
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(40, 5))
    >>> loop = TrainingLoop(IncrementalPCA(2), lambda loop: loop.model.partial_fit(X) is not None)
    >>> loop.run(3).steps
    3
    >>> _ = loop.start(); _ = loop.stop()
    >>> loop.reset().steps
    0
    """

    def __init__(
        self,
        model,
        step,
        *,
        max_steps_per_second=20,
        on_running=None,
        on_error=None,
        idle_wait=0.25,
    ):
        if max_steps_per_second is not None and not max_steps_per_second > 0:
            raise ValueError(
                f"max_steps_per_second must be > 0 or None; got {max_steps_per_second!r}."
            )
        self.model = model
        self.max_steps_per_second = max_steps_per_second
        self.steps = 0
        self._template = fresh_copy(model)
        self._start_weights = weights_trained_in_place(model)
        self._step = step
        self._on_running = on_running or (lambda running: None)
        self._on_error = on_error or (lambda error: None)
        self._idle_wait = idle_wait
        self._thread = None
        self._stop = threading.Event()
        self.lock = threading.Lock()  # one step at a time, from the thread or from run()
        self._pending_error = None

    @property
    def running(self):
        """Whether the background thread is training."""
        return self._thread is not None and self._thread.is_alive()

    def should_stop(self):
        """True inside a background step once ``stop()`` was asked for: a long step (say,
        encoding every text for a frame) checks it to give up early."""
        return self._stop.is_set() and threading.current_thread() is self._thread

    def start(self):
        """Train in a background thread until ``stop()``; returns at once."""
        self._raise_pending()
        if self.running:
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="embedwidget-training", daemon=True)
        self._on_running(True)
        self._thread.start()
        return self

    def stop(self):
        """End background training after the step in progress; raises what it raised."""
        self._halt()
        self._raise_pending()
        return self

    def close(self):
        """Stop the thread, if any, without raising what it raised."""
        self._halt()

    def run(self, steps):
        """Run up to ``steps`` steps here and now (blocking), fewer if there is nothing to
        train on."""
        if self.running:
            raise RuntimeError("Training runs in the background; stop() it before fit().")
        self._raise_pending()
        for _ in range(steps):
            if not self._one_step():
                break
        return self

    def reset(self):
        """Stop, and replace the model with an untrained copy of the one given."""
        self.stop()
        with self.lock:
            self.restart()
            self.steps = 0
        return self

    def restart(self):
        """Replace the model with an untrained copy (call it inside a step)."""
        if self._template is None:
            raise TypeError(f"{type(self.model).__name__} cannot be copied, so it cannot be reset.")
        self.model = fresh_copy(self._template)
        for name, state in self._start_weights.items():
            getattr(self.model, name).load_state_dict(state)

    def restart_if_new(self, y):
        """Start the model over when ``y`` holds a class it has never seen (``partial_fit``
        cannot grow a classifier's output); returns whether it did."""
        known = getattr(self.model, "classes_", None)
        if known is None or set(np.unique(y).tolist()) <= set(np.asarray(known).tolist()):
            return False
        self.restart()
        return True

    def _one_step(self):
        with self.lock:
            if not self._step(self):
                return False
            self.steps += 1
        return True

    def _loop(self):
        try:
            while not self._stop.is_set():
                began = time.monotonic()
                if not self._one_step():
                    self._stop.wait(self._idle_wait)  # nothing to train on yet
                elif self.max_steps_per_second:
                    # With few labels a step takes a millisecond: pace the steps, so the
                    # picture changes at a pace a person can follow and the CPU is spared.
                    self._stop.wait(began + 1 / self.max_steps_per_second - time.monotonic())
        except Exception as error:
            self._pending_error = error
            self._on_error(error)
        finally:
            self._on_running(False)

    def _halt(self):
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join()
            self._thread = None

    def _raise_pending(self):
        error, self._pending_error = self._pending_error, None
        if error is not None:
            raise error


def fresh_copy(model):
    """An untrained copy to start over from: scikit-learn's clone, or a deep copy of a
    model that is not a scikit-learn estimator; None if neither works."""
    try:
        return clone(model)
    except TypeError:
        pass
    try:
        return copy.deepcopy(model)
    except Exception:
        return None


def weights_trained_in_place(model):
    """CPU copies of the weights of the torch modules among the model's parameters (an
    SbertLearner's ``sent_tfm``, which ``fit`` finetunes in place and ``clone`` shares),
    to put back when training starts over."""
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(model, "get_params"):
        return {}
    return {
        name: {
            key: value.detach().to("cpu", copy=True) for key, value in module.state_dict().items()
        }
        for name, module in model.get_params(deep=False).items()
        if isinstance(module, torch.nn.Module)
    }
