"""EmbeddingScatter at a million points in real JupyterLab and Chromium: the picture is
drawn with WebGL, a click on a lone point selects that one point, in the kernel too, and
after a search by words a click still selects (the page is not left busy redrawing)."""

import pytest

from .gestures import click_point
from .notebook import (
    kernel_until,
    open_widget,
    widget_bounds,
)
from .pixels import canvas_point, colour_share, luminance, patch, png_pixels, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 1_000_000
TARGET = N - 1  # alone at LONE_AT, for the click
CORNERS = list(range(N - 5, N - 1))  # keep the cloud off the edges
LONE_AT = (1.5, 1.5)

# Two-column X is drawn as is, so the test knows where every point is: a million points
# in a cloud in the middle, and one point alone in the top right.
SETUP = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(0)
X = np.clip(rng.normal(scale=0.35, size=({N}, 2)), -1, 1).astype("float32")
X[{CORNERS[0]}:{CORNERS[-1] + 1}] = [[-2, -2], [-2, 2], [2, -2], [2, 2]]
X[{TARGET}] = {list(LONE_AT)}
w = EmbeddingScatter(X, texts=[f"p{{i}}" for i in range({N})], height=360)
w
"""


def test_a_million_points_are_drawn_and_a_click_selects_one(page, lab_server, tmp_path):
    root, canvas = open_widget(page, lab_server.root, "million.ipynb", [SETUP])
    bounds = widget_bounds(page)

    # The cloud covers the middle of the canvas; the lone point is drawn where it lies,
    # with white around it.
    page.mouse.move(0, 0)
    _, _, pixels = png_pixels(screenshot(canvas, tmp_path / "million.png"))
    middle = patch(pixels, *canvas_point(canvas, bounds, (0, 0)), radius=20)
    assert colour_share(middle, (255, 255, 255), tolerance=8) < 0.05, "the cloud is not drawn"
    # At a million points a point is 1.5 pixels wide: one grey pixel or two.
    lone = patch(pixels, *canvas_point(canvas, bounds, LONE_AT), radius=3)
    assert luminance(lone).min() < 220, "the lone point is not drawn"
    around = patch(pixels, *canvas_point(canvas, bounds, (1.25, 1.25)), radius=10)
    assert colour_share(around, (255, 255, 255), tolerance=8) == 1, "points outside the cloud"

    # A click on the lone point selects it and nothing else; the kernel sees it.
    click_point(page, root, canvas, bounds, LONE_AT, f"p{TARGET}")
    kernel_until(page, "print(list(w.selection))", lambda text: text.strip() == f"[{TARGET}]")

    # A search typed and entered selects its matches; the picture is not redrawn for
    # them at this size, and the next click selects at once.
    search = root.locator("input.ew-search")
    search.click()
    page.keyboard.type("p99999")
    page.keyboard.press("Enter")
    matches = [99999]  # whole words: not p999990 and the like
    kernel_until(page, "print(list(w.selection))", lambda text: text.strip() == str(matches))
    assert root.locator(".ew-message").text_content() == '1 text matches "p99999"'
    click_point(page, root, canvas, bounds, LONE_AT, f"p{TARGET}")
    kernel_until(page, "print(list(w.selection))", lambda text: text.strip() == f"[{TARGET}]")
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]
