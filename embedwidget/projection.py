"""From an embedding to the 2-D picture: a PCA basis, frames aligned to the last one,
and view bounds that follow the points smoothly.

Training moves the embedding a little each step; a fresh PCA each step may flip or spin
its axes, which would make the picture jump. ``Projector`` removes that by rotating each
new frame onto the previous one (orthogonal Procrustes on the 2x2 basis).
"""

from __future__ import annotations

import numpy as np


class Projector:
    """Project embeddings to aligned 2-D frames.

    Parameters
    ----------
    max_sample : int, default=16384
        The PCA basis and the alignment are computed on at most this many rows (a fixed
        random subset), so a frame of a million points costs one skinny matmul.
    smoothing : float in [0, 1), default=0.5
        How much of the previous view bounds a new frame keeps; 0 jumps to the new bounds.
    random_state : int, default=0
        Seed of the row subset.

    Attributes
    ----------
    bounds_ : list of 4 floats
        ``[xmin, xmax, ymin, ymax]`` of the view after the last frame.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.projection import Projector
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(500, 8)).astype("float32")
    >>> projector = Projector()
    >>> first = projector(Z)
    >>> first.shape, first.dtype
    ((500, 2), dtype('float32'))
    >>> again = projector(-Z)  # the same picture, mirrored: aligned back onto the first
    >>> bool(np.allclose(first, again, atol=1e-4))
    True
    """

    def __init__(self, max_sample=16384, smoothing=0.5, random_state=0):
        self.max_sample = max_sample
        self.smoothing = smoothing
        self.random_state = random_state
        self._rows = None
        self._previous = None
        self.bounds_ = None

    def reset(self):
        """Forget the previous frame: the next one is neither aligned nor smoothed."""
        self._rows = None
        self._previous = None
        self.bounds_ = None

    def __call__(self, Z):
        Z = np.asarray(Z)
        if Z.ndim != 2:
            raise ValueError(f"Expected a 2-D embedding (n, dim); got shape {Z.shape}.")
        rows = self._sample_rows(len(Z))
        sample = np.asarray(Z[rows], dtype=np.float32)
        mean = sample.mean(axis=0, dtype=np.float64)
        basis = _pca_basis(sample - mean.astype(np.float32))
        # Centre through the skinny product instead of copying Z to centre it.
        positions = np.asarray(Z @ basis.astype(Z.dtype, copy=False), dtype=np.float32)
        positions -= (mean @ basis).astype(np.float32)
        if self._previous is not None:
            positions = positions @ _rotation(positions[rows], self._previous)
        self._previous = positions[rows].copy()
        self.bounds_ = self._follow(view_bounds(positions))
        return np.ascontiguousarray(positions, dtype=np.float32)

    def _sample_rows(self, n):
        if self._rows is None or self._n != n:
            self._n = n
            if n <= self.max_sample:
                self._rows = np.arange(n)
            else:
                rng = np.random.default_rng(self.random_state)
                self._rows = np.sort(rng.choice(n, size=self.max_sample, replace=False))
            self._previous = None
        return self._rows

    def _follow(self, target):
        if self.bounds_ is None or not self.smoothing:
            return target
        keep = self.smoothing
        return [
            keep * old + (1 - keep) * new for old, new in zip(self.bounds_, target, strict=True)
        ]


def _pca_basis(centred):
    """(dim, 2) orthonormal basis of the top two principal axes; pads 1-D input with zeros."""
    dim = centred.shape[1]
    if dim == 1:
        return np.array([[1.0, 0.0]])
    covariance = (centred.T @ centred).astype(np.float64)  # float32 products: 2x faster
    _, vectors = np.linalg.eigh(covariance)  # ascending eigenvalues
    basis = vectors[:, ::-1][:, :2].copy()
    # Fix each axis's sign so identical inputs give identical pictures.
    signs = np.sign(basis[np.abs(basis).argmax(axis=0), [0, 1]])
    return basis * np.where(signs == 0, 1.0, signs)


def _rotation(current, previous):
    """The 2x2 orthogonal matrix that best maps ``current`` onto ``previous``."""
    u, _, vt = np.linalg.svd(current.T.astype(np.float64) @ previous.astype(np.float64))
    return (u @ vt).astype(np.float32)


def view_bounds(positions):
    """``[xmin, xmax, ymin, ymax]`` around (n, 2) positions, with a small margin."""
    # Column by column: numpy's axis-0 min/max over an (n, 2) array is ten times slower.
    columns = (positions[:, 0], positions[:, 1])
    lo = np.array([float(c.min()) for c in columns])
    hi = np.array([float(c.max()) for c in columns])
    extent = np.maximum(hi - lo, 1e-6)
    margin = 0.02 * extent.max()
    lo, hi = lo - margin, hi + margin
    return [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]
