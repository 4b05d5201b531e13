"""From an embedding to the 2-D picture: a PCA basis, frames aligned to the last one,
and view bounds that follow the points smoothly; or a live UMAP picture.

Training moves the embedding a little each step; a fresh PCA each step may flip or spin
its axes, which would make the picture jump. ``Projector`` removes that by rotating each
new frame onto the previous one (orthogonal Procrustes on the 2x2 basis).
``UmapProjector`` is called the same way (``projector(Z)``, ``bounds_``, ``reset()``):
a neighbour-keeping map that shows many classes apart, warm-started from its last layout
each frame.
"""

from __future__ import annotations

import threading

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
        self.bounds_ = _follow(self.bounds_, view_bounds(positions), self.smoothing)
        return np.ascontiguousarray(positions, dtype=np.float32)

    def _sample_rows(self, n):
        if self._rows is None or self._n != n:
            self._n = n
            self._rows = _sample(n, self.max_sample, self.random_state)
            self._previous = None
        return self._rows


def _sample(n, size, seed):
    """Sorted indices of a fixed random subset of ``size`` of ``n`` rows (all when fewer)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def _follow(bounds, target, smoothing):
    """View bounds that move ``smoothing`` of the way less than to ``target``."""
    if bounds is None or not smoothing:
        return target
    return [
        smoothing * old + (1 - smoothing) * new for old, new in zip(bounds, target, strict=True)
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


# -- a live UMAP picture ------------------------------------------------------------------

FEATURE_DIMS = 24  # principal axes kept of the drawn embedding
REFERENCE_DIMS = 48  # and of the reference,
REFERENCE_WEIGHT = 0.5  # whose squared distances count half as much as the drawn one's
FIRST_EPOCHS = 200  # a layout from scratch (umap-learn runs 200 to 500)
FRAME_EPOCHS = 30  # a later frame continues the last layout this many epochs (fewer
# past 1,024 landmarks, so that a frame's layout work stays the same),
FRAME_LEARNING_RATE = 0.5  # at most at this step (umap-learn starts a layout at 1.0),
FULL_CHANGE = 0.1  # reached when this fraction of the landmarks' neighbours changed.
EXACT_ROWS = 16384  # A frame looks for this many points' nearest landmarks among all,
REFRESH = 16  # or for 1/REFRESH of the points if more, in turn; the others' among the
# landmarks they had and those landmarks' neighbours.
CHUNK = 1024  # rows whose products with the landmarks are held at once


class UmapProjector:
    """Project embeddings to a live UMAP picture that moves smoothly from frame to frame.

    A fixed random sample of landmarks is laid out by umap-learn. Each later frame starts
    from the landmarks' last layout and runs a few epochs, with a step that follows how
    many of their nearest neighbours changed: the picture follows the embedding as it
    trains, without jumping, and holds still when no neighbourhood changes. Every other
    point is placed at the weighted mean of its nearest landmarks (nearest in the
    embedding; looked for among all landmarks on the first frame, and on every frame
    with up to ``EXACT_ROWS`` points; past that among the ones it had and their
    neighbours, and among all for a block of points in turn). Each frame is turned (a
    rotation or a mirror, and a shift; never rescaled) to line up with the frame before.

    Neighbours are Euclidean, on the embedding's top principal axes (``FEATURE_DIMS``),
    centred and scaled so that the points' mean squared length is 1. With a
    ``reference``, on both embeddings side by side (the reference on its top
    ``REFERENCE_DIMS`` axes, scaled alike, its squared distances counted half).

    umap-learn's code is compiled by numba the first time it runs in a process (6 to 15 s
    measured on a 2-core machine). With ``background=True`` (the default) no call waits
    for that: the first one starts compiling in a background thread and, until it is
    done, every call returns the PCA picture that ``Projector`` draws (``method_ ==
    "pca"``). The first call after that lays out the landmarks from scratch (about a
    second for 2,048) and returns the UMAP picture, turned to line up with the PCA one.
    ``warm_up(on_ready)`` starts compiling earlier and calls ``on_ready()`` when done,
    for a picture that would not be redrawn otherwise.

    Parameters
    ----------
    n_neighbors : int, default=15
        Neighbours whose closeness the map keeps (umap-learn's ``n_neighbors``), and the
        number of landmarks a point is placed among. With this many points or fewer there
        is no neighbourhood to keep: the picture is the PCA one (``method_ == "pca"``).
    min_dist : float, default=0.1
        How tightly umap-learn may pack points (its ``min_dist``).
    n_landmarks : int, default=2048
        Points laid out by umap-learn; every other point is placed among them.
    reference : array of shape (n, dim_ref), default=None
        Another embedding of the same points, usually the raw one a model is tuning. The
        map then keeps what the raw embedding knew beside what the drawn one learns.
    smoothing : float in [0, 1), default=0.5
        How much of the previous view bounds a new frame keeps; 0 jumps to the new bounds.
    random_state : int, default=0
        Seed of the landmark sample and of the layout.
    background : bool, default=True
        Compile in a background thread and draw PCA meanwhile (see above); False compiles
        in the first call, which then takes as long as that takes.

    Attributes
    ----------
    bounds_ : list of 4 floats
        ``[xmin, xmax, ymin, ymax]`` of the view after the last frame.
    method_ : {"umap", "pca", "as is"}
        What drew the last frame: the map, the PCA stand-in (still compiling, or too few
        points), or nothing (an embedding of 2 columns is returned as it is, as the
        sessions draw it).
    change_ : float or None
        The fraction of the landmarks' nearest neighbours that changed since the frame
        before (1.0 on a first layout; None until the map is drawn). 0 means the picture
        held still.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.projection import UmapProjector
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(500, 8)).astype("float32")
    >>> projector = UmapProjector(background=False)
    >>> first = projector(Z)
    >>> first.shape, first.dtype, projector.method_
    ((500, 2), dtype('float32'), 'umap')
    >>> again = projector(Z)  # nothing changed: nothing moves
    >>> bool(np.abs(again - first).max() < 1e-4)
    True
    """

    def __init__(
        self,
        n_neighbors=15,
        min_dist=0.1,
        n_landmarks=2048,
        reference=None,
        smoothing=0.5,
        random_state=0,
        background=True,
    ):
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.n_landmarks = n_landmarks
        self.reference = reference
        self.smoothing = smoothing
        self.random_state = random_state
        self.background = background
        self.bounds_ = None
        self.method_ = None
        self.change_ = None
        self._forget(None)

    @property
    def ready(self):
        """Whether umap-learn's code is compiled, so that a call draws the map."""
        return _COMPILER.done.is_set()

    def warm_up(self, on_ready=None):
        """Compile umap-learn's code in a background thread (once a process); returns self.

        ``on_ready()`` is called when that is done, from that thread (or here and now if
        it already is). Raises ImportError without umap-learn; a failed compile is raised
        by the next call.
        """
        _COMPILER.start(on_ready)
        return self

    def reset(self):
        """Forget the previous frame: the next one is laid out afresh, neither aligned
        nor smoothed."""
        self.bounds_ = None
        self.method_ = None
        self.change_ = None
        self._forget(None)

    def __call__(self, Z):
        """The picture of embedding ``Z`` (n, dim): (n, 2) float32 positions, lined up
        with the last frame's. A new ``n`` starts over with a new landmark sample."""
        self._check_params()
        Z = _check_embedding(Z)
        if Z.shape[1] == 2:
            return self._show(np.array(Z, dtype=np.float32), "as is")
        if len(Z) != self._n:
            self._forget(len(Z))
        if len(Z) <= self.n_neighbors or not self._compiled():
            return self._show(self._pca(Z), "pca")
        return self._show(self._umap(Z), "umap")

    def _check_params(self):
        if not (isinstance(self.n_neighbors, (int, np.integer)) and self.n_neighbors >= 2):
            raise ValueError(f"n_neighbors must be an integer >= 2; got {self.n_neighbors!r}.")
        if not (isinstance(self.n_landmarks, (int, np.integer))) or (
            self.n_landmarks <= self.n_neighbors
        ):
            raise ValueError(
                f"n_landmarks must be an integer > n_neighbors ({self.n_neighbors}); "
                f"got {self.n_landmarks!r}."
            )
        if not (isinstance(self.min_dist, (int, float)) and self.min_dist >= 0):
            raise ValueError(f"min_dist must be a number >= 0; got {self.min_dist!r}.")
        if not (isinstance(self.smoothing, (int, float)) and 0 <= self.smoothing < 1):
            raise ValueError(f"smoothing must be in [0, 1); got {self.smoothing!r}.")

    def _compiled(self):
        if self.ready:
            return True
        if self.background:
            _COMPILER.start()
        else:
            _COMPILER.here()
        return self.ready

    def _forget(self, n):
        """Start over for ``n`` points: a new landmark sample, no layout."""
        features = None  # (n, FEATURE_DIMS [+ REFERENCE_DIMS]): drawn [, reference]
        if n is not None and self.reference is not None:
            reference = _check_embedding(self.reference, "reference")
            if len(reference) != n:
                raise ValueError(
                    f"reference has {len(reference)} rows but the embedding has {n}: "
                    "they must be two embeddings of the same points."
                )
            rows = _sample(n, self.n_landmarks, self.random_state)
            reduced = _reduce(reference, rows, REFERENCE_DIMS)
            _check_finite(reduced, "reference")
            features = np.zeros((n, FEATURE_DIMS + REFERENCE_DIMS), np.float32)
            features[:, FEATURE_DIMS:] = np.sqrt(REFERENCE_WEIGHT) * reduced
        self._n = n
        self._rows = None if n is None else _sample(n, self.n_landmarks, self.random_state)
        self._features = features
        self._rng = np.random.default_rng(self.random_state)
        self._pca_projector = None
        self._shown = None  # the landmarks' positions in the last frame
        self._layout = None  # the same in umap's own frame: where the next frame starts
        self._landmark_index = None  # each landmark's nearest landmarks
        self._near = None  # each point's nearest landmarks
        self._turn = 0  # the first point of the next block searched among all landmarks

    def _show(self, positions, method):
        if method != "as is":
            self._shown = positions[self._rows]
        self.method_ = method
        self.bounds_ = _follow(self.bounds_, view_bounds(positions), self.smoothing)
        return np.ascontiguousarray(positions, dtype=np.float32)

    def _pca(self, Z):
        if self._pca_projector is None:
            self._pca_projector = Projector(smoothing=0, random_state=self.random_state)
        return self._pca_projector(Z)

    def _umap(self, Z):
        if self._features is None:
            self._features = np.zeros((len(Z), FEATURE_DIMS), np.float32)
        features = self._features
        features[:, :FEATURE_DIMS] = _reduce(Z, self._rows, FEATURE_DIMS)
        _check_finite(features[:, :FEATURE_DIMS], "embedding")
        landmarks = features[self._rows]
        index, squared = _nearest(landmarks, landmarks, self.n_neighbors)
        change = self.change_ = _changed(index, self._landmark_index)
        self._landmark_index = index
        graph = _graph(landmarks, index, squared, self.n_neighbors)
        if self._layout is None:
            self._layout = _first_layout(landmarks, graph, self._ab(), self._rng)
        elif change > 0:
            step = FRAME_LEARNING_RATE * min(1.0, change / FULL_CHANGE)
            epochs = FRAME_EPOCHS * min(1024, len(landmarks)) // len(landmarks)
            _optimize(self._layout, graph, epochs, step, self._ab(), self._rng)
        if self._shown is None:
            shown = self._layout.copy()  # the layout itself moves on in the next frame
        else:
            shown = _align(self._layout, self._shown)
        if len(shown) == len(Z):  # every point is a landmark
            return shown
        positions = _place(*self._nearest_landmarks(features, landmarks), shown)
        positions[self._rows] = shown
        return positions

    def _nearest_landmarks(self, features, landmarks):
        """Each point's nearest landmarks: among all of them for a block of points (all
        of them on the first frame, or when there are at most EXACT_ROWS), the next block
        each frame; for the others, among the ones they had and those's nearest."""
        n = len(features)
        block = max(EXACT_ROWS, -(-n // REFRESH))
        if self._near is None or block >= n:
            near, squared = _nearest(features, landmarks, self.n_neighbors)
        else:
            near, squared = _nearest_around(features, landmarks, self._near, self._landmark_index)
            some = slice(self._turn, min(self._turn + block, n))
            near[some], squared[some] = _nearest(features[some], landmarks, self.n_neighbors)
            self._turn = some.stop % n
        self._near = near
        return near, squared

    def _ab(self):
        from umap.umap_ import find_ab_params

        if getattr(self, "_ab_for", None) != self.min_dist:
            self._ab_params = find_ab_params(1.0, self.min_dist)
            self._ab_for = self.min_dist
        return self._ab_params


def _check_embedding(Z, name="embedding"):
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(f"Expected a 2-D {name} (n, dim); got shape {Z.shape}.")
    if Z.size == 0:
        raise ValueError(f"The {name} is empty (shape {Z.shape}).")
    return Z if np.issubdtype(Z.dtype, np.floating) else Z.astype(np.float32)


def _check_finite(reduced, name):
    """NaN or inf anywhere in a row reaches that row's reduced features: checking these
    costs a fraction of checking the embedding."""
    if not np.isfinite(reduced).all():
        raise ValueError(f"The {name} has NaN or infinite values.")


def _reduce(Z, rows, dims):
    """Z centred, on its top ``dims`` principal axes (fitted on ``rows``), scaled so that
    the rows' mean squared length is 1: float32 (n, dims), zero columns where Z has fewer."""
    sample = np.asarray(Z[rows], dtype=np.float32)
    mean = sample.mean(axis=0, dtype=np.float64)
    centred = sample - mean.astype(np.float32)
    if centred.shape[1] > dims:
        covariance = (centred.T @ centred).astype(np.float64)
        basis = np.linalg.eigh(covariance)[1][:, ::-1][:, :dims]  # largest first
    else:
        basis = np.eye(centred.shape[1], dims)
    spread = np.sqrt(np.mean(np.sum((centred @ basis.astype(np.float32)) ** 2, axis=1)))
    basis = basis / max(float(spread), 1e-12)
    # Centre through the product instead of copying Z to centre it.
    reduced = np.asarray(Z @ basis.astype(Z.dtype, copy=False), dtype=np.float32)
    reduced -= (mean @ basis).astype(np.float32)
    return reduced


def _nearest(features, landmarks, k):
    """The ``k`` landmarks nearest each row of ``features``: indices (n, k) int32, nearest
    first, and squared distances (n, k) float32. One matrix product a chunk of rows, as
    |x - l|^2 = |x|^2 - 2 (x.l - |l|^2 / 2)."""
    features = np.ascontiguousarray(features)
    half = 0.5 * np.einsum("ij,ij->i", landmarks, landmarks)
    n = len(features)
    index = np.empty((n, k), np.int32)
    score = np.empty((n, k), np.float32)
    products = np.empty((min(CHUNK, n), len(landmarks)), np.float32)
    top_k = _jit(_top_k)
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        np.matmul(features[start:stop], landmarks.T, out=products[: stop - start])
        top_k(products[: stop - start], half, index[start:stop], score[start:stop])
    return index, _squared(features, score)


def _nearest_around(features, landmarks, previous, landmark_index):
    """Like ``_nearest``, but each row's landmarks are looked for only among its
    ``previous`` ones and the nearest landmarks of the first of them."""
    half = 0.5 * np.einsum("ij,ij->i", landmarks, landmarks)
    index = np.empty_like(previous)
    score = np.empty(previous.shape, np.float32)
    _jit(_top_k_around)(features, landmarks, half, previous, landmark_index, index, score)
    return index, _squared(features, score)


def _squared(features, score):
    lengths = np.einsum("ij,ij->i", features, features)
    return np.maximum(lengths[:, None] - 2 * score, 0.0)


def _top_k(products, half, index, best):
    """For each row i, the k columns j with the largest ``products[i, j] - half[j]``,
    largest first (k = index.shape[1])."""
    k = index.shape[1]
    values = np.empty(k, np.float32)
    columns = np.empty(k, np.int32)
    for i in range(products.shape[0]):
        values[:] = -np.inf
        columns[:] = 0
        for j in range(products.shape[1]):
            _insert(values, columns, products[i, j] - half[j], j)
        index[i] = columns
        best[i] = values


def _top_k_around(features, landmarks, half, previous, landmark_index, index, best):
    """``_top_k`` over each row's previous landmarks and those nearest its first one."""
    k = index.shape[1]
    values = np.empty(k, np.float32)
    columns = np.empty(k, np.int32)
    for i in range(features.shape[0]):
        values[:] = -np.inf
        columns[:] = -1
        first = previous[i, 0]
        for c in range(k + landmark_index.shape[1]):
            j = previous[i, c] if c < k else landmark_index[first, c - k]
            if _holds(columns, j):  # a neighbour of the first that was a previous one
                continue
            value = -half[j]
            for d in range(features.shape[1]):
                value += features[i, d] * landmarks[j, d]
            _insert(values, columns, value, j)
        index[i] = columns
        best[i] = values


def _insert(values, columns, value, column):
    """Put ``value`` in its place in the descending ``values`` if it is among them."""
    t = len(values) - 1
    if not value > values[t]:
        return
    while t > 0 and values[t - 1] < value:
        values[t] = values[t - 1]
        columns[t] = columns[t - 1]
        t -= 1
    values[t] = value
    columns[t] = column


def _holds(columns, column):
    for held in columns:
        if held == column:
            return True
    return False


_jitted = {}
_jit_lock = threading.Lock()


def _jit(function):
    """``function`` compiled by numba (umap-learn's dependency), once a process. The
    compiled code lets go of the GIL, so other threads run meanwhile."""
    with _jit_lock:
        if function not in _jitted:
            import numba
            from numba.extending import register_jitable

            if not _jitted:  # the helpers the kernels call
                register_jitable(_insert)
                register_jitable(_holds)
            # Sums may be reordered (so that a dot product runs in SIMD lanes), but -inf
            # stays -inf: it marks the empty places of a top-k list.
            fast = {"reassoc", "contract", "nsz"}
            _jitted[function] = numba.njit(cache=True, nogil=True, fastmath=fast)(function)
        return _jitted[function]


def _changed(index, previous):
    """The fraction of nearest neighbours in ``index`` that ``previous`` did not have
    (1.0 without a previous)."""
    if previous is None or previous.shape != index.shape:
        return 1.0
    kept = (index[:, :, None] == previous[:, None, :]).any(axis=2)
    return 1.0 - float(kept.mean())


def _graph(landmarks, index, squared, n_neighbors):
    """umap-learn's fuzzy neighbour graph of the landmarks, from their nearest neighbours."""
    from umap.umap_ import fuzzy_simplicial_set

    graph, _, _ = fuzzy_simplicial_set(
        landmarks, n_neighbors, None, "euclidean", knn_indices=index, knn_dists=np.sqrt(squared)
    )
    return graph.tocoo()


def _first_layout(landmarks, graph, ab, rng):
    """A layout from scratch: the landmarks' first two principal axes stretched to the
    square umap-learn starts from, then FIRST_EPOCHS epochs at umap-learn's step."""
    centred = landmarks - landmarks.mean(axis=0)
    layout = centred @ _pca_basis(centred).astype(np.float32)
    lo, hi = layout.min(axis=0), layout.max(axis=0)
    layout = 10 * (layout - lo) / np.maximum(hi - lo, 1e-12)
    layout = (layout + rng.normal(scale=1e-4, size=layout.shape)).astype(np.float32)
    _optimize(layout, graph, FIRST_EPOCHS, 1.0, ab, rng)
    return layout


def _optimize(layout, graph, n_epochs, learning_rate, ab, rng):
    """Move ``layout`` (in place) by ``n_epochs`` of umap-learn's optimiser on ``graph``,
    its step falling from ``learning_rate`` to 0."""
    from umap.layouts import optimize_layout_euclidean
    from umap.umap_ import make_epochs_per_sample

    keep = graph.data >= graph.data.max() / n_epochs  # as umap-learn: the rest never fire
    weights = graph.data[keep]
    a, b = ab
    optimize_layout_euclidean(
        layout, layout, graph.row[keep], graph.col[keep], n_epochs, len(layout),
        make_epochs_per_sample(weights, n_epochs), a, b,
        rng.integers(-(2**31), 2**31 - 1, 3).astype(np.int64),
        initial_alpha=learning_rate, move_other=True,
    )  # fmt: skip


def _align(layout, previous):
    """``layout`` turned (a rotation or a mirror) and shifted to best match ``previous``."""
    here, there = layout.mean(axis=0), previous.mean(axis=0)
    return (layout - here) @ _rotation(layout - here, previous - there) + there


def _place(index, squared, shown):
    """Each point at the weighted mean of its nearest landmarks' positions, the weights
    falling off as umap-learn's memberships do: exp(-(d - d_nearest) / scale), the scale
    the mean of (d - d_nearest) over the point's neighbours."""
    distance = np.sqrt(squared)
    distance -= distance[:, :1]
    scale = np.maximum(distance.mean(axis=1, keepdims=True), 1e-12)
    weights = np.exp(-distance / scale)
    weights /= weights.sum(axis=1, keepdims=True)
    x = np.einsum("ij,ij->i", weights, shown[index, 0])
    y = np.einsum("ij,ij->i", weights, shown[index, 1])
    return np.stack([x, y], axis=1).astype(np.float32)


class _Compiler:
    """umap-learn's numba code, compiled once a process: here, or in a background thread."""

    def __init__(self):
        self.done = threading.Event()
        self.error = None
        self._lock = threading.Lock()
        self._thread = None
        self._waiting = []

    def start(self, on_ready=None):
        """Compile in a background thread unless it is done or under way; ``on_ready()``
        when done (here and now if it is). Raises what a failed compile raised."""
        if self.error is not None:
            raise self.error
        with self._lock:
            if not self.done.is_set():
                if on_ready is not None:
                    self._waiting.append(on_ready)
                if self._thread is None:
                    _require_umap()
                    self._thread = threading.Thread(
                        target=self._run, name="embedwidget-umap-compile", daemon=True
                    )
                    self._thread.start()
                return
        if on_ready is not None:
            on_ready()

    def _run(self):
        try:
            self.here()
        except Exception as error:  # raised by the next call that needs the map
            self.error = error
            return
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for on_ready in waiting:
            on_ready()

    def here(self):
        """Compile in this thread: run what a frame runs, on a few random points."""
        from umap.umap_ import find_ab_params

        _require_umap()
        with _compile_lock:
            if self.done.is_set():
                return
            rng = np.random.default_rng(0)
            features = _reduce(rng.normal(size=(60, 3)), np.arange(40), 4)
            landmarks = features[:40]
            index, squared = _nearest(landmarks, landmarks, 5)
            graph = _graph(landmarks, index, squared, 5)
            layout = _first_layout(landmarks, graph, find_ab_params(1.0, 0.1), rng)
            near, _ = _nearest(features, landmarks, 5)
            _place(*_nearest_around(features, landmarks, near, index), layout)
            self.done.set()


_compile_lock = threading.Lock()
_COMPILER = _Compiler()


def _require_umap():
    import importlib.util

    if importlib.util.find_spec("umap") is None:
        raise ImportError(
            "UmapProjector draws with umap-learn, which is not installed: "
            "pip install 'umap-learn>=0.5'"
        )
