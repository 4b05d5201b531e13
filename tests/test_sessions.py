"""The sessions behind the widgets, driven as a script would: no widget, no comm."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from embedwidget.finetune import ContrastiveLearner, FeedForwardTuner
from embedwidget.session import AnnotationSession, LearnerSession, TunerSession

N = 90


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3, 12) * 6, N // 3, axis=0)
    return (centres + rng.normal(size=(N, 12))).astype(np.float32)


TEXTS = [f"a {word} review, number {i}" for i in range(N) for word in ["cat"]]
TEXTS[7] = "the category of this one is odd"
TEXTS[8] = "A CAT, and another cat"


def test_an_annotation_session_labels_undoes_selects_and_exports(X):
    told = []
    session = AnnotationSession(X, texts=TEXTS)
    session.subscribe(lambda what, detail: told.append((what, detail)))
    first = session.label([1, 2], "good")
    session.label([3], "bad")
    session.add_pairs([4], [5], similar=False)
    assert [w for w, _ in told] == ["labels"] * 3
    assert session.labels_frame()["label"].tolist() == ["good", "good", "bad"]
    assert session.pairs_frame()[["index_a", "index_b", "similar"]].values.tolist() == [[4, 5, 0.0]]
    assert session.undo()["kind"] == "pairs"
    assert session.undo()["indices"].tolist() == [3]
    undone = session.undo()
    assert undone["id"] == first and undone["mine"]
    assert session.undo() is None and session.current_labels()[1] is None
    session.select([6, 7])
    assert told[-1] == ("selection", None)
    assert session.selection_frame()["text"].tolist() == [TEXTS[6], TEXTS[7]]


def test_find_matches_whole_words_ignoring_case(X):
    session = AnnotationSession(X, texts=TEXTS)
    found = session.find("cat")
    assert 7 not in found and 8 in found and len(found) == N - 1
    assert session.find("category odd").tolist() == [7]
    with pytest.raises(ValueError, match="words"):
        session.find("  ")
    with pytest.raises(ValueError, match="no texts"):
        AnnotationSession(X).find("cat")


def few_labels():
    y = [None] * N
    for i in range(0, N, 9):
        y[i] = ["a", "b", "c"][i * 3 // N]
    return y


def test_a_tuner_session_trains_draws_and_suggests_without_a_widget(X):
    session = TunerSession(FeedForwardTuner(hidden_dim=6, random_state=0), X, labels=few_labels())
    frames = []
    session.subscribe(lambda what, _: frames.append(what) if what == "positions" else None)
    start = session.positions.copy()
    session.fit(5)
    assert session.steps == 5 and frames  # at least the frame after the last step
    assert not np.allclose(session.positions, start)
    assert session.embedding.shape == (N, 6)
    picked = session.select_doubtful(4)
    assert len(picked) == 4 and np.array_equal(session.selection, picked)
    accepted = session.accept_suggestions()
    assert session.labels_frame()["index"].isin(accepted["index"]).sum() == 4
    session.undo()  # takes the accepted suggestions back as one action
    assert not session.labels_frame()["index"].isin(accepted["index"]).any()
    session.close()


def test_a_learner_session_trains_on_pairs_from_the_store(X):
    session = LearnerSession(ContrastiveLearner(shape_out=4, random_state=0), X)
    assert session.fit(3) is None and session.steps == 0
    assert "pairs" in session.status
    session.add_pairs([0, 1], [2, 3])
    session.fit(3)
    assert session.steps == 3


class Mirror(TransformerMixin, BaseEstimator):
    """A "tuner" that learns nothing and mirrors its input: the same picture as X."""

    def partial_fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return -np.asarray(X)[:, ::-1]


def test_the_first_live_frame_lines_up_with_the_starting_picture(X):
    session = TunerSession(Mirror(), X, labels=few_labels())
    start = session.positions.copy()
    session.fit(1)
    np.testing.assert_allclose(session.positions, start, atol=1e-4)


def test_invert_selection_selects_everything_else(X):
    session = AnnotationSession(X)
    session.select([0, 5])
    inverted = session.invert_selection()
    assert len(inverted) == N - 2 and 0 not in inverted and 5 not in inverted
    assert session.invert_selection().tolist() == [0, 5]


def test_a_training_widgets_labels_are_called_y_in_its_errors(X):
    from embedwidget import LearnerWidget, TunerWidget

    with pytest.raises(ValueError, match="^y has 3 entries"):
        TunerWidget(FeedForwardTuner(), X, y=["a", "b", None])
    with pytest.raises(TypeError, match="y="):
        TunerWidget(FeedForwardTuner(), X, labels=few_labels())
    tuner = TunerWidget(FeedForwardTuner(), X, y=few_labels())
    learner = LearnerWidget(ContrastiveLearner(), X)
    assert not tuner.can_pair and learner.can_pair  # pair buttons only where pairs train
    tuner.close()
    learner.close()
