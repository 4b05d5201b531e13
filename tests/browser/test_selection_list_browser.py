"""The selection list of EmbeddingScatter in real JupyterLab and Chromium: a lasso over
12,000 points lists a sample of their texts; a hostile text and label show as text and
run nothing; hovering a row rings its point in the picture; a row's × takes the point out
of the selection, in the kernel too; the dark theme paints a dark picture."""

import re

import pytest

from .gestures import lasso
from .notebook import (
    kernel_stdout,
    kernel_until,
    open_widget,
    widget_bounds,
)
from .pixels import (
    canvas_point,
    colour_share,
    differing_share,
    luminance,
    patch,
    png_pixels,
    screen_point,
    still_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 20_000
BLOB = range(8_000, N)  # 12,000 points in one tight spot, for the lasso
CORNERS = list(range(7_990, 7_994))  # keep the cloud off the edges
LONE = [7_994, 7_995, 7_996]  # alone at three places, for hovering and removing
LONE_AT = [(-1.5, 1.5), (-1.5, -1.5), (1.5, 1.5)]
PAYLOAD = 0  # in the cloud, with a hostile text and a hostile label
HOSTILE = '<img src=x onerror="window.__pwned = 1">'
HOSTILE_LABEL = '<img src=y onerror="window.__pwned_label = 1">'

# Two-column X is drawn as is, so the test knows where every point is.
SETUP = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(0)
X = np.clip(rng.normal(scale=0.35, size=({N}, 2)), -1, 1).astype("float32")
X[{BLOB.start}:] = [1.5, -1.5] + np.clip(rng.normal(scale=0.02, size=({len(BLOB)}, 2)), -0.06, 0.06)
X[{CORNERS[0]}:{CORNERS[-1] + 1}] = [[-2, -2], [-2, 2], [2, -2], [2, 2]]
X[{LONE[0]}:{LONE[-1] + 1}] = {LONE_AT}
texts = [f"text {{i}}" for i in range({N})]
texts[{PAYLOAD}] = {HOSTILE!r}
labels = [None] * {N}
labels[1:1000] = ["alpha"] * 999
labels[{PAYLOAD}] = {HOSTILE_LABEL!r}
labels[{LONE[0]}] = "alpha"
w = EmbeddingScatter(X, texts=texts, labels=labels, height=360)
w
"""


def open_list_widget(page, lab_server, name):
    """The widget of SETUP in a new notebook: its root, canvas and ``_bounds``."""
    root, canvas = open_widget(page, lab_server.root, name, [SETUP])
    return root, canvas, widget_bounds(page)


def shown_rows(root):
    """The list's rows as (point index, text, label) in the order shown."""
    return [
        tuple(row)
        for row in root.locator(".ew-list-row").evaluate_all(
            """(rows) => rows.map((row) => [
                Number(row.dataset.index),
                row.querySelector(".ew-list-text").textContent,
                row.querySelector(".ew-list-label").textContent.trim(),
            ])"""
        )
    ]


def count_numbers(root):
    """The numbers in the list's count ("50 of 12,000 selected" -> [50, 12000])."""
    text = root.locator(".ew-list-count").text_content()
    return [int(number.replace(",", "")) for number in re.findall(r"\d[\d,]*", text)]


def kernel_selection(page, expected):
    """Wait until the kernel's ``w.selection`` is the set ``expected``."""
    want = str(sorted(expected))
    kernel_until(page, "print(sorted(w.selection))", lambda text: text.strip() == want)


def test_a_lasso_over_12000_points_lists_a_sample_of_their_texts(page, lab_server):
    root, canvas, bounds = open_list_widget(page, lab_server, "list.ipynb")
    # Without an encoder the search box offers no "meaning" mode.
    assert root.locator('.ew-search-mode option[value="meaning"]').count() == 0

    lasso(page, *screen_point(canvas, bounds, (1.5, -1.5)))
    kernel_selection(page, BLOB)

    # A sample of 50 of the 12,000, each row the text and label of its own point.
    root.locator(".ew-list-count").filter(has_text="12,000").wait_for()
    assert count_numbers(root)[:2] == [50, len(BLOB)]
    rows = shown_rows(root)
    assert len(rows) == 50 and len({index for index, _, _ in rows}) == 50
    assert all(index in BLOB for index, _, _ in rows), rows
    assert all(text == f"text {index}" for index, text, _ in rows), rows
    assert all(label == "unlabelled" for _, _, label in rows), rows
    assert root.get_attribute("data-list-rows") == "50"
    assert float(root.get_attribute("data-list-ms")) >= 0

    # "Another sample" draws other rows of the same selection.
    first = {index for index, _, _ in rows}
    root.locator(".ew-list-resample").click()
    page.wait_for_function(
        """([root, first]) => [...root.querySelectorAll(".ew-list-row")]
            .some((row) => !first.includes(Number(row.dataset.index)))""",
        arg=[root.element_handle(), sorted(first)],
    )
    again = shown_rows(root)
    assert len(again) == 50 and all(index in BLOB for index, _, _ in again)
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]


def test_rows_show_hostile_text_as_text_ring_their_point_and_remove_it(page, lab_server):
    root, canvas, bounds = open_list_widget(page, lab_server, "rows.ipynb")
    selected = [PAYLOAD, *LONE]
    kernel_stdout(page, f"w.selection = {selected}")
    page.wait_for_function(
        "(root) => root.querySelectorAll('.ew-list-row').length === 4", arg=root.element_handle()
    )
    rows = {index: (text, label) for index, text, label in shown_rows(root)}
    assert sorted(rows) == sorted(selected)
    assert rows[LONE[0]] == (f"text {LONE[0]}", "alpha")
    assert rows[LONE[1]] == (f"text {LONE[1]}", "unlabelled")

    # The hostile text and label are shown as text: no element made of them, nothing ran.
    assert rows[PAYLOAD] == (HOSTILE, HOSTILE_LABEL)
    assert root.locator(".ew-list img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("[window.__pwned, window.__pwned_label]") == [None, None]

    # Hovering a row rings its point: the pixels around that point change, those around
    # another selected point do not. (The whole widget in view first, so that neither
    # the hover nor the screenshots scroll the row away from under the mouse.)
    root.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    at = [canvas_point(canvas, bounds, xy) for xy in LONE_AT]
    before = still_screenshot(canvas)
    root.locator(f'.ew-list-row[data-index="{LONE[0]}"]').hover()
    root.locator(".ew-ring").wait_for(state="visible")
    after = still_screenshot(canvas)
    _, _, pa = png_pixels(before)
    _, _, pb = png_pixels(after)

    def changed(x, y):
        near_a, near_b = patch(pa, x, y, 14), patch(pb, x, y, 14)
        return float((near_a[..., :3] != near_b[..., :3]).any(axis=-1).mean())

    assert changed(*at[0]) > 0.05, "hovering the row did not ring its point"
    assert changed(*at[1]) == 0, "hovering one row changed another point"
    page.mouse.move(0, 0)
    assert differing_share(still_screenshot(canvas), before) == 0, "the ring stayed"

    # The row's × takes its point out of the selection, in the page and in the kernel.
    root.locator(f'.ew-list-row[data-index="{LONE[0]}"] .ew-list-remove').click()
    root.locator(f'.ew-list-row[data-index="{LONE[0]}"]').wait_for(state="detached")
    kernel_selection(page, [PAYLOAD, LONE[1], LONE[2]])
    root.locator(".ew-status").filter(has_text=re.compile(r"^3 selected")).wait_for()
    assert sorted(index for index, _, _ in shown_rows(root)) == [PAYLOAD, LONE[1], LONE[2]]
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]


def test_the_dark_theme_paints_a_dark_picture(page, lab_server):
    root, canvas, _ = open_list_widget(page, lab_server, "theme.ipynb")
    kernel_stdout(page, f"w.selection = {LONE}")  # the list shows, too
    root.locator(".ew-list-row").first.wait_for()
    page.mouse.move(0, 0)
    _, _, light = png_pixels(still_screenshot(canvas))
    assert luminance(light).mean() > 200, "the light theme's picture is not light"
    try:
        set_theme(page, "JupyterLab Dark")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        dark = wait_for_dark(canvas)
        # Most of it is background, and the points still show on it.
        assert (luminance(dark) < 60).mean() > 0.5, "most of the dark picture is not dark"
        background = tuple(int(c) for c in dark[0, 0, :3])
        assert 1 - colour_share(dark, background, tolerance=8) > 0.002, "no points drawn"
        # The toolbar and the list around the picture are dark too.
        _, _, whole = png_pixels(still_screenshot(root))
        assert luminance(whole).mean() < 90, "the widget around the picture stayed light"
    finally:
        set_theme(page, "JupyterLab Light")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")


def set_theme(page, theme):
    page.evaluate(
        "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})",
        theme,
    )


def wait_for_dark(canvas, tries=40):
    """The canvas's pixels once their mean brightness is under 80: the widget redraws
    the picture after the theme's CSS variables change."""
    for _ in range(tries):
        _, _, rgba = png_pixels(still_screenshot(canvas))
        if luminance(rgba).mean() < 80:
            return rgba
        canvas.page.wait_for_timeout(250)
    brightness = luminance(rgba).mean()
    raise AssertionError(
        f"the picture stayed light in the dark theme (brightness {brightness:.0f})"
    )
