"""The wire format of the widgets, in one place: arrays cross as raw little-endian bytes.

- positions: float32 x, y interleaved, 8 bytes a point;
- label codes: uint16, 0 for unlabelled and k for the k-th label name;
- indices (selection, pair sides): uint32.

The browser side decodes these in ``js/wire.js``.
"""

from __future__ import annotations

import numpy as np

MAX_POINTS = np.iinfo(np.uint32).max
MAX_LABELS = np.iinfo(np.uint16).max - 1


def positions_to_bytes(positions):
    """(n, 2) coordinates to float32 bytes, x and y interleaved."""
    return np.ascontiguousarray(positions, dtype="<f4").tobytes()


def codes_to_bytes(codes):
    """Label codes to uint16 bytes."""
    return np.ascontiguousarray(codes, dtype="<u2").tobytes()


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
