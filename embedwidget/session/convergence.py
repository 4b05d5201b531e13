"""When live training has converged: the picture stopped moving and the validation loss
stopped improving.

A model trained step after step on the same labels ends up drawing the same picture,
while its steps go on using the CPU for nothing a person can see. ``Convergence`` looks
at the frames as they are drawn and says when to stop stepping; the session resumes when
something new arrives (a label, a pair) or when it is asked to train again.
"""

from __future__ import annotations

import numpy as np

WINDOW = 100  # steps over which the picture and the loss must both have held still
STILL = 0.005  # the median point moved less than this fraction of the picture's width,
TOLERANCE = 1e-3  # and the validation loss improved on its best by less than this.
SAMPLE = 8192  # points whose movement is measured (a fixed random subset)


class Convergence:
    """Watches the frames of a training run and says when it has converged.

    Over every stretch of at least ``window`` steps, compare the frame at its end with
    the frame at its start: the run has converged when the median point moved less than
    ``still`` times the width of the picture and the validation loss (when there is one)
    has not improved by more than ``tolerance`` on its best in that stretch. A model
    without a validation loss (one trained on pairs) converges on the picture alone.

    Parameters
    ----------
    window : int, default=100
        Steps over which the picture and the loss must hold still.
    still : float, default=0.005
        Largest median movement over ``window`` steps, as a fraction of the width.
    tolerance : float, default=1e-3
        Smallest improvement of the validation loss that counts.
    random_state : int, default=0
        Seeds the subset of points whose movement is measured.

    Attributes
    ----------
    converged : bool
        Whether the run has converged (until ``reset``).
    step : int or None
        The step at which it converged.
    moved : float or None
        The median movement over the last stretch measured, as a fraction of the width.

    Examples
    --------
    >>> import numpy as np
    >>> picture = np.random.default_rng(0).normal(size=(500, 2))
    >>> watch = Convergence(window=10)
    >>> [watch.frame(step, picture + min(step, 11), loss=0.5, version=3) for step in (1, 11, 21)]
    [False, False, True]
    >>> watch.step, watch.holds(version=3), watch.holds(version=4), watch.converged
    (21, True, False, False)
    """

    def __init__(self, window=WINDOW, still=STILL, tolerance=TOLERANCE, random_state=0):
        self.window = window
        self.still = still
        self.tolerance = tolerance
        self.random_state = random_state
        self._rows = None
        self.reset()

    def reset(self, version=None):
        """Forget the frames seen: training resumes, and must hold still again for a
        whole window before it converges. ``version`` is what the store was at."""
        self.converged = False
        self.step = None
        self.moved = None
        self.version = version
        self._start = None  # (step, sampled positions) at the start of the stretch
        self._best = np.inf
        self._improved = None  # the last step that improved the loss

    def holds(self, version):
        """Whether training stays converged now that the store is at ``version``. A new
        label or pair (another version) ends it, and, converged or not yet, restarts the
        window the picture must hold still for: what changes the labels changes the
        picture."""
        if version != self.version:
            self.reset(version)
        return self.converged

    def frame(self, step, positions, loss=None, version=None):
        """Note the frame drawn after ``step`` (positions (n, 2), and the validation loss
        then, if any); returns whether training has converged."""
        if self.converged:
            return True
        points = self._sample(np.asarray(positions))
        if loss is not None and loss < self._best - self.tolerance:
            self._best, self._improved = loss, step
        if self._improved is None:
            self._improved = step
        if self._start is None:
            self._start = step, points
            return False
        begun, before = self._start
        if step - begun < self.window:
            return False
        self.moved = median_movement(before, points)
        stalled = loss is None or step - self._improved >= self.window
        if self.moved < self.still and stalled:
            self.converged, self.step, self.version = True, step, version
        else:
            self._start = step, points
        return self.converged

    def _sample(self, positions):
        n = len(positions)
        if self._rows is None or self._rows[1] != n:
            rng = np.random.default_rng(self.random_state)
            rows = np.sort(rng.choice(n, SAMPLE, replace=False)) if n > SAMPLE else None
            self._rows = rows, n
        rows = self._rows[0]
        return np.array(positions if rows is None else positions[rows], dtype=np.float64)


def median_movement(before, after):
    """The median distance a point moved between two pictures (n, 2), as a fraction of
    the width of the later one (its larger side)."""
    width = max(float(np.ptp(after[:, 0])), float(np.ptp(after[:, 1])), 1e-12)
    return float(np.median(np.linalg.norm(after - before, axis=1))) / width
