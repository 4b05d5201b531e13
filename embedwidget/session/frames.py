"""From a model being trained to the picture: its embedding of every point, the 2-D
positions, and when the next frame is due.

A frame is the model's embedding of every point (``transform`` of the rows of X, or, for
a model that takes texts, every text encoded a chunk at a time with previews meanwhile),
projected by the session's one ``Projector`` so that it lines up with the frame before.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn import config_context

PREVIEW_SECONDS = 1.0  # while a texts model encodes a frame, a preview this often


class FramePacer:
    """When the next frame is due: at most ``max_fps`` frames a second, and at most
    ``max_bytes_per_second`` bytes of frames a second, so a kernel far from its browser
    (JupyterHub, a remote machine) is not asked to push more than its wire carries.

    After a frame of ``b`` bytes, the next one waits ``max(1 / max_fps, b / budget)``
    seconds: over any stretch of time the frames sent stay within the budget, but for the
    one frame in flight.

    Examples
    --------
    >>> pacer = FramePacer(max_fps=10, max_bytes_per_second=1_000_000)
    >>> pacer.due(now=0.0)
    True
    >>> pacer.sent(4_000_000, now=0.0)  # a million points at 4 bytes each
    >>> pacer.interval, pacer.held_back, pacer.due(now=3.9), pacer.due(now=4.0)
    (4.0, True, False, True)
    """

    def __init__(self, max_fps=10, max_bytes_per_second=8_000_000):
        if not (isinstance(max_fps, (int, float)) and max_fps > 0):
            raise ValueError(f"max_fps must be > 0; got {max_fps!r}.")
        budget = max_bytes_per_second
        if budget is not None and not (isinstance(budget, (int, float)) and budget > 0):
            raise ValueError(
                f"max_bytes_per_second must be > 0 (bytes of frames a second) or None; "
                f"got {budget!r}."
            )
        self.max_fps = max_fps
        self.max_bytes_per_second = budget
        self.interval = 1 / max_fps
        self._next = float("-inf")

    @property
    def held_back(self):
        """Whether the byte budget, not ``max_fps``, sets the pace now."""
        return self.interval > 1 / self.max_fps * 1.0001

    @property
    def note(self):
        """What a person is told while the byte budget holds frames back ("" otherwise)."""
        if not self.held_back:
            return ""
        budget = self.max_bytes_per_second / 1e6
        return f"frames held back to {budget:g} MB/s: one every {self.interval:.1f} s"

    def due(self, now):
        return now >= self._next

    def sent(self, nbytes, now):
        """Note a frame of ``nbytes`` sent at ``now`` (seconds, monotonic)."""
        by_bytes = nbytes / self.max_bytes_per_second if self.max_bytes_per_second else 0.0
        self.interval = max(1 / self.max_fps, by_bytes)
        self._next = now + self.interval

    def reset(self):
        self._next = float("-inf")


def transform_rows(model, X):
    """The model's embedding of the rows of ``X``, checked for NaN and inf once already
    (when the session was made), so not again every frame."""
    with config_context(assume_finite=True):
        return model.transform(X)


def encode_texts(model, texts, order, chunk, *, should_stop, progress, preview):
    """Every text of ``texts`` encoded by ``model`` as it is now, ``chunk`` texts at a
    time in ``order``; None when ``should_stop()`` said to give up first.

    Encoding is slow on a CPU (a few hundred texts a second), so the picture does not
    wait for the last text: about once every ``PREVIEW_SECONDS``, ``preview(encoded,
    done)`` is handed the rows encoded so far. ``progress(done)`` is told after every
    chunk.
    """
    n = len(texts)
    out, last_preview = None, time.monotonic()
    for start in range(0, n, chunk):
        if should_stop():
            return None
        rows = order[start : start + chunk]
        part = np.asarray(model.transform([texts[i] for i in rows]))
        if out is None:
            out = np.empty((n, part.shape[1]), dtype=np.float32)
        out[rows] = part
        done = start + len(rows)
        progress(done)
        if done < n and time.monotonic() - last_preview >= PREVIEW_SECONDS:
            preview(out, order[:done])
            last_preview = time.monotonic()
    return out


def preview(X, encoded, done):
    """Every row's new embedding: the encoded rows as they are, the rest predicted from X
    by a ridge regression fitted on the encoded ones (a little ridge, since a first chunk
    has fewer texts than dimensions)."""
    A, B = X[done], encoded[done]
    mean_a, mean_b = A.mean(axis=0), B.mean(axis=0)
    A, B = A - mean_a, B - mean_b
    gram = A.T @ A
    ridge = 1e-2 * np.trace(gram) / len(gram) + 1e-6
    W = np.linalg.solve(gram + ridge * np.eye(len(gram), dtype=gram.dtype), A.T @ B)
    estimate = (X - mean_a) @ W + mean_b
    estimate[done] = encoded[done]
    return estimate.astype(np.float32, copy=False)
