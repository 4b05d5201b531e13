"""EmbeddingScatter at a million points in real JupyterLab and Chromium: the picture is
drawn with WebGL, a click on a lone point selects that one point, in the kernel too, and
after a search by words a click still selects (the page is not left busy redrawing). At
120,000 points, a selection of more than 50,000 is drawn as dots over the picture (not by
regl-scatterplot), and a Shift-lasso still adds to it and a double-click clears it."""

import json

import numpy as np
import pytest

from .gestures import click_point, lasso
from .notebook import (
    cell_output,
    kernel_stdout,
    kernel_until,
    open_notebook,
    open_widget,
    run_cell,
    widget_bounds,
    write_notebook,
)
from .pixels import (
    canvas_point,
    colour_share,
    luminance,
    patch,
    png_pixels,
    screen_point,
    screenshot,
    still_screenshot,
)
from .server import ARTIFACTS

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


# -- A large selection, drawn over the picture -------------------------------------------

N_LARGE = 120_000
BLOB = 60_000  # labelled "left", around LEFT_AT: a legend click selects more than 50,000
GROUP = list(range(N_LARGE - 55, N_LARGE - 5))  # a small group at GROUP_AT, for a Shift-lasso
LEFT_AT, RIGHT_AT, GROUP_AT, EMPTY_AT = (-0.9, 0), (0.9, 0), (0.9, 1.2), (-0.9, 1.2)

LARGE = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(0)
X = np.empty(({N_LARGE}, 2), dtype="float32")
X[:{BLOB}] = np.asarray({list(LEFT_AT)}) + rng.normal(scale=0.2, size=({BLOB}, 2))
X[{BLOB}:] = np.asarray({list(RIGHT_AT)}) + rng.normal(scale=0.2, size=({N_LARGE - BLOB}, 2))
group = slice({GROUP[0]}, {GROUP[-1] + 1})
X[group] = np.asarray({list(GROUP_AT)}) + rng.normal(scale=0.02, size=({len(GROUP)}, 2))
X[-5:-1] = [[-2, -2], [-2, 2], [2, -2], [2, 2]]
labels = ["left"] * {BLOB} + [None] * {N_LARGE - BLOB}
w = EmbeddingScatter(X, texts=[f"p{{i}}" for i in range({N_LARGE})], labels=labels, height=360)
w
"""


def test_a_large_selection_is_drawn_over_the_picture_and_still_grows_and_clears(
    page, lab_server, tmp_path
):
    root, canvas = open_widget(page, lab_server.root, "large.ipynb", [LARGE])
    bounds = widget_bounds(page)
    layer = root.locator("canvas.ew-selection-layer")
    page.mouse.move(0, 0)
    before = png_pixels(still_screenshot(canvas))[2]

    # A legend click selects the 60,000 "left" points: dots drawn over them, in the
    # theme's foreground (near black), and nowhere else.
    root.locator(".ew-legend-entry", has_text="left").click()
    kernel_until(page, "print(len(w.selection))", lambda text: text.strip() == str(BLOB))
    page.wait_for_function(
        "(n) => document.querySelector('.ew-selection-layer')?.dataset.points === String(n)",
        arg=BLOB,
    )
    shot = still_screenshot(canvas)
    (tmp_path / "large-selection.png").write_bytes(shot)
    (ARTIFACTS / "large-selection.png").write_bytes(shot)
    after = png_pixels(shot)[2]
    left = [patch(p, *canvas_point(canvas, bounds, LEFT_AT), radius=30) for p in (before, after)]
    right = [patch(p, *canvas_point(canvas, bounds, RIGHT_AT), radius=30) for p in (before, after)]
    assert (luminance(left[1]) < 60).mean() > (luminance(left[0]) < 60).mean() + 0.3, "no dots"
    assert np.array_equal(right[0], right[1]), "dots where nothing is selected"

    # A Shift-lasso round the small group adds it, in the kernel too.
    lasso(page, *screen_point(canvas, bounds, GROUP_AT), r=30, shift=True)
    total = BLOB + len(GROUP)
    kernel_until(page, "print(len(w.selection))", lambda text: text.strip() == str(total))
    listed = kernel_stdout(page, "import json; print(json.dumps([int(i) for i in w.selection]))")
    picked = set(json.loads(listed))
    assert picked == set(range(BLOB)) | set(GROUP)
    page.wait_for_function(
        "(n) => document.querySelector('.ew-selection-layer')?.dataset.points === String(n)",
        arg=total,
    )

    # A double-click in the empty corner clears it, dots and all.
    page.mouse.dblclick(*screen_point(canvas, bounds, EMPTY_AT))
    kernel_until(page, "print(len(w.selection))", lambda text: text.strip() == "0")
    root.locator(".ew-status", has_text="0 selected").wait_for()
    assert layer.get_attribute("data-points") == "0"
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]


N_COMPARE = 60_000
COMPARE = f"""
import numpy as np
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

rng = np.random.default_rng(0)
X = rng.normal(size=({N_COMPARE}, 8)).astype("float32")
y = [None] * {N_COMPARE}
for i in range(60):
    y[i] = "ab"[i % 2]
w = TunerWidget(FeedForwardTuner(hidden_dim=8, random_state=0), X,
                texts=[f"p{{i}}" for i in range({N_COMPARE})], y=y, compare=True, height=360)
w
"""


def test_a_large_selection_is_drawn_over_both_pictures_of_the_compare_view(page, lab_server):
    write_notebook(lab_server.root, "large-compare.ipynb", [COMPARE])
    open_notebook(page, "large-compare.ipynb")
    run_cell(page, 0)
    root = cell_output(page, 0).locator(".ew-root")
    root.and_(page.locator("[data-frames][data-frames-before]")).wait_for()
    layers = root.locator("canvas.ew-selection-layer")
    kernel_stdout(page, "w.selection = list(range(55_000))")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.ew-selection-layer')]
            .map((layer) => layer.dataset.points).join() === '55000,55000'"""
    )
    screenshot(root.locator(".ew-compare"), ARTIFACTS / "large-selection-compare.png")
    right = root.locator('canvas.ew-canvas[data-side="now"]').bounding_box()
    page.mouse.dblclick(right["x"] + 8, right["y"] + right["height"] - 8)
    kernel_until(page, "print(len(w.selection))", lambda text: text.strip() == "0")
    assert [layers.nth(i).get_attribute("data-points") for i in range(2)] == ["0", "0"]
