import numpy as np
import pytest
from sentence_transformers import SentenceTransformer
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from embedwidget.finetune import SbertLearner, SbertTuner
from embedwidget.text import resolve_model_path

GOOD = ["tasty and fresh", "delicious, will buy again", "lovely flavour", "my dog loves it"]
BAD = ["stale and bland", "arrived broken", "tastes of plastic", "a waste of money"]
TEXTS = GOOD + BAD
LABELS = ["good"] * 4 + ["bad"] * 4


def separation(Z, y):
    Z = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    same = np.asarray(y)[:, None] == np.asarray(y)[None, :]
    sim = Z @ Z.T
    return sim[same].mean() - sim[~same].mean()


@pytest.fixture
def model():
    return SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"), device="cpu")


def test_learner_finetunes_in_place_and_writes_nothing_here(model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = model.encode(TEXTS[:1])
    learner = SbertLearner(model, batch_size=4, epochs=2, warmup_steps=0, learning_rate=1e-4,
                           show_progress_bar=False, random_state=0)  # fmt: skip
    learner.fit(GOOD[:2] + BAD[:2], GOOD[2:] + GOOD[:2], [1, 1, 0, 0])
    assert not np.allclose(model.encode(TEXTS[:1]), before)  # the given model changed
    assert list(tmp_path.iterdir()) == []
    assert len(learner.loss_curve_) == 2
    learner.save(tmp_path / "tuned")
    reloaded = SentenceTransformer(str(tmp_path / "tuned"), device="cpu")
    np.testing.assert_allclose(reloaded.encode(TEXTS[:2]), learner.transform(TEXTS[:2]), atol=1e-5)


def test_learner_partial_fit_keeps_going(model):
    learner = SbertLearner(model, batch_size=4, warmup_steps=0, show_progress_bar=False)
    pairs = (GOOD, BAD, [0, 0, 0, 0])
    learner.partial_fit(*pairs).partial_fit(*pairs)
    assert len(learner.loss_curve_) == 2
    assert learner.predict(GOOD[:1], BAD[:1]).shape == (1,)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((["a", "b"], ["c"], [1, 0]), ValueError, "got 2, 1 and 2"),
        ((["a"], ["b"], [2]), ValueError, r"\[0, 1\]"),
        ((["a"], ["b"], [np.nan]), ValueError, "NaN"),
        (([], [], []), ValueError, "empty"),
        ((["a", 3], ["b", "c"], [1, 0]), TypeError, "item 1 is int"),
    ],
)
def test_learner_bad_input(model, args, error, message):
    with pytest.raises(error, match=message):
        SbertLearner(model, show_progress_bar=False).fit(*args)


def test_tuner_pulls_labelled_texts_apart_in_a_pipeline():
    from embedwidget.text import SentenceEncoder

    raw = SentenceEncoder().transform(TEXTS)
    tuner = SbertTuner(epochs=3, batch_size=8, learning_rate=1e-4, show_progress_bar=False,
                       random_state=0, device="cpu")  # fmt: skip
    tuned = make_pipeline(tuner).fit(TEXTS, LABELS).transform(TEXTS)
    assert tuned.shape == (8, 384)
    assert separation(tuned, LABELS) > separation(raw, LABELS) + 0.05
    # the shared encoder is untouched: only the tuner's private copy was trained
    np.testing.assert_allclose(SentenceEncoder().transform(TEXTS), raw, atol=1e-5)
    assert clone(tuner).get_params()["epochs"] == 3


def test_tuner_bad_input():
    with pytest.raises(ValueError, match="only one class"):
        SbertTuner(show_progress_bar=False).fit(TEXTS, ["x"] * 8)
    with pytest.raises(ValueError, match="one label per text"):
        SbertTuner(show_progress_bar=False).fit(TEXTS, LABELS[:3])
    with pytest.raises(TypeError, match="item 0 is float"):
        SbertTuner(show_progress_bar=False).fit([1.5, "b"], [0, 1])
    with pytest.raises(ValueError, match="'max_seq_length' parameter"):
        SbertTuner(max_seq_length=0).fit(TEXTS, LABELS)


def test_learner_cosent_loss(model):
    learner = SbertLearner(model, batch_size=4, warmup_steps=0, loss="cosent",
                           show_progress_bar=False, random_state=0)  # fmt: skip
    learner.fit(GOOD[:2] + BAD[:2], GOOD[2:] + GOOD[:2], [1, 1, 0, 0])
    assert len(learner.loss_curve_) == 1 and np.isfinite(learner.loss_curve_).all()


def test_learner_clone_shares_the_model_and_nothing_fitted(model, monkeypatch):
    def refuse(self, memo):
        raise AssertionError("the sentence model was deep-copied")

    monkeypatch.setattr(SentenceTransformer, "__deepcopy__", refuse, raising=False)
    learner = SbertLearner(model, batch_size=4, warmup_steps=0, show_progress_bar=False,
                           random_state=0)  # fmt: skip
    learner.partial_fit(GOOD, BAD, [0, 0, 0, 0])
    twin = clone(learner)
    assert twin.sent_tfm is model  # the model is the parameter: shared, never copied
    assert twin.get_params() == learner.get_params()
    assert not hasattr(twin, "loss_curve_") and not hasattr(twin, "_optimizers")
    twin.fit(GOOD[:2], BAD[:2], [0, 0])
    assert len(twin.loss_curve_) == 1 and len(learner.loss_curve_) == 1  # nothing shared
    assert "SbertLearner(" in repr(twin)


def test_learner_fit_starts_its_loss_curve_over(model):
    learner = SbertLearner(model, batch_size=4, warmup_steps=0, show_progress_bar=False)
    learner.partial_fit(GOOD, BAD, [0, 0, 0, 0]).partial_fit(GOOD, BAD, [0, 0, 0, 0])
    assert len(learner.loss_curve_) == 2
    assert len(learner.fit(GOOD, BAD, [0, 0, 0, 0]).loss_curve_) == 1


@pytest.mark.parametrize(
    ("params", "name"),
    [(dict(sent_tfm=None), "sent_tfm"), (dict(loss="triplet"), "loss"),
     (dict(warmup_steps=-1), "warmup_steps"), (dict(random_state=-1), "random_state")],
)  # fmt: skip
def test_learner_bad_parameters_name_the_parameter(model, params, name):
    learner = SbertLearner(model, show_progress_bar=False).set_params(**params)
    with pytest.raises(ValueError, match=f"'{name}' parameter"):
        learner.fit(GOOD[:1], BAD[:1], [0])


@pytest.mark.parametrize("module", ["datasets", "pyarrow", "accelerate"])
def test_fitting_without_the_trainer_says_which_extra_to_install(model, monkeypatch, module):
    import sys

    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    extra = r"pip install 'embedwidget\[sbert\]'"
    with pytest.raises(ImportError, match=extra):
        SbertLearner(model, show_progress_bar=False).fit(GOOD[:1], BAD[:1], [0])
    with pytest.raises(ImportError, match=f"needs {module}.*{extra}"):
        SbertTuner(show_progress_bar=False).fit(TEXTS, LABELS)
