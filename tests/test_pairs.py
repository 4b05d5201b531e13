import numpy as np
import pytest

from embedwidget.finetune import (
    pair_texts,
    pairs_from_groups,
    pairs_from_labels,
    pairs_from_records,
)


def test_every_item_gets_one_similar_and_n_neg_dissimilar_partners():
    y = np.array(["a", "a", "a", "b", "b", "c"])
    pairs = pairs_from_labels(y, n_pos=1, n_neg=3, random_state=0)
    for item in range(len(y)):
        mine = pairs.first == item
        similar = pairs.second[mine & (pairs.similar == 1)]
        dissimilar = pairs.second[mine & (pairs.similar == 0)]
        assert len(dissimilar) == 3 and (y[dissimilar] != y[item]).all()
        if item == 5:  # "c" is alone in its class: no similar partner exists
            assert len(similar) == 0
        else:
            assert len(similar) == 1 and y[similar[0]] == y[item] and similar[0] != item


def test_sampling_repeats_with_a_seed_and_varies_without():
    y = np.arange(40) % 4
    a = pairs_from_labels(y, random_state=7)
    b = pairs_from_labels(y, random_state=7)
    c = pairs_from_labels(y, random_state=8)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a.second, c.second)


def test_a_single_class_is_refused():
    with pytest.raises(ValueError, match="only one class"):
        pairs_from_labels([1, 1, 1])


def test_groups_pair_items_of_the_same_group():
    groups = [0, 0, 1, 1, 2, 2]  # e.g. a headline and its article
    pairs = pairs_from_groups(groups, n_neg=1, random_state=0)
    same = np.asarray(groups)[pairs.first] == np.asarray(groups)[pairs.second]
    assert np.array_equal(same, pairs.similar == 1)


RECORDS = [
    {"text": "we release a new dataset", "cats": {"new-dataset": 1, "data-quality": 0}},
    {"text": "our corpus is public", "cats": {"new-dataset": 1}},
    {"text": "label noise hurts", "cats": {"new-dataset": 0, "data-quality": 1}},
    {"text": "a faster optimiser", "cats": {"new-dataset": 0}},
    {"text": "cleaning annotations", "cats": {"data-quality": 1}},
    {"text": "no labels here", "cats": {}},
]


def test_records_missing_labels_are_unknown_not_zero():
    pairs = pairs_from_records(RECORDS, "new-dataset", n_neg=2, random_state=0)
    used = set(pairs.first) | set(pairs.second)
    assert used <= {0, 1, 2, 3}  # records 4 and 5 do not say anything about new-dataset
    assert set(pairs.first) == {0, 1}  # only positives anchor pairs
    assert all(pairs.similar[pairs.second >= 2] == 0)


def test_records_for_every_label():
    pairs = pairs_from_records(RECORDS, n_neg=1, random_state=0)
    # data-quality: positives are 2 and 4, its one negative is record 0
    assert {0, 1, 2, 4} == set(pairs.first)
    assert 5 not in set(pairs.first) | set(pairs.second)


def test_records_bad_labels_are_named():
    with pytest.raises(ValueError, match="'spam' is set in no record"):
        pairs_from_records(RECORDS, "spam")
    with pytest.raises(ValueError, match="0 or 1"):
        pairs_from_records([{"cats": {"x": 2}}, {"cats": {"x": 0}}])


def test_pair_texts_turns_indices_into_texts():
    texts = [r["text"] for r in RECORDS]
    pairs = pairs_from_records(RECORDS, "new-dataset", random_state=0)
    t1, t2, similar = pair_texts(texts, pairs)
    assert len(t1) == len(t2) == len(similar) == len(pairs)
    assert t1[0] == texts[pairs.first[0]] and isinstance(similar[0], float)
