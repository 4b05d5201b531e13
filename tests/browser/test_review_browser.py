"""Is it helping, and which labels are wrong, in real JupyterLab and Chromium: the
estimate and its learning curve are drawn and grow as labels come in; "Review
suspicious" selects the labels that look wrong and lists each beside its suggestion;
Accept fixes them in one action and Ctrl+Z restores them. A screenshot goes to
tests/browser/artifacts/review.png."""

import json

import pytest

from .notebook import kernel_stdout, kernel_until, open_widget
from .pixels import still_screenshot
from .server import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REVIEW = """
import numpy as np
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

classes = np.array(["red", "green", "blue", "gold"])
rng = np.random.default_rng(0)
y = np.repeat(np.arange(4), 60)
X = (np.eye(4, 6)[y] * 8 + rng.normal(size=(240, 6))).astype("float32")
texts = [f"a {classes[k]} thing #{i}" for i, k in enumerate(y)]
labelled = np.random.default_rng(1).choice(240, 60, replace=False)
planted = sorted(labelled[:4].tolist())
given = [None] * 240
for i in labelled.tolist():
    given[i] = classes[(y[i] + 1) % 4] if i in planted else classes[y[i]]
w = TunerWidget(FeedForwardTuner(hidden_dim=8, random_state=0), X, texts=texts, y=given,
                height=360)
w.fit(60)
w.estimate()
w
"""


def kernel_json(page, expression):
    return json.loads(kernel_stdout(page, f"import json; print(json.dumps({expression}))"))


def page_errors(page):
    return [line for line in page.console_lines if line.startswith("[pageerror]")]


def curve_points(root):
    return int(root.locator(".ew-curve").get_attribute("data-points") or 0)


def test_review_suspicious_then_accept_fixes_and_ctrl_z_restores(page, lab_server):
    page.set_viewport_size({"width": 1100, "height": 1000})
    root, _ = open_widget(page, lab_server.root, "review.ipynb", [REVIEW])

    # The estimate, as the kernel has it, and a first point of the learning curve.
    estimate = root.locator(".ew-estimate")
    estimate.filter(has_text="estimated F1").wait_for()
    f1 = kernel_json(page, "round(w._estimate['macro_f1'], 2)")
    assert f"F1 ≈ {f1:.2f}" in estimate.text_content()
    assert "60 labels" in estimate.text_content()
    assert curve_points(root) == 1

    # More labels, more training: the curve grows, drawn.
    more = "w.label(w.session.labels.unlabelled()[:20], 'red'); w.fit(20); w.estimate()"
    kernel_stdout(page, more)
    page.wait_for_function(
        "(svg) => Number(svg.dataset.points) >= 2 && svg.getAttribute('visibility') === 'visible'",
        arg=root.locator(".ew-curve").element_handle(),
    )
    assert root.locator(".ew-curve polyline").get_attribute("points").count(",") >= 2
    kernel_stdout(page, "w.undo(); w.fit(20); w.estimate()")  # those 20 were not all red
    planted = kernel_json(page, "planted")
    given = kernel_json(page, "[str(given[i]) for i in planted]")
    truth = kernel_json(page, "[str(classes[y[i]]) for i in planted]")

    # Review suspicious (the four wrong labels, by the kernel's default or beyond it)
    n = kernel_json(page, "len(w.suspicious_labels(n=4))")
    assert n == 4
    kernel_stdout(page, "w.review_suspicious(n=4)")  # what the button asks for, at n=4
    kernel_until(page, "print(sorted(w.selection))", str(planted))
    rows = root.locator(".ew-list-row")
    page.wait_for_function(
        "([root, n]) => root.querySelectorAll('.ew-list-row').length === n",
        arg=[root.element_handle(), 4],
    )
    shown = {
        int(rows.nth(k).get_attribute("data-index")): (
            rows.nth(k).locator(".ew-list-label").text_content(),
            rows.nth(k).locator(".ew-list-suggestion").text_content(),
        )
        for k in range(4)
    }
    for i, label, right in zip(planted, given, truth, strict=True):
        page.wait_for_function(
            "([row, right]) =>"
            " (row.querySelector('.ew-list-suggestion')?.textContent ?? '').includes(right)",
            arg=[root.locator(f'.ew-list-row[data-index="{i}"]').element_handle(), right],
        )
        assert label in shown[i][0]
    (ARTIFACTS / "review.png").write_bytes(still_screenshot(root))

    # Accept relabels them, in one action; Ctrl+Z restores them.
    actions = kernel_json(page, "w.store.n_actions()")
    labels_now = "[str(l) for l in w.session.labels.at(planted)]"
    root.locator(".ew-accept").click()
    kernel_until(page, f"print({labels_now})", str(truth))
    assert kernel_json(page, "w.store.n_actions()") == actions + 1
    root.focus()
    page.keyboard.press("Control+z")
    kernel_until(page, f"print({labels_now})", str(given))
    assert not page_errors(page), page_errors(page)


def test_the_review_button_asks_the_kernel(page, lab_server):
    root, _ = open_widget(page, lab_server.root, "review-button.ipynb", [REVIEW])
    button = root.get_by_role("button", name="Review suspicious")
    button.wait_for()
    button.click()
    expected = kernel_json(page, "sorted(w.suspicious_labels()['index'].tolist())")
    assert expected, "the kernel's default review should list at least one wrong label"
    kernel_until(page, "print(sorted(w.selection))", str(expected))
    root.locator(".ew-message").filter(has_text="look wrong").wait_for()
    assert not page_errors(page), page_errors(page)
