"""Two widgets, or two processes, on one labels file: the store is the truth."""

import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from embedwidget import EmbeddingScatter, TunerWidget
from embedwidget.finetune import FeedForwardTuner
from embedwidget.widgets.serializers import codes_from_bytes

N = 120


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(2, 8) * 5, N // 2, axis=0)
    return (centres + rng.normal(size=(N, 8))).astype(np.float32)


class RecordingTuner(FeedForwardTuner):
    """Remembers how many rows each partial_fit trained on."""

    def partial_fit(self, X, y, classes=None):
        self.rows_seen_ = [*getattr(self, "rows_seen_", []), len(X)]
        return super().partial_fit(X, y, classes)


def ten_labels():
    y = [None] * N
    for i in range(5):
        y[i], y[N - 1 - i] = "first", "second"
    return y


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def codes(widget):
    return codes_from_bytes(widget._codes, len(widget.label_names))


def test_a_second_widget_in_this_process_sees_the_labels_at_its_next_step(X, tmp_path):
    path = tmp_path / "labels.db"
    tuner = TunerWidget(RecordingTuner(hidden_dim=4, random_state=0), X, y=ten_labels(), store=path)
    tuner.fit(1)
    assert tuner.model.rows_seen_ == [10]
    scatter = EmbeddingScatter(X, store=path)
    scatter.label(np.arange(10, 60), "first")  # 50 labels made in the other widget
    tuner.fit(1)  # the next step reads them from the store
    assert tuner.model.rows_seen_[-1] == 60
    assert len(tuner.labels_frame()) == 60
    # ... and the picture shows them without a step, within about a second
    assert wait_for(lambda: (codes(tuner) > 0).sum() == 60, seconds=5)
    # each widget's undo takes back its own last action, not the other's
    tuner.label([70], "second")
    scatter.undo()
    assert len(tuner.labels_frame()) == 11 and 70 in tuner.labels_frame()["index"].tolist()
    tuner.close()
    scatter.close()


WRITER = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    from embedwidget import EmbeddingScatter
    X = np.load(sys.argv[1])
    w = EmbeddingScatter(X, store=sys.argv[2])
    w.label(np.arange(10, 60), "first")
    w.add_pairs([1], [2])
    print(time.time(), flush=True)
    """
)


def test_another_process_on_the_same_file_reaches_the_picture_and_the_next_step(X, tmp_path):
    path = tmp_path / "labels.db"
    np.save(tmp_path / "X.npy", X)
    tuner = TunerWidget(RecordingTuner(hidden_dim=4, random_state=0), X, y=ten_labels(), store=path)
    tuner.fit(1)
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(tmp_path / "X.npy"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert wait_for(lambda: (codes(tuner) > 0).sum() == 60 and tuner.n_pairs == 1)
    assert len(tuner.labels_frame()) == 60 and len(tuner.pairs_frame()) == 1
    tuner.fit(1)
    assert tuner.model.rows_seen_[-1] == 60
    assert tuner.undo()["mine"] is False  # none of its own: says it undid another's
    tuner.close()
