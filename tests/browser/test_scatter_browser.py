"""EmbeddingScatter in real JupyterLab and Chromium: 10,000 points drawn with WebGL, a
click and a lasso select, a key press labels, a hostile text is hovered and nothing runs,
and the labels come back after a kernel restart."""

import pytest

from .gestures import click_point, lasso
from .notebook import (
    kernel_stdout,
    open_widget,
    rerun_until,
    run_cell,
    wait_for_idle,
    widget_bounds,
)
from .pixels import colour_share, png_pixels, screen_point, screenshot
from .server import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


N = 10_000
TARGET, PAYLOAD, CLUSTER = N - 1, N - 2, list(range(N - 10, N - 2))
CORNERS = list(range(N - 14, N - 10))  # four points that keep the others off the edges
HOSTILE = '<img src=x onerror="window.__pwned = 1">'
ALPHA_BLUE = (0x4E, 0x79, 0xA7)  # the first label's colour

# Two-column X is drawn as is, so the test knows where every point is: a cloud in the
# middle, and three lone places for the click, the lasso and the hover.
SETUP = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(0)
X = np.clip(rng.normal(scale=0.35, size=({N}, 2)), -1, 1).astype("float32")
X[{CLUSTER[0]}:{CLUSTER[-1] + 1}] = [1.5, -1.5] + rng.normal(scale=0.01, size=(8, 2))
X[{CORNERS[0]}:{CORNERS[-1] + 1}] = [[-2, -2], [-2, 2], [2, -2], [2, 2]]
X[{PAYLOAD}] = [-1.5, 1.5]
X[{TARGET}] = [1.5, 1.5]
texts = [f"text {{i}}" for i in range({N})]
texts[{PAYLOAD}] = {HOSTILE!r}
labels = ["alpha"] * 5000 + ["beta"] * 2000 + [None] * {N - 7000}
w = EmbeddingScatter(X, texts=texts, labels=labels, store="labels.db", height=360)
w
"""
CELLS = [
    SETUP,
    "print('selection', sorted(w.selection))",
    f"f = w.labels_frame(); print('cluster', f[f['index'] >= {CLUSTER[0]}]['label'].tolist())",
    """import numpy as np
from embedwidget import EmbeddingScatter
again = EmbeddingScatter(X, texts=texts, store="labels.db")
f = again.labels_frame()
print('reopened', f['index'].tolist(), f['label'].tolist())""",
]


def test_scatter_draws_selects_labels_escapes_and_keeps_labels(page, lab_server, tmp_path):
    root, canvas = open_widget(page, lab_server.root, "scatter.ipynb", CELLS)
    bounds = widget_bounds(page)

    # The WebGL canvas shows the points: grey and the labels' colours on white.
    page.mouse.move(0, 0)
    png = screenshot(canvas, tmp_path / "scatter.png")
    _, _, pixels = png_pixels(png)
    assert colour_share(pixels, (255, 255, 255), tolerance=8) < 0.97, "the canvas is blank"
    assert colour_share(pixels, ALPHA_BLUE, tolerance=20) > 0.002, "no labelled points drawn"

    # A click selects the lone point under the cursor; the kernel sees it.
    click_point(page, root, canvas, bounds, (1.5, 1.5), f"text {TARGET}")
    rerun_until(page, 1, f"selection [{TARGET}]")

    # A Shift-drag lasso around the cluster selects exactly its eight points.
    lasso(page, *screen_point(canvas, bounds, (1.5, -1.5)))
    # Shift merges: the clicked point stays, the cluster joins it.
    rerun_until(page, 1, f"selection {sorted([*CLUSTER, TARGET])}")

    # Key 1 labels the selection with the first label; the kernel's store has it.
    root.focus()
    page.keyboard.press("1")
    rerun_until(page, 2, "cluster " + str(["alpha"] * 9))

    # Typing a digit into the label field types it; it labels nothing.
    actions = kernel_stdout(page, "print(w.store.n_actions())")
    field = root.locator("input.ew-new-label")
    field.press("1")
    assert field.input_value() == "1"
    field.fill("")
    assert kernel_stdout(page, "print(w.store.n_actions())") == actions

    # Hovering the hostile text shows it as text; nothing in it runs.
    page.mouse.move(*screen_point(canvas, bounds, (-1.5, 1.5)))
    tooltip = root.locator(".ew-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.text_content() == HOSTILE
    assert tooltip.locator("img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None

    # Undo with Ctrl+Z takes back the key-press label (keys go to the focused widget;
    # running a cell moved the focus to the notebook).
    root.focus()
    page.keyboard.press("Control+z")
    rerun_until(page, 2, "cluster []")
    root.focus()
    page.keyboard.press("1")
    rerun_until(page, 2, "cluster " + str(["alpha"] * 9))

    # The search box finds texts in the browser; Enter selects the matches.
    search = root.locator("input.ew-search")
    search.fill("text 999")
    assert (
        root.locator(".ew-message").text_content()
        == '1 text matches "text 999" · Enter selects them'
    )
    search.press("Enter")
    rerun_until(page, 1, "selection [999]")  # whole words: not "text 9990"
    search.fill("")

    # Pairs from the toolbar: side A, then side B, then Similar (1 x 8 pairs, crossed).
    click_point(page, root, canvas, bounds, (1.5, 1.5), f"text {TARGET}")
    root.get_by_role("button", name="Set side A").click()
    root.focus()
    page.keyboard.press("l")  # lasso mode: a plain drag lassoes a new selection
    lasso(page, *screen_point(canvas, bounds, (1.5, -1.5)), shift=False)
    page.keyboard.press("l")
    root.locator(".ew-plan", has_text="8 pairs (every A with every B)").wait_for()
    root.get_by_role("button", name="Similar", exact=True).click()
    pairs = kernel_stdout(
        page, "f = w.pairs_frame(); print(f['index_a'].tolist(), f['similar'].tolist())"
    )
    assert pairs.strip() == f"{[TARGET] * 8} {[1.0] * 8}"
    assert "8 pairs" in root.locator(".ew-status").text_content()

    # The widget as a person sees it (docs/README.md's picture is made from this file).
    page.mouse.move(*screen_point(canvas, bounds, (1.5, -1.5)))
    screenshot(root, ARTIFACTS / "embedding-scatter.png")

    # After a kernel restart, a new widget on the same file has the labels back.
    page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    wait_for_idle(page)
    run_cell(page, 0)
    reopened = rerun_until(page, 3, "reopened")
    assert f"reopened {[*CLUSTER, TARGET]} {['alpha'] * 9}" in reopened
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]
