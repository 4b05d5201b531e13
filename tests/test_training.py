"""TunerWidget and LearnerWidget: the training loop, labels made while it runs, stop,
start and reset, errors that surface, and doubt."""

import threading
import time

import numpy as np
import pytest
from sklearn.decomposition import IncrementalPCA

from embedwidget import LearnerWidget, TunerWidget
from embedwidget.finetune import ContrastiveLearner, FeedForwardTuner, pairs_from_labels
from embedwidget.widgets.serializers import indices_to_bytes

N = 300


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3, 16) * 3, N // 3, axis=0)
    return (centres + rng.normal(size=(N, 16))).astype(np.float32)


def few_labels():
    y = [None] * N
    for k, name in enumerate(["a", "b", "c"]):
        for i in range(k * 100, k * 100 + 5):
            y[i] = name
    return y


class RecordingTuner(FeedForwardTuner):
    """A real FeedForwardTuner that notes what each partial_fit was given: the live
    model's calls, not those of the twins that calibrate it (given ``classes``)."""

    calls = []

    def partial_fit(self, X, y, classes=None):
        if classes is None:
            RecordingTuner.calls.append((len(X), list(y)))
        return super().partial_fit(X, y, classes)


class FailingTuner(FeedForwardTuner):
    """Fails on its third step, like a tuner meeting bad data mid-training."""

    def partial_fit(self, X, y, classes=None):
        if getattr(self, "n_iter_", 0) >= 2:
            raise RuntimeError("the GPU caught fire")
        return super().partial_fit(X, y, classes)


@pytest.fixture(autouse=True)
def fresh_calls():
    RecordingTuner.calls = []


def tuner(cls=FeedForwardTuner, **params):
    return cls(hidden_dim=8, batch_size=16, random_state=0, **params)


def test_each_step_is_one_partial_fit_on_every_label(X):
    w = TunerWidget(tuner(RecordingTuner), X, y=few_labels())
    w.label([7, 8], "b")
    w.fit(steps=4)
    assert w.step == 4 and len(RecordingTuner.calls) == 4
    assert RecordingTuner.calls[-1][0] == 17
    assert len(w.losses) == 4 and all(np.isfinite(w.losses))
    assert w.positions.shape == (N, 2) and np.isfinite(w.positions).all()


def test_the_picture_is_the_tuners_embedding(X):
    w = TunerWidget(tuner(), X, y=few_labels())
    raw = w.positions.copy()
    w.fit(steps=3)
    assert not np.allclose(w.positions, raw)
    hidden = w.tuner.transform(X)
    centred = hidden - hidden.mean(axis=0)
    # the picture is a rotation of the hidden layer's top two principal axes
    spread = np.linalg.svd(centred, compute_uv=False)[:2] ** 2 / N
    np.testing.assert_allclose(np.sort(w.positions.var(axis=0)), np.sort(spread), rtol=0.05)


def test_nothing_to_train_on_yet_is_said_not_raised(X):
    w = TunerWidget(tuner(), X, y=["a"] + [None] * (N - 1))
    w.fit(steps=3)
    assert w.step == 0
    assert "two classes" in w.status


def test_labels_made_while_training_all_reach_partial_fit_and_the_store(X):
    w = TunerWidget(tuner(RecordingTuner), X, y=few_labels(), max_fps=50)
    w.start()
    made = []

    def label_in_bursts(offset):
        for i in range(offset, offset + 40, 2):
            w.label([i], "a" if i < 100 else "b")
            made.append(i)
            time.sleep(0.002)

    threads = [threading.Thread(target=label_in_bursts, args=(o,)) for o in (20, 120, 21, 121)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    steps_when_done = w.step
    deadline = time.monotonic() + 30
    while w.step < steps_when_done + 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    w.stop()
    assert w.running is False
    assert len(made) == 80
    assert len(w.store.current_labels()[0]) == 80
    # a step that began after the last label saw every one of them: 15 given + 80 made
    assert RecordingTuner.calls[-1][0] == 95


def test_stop_start_and_reset(X):
    w = TunerWidget(tuner(), X, y=few_labels())
    raw = w.positions.copy()
    w.start()
    deadline = time.monotonic() + 30
    while w.step < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    w.stop()
    stopped_at = w.step
    assert stopped_at >= 3 and not w.running
    time.sleep(0.1)
    assert w.step == stopped_at  # stopped means stopped
    w.start()
    while w.step <= stopped_at and time.monotonic() < deadline:
        time.sleep(0.01)
    w.stop()
    assert w.step > stopped_at  # continues, does not start over
    w.reset()
    assert w.step == 0 and w.losses == []
    assert not hasattr(w.tuner, "classes_")
    np.testing.assert_allclose(w.positions, raw, atol=1e-5)
    with pytest.raises(RuntimeError, match="stop"):
        w.start()
        w.fit(steps=1)
    w.stop()


def test_background_steps_are_paced_and_fit_is_not(X):
    w = TunerWidget(tuner(), X, y=few_labels(), max_steps_per_second=10)
    w.start()
    time.sleep(1.0)
    w.stop()
    assert 1 <= w.step <= 13  # a step takes milliseconds here: the pace is what limits
    began = time.monotonic()
    w.fit(steps=30)
    assert time.monotonic() - began < 2.5
    with pytest.raises(ValueError, match="max_steps_per_second"):
        TunerWidget(tuner(), X, max_steps_per_second=0)


def test_closing_the_widget_stops_training(X):
    w = TunerWidget(tuner(), X, y=few_labels())
    w.start()
    thread = w.session.loop._thread
    w.close()
    assert not thread.is_alive()


def test_an_error_in_the_training_thread_stops_training_and_is_raised(X):
    w = TunerWidget(tuner(FailingTuner), X, y=few_labels())
    w.start()
    deadline = time.monotonic() + 30
    while w.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not w.running
    assert "the GPU caught fire" in w.error
    with pytest.raises(RuntimeError, match="caught fire"):
        w.stop()
    w.stop()  # raised once, then cleared


def test_an_error_in_fit_is_raised_there(X):
    w = TunerWidget(tuner(FailingTuner), X, y=few_labels())
    with pytest.raises(RuntimeError, match="caught fire"):
        w.fit(steps=5)


def test_a_new_label_made_by_hand_starts_the_model_over_with_every_class(X, monkeypatch):
    sent = []
    monkeypatch.setattr(TunerWidget, "send", lambda self, msg, buffers=None: sent.append(msg))
    w = TunerWidget(tuner(), X, y=few_labels())
    w.fit(steps=2)
    w.label([250, 251], "d")
    w.fit(steps=1)
    assert list(w.tuner.classes_) == ["a", "b", "c", "d"]
    assert any("starts over" in m["message"] for m in sent)


def test_doubt_colours_and_selecting_the_most_doubtful(X):
    w = TunerWidget(tuner(), X, y=few_labels())
    with pytest.raises(ValueError, match="Train first"):
        w.select_doubtful(5)
    w.fit(steps=5)
    w.color_by = "doubt"
    doubt = np.frombuffer(w._doubt, dtype=np.uint8)
    assert len(doubt) == N
    chosen = w.select_doubtful(12)
    assert w.selection == chosen.tolist() and len(chosen) == 12
    labelled = {i for i, label in enumerate(w.current_labels()) if label is not None}
    assert not labelled & set(chosen.tolist())
    unlabelled = np.array(sorted(set(range(N)) - labelled))
    # picked among the 10 x 12 most doubtful, spread out (embedwidget.widgets.doubt)
    assert doubt[chosen].min() >= np.sort(doubt[unlabelled])[-120] - 1


def test_toolbar_messages_drive_the_loop(X):
    w = TunerWidget(tuner(), X, y=few_labels())
    send = lambda content: w._handle_msg(  # noqa: E731
        {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    )
    send({"action": "start"})
    deadline = time.monotonic() + 30
    while w.step < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    send({"action": "stop"})
    assert not w.running and w.step >= 2
    send({"action": "doubtful", "n": 7})
    assert len(w.selection) == 7
    send({"action": "reset"})
    assert w.step == 0


def test_any_sklearn_transformer_with_partial_fit_works(X):
    w = TunerWidget(IncrementalPCA(n_components=3), X, y=few_labels())
    w.fit(steps=2)
    assert w.step == 2 and not w.can_predict


@pytest.mark.parametrize(
    "bad, message",
    [(object(), "partial_fit and transform"), (FeedForwardTuner, "an instance")],
)
def test_things_that_cannot_train_are_refused(X, bad, message):
    with pytest.raises(TypeError, match=message):
        TunerWidget(bad, X)
    with pytest.raises(TypeError, match=message):
        LearnerWidget(bad, X)


def test_lengths_must_match(X):
    with pytest.raises(ValueError, match="y has 3 entries"):
        TunerWidget(tuner(), X, y=["a", "b", "c"])
    with pytest.raises(ValueError, match="texts has 2 entries"):
        TunerWidget(tuner(), X, texts=["a", "b"])


# -- LearnerWidget --------------------------------------------------------------------------


def test_learner_widget_trains_on_given_pairs_and_pairs_made_by_hand(X):
    y = np.repeat([0, 1, 2], 100)
    given = pairs_from_labels(y[::10], n_pos=1, n_neg=1, random_state=0)
    rows = np.arange(0, N, 10)
    pairs = (rows[given.first], rows[given.second], given.similar)
    learner = ContrastiveLearner(shape_out=6, batch_size=32, learning_rate=0.01, random_state=0)
    w = LearnerWidget(learner, X, pairs=pairs)
    w._handle_msg(
        {
            "content": {
                "data": {"method": "custom", "content": {"action": "pairs", "similar": True}}
            },
            "buffers": [indices_to_bytes([1, 2]), indices_to_bytes([3, 4])],
        }
    )
    w.fit(steps=3)
    assert w.step == 3 and len(w.learner.loss_curve_) == 3
    assert w.positions.shape == (N, 2) and np.isfinite(w.positions).all()


def test_learner_widget_waits_for_pairs(X):
    w = LearnerWidget(ContrastiveLearner(shape_out=4), X)
    w.fit(steps=2)
    assert w.step == 0 and "pairs" in w.status


@pytest.mark.parametrize(
    "pairs, message",
    [
        (([0, 1], [2], [1, 0]), "one length"),
        (([0, N], [1, 2], [1, 0]), "indices"),
        (([0, 1], [2, 3], [1, 2]), r"\[0, 1\]"),
        (5, "pairs must be"),
    ],
)
def test_bad_pairs(X, pairs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        LearnerWidget(ContrastiveLearner(), X, pairs=pairs)


def test_sbert_learner_needs_texts(X):
    from embedwidget.finetune import SbertLearner

    with pytest.raises(ValueError, match="texts"):
        LearnerWidget(SbertLearner(sent_tfm=None), X)


@pytest.mark.slow
def test_learner_widget_finetunes_an_sbert_model_on_its_texts():
    from sentence_transformers import SentenceTransformer

    from embedwidget.finetune import SbertLearner
    from embedwidget.text import resolve_model_path

    texts = ["tasty and fresh", "delicious, will buy again", "stale and bland", "arrived broken"]
    model = SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"), device="cpu")
    X = model.encode(texts)
    learner = SbertLearner(model, batch_size=2, warmup_steps=0)  # bars on: quiet in steps
    w = LearnerWidget(learner, X, texts=texts, pairs=([0, 2], [1, 3], [1.0, 0.0]))
    w.add_pairs([0], [2], similar=False)
    w.fit(steps=2)
    assert w.step == 2 and learner.show_progress_bar is True
    assert w.positions.shape == (4, 2) and np.isfinite(w.positions).all()
    # the picture now comes from the finetuned model's encoding of the texts
    assert not np.allclose(model.encode(texts), X, atol=1e-4)
