"""Reading the map, and a desk that never surprises, in real JupyterLab and Chromium:
Fit view while a TunerWidget trains leaves the frames coming; the legend's counts are the
kernel's and a click on an entry selects that label's points in the kernel; the caption
says what is drawn; word search matches whole words, as the kernel's find, and marks them;
Enter in the search box hands the keys back to the picture, which shows that it has them;
HTML line breaks in a text show as breaks while a hostile text stays inert; a lasso that
closes where it began selects what it encloses. Screenshots of the legend, the caption
and the focus ring, light and dark, go to tests/browser/artifacts/."""

import json

import pytest

from .gestures import drag_path
from .notebook import kernel_stdout, kernel_until, open_widget, run_cell, wait_for_idle
from .pixels import screen_point, still_screenshot
from .server import ARTIFACTS
from .test_selection_list_browser import set_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def kernel_json(page, expression):
    """The kernel's value of ``expression``, through JSON."""
    return json.loads(kernel_stdout(page, f"import json; print(json.dumps({expression}))"))


def kernel_selection(page):
    """The kernel's ``w.selection``, sorted."""
    return kernel_json(page, "sorted(int(i) for i in w.selection)")


def frames(root):
    return int(root.get_attribute("data-frames"))


def page_errors(page):
    return [
        line
        for line in page.console_lines
        if line.startswith("[pageerror]") or "reading 'destroy'" in line
    ]


# -- Fit view while training -----------------------------------------------------------------

N_LIVE = 3000
LIVE = f"""
import numpy as np
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

rng = np.random.default_rng(0)
centres = rng.normal(scale=2, size=(3, 32))
X = (centres[np.arange({N_LIVE}) % 3] + rng.normal(size=({N_LIVE}, 32))).astype("float32")
y = [None] * {N_LIVE}
for i in range(30):
    y[i] = "ab"[i % 3 % 2]
w = TunerWidget(FeedForwardTuner(hidden_dim=16, learning_rate=0.003, random_state=0),
                X, texts=[f"point {{i}}" for i in range({N_LIVE})], y=y, height=360)
w
"""

# Pauses between the clicks (ms): they land at different moments of the frames' animations,
# between two frames and inside one, as a person's do.
PAUSES = [90, 260, 140, 410, 60, 330, 200, 520]


def test_fit_view_while_training_leaves_the_frames_coming(page, lab_server):
    root, canvas = open_widget(page, lab_server.root, "fit.ipynb", [LIVE, "w.start()"])
    run_cell(page, 1)
    wait_for_idle(page)
    root.locator(".ew-step", has_text="training").wait_for()
    page.wait_for_function(
        "(n) => Number(document.querySelector('.ew-root').dataset.frames) > n",
        arg=frames(root) + 2,
    )
    fit = root.get_by_role("button", name="Fit view")
    box = canvas.bounding_box()
    for pause in PAUSES:
        # Zoom in a little, so that Fit view has somewhere to go, then fit.
        page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 3)
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(pause)
        fit.click()
        page.wait_for_timeout(pause)
    # Frames keep coming after the last click: the picture is not frozen. (A new label
    # makes sure training steps on: it may have converged meanwhile, and then holds still.)
    kernel_stdout(page, "w.label([3, 4], 'ab'[0])")
    after = frames(root)
    page.wait_for_function(
        "(n) => Number(document.querySelector('.ew-root').dataset.frames) > n",
        arg=after + 5,
    )
    assert int(kernel_stdout(page, "print(w.step)")) > 0
    message = root.locator(".ew-message")
    assert "ew-error" not in (message.get_attribute("class") or ""), message.text_content()
    kernel_stdout(page, "w.stop()")
    root.locator(".ew-step", has_text="stopped").wait_for()
    assert not page_errors(page), page_errors(page)


# -- the legend and the caption --------------------------------------------------------------

N_MAP = 2000
MAP = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(1)
centres = np.array([[-1.0, -0.6], [1.0, -0.4], [0.0, 1.0]])
group = np.arange({N_MAP}) % 3
X = (centres[group] + rng.normal(scale=0.3, size=({N_MAP}, 2))).astype("float32")
names = np.array(["great", "bad", "okay"])
labels = [str(names[g]) if i % 7 == 0 else None for i, g in enumerate(group)]
texts = [f"review {{i}} of a {{names[g]}} product" for i, g in enumerate(group)]
w = EmbeddingScatter(X, texts=texts, labels=labels, height=380)
w
"""

COUNTS = """
f = w.labels_frame()
counts = {str(k): int(v) for k, v in f['label'].value_counts().items()}
counts['unlabelled'] = len(w.positions) - len(f)
print(json.dumps(counts))
"""


def legend_counts(root):
    """The legend as the page shows it: {name: [count, selected or None]}."""
    return {
        name: [count, picked]
        for name, count, picked in root.locator(".ew-legend-entry").evaluate_all(
            """(entries) => entries.map((e) => [
                e.querySelector(".ew-legend-name").textContent,
                Number(e.dataset.count),
                e.dataset.picked === undefined ? null : Number(e.dataset.picked),
            ])"""
        )
    }


def test_the_legend_counts_as_the_kernel_and_selects_a_label(page, lab_server):
    page.set_viewport_size({"width": 1100, "height": 1000})
    root, canvas = open_widget(page, lab_server.root, "legend.ipynb", [MAP])
    counts = json.loads(kernel_stdout(page, "import json" + COUNTS))
    assert legend_counts(root) == {name: [n, None] for name, n in counts.items()}
    assert root.locator(".ew-caption").text_content() == "The embedding as given"  # 2-D X

    # A click on "bad" selects every point labelled bad, in the kernel too.
    root.locator(".ew-legend-entry", has_text="bad").click()
    bad = kernel_json(page, "sorted(w.labels_frame().query('label == \"bad\"')['index'].tolist())")
    kernel_until(page, "print(len(w.selection))", lambda out: out.strip() == str(len(bad)))
    assert kernel_selection(page) == bad
    # The legend gives the selection's share of each label.
    root.locator(".ew-status", has_text=f"{len(bad)} selected").wait_for()
    shown = legend_counts(root)
    assert shown["bad"] == [counts["bad"], counts["bad"]]
    assert shown["great"] == [counts["great"], 0]
    assert shown["unlabelled"] == [counts["unlabelled"], 0]
    assert (
        root.locator(".ew-legend-entry", has_text="bad")
        .text_content()
        .endswith(f"{len(bad)} / {len(bad)}")
    )

    # Shift-click adds the unlabelled points; I inverts: the labelled ones but bad.
    root.locator(".ew-legend-entry", has_text="unlabelled").click(modifiers=["Shift"])
    kernel_until(
        page,
        "print(len(w.selection))",
        lambda out: out.strip() == str(len(bad) + counts["unlabelled"]),
    )
    root.focus()
    page.keyboard.press("i")
    others = counts["great"] + counts["okay"]
    kernel_until(page, "print(len(w.selection))", lambda out: out.strip() == str(others))
    assert legend_counts(root)["okay"] == [counts["okay"], counts["okay"]]

    # Pictures of the legend, the caption and the focus ring (the root has the keys).
    page.mouse.move(0, 0)
    root.focus()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "reading-legend-light.png").write_bytes(still_screenshot(root))
    try:
        set_theme(page, "JupyterLab Dark")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        page.wait_for_timeout(500)
        root.focus()
        (ARTIFACTS / "reading-legend-dark.png").write_bytes(still_screenshot(root))
        legend_bg = root.locator(".ew-legend").evaluate(
            "(e) => getComputedStyle(e).backgroundColor"
        )
        assert legend_bg != "rgba(255, 255, 255, 0.88)", legend_bg
    finally:
        set_theme(page, "JupyterLab Light")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")
    assert not page_errors(page), page_errors(page)


# -- texts: whole words, the keys after Enter, line breaks, a hostile text ----------------------

HOSTILE = '<img src=x onerror="window.__pwned = 1">'
WORDS = [
    "a cat sat on the mat",
    "category theory",
    "Yucateco hot sauce",
    "Cat food, the cat's favourite",
    "cats and dogs",
    "concatenate",
    "Great taste.<br />Would buy again.<br>My cat agrees",
    HOSTILE,
]
N_TEXTS = 400
TEXTS = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(2)
words = {WORDS!r}
texts = [words[i % len(words)] + f" #{{i}}" for i in range({N_TEXTS})]
X = rng.normal(size=({N_TEXTS}, 2)).astype("float32")
labels = [None] * {N_TEXTS}
labels[{len(WORDS) - 1}] = "good"  # two labels: keys 1 and 2
labels[{len(WORDS) - 2}] = "bad"
w = EmbeddingScatter(X, texts=texts, labels=labels, height=320)
w
"""


def test_words_are_whole_enter_gives_the_keys_back_and_texts_stay_text(page, lab_server):
    page.set_viewport_size({"width": 1100, "height": 1100})
    root, _ = open_widget(page, lab_server.root, "words.ipynb", [TEXTS])
    found = kernel_json(page, "w.session.find('cat').tolist()")
    assert found and all(i % len(WORDS) in (0, 3, 6) for i in found)

    search = root.locator("input.ew-search")
    search.click()
    page.keyboard.type("cat")
    message = root.locator(".ew-message")
    assert message.text_content() == f'{len(found)} texts match "cat" · Enter selects them'
    page.keyboard.press("Enter")
    kernel_until(page, "print(len(w.selection))", lambda out: out.strip() == str(len(found)))
    assert kernel_selection(page) == sorted(found)

    # The keys are the picture's now, and it shows it: a digit labels, the box keeps "cat".
    assert root.evaluate("(root) => document.activeElement === root")
    ring = root.locator(".ew-stage").evaluate("(s) => getComputedStyle(s).boxShadow")
    assert ring != "none", "the picture does not show that it has the keys"
    root.locator(".ew-list-row").first.wait_for()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=ARTIFACTS / "reading-words-light.png")
    second = kernel_json(page, "w.label_names[1]")
    with_second = (
        f"f = w.labels_frame(); print(sorted(f[f['label'] == {second!r}]['index'].tolist()))"
    )
    expected = sorted(set(found) | set(json.loads(kernel_stdout(page, with_second))))
    page.keyboard.press("2")
    kernel_until(page, with_second, lambda out: json.loads(out) == expected)
    assert search.input_value() == "cat"

    # The list marks the whole words found, never a part of one.
    marks = root.locator(".ew-list-text mark").all_text_contents()
    assert marks and {m.lower() for m in marks} == {"cat"}, marks

    # A text's HTML line breaks are breaks; the hostile text stays text, in list and tooltip.
    breaking = len(WORDS) - 2
    kernel_stdout(page, f"w.selection = [{breaking}, {len(WORDS) - 1}]")
    row = root.locator(f'.ew-list-row[data-index="{breaking}"] .ew-list-text')
    row.wait_for()
    assert row.locator("br").count() == 2
    assert row.evaluate("(e) => e.innerText").split("\n")[:3] == [
        "Great taste.",
        "Would buy again.",
        f"My cat agrees #{breaking}",
    ]
    hostile = root.locator(f'.ew-list-row[data-index="{len(WORDS) - 1}"] .ew-list-text')
    assert hostile.text_content() == f"{HOSTILE} #{len(WORDS) - 1}"
    assert root.locator(".ew-list img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert not page_errors(page), page_errors(page)


# -- a lasso that closes where it began -------------------------------------------------------

N_LASSO = 600
CLUSTER = list(range(0, 40))
START = 40  # a point right where the lasso starts and ends
LASSO = f"""
import numpy as np
from embedwidget import EmbeddingScatter

rng = np.random.default_rng(3)
angle, radius = rng.uniform(0, 2 * np.pi, {N_LASSO}), rng.uniform(1.2, 2, {N_LASSO})
X = np.c_[radius * np.cos(angle), radius * np.sin(angle)].astype("float32")  # a ring round
cluster = rng.normal(scale=0.15, size=({len(CLUSTER)}, 2))
X[{CLUSTER[0]}:{CLUSTER[-1] + 1}] = np.clip(cluster, -0.5, 0.5)
X[{START}] = [-0.7, 0.7]
X[-4:] = [[-2, -2], [-2, 2], [2, -2], [2, 2]]
w = EmbeddingScatter(X, texts=[f"p{{i}}" for i in range({N_LASSO})], height=400)
w
"""


def test_a_lasso_that_closes_where_it_began_selects_what_it_encloses(page, lab_server):
    root, canvas = open_widget(page, lab_server.root, "lasso.ipynb", [LASSO])
    inside = kernel_json(page, "np.flatnonzero(np.abs(w.positions).max(axis=1) < 0.6).tolist()")
    assert set(inside) == set(CLUSTER)
    bounds = kernel_json(page, "w._bounds")
    # A loop from the lone point round the cluster and back onto it, in lasso mode.
    path = [
        screen_point(canvas, bounds, xy)
        for xy in [(-0.7, 0.7), (0.7, 0.7), (0.7, -0.7), (-0.7, -0.7), (-0.7, 0.7)]
    ]
    root.focus()
    page.keyboard.press("l")
    drag_path(page, path)
    kernel_until(page, "print(len(w.selection))", lambda out: int(out) >= len(inside))
    selected = set(kernel_selection(page))
    assert set(inside) <= selected <= set(inside) | {START}
    assert not page_errors(page), page_errors(page)
