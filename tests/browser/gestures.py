"""What a person does with the mouse in the picture: click a point, drag a lasso.

Both take screen positions from ``pixels.screen_point``, so a test places its points in
data coordinates and lets the widget's own mapping say where they are drawn.
"""

from __future__ import annotations

import re
import warnings

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .pixels import screen_point
from .server import TIMEOUT_MS


def click_point(page, root, canvas, bounds, xy, text: str, tries: int = 3) -> int:
    """Click data point ``xy`` (hover text ``text``) until the widget's status says
    "1 selected"; return how many clicks it took.

    Each try first moves the mouse onto the point and waits for its tooltip: then the
    picture is drawn, laid out where ``bounds`` says, and regl-scatterplot sees the mouse
    there, so the click lands. On a busy machine a click was once still ignored (the
    status stayed "0 selected", the kernel saw no selection); a person clicks again, and
    so does this, up to ``tries`` times, waiting on the status each time."""
    status = root.locator(".ew-status").filter(has_text=re.compile(r"^1 selected"))
    tooltip = root.locator(".ew-tooltip").filter(has_text=text)
    for attempt in range(1, tries + 1):
        x, y = screen_point(canvas, bounds, xy)
        page.mouse.move(x, y)
        tooltip.wait_for(state="visible")
        page.mouse.down()
        page.mouse.up()
        try:
            status.wait_for(timeout=TIMEOUT_MS if attempt == tries else 10_000)
        except PlaywrightTimeoutError:
            if attempt == tries:
                raise
            continue
        if attempt > 1:
            warnings.warn(f"the click on {text!r} selected it at try {attempt}", stacklevel=2)
        return attempt
    raise AssertionError("unreachable")


def lasso(page, cx, cy, r=25, shift=True, before_release=None):
    """Drag a square lasso of half-side ``r`` pixels around screen point (cx, cy), as a
    person would: with Shift held (adds to the selection), or plain in lasso mode.
    ``before_release()``, if given, is called with the loop drawn and the button still
    down (to take a picture of the lasso)."""
    corners = [
        (cx - r, cy - r),
        (cx + r, cy - r),
        (cx + r, cy + r),
        (cx - r, cy + r),
        (cx - r, cy - r),
    ]
    if shift:
        page.keyboard.down("Shift")
    drag_path(page, corners, steps=12, before_release=before_release)
    if shift:
        page.keyboard.up("Shift")


def drag_path(page, path, steps=15, before_release=None):
    """Press at the first screen point of ``path``, move through the others (``steps``
    moves between two), and release: a lasso in lasso mode, or a pan."""
    page.mouse.move(*path[0])
    page.mouse.down()
    for point in path[1:]:
        page.mouse.move(*point, steps=steps)
        page.wait_for_timeout(30)
    if before_release is not None:
        before_release()
    page.mouse.up()
