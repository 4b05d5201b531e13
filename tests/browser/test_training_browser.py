"""TunerWidget in real JupyterLab and Chromium: after start() the picture keeps moving
while the kernel is idle, a label made by a key press during training reaches the
kernel and the browser's colours, and stop() ends it."""

import pytest

from .notebook import (
    kernel_stdout,
    open_widget,
    run_cell,
    wait_for_idle,
)
from .pixels import differing_share, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

N = 6000
SETUP = f"""
import numpy as np
from embedwidget import TunerWidget
from embedwidget.finetune import FeedForwardTuner

rng = np.random.default_rng(0)
centres = rng.normal(scale=2, size=(3, 32))
X = (centres[np.arange({N}) % 3] + rng.normal(size=({N}, 32))).astype("float32")
y = [None] * {N}
for i in range(30):
    y[i] = "ab"[i % 3 % 2]  # two classes to start from
w = TunerWidget(FeedForwardTuner(hidden_dim=16, learning_rate=0.003, random_state=0),
                X, texts=[f"point {{i}}" for i in range({N})], y=y, store="live.db", height=360)
w
"""


def test_picture_moves_while_training_and_key_labels_join(page, lab_server, tmp_path):
    root, canvas = open_widget(page, lab_server.root, "live.ipynb", [SETUP, "w.start()"])

    run_cell(page, 1)
    wait_for_idle(page)  # the kernel is idle; training runs in its thread
    root.locator(".ew-step", has_text="training").wait_for()
    page.mouse.move(0, 0)
    before = screenshot(canvas, tmp_path / "before.png")
    page.wait_for_function(
        "(n) => Number(document.querySelector('.ew-root').dataset.frames) > n",
        arg=int(root.get_attribute("data-frames")) + 2,
    )
    after = screenshot(canvas, tmp_path / "after.png")
    assert differing_share(before, after) > 0.001, "the picture did not move while training"
    assert "loss" in root.locator(".ew-step").text_content()

    # Select ten unlabelled points from Python; label them with key 2 ("b") in the page.
    kernel_stdout(page, "w.selection = list(range(5000, 5010))")
    root.locator(".ew-status", has_text="10 selected").wait_for()
    root.focus()
    page.keyboard.press("2")
    # The browser's own label counts (what colours the points) include them...
    root.locator(".ew-label-button", has_text="2: b 20").wait_for()
    # ...the kernel has them, and training goes on with them.
    labels = kernel_stdout(
        page, "f = w.labels_frame(); print(f[f['index'] >= 5000]['label'].tolist())"
    )
    assert labels.strip() == str(["b"] * 10)
    step = int(kernel_stdout(page, "print(w.step)"))
    page.wait_for_function(
        "(n) => Number(document.querySelector('.ew-root').dataset.frames) > n",
        arg=int(root.get_attribute("data-frames")) + 1,
    )
    assert int(kernel_stdout(page, "print(w.step)")) > step
    codes = kernel_stdout(page, "print(sorted(set(np.frombuffer(w._codes, 'u1')[5000:5010])))")
    assert codes.strip() == "[np.uint8(2)]"

    assert kernel_stdout(page, "w.stop(); print(w.running, w.error == '')").strip() == "False True"
    root.locator(".ew-step", has_text="stopped").wait_for()
    assert not [line for line in page.console_lines if line.startswith("[pageerror]")]
