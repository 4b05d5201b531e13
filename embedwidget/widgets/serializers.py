"""The wire format of the widgets, in one place: arrays cross as raw little-endian bytes.

- positions: 4 bytes a point. A 16-byte header of float32 ``xmin, xmax, ymin, ymax`` (the
  frame's own range), then uint16 x, y interleaved, each quantized to 65,536 steps across
  that range: finer than any screen, half the bytes of float32 (a million points is 4 MB
  a frame);
- label codes: 0 for unlabelled and k for the k-th label name; uint8 (a byte a point)
  while there are at most 255 label names, uint16 beyond;
- doubt: uint8, 0 sure to 255 unsure;
- indices (selection, pair sides): uint32.

The browser side decodes these in ``js/wire.js``.
"""

from __future__ import annotations

import numpy as np

MAX_POINTS = np.iinfo(np.uint32).max
STEPS = np.iinfo(np.uint16).max  # a coordinate is lo + q / STEPS * (hi - lo), q in 0..STEPS
HEADER_BYTES = 16


def positions_to_bytes(positions):
    """(n, 2) coordinates to the range header plus uint16 x, y interleaved."""
    positions = np.asarray(positions, dtype=np.float32).reshape(-1, 2)
    x, y = positions[:, 0], positions[:, 1]  # column by column: numpy reduces (n, 2) slowly
    lo = np.array([x.min(), y.min()] if len(x) else [0, 0], np.float32)
    hi = np.array([x.max(), y.max()] if len(x) else [0, 0], np.float32)
    span = hi.astype(np.float64) - lo
    scale = np.divide(STEPS, span, out=np.zeros(2), where=span > 0)
    q = positions - lo.astype(np.float64)  # in float64, so rounding is to the nearest step
    q *= scale
    np.rint(q, out=q)
    np.clip(q, 0, STEPS, out=q)
    header = np.array([lo[0], hi[0], lo[1], hi[1]], dtype="<f4")
    return header.tobytes() + q.astype("<u2").tobytes()


def positions_from_bytes(data):
    """The (n, 2) coordinates that ``positions_to_bytes`` encoded, as float64: within
    half a step, ``(hi - lo) / 65535``, of the given ones on each axis."""
    xmin, xmax, ymin, ymax = np.frombuffer(data, dtype="<f4", count=4).astype(np.float64)
    q = np.frombuffer(data, dtype="<u2", offset=HEADER_BYTES).reshape(-1, 2)
    lo = np.array([xmin, ymin])
    return q * ((np.array([xmax, ymax]) - lo) / STEPS) + lo


def codes_dtype(n_labels):
    """uint8 while the codes 0..n_labels fit in a byte, uint16 beyond."""
    return np.dtype("u1") if n_labels <= np.iinfo(np.uint8).max else np.dtype("<u2")


def codes_to_bytes(codes, n_labels):
    """Label codes to bytes: one a point for at most 255 labels, two beyond."""
    return np.ascontiguousarray(codes, dtype=codes_dtype(n_labels)).tobytes()


def codes_from_bytes(data, n_labels):
    """Label codes back from ``codes_to_bytes``."""
    return np.frombuffer(data, dtype=codes_dtype(n_labels))


def indices_to_bytes(indices):
    """Point indices to uint32 bytes."""
    return np.ascontiguousarray(indices, dtype="<u4").tobytes()


def indices_from_bytes(data):
    """uint32 bytes (a buffer from the browser) to an int64 array of indices."""
    if data is None:
        return np.empty(0, dtype=np.int64)
    return np.frombuffer(data, dtype="<u4").astype(np.int64)


def _selection_to_json(value, widget):
    return memoryview(indices_to_bytes(value))


def _selection_from_json(value, widget):
    if isinstance(value, list):  # a front end that sends JSON instead of bytes
        return [int(i) for i in value]
    return indices_from_bytes(value).tolist()


indices_serialization = {"to_json": _selection_to_json, "from_json": _selection_from_json}


def doubt_to_bytes(doubt):
    """Doubt in [0, 1] per point to uint8, 0 sure to 255 unsure."""
    return np.round(np.asarray(doubt) * 255).astype(np.uint8).tobytes()
