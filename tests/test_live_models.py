"""Every finetuner of the package trains live: each tuner in a TunerWidget and each
learner in a LearnerWidget moves the picture, takes labels or pairs made between steps,
resets and closes; and the starting picture can be drawn beside the live one."""

import numpy as np
import pytest

from embedwidget import LearnerWidget, TunerWidget
from embedwidget.finetune import (
    ContrastiveLearner,
    ContrastiveTuner,
    FeedForwardTuner,
    SbertLearner,
    SbertTuner,
)
from embedwidget.widgets.serializers import positions_to_bytes

TEXTS = [
    "tasty and fresh", "delicious, will buy again", "lovely flavour", "so good with tea",
    "great snack for kids", "my favourite cookies", "stale and bland", "arrived broken",
    "tastes like cardboard", "would not buy again", "the box was crushed", "too salty to eat",
]  # fmt: skip
GOOD, BAD = list(range(6)), list(range(6, 12))


def recording(cls):
    """A subclass of a real model that notes the size of every partial_fit batch."""
    return type(f"Recording{cls.__name__}", (cls,), {"calls": [], "partial_fit": _record})


def _record(self, *args, **kwargs):
    if "classes" not in kwargs:  # the twins that calibrate a model are given its classes
        type(self).calls.append(len(args[-1] if len(args) > 1 else args[0]))
    return super(type(self), self).partial_fit(*args, **kwargs)


@pytest.fixture(scope="module")
def encoded():
    from embedwidget.text import SentenceEncoder

    return SentenceEncoder().transform(TEXTS)


def first_labels():
    y = [None] * len(TEXTS)
    y[0], y[1], y[6], y[7] = "good", "good", "bad", "bad"
    return y


def check_tuner_live(widget):
    start = widget.positions.copy()
    widget.fit(2)
    assert widget.step == 2 and not np.allclose(widget.positions, start, atol=1e-4)
    widget.label([2], "good")  # labels made between steps...
    widget.label([8], "bad")
    widget.fit(1)
    assert type(widget.model).calls[-1] == 6  # ...are in the next partial_fit
    widget.start()
    loop_thread = widget.session.loop._thread
    widget.close()
    assert not loop_thread.is_alive()


@pytest.mark.parametrize(
    "make",
    [
        lambda: recording(FeedForwardTuner)(hidden_dim=4, random_state=0),
        lambda: recording(ContrastiveTuner)(hidden_dim=6, random_state=0),
    ],
    ids=["FeedForwardTuner", "ContrastiveTuner"],
)
def test_array_tuners_train_live(encoded, make):
    w = TunerWidget(make(), encoded, texts=TEXTS, y=first_labels())
    w.fit(1)
    w.reset()
    assert w.step == 0 and not hasattr(w.model, "classes_")
    check_tuner_live(w)


@pytest.mark.slow
def test_sbert_tuner_trains_live_on_the_texts(encoded, monkeypatch):
    from embedwidget.session import frames as training

    tuner = recording(SbertTuner)(n_pos=1, n_neg=1, batch_size=4, random_state=0)
    w = TunerWidget(tuner, encoded, texts=TEXTS, y=first_labels(), frame_chunk=5)
    assert w.session.takes_texts and not w.can_predict
    monkeypatch.setattr(training, "PREVIEW_SECONDS", 0.0)  # a preview after every chunk
    drawn = []
    w.observe(lambda change: drawn.append(w.positions.copy()), "_positions")
    statuses = []
    w.observe(lambda change: statuses.append(change.new), "status")
    w.fit(1)
    assert len(drawn) == 3  # previews after 5 and 10 of the 12 texts, then the frame
    # a sentence model's step is long: it says how far it is, batch by batch
    batches = [s for s in statuses if s.startswith("step 1: batch")]
    assert batches and batches[-1].endswith(f"of {batches[-1].split()[-1]}")
    assert len(batches) >= 2 and batches[0] != batches[-1]
    assert not np.allclose(drawn[0], drawn[-1])
    w.reset()
    check_tuner_live(w)
    # the picture is the finetuned model's encoding of the texts, not the given X
    assert w.session.embedding.shape == encoded.shape
    assert not np.allclose(w.session.embedding, encoded, atol=1e-3)
    assert w.status == ""  # the encoding progress is cleared once the frame is drawn


def check_learner_live(widget):
    start = widget.positions.copy()
    widget.add_pairs([0, 6], [1, 7], similar=True)
    widget.fit(2)
    assert widget.step == 2 and not np.allclose(widget.positions, start, atol=1e-4)
    widget.add_pairs([2], [8], similar=False)  # a pair made between steps...
    widget.fit(1)
    assert type(widget.model).calls[-1] == 3  # ...is in the next partial_fit
    widget.reset()
    assert widget.step == 0 and np.allclose(widget.positions, start, atol=1e-6)
    widget.start()
    loop_thread = widget.session.loop._thread
    widget.close()
    assert not loop_thread.is_alive()


def test_contrastive_learner_trains_live(encoded):
    learner = recording(ContrastiveLearner)(shape_out=8, random_state=0)
    check_learner_live(LearnerWidget(learner, encoded, texts=TEXTS))


@pytest.mark.slow
def test_sbert_learner_trains_live_on_the_texts(encoded):
    from sentence_transformers import SentenceTransformer

    from embedwidget.text import resolve_model_path

    model = SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"), device="cpu")
    learner = recording(SbertLearner)(model, batch_size=2, warmup_steps=0)
    check_learner_live(LearnerWidget(learner, encoded, texts=TEXTS))


@pytest.mark.slow
def test_resetting_an_sbert_learner_puts_its_model_back_as_it_started(encoded):
    from sentence_transformers import SentenceTransformer

    from embedwidget.text import resolve_model_path

    model = SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"), device="cpu")
    before = model.encode(TEXTS[:4])
    widget = LearnerWidget(SbertLearner(model, batch_size=2, warmup_steps=0), encoded, texts=TEXTS)
    widget.add_pairs([0, 6], [1, 7], similar=True)
    widget.fit(1)
    assert not np.allclose(model.encode(TEXTS[:4]), before, atol=1e-4)  # finetuned in place
    widget.reset()
    assert widget.model.sent_tfm is model  # the user's model, not a copy
    np.testing.assert_allclose(model.encode(TEXTS[:4]), before, atol=1e-5)
    widget.close()


def test_a_texts_tuner_without_texts_is_refused(encoded):
    with pytest.raises(ValueError, match="pass texts="):
        TunerWidget(SbertTuner(), encoded, y=first_labels())


class Widening(FeedForwardTuner):
    """A tuner whose output grows by a column each step: not something to draw."""

    def transform(self, X):
        out = super().transform(X)
        return np.hstack([out, np.zeros((len(out), self.n_iter_), np.float32)])


def test_an_output_width_that_changes_between_steps_is_a_clear_error(encoded):
    w = TunerWidget(Widening(hidden_dim=4, random_state=0), encoded, y=first_labels())
    w.fit(1)
    with pytest.raises(ValueError, match="columns, after 5 in the frame before"):
        w.fit(1)


def test_a_preview_places_texts_not_yet_encoded_by_a_map_fitted_on_those_that_are():
    from embedwidget.session.frames import preview as _preview

    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 16)).astype(np.float32)
    # finetuning moves an embedding smoothly: mostly a linear change, partly not
    tuned = X @ rng.normal(size=(16, 8)) + np.tanh(X @ rng.normal(size=(16, 8)))
    tuned = tuned.astype(np.float32)
    done = rng.permutation(2000)[:200]
    estimate = _preview(X, tuned, done)
    assert np.array_equal(estimate[done], tuned[done])
    rest = np.setdiff1d(np.arange(2000), done)
    error = np.linalg.norm(estimate[rest] - tuned[rest]) / np.linalg.norm(tuned[rest])
    off = np.linalg.norm(tuned[rest] - tuned[done].mean(axis=0)) / np.linalg.norm(tuned[rest])
    assert error < 0.3 and error < off / 3  # far nearer than a guess of the mean


def test_compare_keeps_the_starting_picture_beside_the_live_one(encoded):
    w = TunerWidget(FeedForwardTuner(hidden_dim=4, random_state=0), encoded, y=first_labels(),
                    compare=True)  # fmt: skip
    start = w.positions.copy()
    assert w.compare and w._start_positions == w._positions
    w.fit(3)
    assert w._start_positions == positions_to_bytes(start)  # the left side stays
    assert not np.allclose(w.positions, start, atol=1e-4)  # the right side moved
    learner = LearnerWidget(ContrastiveLearner(shape_out=4), encoded, compare=True)
    assert learner.compare and len(learner._start_bounds) == 4


def test_compare_with_an_x_that_is_already_2d_is_refused(encoded):
    with pytest.raises(ValueError, match="already 2-D"):
        TunerWidget(FeedForwardTuner(), encoded[:, :2], y=first_labels(), compare=True)
