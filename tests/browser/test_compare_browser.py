"""The compare view (TunerWidget compare=True) in real JupyterLab and Chromium: the
starting picture beside the live one, on 6,000 points. A lasso in the left picture
selects exactly the points inside it, in the kernel and in the pixels of both pictures
(the right one shows the same points where training took them, the rest dimmed in both);
while start() runs, the right picture moves and the left one stays as it was."""

import json

import numpy as np
import pytest

from .gestures import lasso
from .notebook import (
    cell_output,
    kernel_stdout,
    kernel_until,
    open_notebook,
    run_cell,
    wait_for_idle,
    write_notebook,
)
from .pixels import (
    colour_share,
    differing_share,
    luminance,
    png_pixels,
    screen_point,
    screenshot,
    still_screenshot,
)
from .server import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 6000
LASSO_R = 30  # half-side of the square lasso, in CSS pixels
EDGE = 2.5  # pixels: points this close to the lasso's edge may fall either way
MARK = 6  # pixels: how far from its point a selected point's mark reaches
DRAWN = 240  # luminance below which a pixel of the white picture has a point on it

SETUP = f"""
import json
import numpy as np
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

rng = np.random.default_rng(0)
centres = rng.normal(scale=2, size=(3, 32))
X = (centres[np.arange({N}) % 3] + rng.normal(size=({N}, 32))).astype("float32")
y = [None] * {N}
for i in range(60):
    y[i] = "abc"[i % 3]
w = TunerWidget(FeedForwardTuner(hidden_dim=16, learning_rate=0.003, random_state=0),
                X, texts=[f"point {{i}}" for i in range({N})], y=y, compare=True, height=360)
w.fit(3)  # the right picture is the tuned one before the test begins
w
"""

PICTURES = """
from embedwidget.widgets.serializers import positions_from_bytes
def picture(data, bounds):
    return {"xy": positions_from_bytes(data).tolist(), "bounds": list(bounds)}
print(json.dumps({"before": picture(w._start_positions, w._start_bounds),
                  "now": picture(w._positions, w._bounds)}))
"""


def screen_points(canvas, bounds, xy):
    """Where every row of ``xy`` is on the screen: ``pixels.screen_point``'s mapping,
    for all points at once (two of its results fix its offset and scale)."""
    xy = np.asarray(xy, dtype=np.float64)
    (xmin, xmax, ymin, ymax) = bounds
    x0, y0 = screen_point(canvas, bounds, (xmin, ymin))
    x1, y1 = screen_point(canvas, bounds, (xmax, ymax))
    sx, sy = (x1 - x0) / (xmax - xmin), (y1 - y0) / (ymax - ymin)
    return np.column_stack([x0 + (xy[:, 0] - xmin) * sx, y0 + (xy[:, 1] - ymin) * sy])


def drawn_pixels(canvas, png):
    """The screen positions (x, y) of the pixels of a screenshot of ``canvas`` with a point
    drawn on them (darker than the white background), and their luminance (taken at one
    device pixel a CSS pixel)."""
    _, _, rgba = png_pixels(png)
    bright = luminance(rgba)
    rows, cols = np.nonzero(bright < DRAWN)
    box = canvas.bounding_box()
    return np.column_stack([box["x"] + cols + 0.5, box["y"] + rows + 0.5]), bright, (rows, cols)


def test_lasso_left_selects_in_both_and_only_the_right_moves(page, lab_server, tmp_path):
    write_notebook(lab_server.root, "compare.ipynb", [SETUP])
    open_notebook(page, "compare.ipynb")
    run_cell(page, 0)
    root = cell_output(page, 0).locator(".ew-root")
    root.and_(page.locator("[data-frames][data-frames-before]")).wait_for()
    panes = root.locator(".ew-compare > .ew-pane")
    assert [panes.nth(i).get_attribute("data-side") for i in range(2)] == ["before", "now"]
    left = root.locator('.ew-compare canvas.ew-canvas[data-side="before"]')
    right = root.locator('.ew-compare canvas.ew-canvas[data-side="now"]')
    assert root.locator(".ew-pane-title").all_text_contents() == ["before", "now (step 3)"]
    pictures = json.loads(kernel_stdout(page, PICTURES))
    start, now = pictures["before"], pictures["now"]
    assert start["xy"] != now["xy"], "the tuned picture should differ from the starting one"

    # Lasso the densest spot of the left picture: where most points lie within reach.
    page.mouse.move(0, 0)
    on_left = screen_points(left, start["bounds"], start["xy"])
    counts = [np.sum(np.abs(on_left - p).max(axis=1) < LASSO_R) for p in on_left[::50]]
    cx, cy = on_left[::50][int(np.argmax(counts))]
    shots = {"left": still_screenshot(left), "right": still_screenshot(right)}
    lasso(page, cx, cy, r=LASSO_R)

    page.mouse.move(0, 0)

    # The kernel's selection, once it is the browser's (the drag closes where it began,
    # so regl-scatterplot also takes it for a Shift-click, which may add the point under
    # that corner a moment later): every point well inside the square, none well outside.
    def agreed(printed):
        count = len(json.loads(printed))
        status = root.locator(".ew-status").text_content()
        return count > 0 and status.startswith(f"{count} selected")

    selected = json.loads(kernel_until(page, "print(json.dumps(sorted(w.selection)))", agreed))
    depth = LASSO_R - np.abs(on_left - [cx, cy]).max(axis=1)  # > 0 inside the square
    inside, outside = np.flatnonzero(depth > EDGE), np.flatnonzero(depth < -EDGE)
    assert len(inside) > 100, f"the lasso should hold many points, held {len(inside)}"
    assert set(inside) <= set(selected), "points inside the lasso were not selected"
    assert not set(outside) & set(selected), "points outside the lasso were selected"
    root.locator(".ew-list-count", has_text=f"of {len(selected):,} selected").wait_for()

    # Both pictures show the selection at the same points: where they start on the left,
    # where training took them on the right. Selected points keep their full colour; the
    # others are dimmed (lighter), which is what would happen to the selected ones if a
    # picture showed other points.
    on_right = screen_points(right, now["bounds"], now["xy"])
    for side, canvas, places in (("left", left, on_left), ("right", right, on_right)):
        where, before, pixels = drawn_pixels(canvas, shots[side])
        _, after, _ = drawn_pixels(canvas, still_screenshot(canvas))
        lighter = after[pixels] - before[pixels]
        on_selected = _near_any(where, places[selected], radius=1)
        elsewhere = ~_near_any(where, places[selected], radius=MARK)
        assert on_selected.sum() > 100 and elsewhere.sum() > 100
        assert lighter[elsewhere].mean() > 10, f"the {side} picture dimmed no unselected point"
        # (Selected points are drawn a little larger: they may even get darker.)
        assert lighter[on_selected].mean() < 2, f"the {side} picture dimmed selected points"

    # Training: the right picture moves between two shots, the left one does not.
    kernel_stdout(page, "w.start()")
    wait_for_idle(page)
    root.locator(".ew-step", has_text="training").wait_for()
    page.mouse.move(0, 0)
    frames_before = root.get_attribute("data-frames-before")
    first = {"left": screenshot(left), "right": screenshot(right)}
    page.wait_for_function(
        "([root, n]) => Number(root.dataset.frames) > n",
        arg=[root.element_handle(), int(root.get_attribute("data-frames")) + 2],
    )
    screenshot(root, ARTIFACTS / "compare-view.png")  # the view as a person sees it
    second = {"left": screenshot(left), "right": screenshot(right)}
    assert differing_share(first["right"], second["right"]) > 0.001, "the right picture stood still"
    assert root.get_attribute("data-frames-before") == frames_before
    assert np.array_equal(_inner(first["left"]), _inner(second["left"])), "the left picture moved"
    _, _, pixels = png_pixels(second["left"])
    assert colour_share(pixels, (255, 255, 255), tolerance=8) < 0.97, "the left canvas is blank"

    assert kernel_stdout(page, "w.stop(); print(w.running, w.error == '')").strip() == "False True"
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]


def _near_any(pixels, points, radius):
    """For each pixel (x, y), whether some point lies within ``radius`` of it."""
    near = np.zeros(len(pixels), dtype=bool)
    for start in range(0, len(pixels), 2048):
        chunk = pixels[start : start + 2048, None, :]
        near[start : start + 2048] = (np.abs(chunk - points[None]).max(axis=2) <= radius).any(1)
    return near


def _inner(png, margin=3):
    """A screenshot's pixels less a thin frame: the stage's rounded, anti-aliased corners
    and border, which the screenshot's edge may catch a shade differently each time."""
    _, _, rgba = png_pixels(png)
    return rgba[margin:-margin, margin:-margin, :3]
