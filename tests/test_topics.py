"""Signposts: the regions of the picture named by the words of their texts."""

import numpy as np
import pytest

from embedwidget import EmbeddingScatter, TunerWidget
from embedwidget.finetune import FeedForwardTuner
from embedwidget.session import AnnotationSession
from embedwidget.session.topics import topics

WORDS = {
    "fruit": "apple banana cherry orchard",
    "cars": "engine wheel brake gearbox",
    "tea": "kettle teapot leaves brew",
}


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    names = list(WORDS)
    group = np.repeat(np.arange(3), 40)
    X = (np.eye(3, 6)[group] * 8 + rng.normal(size=(120, 6))).astype(np.float32)
    texts = [" ".join(rng.choice(WORDS[names[g]].split(), 4)) + " the review" for g in group]
    return X, texts, group


def test_each_region_is_named_by_its_own_words(data):
    X, texts, _ = data
    frame = AnnotationSession(X, texts=texts).topics(n_regions=3)
    assert list(frame.columns) == ["region", "keywords", "size", "x", "y"]
    assert frame["size"].tolist() == [40, 40, 40]
    named = [set(k.split(", ")) for k in frame["keywords"]]
    for words in WORDS.values():  # one region per group, named only by that group's words
        assert sum(keys <= set(words.split()) for keys in named) == 1
    assert not any("review" in keys for keys in named)  # in every region: says nothing


def test_html_line_breaks_are_not_words(data):
    X, texts, group = data
    # Reviews scraped from the web: "<br />" between sentences, more often in one region.
    broken = [
        text.replace(" ", " <br /><br /> ", 1 + 2 * (g == 0))
        for text, g in zip(texts, group, strict=True)
    ]
    frame = topics(X[:, :2], broken, n_regions=3, n_keywords=4)
    assert not any("br" in keys.split(", ") for keys in frame["keywords"])


def test_topics_need_texts_and_a_sensible_number_of_regions(data):
    X, texts, _ = data
    with pytest.raises(ValueError, match="texts"):
        AnnotationSession(X).topics()
    with pytest.raises(ValueError, match="n_regions"):
        AnnotationSession(X, texts=texts).topics(n_regions=0)


def test_the_widget_draws_them_when_asked_and_when_training_settles(data):
    X, texts, group = data
    w = EmbeddingScatter(X, texts=texts)
    assert w._topics == []
    w.show_topics = True
    assert len(w._topics) == w.topics()["region"].size and set(w._topics[0]) == {
        "keywords",
        "size",
        "x",
        "y",
    }
    y = [None] * len(X)
    for i in (0, 1, 40, 41, 80, 81):
        y[i] = str(group[i])
    t = TunerWidget(FeedForwardTuner(hidden_dim=4, random_state=0), X, texts=texts, y=y)
    t.show_topics = True
    sent = []
    t.observe(lambda change: sent.append(change["new"]), "_topics")
    t.fit(5)  # five steps, frames on the way: named once, when fit returns
    assert len(sent) == 1
    np.testing.assert_allclose([r["x"] for r in sent[0]], t.topics()["x"].to_numpy(), rtol=1e-5)
    t.close()
