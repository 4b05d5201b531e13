"""What the picture shows: where a data point lands on the screen, and the pixels of a
screenshot (decoded by Pillow into numpy arrays) to check what was drawn::

    png = screenshot(canvas)
    width, height, rgba = png_pixels(png)
    assert colour_share(rgba, (255, 255, 255)) < 0.97, "the canvas is blank"
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image


def screen_point(canvas, bounds, xy):
    """Where data point ``xy`` of a two-column X is on the screen, for clicks and drags.

    The widget's JS maps ``bounds`` (its ``_bounds``) with one scale into 95% of the
    canvas, whose width shows x in [-aspect, aspect] and whose height shows y in [-1, 1]
    (regl-scatterplot's view), centred."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    xmin, xmax, ymin, ymax = bounds
    aspect = box["width"] / box["height"]
    scale = 0.95 * min(aspect / ((xmax - xmin) / 2), 1 / ((ymax - ymin) / 2))
    nx, ny = (xy[0] - (xmin + xmax) / 2) * scale, (xy[1] - (ymin + ymax) / 2) * scale
    return (
        box["x"] + box["width"] / 2 + nx * box["height"] / 2,
        box["y"] + box["height"] / 2 - ny * box["height"] / 2,
    )


def canvas_point(canvas, bounds, xy):
    """Where data point ``xy`` is in the canvas's own pixels, as in a screenshot of it."""
    x, y = screen_point(canvas, bounds, xy)
    box = canvas.bounding_box()  # after screen_point, which may have scrolled the page
    return x - box["x"], y - box["y"]


def screenshot(locator, path: Path | str | None = None) -> bytes:
    """PNG of ``locator`` as the page shows it (WebGL canvases included); also written
    to ``path`` when given."""
    locator.scroll_into_view_if_needed()
    return locator.screenshot(path=path, animations="disabled")


def png_pixels(data: bytes) -> tuple[int, int, np.ndarray]:
    """Decode a PNG into ``(width, height, rgba)``, ``rgba`` a uint8 array of shape
    ``(height, width, 4)``.

    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (2, 1), (255, 0, 0)).save(buffer, format="PNG")
    >>> width, height, rgba = png_pixels(buffer.getvalue())
    >>> width, height, rgba[0, 1].tolist()
    (2, 1, [255, 0, 0, 255])
    """
    with Image.open(io.BytesIO(data)) as image:
        rgba = np.asarray(image.convert("RGBA"))
    return rgba.shape[1], rgba.shape[0], rgba


def colour_share(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 12) -> float:
    """Fraction of ``pixels`` (an array whose last axis is r, g, b[, a]) within
    ``tolerance`` (per channel) of colour ``rgb``."""
    rgb_only = np.asarray(pixels)[..., :3].reshape(-1, 3).astype(np.int16)
    near = np.all(np.abs(rgb_only - np.asarray(rgb, dtype=np.int16)) <= tolerance, axis=1)
    return float(near.mean()) if len(near) else 0.0


def differing_share(a: bytes, b: bytes) -> float:
    """Fraction of pixels whose colour differs between two PNGs of the same size."""
    _, _, pa = png_pixels(a)
    _, _, pb = png_pixels(b)
    if pa.shape != pb.shape:
        raise ValueError(f"the screenshots differ in size: {pa.shape} and {pb.shape}")
    return float(np.any(pa[..., :3] != pb[..., :3], axis=-1).mean())


def patch(rgba: np.ndarray, x: float, y: float, radius: int) -> np.ndarray:
    """The square of ``rgba`` (a screenshot's pixels) within ``radius`` of pixel (x, y)."""
    col, row = round(x), round(y)
    return rgba[max(row - radius, 0) : row + radius + 1, max(col - radius, 0) : col + radius + 1]


def still_screenshot(locator, tries: int = 20, pause_ms: int = 150) -> bytes:
    """A screenshot of ``locator`` once two in a row are the same: an animation (a
    transition, a selection being drawn) has ended. Raises ``AssertionError`` if the
    picture keeps changing for ``tries`` shots."""
    last = screenshot(locator)
    for _ in range(tries):
        locator.page.wait_for_timeout(pause_ms)
        shot = screenshot(locator)
        if shot == last:
            return shot
        last = shot
    raise AssertionError(f"the picture kept changing over {tries} screenshots")


def luminance(rgba: np.ndarray) -> np.ndarray:
    """Perceived brightness 0..255 of each pixel (Rec. 601 weights)."""
    rgb = rgba[..., :3].astype(np.float32)
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
