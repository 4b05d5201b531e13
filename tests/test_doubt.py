"""Choosing the doubtful points to label next: doubtful, distinct, spread out, repeatable."""

import numpy as np
import pytest

from embedwidget.session.doubt import doubt, pick_doubtful


def three_classes(n=2000, seed=0):
    """Random class probabilities and a 2-D embedding for ``n`` points."""
    rng = np.random.default_rng(seed)
    return rng.dirichlet([0.5, 0.5, 0.5], size=n), rng.normal(size=(n, 2))


def test_doubt_is_one_minus_the_margin_of_the_two_likeliest_classes():
    proba = np.array([[0.5, 0.5, 0.0], [0.7, 0.2, 0.1], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(doubt(proba), [1.0, 0.5, 0.0])
    np.testing.assert_array_equal(doubt(np.ones((4, 1))), np.zeros(4))


@pytest.mark.parametrize("n", [1, 5, 20, 60])
def test_picks_are_distinct_candidates_and_no_more_than_n(n):
    proba, embedding = three_classes()
    candidates = np.arange(0, 2000, 3)
    picks = pick_doubtful(proba, candidates, n, embedding=embedding)
    assert picks.dtype == np.int64 and len(picks) == n
    assert len(set(picks.tolist())) == n
    assert set(picks.tolist()) <= set(candidates.tolist())


def test_picks_come_from_the_most_doubtful_most_doubtful_first():
    proba, embedding = three_classes()
    candidates = np.arange(2000)
    picks = pick_doubtful(proba, candidates, 20, embedding=embedding)
    scores = doubt(proba)
    # From the shortlist of the 200 most doubtful, never from the sure rest.
    assert scores[picks].min() >= np.sort(scores)[-200]
    assert np.all(np.diff(scores[picks]) <= 0)


def test_the_same_seed_gives_the_same_picks():
    proba, embedding = three_classes()
    candidates = np.arange(2000)
    first = pick_doubtful(proba, candidates, 20, embedding=embedding, random_state=3)
    again = pick_doubtful(proba, candidates, 20, embedding=embedding, random_state=3)
    np.testing.assert_array_equal(first, again)


def test_twenty_near_duplicates_are_not_all_picked():
    # The 20 most doubtful points are copies of one text (one spot in the embedding);
    # the next most doubtful lie all over. Label one copy, and the rest teach nothing.
    proba, embedding = three_classes(seed=1)
    duplicates = np.arange(20)
    proba[duplicates] = [0.34, 0.33, 0.33]
    embedding[duplicates] = 5.0 + 1e-3 * embedding[duplicates]
    picks = pick_doubtful(proba, np.arange(2000), 20, embedding=embedding)
    assert len(np.intersect1d(picks, duplicates)) <= 2
    # Spread out: on average, much farther apart than the duplicates are.
    spread = np.linalg.norm(embedding[picks][:, None] - embedding[picks][None], axis=2)
    assert np.median(spread[np.triu_indices(20, 1)]) > 1.0


def test_without_an_embedding_the_picks_spread_over_what_the_model_confuses():
    # Two clumps of equally doubtful points: 100 torn between classes 0 and 1, 100
    # between 1 and 2. Top-20 alone would take them from one clump only.
    proba = np.tile([1.0, 0.0, 0.0], (1000, 1))
    proba[:100] = [0.5, 0.5, 0.0]
    proba[100:200] = [0.0, 0.499, 0.501]
    picks = pick_doubtful(proba, np.arange(1000), 20)
    assert 5 <= np.sum(picks < 100) <= 15 and np.all(picks < 200)


def test_more_asked_for_than_there_are_candidates_gives_each_candidate_once():
    proba, embedding = three_classes()
    candidates = np.array([7, 3, 11, 3])
    picks = pick_doubtful(proba, candidates, 20, embedding=embedding)
    assert sorted(picks.tolist()) == [3, 7, 11]


def test_no_candidates_or_none_asked_for_gives_an_empty_pick():
    proba, embedding = three_classes()
    assert pick_doubtful(proba, [], 20, embedding=embedding).tolist() == []
    assert pick_doubtful(proba, np.arange(10), 0).tolist() == []


def test_one_class_still_picks_spread_out_distinct_points():
    _, embedding = three_classes()
    proba = np.ones((2000, 1))
    picks = pick_doubtful(proba, np.arange(2000), 20, embedding=embedding)
    assert len(set(picks.tolist())) == 20
    assert len(set(pick_doubtful(proba, np.arange(2000), 20).tolist())) == 20


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(n=-1), "n must be an int >= 0; got -1"),
        (dict(n=2.5), "n must be an int >= 0; got 2.5"),
        (dict(candidates=[0, 2000]), r"candidates must lie in \[0, 2000\)"),
        (dict(candidates=[0.5]), "candidates must be a 1-D array of ints"),
        (dict(proba=np.ones(2000)), "proba must be 2-D"),
        (dict(embedding=np.ones((10, 2))), "embedding must be 2-D with one row per point"),
    ],
)
def test_bad_input_is_refused_with_a_message_that_names_it(kwargs, message):
    proba, embedding = three_classes()
    args = dict(proba=proba, candidates=np.arange(10), n=5, embedding=embedding) | kwargs
    with pytest.raises(ValueError, match=message):
        pick_doubtful(**args)
