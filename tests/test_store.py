import os
import sqlite3
import threading

import numpy as np
import pytest

from embedwidget.store import AnnotationStore


@pytest.fixture
def store():
    with AnnotationStore() as s:
        yield s


def test_a_new_store_on_the_same_file_has_everything_back(tmp_path):
    path = tmp_path / "labels.db"
    with AnnotationStore(path) as store:
        store.label([0, 1], "spam")
        store.label([1], "ham")
        store.add_pairs([0, 2], [3, 4], similar=False)
        assert store.path == str(path)
    with AnnotationStore(str(path)) as store:
        points, labels, _ = store.current_labels()
        assert points.tolist() == [0, 1] and labels == ["spam", "ham"]
        assert store.pairs()[0].tolist() == [0, 2]
        assert store.n_actions() == 3
        store.undo()  # the undo history came back too
        store.undo()
        assert store.current_labels()[1] == ["spam", "spam"]


def test_each_action_is_committed_before_it_returns(tmp_path):
    path = tmp_path / "labels.db"
    with AnnotationStore(path) as writer, AnnotationStore(path) as reader:
        writer.label([5, 6], 1)
        assert reader.current_labels()[0].tolist() == [5, 6]
        writer.add_pairs([5], [6])
        assert reader.pairs()[0].tolist() == [5]
        writer.undo()
        assert reader.n_actions() == 1


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / "labels.db"
    path.touch()
    with AnnotationStore(path) as store:
        store.label(0, "a")
    with AnnotationStore(path) as store:
        assert store.current_labels()[1] == ["a"]


def test_in_memory_stores_have_no_path():
    for where in (None, ":memory:"):
        with AnnotationStore(where) as store:
            assert store.path is None


def test_undo_goes_back_one_action_at_a_time_and_restores_overridden_labels(store):
    first = store.label([0, 1, 2], "cat")
    second = store.label([1, 5], "dog")
    assert store.current_labels()[1] == ["cat", "dog", "cat", "dog"]

    undone = store.undo()
    assert undone["id"] == second and undone["kind"] == "label"
    assert undone["indices"].tolist() == [1, 5]
    points, labels, _ = store.current_labels()
    assert points.tolist() == [0, 1, 2] and labels == ["cat", "cat", "cat"]

    assert store.undo()["id"] == first
    assert store.undo() is None
    assert store.n_actions() == 0 and store.max_index() == -1


def test_label_none_removes_labels_and_can_be_undone(store):
    store.label([0, 1, 2], "cat")
    store.label([1], None)
    points, labels, times = store.current_labels()
    assert points.tolist() == [0, 2] and labels == ["cat", "cat"] and len(times) == 2
    assert store.undo()["indices"].tolist() == [1]
    assert store.current_labels()[0].tolist() == [0, 1, 2]


def test_a_removed_label_leaves_the_label_names(store):
    store.label([0], "cat")
    store.label([1], "dog")
    store.label([0], None)
    assert store.label_names() == ["dog"]


def test_label_names_keep_the_order_of_first_use(store):
    store.label([0], "zebra")
    store.label([1], 2)
    store.label([2], "ant")
    store.label([3], "zebra")
    assert store.label_names() == ["zebra", 2, "ant"]


def test_int_and_str_labels_come_back_as_given(store):
    store.label([0], np.int64(3))
    store.label([1], "3")
    store.label([2], 7)
    labels = store.current_labels()[1]
    assert labels == [3, "3", 7]
    assert [type(label) for label in labels] == [int, str, int]
    assert len(store.label_names()) == 3  # 3 and "3" are different labels


def test_indices_may_be_an_int_a_tuple_or_an_array_and_repeats_collapse(store):
    store.label(np.array([4, 4, 2], dtype=np.int32), "a")
    store.label((7, 7), "b")
    store.label(np.int64(9), "c")
    points, labels, times = store.current_labels()
    assert points.dtype == np.int64 and points.tolist() == [2, 4, 7, 9]
    assert times.dtype == np.float64 and (times > 1e9).all()
    assert store.max_index() == 9


def test_pairs_keep_their_order_and_similarity(store):
    store.add_pairs([3, 0], [1, 2])
    store.add_pairs([5], [6], similar=False)
    store.add_pairs(np.array([7]), np.array([8]), similar=0.25)
    a, b, similar, times = store.pairs()
    assert a.tolist() == [3, 0, 5, 7] and b.tolist() == [1, 2, 6, 8]
    assert similar.dtype == np.float32 and similar.tolist() == [1.0, 1.0, 0.0, 0.25]
    assert a.dtype == np.int64 and times.dtype == np.float64
    assert store.max_index() == 8


def test_pairs_of_a_point_with_itself_are_dropped(store):
    store.add_pairs([1, 2, 3], [1, 9, 3])
    assert store.pairs()[0].tolist() == [2]
    with pytest.raises(ValueError, match="itself"):
        store.add_pairs([4, 5], [4, 5])


def test_undoing_pairs_reports_every_point_they_touched(store):
    store.label([0], "a")
    action = store.add_pairs([3, 1], [1, 8])
    undone = store.undo()
    assert undone["id"] == action and undone["kind"] == "pairs"
    assert undone["indices"].tolist() == [1, 3, 8]
    assert len(store.pairs()[0]) == 0 and store.current_labels()[1] == ["a"]


def test_an_empty_store_reads_as_empty_arrays(store):
    points, labels, times = store.current_labels()
    assert points.dtype == np.int64 and len(points) == 0 and labels == [] and len(times) == 0
    assert [len(column) for column in store.pairs()] == [0, 0, 0, 0]
    assert store.label_names() == [] and store.max_index() == -1


@pytest.mark.parametrize(
    "indices, error, message",
    [
        ([], ValueError, "empty"),
        ([3, -1], ValueError, "-1"),
        ([[1, 2]], ValueError, "1-D"),
        ([1.0, 2.0], TypeError, "float"),
        (True, TypeError, "bool"),
        (["a"], TypeError, "ints"),
    ],
)
def test_bad_indices_are_refused(store, indices, error, message):
    with pytest.raises(error, match=message):
        store.label(indices, "a")
    assert store.n_actions() == 0


@pytest.mark.parametrize(
    "label, error, message",
    [
        ("", ValueError, "empty"),
        ("  ", ValueError, "whitespace"),
        (True, TypeError, "bool"),
        (np.bool_(False), TypeError, "bool"),
        (1.5, TypeError, "float.*1.5"),
        (["a"], TypeError, "list"),
        (2**70, ValueError, "64 bits"),
    ],
)
def test_bad_labels_are_refused(store, label, error, message):
    with pytest.raises(error, match=message):
        store.label([0], label)
    assert store.n_actions() == 0


@pytest.mark.parametrize(
    "a, b, similar, error, message",
    [
        ([1, 2], [3], True, ValueError, "same length.*2 and 1"),
        ([], [], True, ValueError, "a is empty"),
        ([1], [-2], True, ValueError, "b must be >= 0"),
        ([1], [2], 1.5, ValueError, r"\[0, 1\].*1.5"),
        ([1], [2], float("nan"), ValueError, "nan"),
        ([1], [2], "yes", TypeError, "str"),
    ],
)
def test_bad_pairs_are_refused(store, a, b, similar, error, message):
    with pytest.raises(error, match=message):
        store.add_pairs(a, b, similar=similar)
    assert store.n_actions() == 0


def _snapshot(path):
    return path.read_bytes(), os.stat(path).st_mtime_ns


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(np.random.default_rng(0).bytes(4096))
    before = _snapshot(path)
    with pytest.raises(ValueError, match="not a SQLite file"):
        AnnotationStore(path)
    assert _snapshot(path) == before


def test_another_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
        conn.execute("INSERT INTO customers VALUES ('Ada')")
    conn.close()
    before = _snapshot(path)
    with pytest.raises(ValueError, match="not an embedwidget annotation store"):
        AnnotationStore(path)
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "labels.db"
    AnnotationStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(ValueError, match="version '99'"):
        AnnotationStore(path)


def test_a_missing_folder_is_named(tmp_path):
    folder = tmp_path / "no-such-folder"
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        AnnotationStore(folder / "labels.db")
    assert not folder.exists()


def test_labels_from_several_threads_at_once_are_all_kept(tmp_path):
    store = AnnotationStore(tmp_path / "labels.db")
    errors = []

    def label_some(thread):
        try:
            for i in range(25):
                store.label([thread * 100 + i], f"t{thread}")
                store.current_labels()  # the training thread reads while others write
        except Exception as e:  # pragma: no cover - only reached when the test fails
            errors.append(e)

    threads = [threading.Thread(target=label_some, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.n_actions() == 200
    expected = sorted(t * 100 + i for t in range(8) for i in range(25))
    assert store.current_labels()[0].tolist() == expected
    store.close()


def test_label_each_gives_each_point_its_own_label_as_one_action(store):
    store.label([0, 1], "old")
    store.label_each([2, 0, 5, 2], ["a", 7, "b", "c"])  # point 2 repeated: its last label
    points, labels, _ = store.current_labels()
    assert dict(zip(points.tolist(), labels, strict=True)) == {0: 7, 1: "old", 2: "c", 5: "b"}
    assert store.n_actions() == 2
    assert store.undo()["indices"].tolist() == [0, 2, 5]
    assert store.current_labels()[1] == ["old", "old"]


@pytest.mark.parametrize(
    ("indices", "labels", "error"),
    [
        ([1, 2], ["a"], ValueError),
        ([1], "a", ValueError),
        ([1, 2], ["a", ""], ValueError),
        ([1, 2], ["a", 1.5], TypeError),
        ([], [], ValueError),
        ([-1], ["a"], ValueError),
    ],
)
def test_label_each_refuses_bad_input_and_writes_nothing(store, indices, labels, error):
    with pytest.raises(error):
        store.label_each(indices, labels)
    assert store.n_actions() == 0


def test_label_actions_tell_which_action_gave_each_label_and_its_size(store):
    lasso = store.label([0, 1, 2, 3], "a")
    alone = store.label(2, "b")
    store.label(4, None)  # a removal is no label
    points, actions, sizes = store.label_actions()
    assert points.tolist() == [0, 1, 2, 3]
    assert actions.tolist() == [lasso, lasso, alone, lasso]
    assert sizes.tolist() == [4, 4, 1, 4]
    assert points.tolist() == store.current_labels()[0].tolist()


def test_a_pair_made_again_takes_its_latest_similarity_and_undo_restores_it(store):
    store.add_pairs([0, 2], [1, 3], similar=True)
    store.add_pairs([1], [0], similar=False)  # the same pair, the other way round
    a, b, similar, _ = store.pairs()
    made = zip(a.tolist(), b.tolist(), similar.tolist(), strict=True)
    assert list(made) == [(2, 3, 1.0), (1, 0, 0.0)]
    store.undo()
    assert store.pairs()[2].tolist() == [1.0, 1.0]


def test_one_action_can_give_each_pair_its_own_similarity(store):
    store.add_pairs([0, 2, 4], [1, 3, 4], similar=[True, 0.0, 1.0])  # (4, 4) is dropped
    assert store.pairs()[2].tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="one per pair"):
        store.add_pairs([0], [1], similar=[1.0, 0.0])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        store.add_pairs([0, 1], [1, 2], similar=[1.0, 2.0])
    assert store.n_actions() == 1
