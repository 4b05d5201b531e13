"""EmbeddingScatter outside JupyterLab, in a real Chromium: Jupyter Notebook 7 and marimo.

In both hosts the widget draws its 5,000 points with WebGL, a click on a lone point
selects it (the kernel sees the selection, the selection list shows its text), and the
key "1" labels it: the label request (a custom message with a binary buffer,
``model.send``) reaches the kernel, which stores the label and sends the new label codes
back to the picture.

- Notebook 7: the kernel side is read by re-running a cell that prints it.
- marimo (``mo.ui.anywidget(w)``, ``marimo run``): the kernel side is read from cells of
  the app that show it; one re-runs by itself when the widget's state (the selection)
  changes, the other when a button is clicked, as a label request does not change the
  state marimo watches.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from .gestures import click_point
from .hosts import open_notebook7, start_marimo, start_notebook, stop_marimo
from .notebook import cell_output, kernel_stdout, rerun_until, run_cell, write_notebook
from .pixels import colour_share, png_pixels, screenshot
from .server import browser_tab, stop_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 5_000
TARGET = N - 1  # alone at (1.5, 1.5)
ALPHA_BLUE = (0x4E, 0x79, 0xA7)  # the first label's colour

# Two-column X is drawn as is: a cloud in the middle, four corners that keep it off the
# edges, and the lone point the test clicks.
SETUP = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(0)
X = np.clip(rng.normal(scale=0.35, size=({N}, 2)), -1, 1).astype("float32")
X[{N - 5}:{N - 1}] = [[-2, -2], [-2, 2], [2, -2], [2, 2]]
X[{TARGET}] = [1.5, 1.5]
texts = [f"text {{i}}" for i in range({N})]
labels = ["alpha"] * 2000 + ["beta"] * 1000 + [None] * {N - 3000}
w = EmbeddingScatter(X, texts=texts, labels=labels, height=360)
"""


def _assert_points_drawn(page, canvas, path: Path) -> None:
    """The WebGL canvas shows the points: grey and the labels' colours on white."""
    page.mouse.move(0, 0)  # no tooltip over the picture
    _, _, pixels = png_pixels(screenshot(canvas, path))
    assert colour_share(pixels, (255, 255, 255), tolerance=8) < 0.97, "the canvas is blank"
    assert colour_share(pixels, ALPHA_BLUE, tolerance=20) > 0.002, "no labelled points drawn"


def _assert_listed(root, index: int) -> None:
    """The selection list shows point ``index`` alone, with its text and label."""
    row = root.locator(f'.ew-list-row[data-index="{index}"]')
    row.locator(".ew-list-text").filter(has_text=f"text {index}").wait_for()
    assert row.locator(".ew-list-label").text_content().strip() == "unlabelled"
    assert root.locator(".ew-list-row").count() == 1


def _page_errors(page) -> list[str]:
    return [line for line in page.console_lines if line.startswith("[pageerror]")]


# ---------------------------------------------------------------------- Notebook 7


@pytest.fixture(scope="module")
def notebook_server(tmp_path_factory):
    """Jupyter Notebook 7 on 127.0.0.1, everything of it under a temp folder."""
    server = start_notebook(tmp_path_factory.mktemp("notebook7"))
    yield server
    stop_lab(server)


def test_notebook7_draws_selects_and_labels(request, browser, notebook_server, tmp_path):
    cells = [
        SETUP + "w",
        "print('selection', sorted(w.selection))",
        f"f = w.labels_frame(); print('target', f[f['index'] == {TARGET}]['label'].tolist())",
    ]
    write_notebook(notebook_server.root, "hosts.ipynb", cells)
    server = notebook_server
    with browser_tab(request, browser, server.url, server.log_path, token=server.token) as page:
        open_notebook7(page, "hosts.ipynb")
        # Notebook 7.6 itself throws one TypeError while it loads ("reading 'schema'", in
        # its shortcuts settings code), with or without the widget: count from here.
        errors_before = len(_page_errors(page))
        run_cell(page, 0)
        root = cell_output(page, 0).locator(".ew-root")
        root.and_(page.locator("[data-frames]")).wait_for()
        canvas = root.locator("canvas.ew-canvas")
        bounds = json.loads(kernel_stdout(page, "import json; print(json.dumps(w._bounds))"))

        _assert_points_drawn(page, canvas, tmp_path / "notebook7.png")

        # A click selects the lone point; the page and the kernel see it.
        click_point(page, root, canvas, bounds, (1.5, 1.5), f"text {TARGET}")
        rerun_until(page, 1, f"selection [{TARGET}]")
        _assert_listed(root, TARGET)

        # Key 1 labels the selection with the first label; the kernel's store has it and
        # the picture counts it (the codes came back from the kernel).
        root.focus()
        page.keyboard.press("1")
        rerun_until(page, 2, "target ['alpha']")
        root.locator(".ew-status").filter(has_text="3001 labelled").wait_for()
        assert not _page_errors(page)[errors_before:]


# -------------------------------------------------------------------------- marimo


def marimo_app(setup: str) -> str:
    """A marimo app: the widget wrapped by ``mo.ui.anywidget``, then cells that show the
    kernel's view of it: its bounds, its selection (re-run whenever the widget's state
    changes) and the target's label (re-run when the "check labels" button is clicked)."""
    body = textwrap.indent(setup.strip(), " " * 4)
    return f"""import marimo

app = marimo.App()


@app.cell
def _():
    import json

    import marimo as mo
{body}
    scatter = mo.ui.anywidget(w)
    scatter
    return json, mo, scatter, w


@app.cell
def _(json, mo, w):
    mo.md("bounds " + json.dumps(w._bounds))
    return


@app.cell
def _(mo, scatter, w):
    scatter.value
    mo.md(f"kernel selection {{sorted(w.selection)}}")
    return


@app.cell
def _(mo):
    check = mo.ui.button(label="check labels")
    check
    return (check,)


@app.cell
def _(check, mo, w):
    check.value
    f = w.labels_frame()
    mo.md(f"kernel target {{f[f['index'] == {TARGET}]['label'].tolist()}}")
    return


if __name__ == "__main__":
    app.run()
"""


def test_marimo_draws_selects_and_labels(request, browser, tmp_path):
    app = tmp_path / "app" / "scatter_app.py"
    app.parent.mkdir()
    app.write_text(marimo_app(SETUP))
    server = start_marimo(tmp_path / "marimo", app)
    try:
        with browser_tab(request, browser, server.url, server.log_path) as page:
            page.goto(server.url)
            root = page.locator(".ew-root")  # in marimo's shadow DOM; locators pierce it
            root.and_(page.locator("[data-frames]")).wait_for()
            canvas = root.locator("canvas.ew-canvas")
            status = root.locator(".ew-status")
            bounds_text = page.get_by_text(re.compile(r"^bounds \[")).inner_text()
            bounds = json.loads(bounds_text.removeprefix("bounds "))

            _assert_points_drawn(page, canvas, tmp_path / "marimo.png")

            # A click selects the lone point; the widget and the kernel see it.
            click_point(page, root, canvas, bounds, (1.5, 1.5), f"text {TARGET}")
            page.get_by_text(f"kernel selection [{TARGET}]").wait_for()
            _assert_listed(root, TARGET)

            # Key 1 labels it: the request reaches the kernel, which sends the codes back.
            root.focus()
            page.keyboard.press("1")
            status.filter(has_text="3001 labelled").wait_for()
            page.get_by_role("button", name="check labels").click()
            page.get_by_text("kernel target ['alpha']").wait_for()
            assert not _page_errors(page)
    finally:
        stop_marimo(server)
