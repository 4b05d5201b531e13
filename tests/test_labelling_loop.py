"""The labeller's loop on the Python side: find by meaning, more like this, the model's
suggestions and accepting them, and the messages the browser sends for each."""

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from embedwidget import EmbeddingScatter, LearnerWidget, TunerWidget
from embedwidget.finetune import ContrastiveLearner, FeedForwardTuner
from embedwidget.session.labels import Labels
from embedwidget.session.neighbours import CosineIndex
from embedwidget.widgets.serializers import indices_to_bytes

FRUIT = ["apple pie", "ripe banana", "apple juice", "banana bread", "green apple"]
CARS = ["red car engine", "car tyres", "fast car", "car engine oil", "old car"]
TEXTS = FRUIT + CARS + [f"note {i}" for i in range(40)]


@pytest.fixture
def encoder():
    return TfidfVectorizer().fit(TEXTS)


@pytest.fixture
def X(encoder):
    return encoder.transform(TEXTS).toarray().astype(np.float32)


def collect(widget, monkeypatch):
    sent = []
    monkeypatch.setattr(type(widget), "send", lambda self, msg, buffers=None: sent.append(msg))
    return sent


def request(widget, content, *buffers):
    """A custom message as the JS model.send(content, undefined, buffers) sends it."""
    data = {"method": "custom", "content": content}
    widget._handle_msg({"content": {"data": data}, "buffers": list(buffers)})


def test_select_similar_selects_the_nearest_texts_by_meaning(X, encoder):
    w = EmbeddingScatter(X, texts=TEXTS, encoder=encoder)
    chosen = w.select_similar("apple", k=3)
    assert {TEXTS[i] for i in chosen} == {"apple pie", "apple juice", "green apple"}
    assert w.selection == chosen.tolist()
    assert w.can_search_similar


def test_select_similar_agrees_with_a_brute_force_cosine(X, encoder):
    w = EmbeddingScatter(X, texts=TEXTS, encoder=encoder)
    q = encoder.transform(["car engine"]).toarray()[0]
    cos = X @ q / np.maximum(np.linalg.norm(X, axis=1), 1e-12) / np.linalg.norm(q)
    chosen = w.select_similar("car engine", k=4)
    np.testing.assert_allclose(cos[chosen], np.sort(cos)[::-1][:4], rtol=1e-5)  # ties: any order
    assert chosen[0] == TEXTS.index("car engine oil") or chosen[0] == TEXTS.index("red car engine")


def test_select_similar_clamps_k_to_the_number_of_points(X, encoder):
    w = EmbeddingScatter(X, encoder=encoder)
    assert sorted(w.select_similar("car", k=10_000).tolist()) == list(range(len(X)))


@pytest.mark.parametrize(
    ("query", "k", "error", "words"),
    [
        ("", 5, ValueError, "empty"),
        ("   ", 5, ValueError, "empty"),
        (3, 5, TypeError, "str"),
        ("car", 0, ValueError, "positive"),
        ("car", -2, ValueError, "positive"),
        ("car", 2.5, TypeError, "positive int"),
        ("car", True, TypeError, "positive int"),
    ],
)
def test_select_similar_refuses_bad_input_and_keeps_the_selection(
    X, encoder, query, k, error, words
):
    w = EmbeddingScatter(X, encoder=encoder)
    w.selection = [1, 2]
    with pytest.raises(error, match=words):
        w.select_similar(query, k=k)
    assert w.selection == [1, 2]


def test_select_similar_without_an_encoder_says_to_pass_one(X):
    w = EmbeddingScatter(X)
    assert not w.can_search_similar
    with pytest.raises(ValueError, match="encoder="):
        w.select_similar("apple")


def test_an_encoder_of_another_width_is_refused(X):
    other = TfidfVectorizer().fit(["apple banana cherry", "plum"])
    w = EmbeddingScatter(X, encoder=other)
    with pytest.raises(ValueError, match=f"X has {X.shape[1]} columns"):
        w.select_similar("apple")


@pytest.mark.parametrize("bad", [TfidfVectorizer, object(), "all-MiniLM-L6-v2"])
def test_something_that_cannot_encode_is_refused(X, bad):
    with pytest.raises(TypeError, match="encoder"):
        EmbeddingScatter(X, encoder=bad)


def test_select_neighbours_adds_the_nearest_points_to_the_selection(X):
    w = EmbeddingScatter(X, texts=TEXTS)
    w.selection = [0, 2]  # apple pie, apple juice
    added = w.select_neighbours(k=1)
    assert [TEXTS[i] for i in added] == ["green apple"]
    assert w.selection == [0, 2, int(added[0])]
    more = w.select_neighbours(indices=[5], k=3)  # red car engine
    assert {TEXTS[i] for i in more} <= set(CARS) and 0 not in more and 2 not in more


def test_select_neighbours_never_adds_a_point_twice_and_clamps_k(X):
    w = EmbeddingScatter(X)
    w.selection = [0]
    added = w.select_neighbours(k=10_000)
    assert len(added) == len(X) - 1 and len(set(w.selection)) == len(X)
    assert len(w.select_neighbours(k=5)) == 0


def test_select_neighbours_refuses_bad_input(X):
    w = EmbeddingScatter(X)
    with pytest.raises(ValueError, match="Select some points"):
        w.select_neighbours()
    with pytest.raises(ValueError, match="outside"):
        w.select_neighbours([len(X)])
    with pytest.raises(TypeError, match="positive int"):
        w.select_neighbours([0], k="5")
    assert w.selection == []


def test_cosine_index_at_many_points_matches_a_sort():
    rng = np.random.default_rng(1)
    points = rng.normal(size=(5_000, 8)).astype(np.float32)
    index = CosineIndex(points)
    q = rng.normal(size=8).astype(np.float32)
    cos = points @ q / np.linalg.norm(points, axis=1)
    assert index.nearest(q, 25).tolist() == np.argsort(-cos)[:25].tolist()


def test_browser_similar_and_neighbours_requests(X, encoder, monkeypatch):
    w = EmbeddingScatter(X, texts=TEXTS, encoder=encoder)
    sent = collect(w, monkeypatch)
    request(w, {"action": "similar", "query": "banana", "k": 2})
    assert {TEXTS[i] for i in w.selection} == {"ripe banana", "banana bread"}
    request(w, {"action": "neighbours", "k": 3}, indices_to_bytes(w.selection))
    assert len(w.selection) == 5
    request(w, {"action": "similar", "query": " ", "k": 2})
    assert [m["type"] for m in sent] == ["info", "info", "error"]
    assert "empty" in sent[-1]["message"] and len(w.selection) == 5


# -- suggestions, in a training widget ----------------------------------------------------------


@pytest.fixture
def clusters():
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3, 12) * 5, 40, axis=0)
    X = (centres + rng.normal(size=(120, 12))).astype(np.float32)
    truth = np.repeat(["red", "green", "blue"], 40)
    y = [None] * 120
    for k in range(3):
        for i in range(40 * k, 40 * k + 5):
            y[i] = truth[i]
    return X, y, truth


def test_suggestions_give_the_models_label_and_confidence(clusters):
    X, y, truth = clusters
    w = TunerWidget(FeedForwardTuner(hidden_dim=6, random_state=0), X, y=y)
    w.fit(100)
    w.selection = np.r_[5:40, 45:80, 85:120]
    frame = w.suggestions()
    assert frame.columns.tolist() == ["index", "text", "label", "suggestion", "confidence"]
    assert frame["index"].tolist() == w.selection and frame["label"].isna().all()
    assert frame["suggestion"].tolist() == w.model.predict(X[w.selection]).tolist()
    assert (frame["suggestion"] == truth[w.selection]).mean() > 0.9
    expected = w.session.proba(w.selection).max(axis=1)  # calibrated: see test_calibration
    np.testing.assert_allclose(frame["confidence"], expected, rtol=1e-6)


def test_accept_suggestions_is_one_action_that_one_undo_takes_back(clusters):
    X, y, truth = clusters
    w = TunerWidget(FeedForwardTuner(hidden_dim=6, random_state=0), X, y=y)
    w.fit(100)
    chosen = np.r_[10:20, 50:60, 90:100]
    before = w.labels_frame()
    accepted = w.accept_suggestions(chosen)
    after = w.labels_frame().set_index("index")
    assert (after.loc[chosen, "label"] == accepted["suggestion"].to_numpy()).all()
    assert (accepted["suggestion"].to_numpy() == truth[chosen]).mean() > 0.9
    w.undo()
    pd.testing.assert_frame_equal(w.labels_frame(), before)


def test_accepted_labels_keep_the_type_of_int_labels():
    rng = np.random.default_rng(2)
    X = np.r_[rng.normal(size=(30, 4)) + 4, rng.normal(size=(30, 4)) - 4].astype(np.float32)
    y = [None] * 60
    y[:5], y[30:35] = [1] * 5, [2] * 5
    w = TunerWidget(FeedForwardTuner(hidden_dim=3, random_state=0), X, y=y)
    w.fit(20).accept_suggestions([10, 40])
    assert w.labels_frame().set_index("index").loc[[10, 40], "label"].tolist() == [1, 2]


def test_suggestions_refuse_before_training_without_predict_proba_and_without_points(clusters):
    X, y, _ = clusters
    w = TunerWidget(FeedForwardTuner(hidden_dim=6, random_state=0), X, y=y)
    with pytest.raises(ValueError, match="Train first"):
        w.accept_suggestions([1])
    w.fit(2)
    with pytest.raises(ValueError, match="select some points"):
        w.accept_suggestions()
    with pytest.raises(ValueError, match="outside"):
        w.accept_suggestions([1000])
    learner = LearnerWidget(ContrastiveLearner(shape_out=4, random_state=0), X)
    with pytest.raises(TypeError, match="predict_proba"):
        learner.suggestions([1])
    assert w.store.n_actions() == 0 and learner.store.n_actions() == 0


def test_browser_suggest_and_accept_requests(clusters, monkeypatch):
    X, y, truth = clusters
    w = TunerWidget(FeedForwardTuner(hidden_dim=6, random_state=0), X, y=y)
    sent = collect(w, monkeypatch)
    request(w, {"action": "suggest", "id": 1}, indices_to_bytes([10, 50]))
    assert sent[-1] == {
        "type": "suggestions",
        "id": 1,
        "indices": [10, 50],
        "labels": [None, None],
        "confidence": [0.0, 0.0],
    }
    w.fit(100)
    request(w, {"action": "suggest", "id": 2}, indices_to_bytes([10, 50]))
    answer = sent[-1]
    assert answer["id"] == 2 and answer["labels"] == w.model.predict(X[[10, 50]]).tolist()
    assert all(0 < c <= 1 for c in answer["confidence"])
    request(w, {"action": "accept"}, indices_to_bytes([11, 51, 91]))
    labelled = w.labels_frame().set_index("index").loc[[11, 51, 91], "label"]
    assert labelled.tolist() == w.model.predict(X[[11, 51, 91]]).tolist()
    assert "Accepted 3" in sent[-1]["message"]


def test_similar_in_a_training_widget_searches_x_not_the_tuned_embedding(X, encoder):
    y = [None] * len(TEXTS)
    for i in range(5):
        y[i], y[5 + i] = "fruit", "car"
    w = TunerWidget(
        FeedForwardTuner(hidden_dim=4, random_state=0), X, texts=TEXTS, y=y, encoder=encoder
    )
    w.fit(20)
    chosen = w.select_similar("banana", k=3)
    q = encoder.transform(["banana"]).toarray().astype(np.float32)[0]
    cos = X @ q / np.linalg.norm(X, axis=1) / np.linalg.norm(q)
    np.testing.assert_allclose(cos[chosen], np.sort(cos)[::-1][:3], rtol=1e-5)


def test_undoing_an_accept_takes_back_what_the_model_learned_from_it(X):
    y = [None] * len(TEXTS)
    for i in range(5):
        y[i], y[5 + i] = "fruit", "car"
    w = TunerWidget(FeedForwardTuner(hidden_dim=4, random_state=0), X, texts=TEXTS, y=y)
    w.fit(30)
    rows = np.arange(10, 50)  # the notes: neither fruit nor cars
    before = w.suggestions(rows)["confidence"].to_numpy()
    w.accept_suggestions(rows)
    w.fit(300)  # the model learns the accepted labels: surer of them
    assert w.suggestions(rows)["confidence"].mean() > before.mean() + 0.05
    w.undo()  # the model is back as it was before the Accept
    np.testing.assert_allclose(w.suggestions(rows)["confidence"], before, rtol=1e-6)


def test_labels_model_keeps_given_and_made_labels_sparse():
    from embedwidget.store import AnnotationStore

    store = AnnotationStore()
    labels = Labels([None, "b", None, 3, "a"], 5, store)
    assert labels.vocab == [3, "a", "b"] and labels.codes.tolist() == [0, 3, 0, 1, 2]
    store.label_each([0, 1], ["c", 3])
    labels.refresh()
    rows, y = labels.labelled()
    assert rows.tolist() == [0, 1, 3, 4] and y.tolist() == ["c", 3, 3, "a"]
    assert labels.unlabelled().tolist() == [2]
    assert np.isnan(labels.times(np.array([3, 4]))).all()
    assert not np.isnan(labels.times(np.array([0, 1]))).any()


@pytest.mark.slow
def test_select_similar_with_the_sentence_encoder_finds_by_meaning_not_by_words():
    from embedwidget.text import SentenceEncoder

    texts = [
        "the soup was delicious",
        "a tasty meal",
        "great flavour",
        "the car broke down",
        "the engine would not start",
        "a flat tyre on the highway",
    ]
    encoder = SentenceEncoder()
    w = EmbeddingScatter(encoder.transform(texts), texts=texts, encoder=encoder)
    chosen = w.select_similar("yummy food", k=3)
    assert sorted(chosen.tolist()) == [0, 1, 2]  # no word of the query is in them
