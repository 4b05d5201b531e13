"""EmbeddingScatter on the Python side: input checks, the messages the browser sends,
the store behind every action, and the DataFrame exports."""

import numpy as np
import pandas as pd
import pytest

from embedwidget import EmbeddingScatter
from embedwidget.store import AnnotationStore
from embedwidget.widgets.serializers import (
    HEADER_BYTES,
    STEPS,
    codes_from_bytes,
    indices_from_bytes,
    indices_serialization,
    indices_to_bytes,
    positions_from_bytes,
    positions_to_bytes,
)

N = 60


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    centres = np.repeat(np.eye(3, 12) * 6, N // 3, axis=0)
    return (centres + rng.normal(size=(N, 12))).astype(np.float32)


@pytest.fixture
def texts():
    return [f"review number {i}" for i in range(N)]


@pytest.fixture
def sent(monkeypatch):
    """Collects the custom messages the widget sends to the browser."""
    messages = []
    monkeypatch.setattr(
        EmbeddingScatter, "send", lambda self, msg, buffers=None: messages.append(msg)
    )
    return messages


def browser_update(widget, **state_and_buffers):
    """Feed the widget the 'update' message the JS sends after model.save_changes()."""
    state, paths, buffers = {}, [], []
    for key, value in state_and_buffers.items():
        if isinstance(value, bytes):
            state[key] = None
            paths.append([key])
            buffers.append(value)
        else:
            state[key] = value
    data = {"method": "update", "state": state, "buffer_paths": paths}
    widget._handle_msg({"content": {"data": data}, "buffers": buffers})


def browser_request(widget, content, *buffers):
    """Feed the widget a custom message as the JS model.send(content, undefined, buffers)."""
    data = {"method": "custom", "content": content}
    widget._handle_msg({"content": {"data": data}, "buffers": list(buffers)})


def codes(widget):
    return codes_from_bytes(widget._codes, len(widget.label_names))


# -- wire format --------------------------------------------------------------------------


def test_indices_travel_as_uint32_bytes():
    data = indices_to_bytes([3, 1, 4_000_000_000])
    assert len(data) == 12
    assert indices_from_bytes(data).tolist() == [3, 1, 4_000_000_000]
    wire = indices_serialization["to_json"](np.array([7, 8]), None)
    assert bytes(wire) == np.array([7, 8], "<u4").tobytes()
    assert indices_serialization["from_json"](bytes(wire), None) == [7, 8]


def test_positions_are_four_bytes_a_point_and_codes_one(X):
    w = EmbeddingScatter(X)
    assert len(w._positions) == 4 * N + HEADER_BYTES
    decoded = positions_from_bytes(w._positions)
    step = (w.positions.max(axis=0).astype(float) - w.positions.min(axis=0)) / STEPS
    assert (np.abs(decoded - w.positions) <= step / 2).all()
    w.label([0], "a")
    assert codes(w).dtype == np.uint8 and len(w._codes) == N


def test_quantized_positions_decode_to_within_half_a_step():
    rng = np.random.default_rng(3)
    for points in (rng.normal(size=(10_000, 2)) * [1e3, 1e-3], rng.uniform(-5, 9, (7, 2))):
        points = points.astype(np.float32)
        decoded = positions_from_bytes(positions_to_bytes(points))
        step = (points.max(axis=0).astype(float) - points.min(axis=0)) / STEPS
        assert (np.abs(decoded - points) <= step / 2).all()
        assert decoded.min(axis=0) == pytest.approx(points.min(axis=0))  # the range is exact
    flat = positions_from_bytes(positions_to_bytes(np.full((3, 2), 2.5, np.float32)))
    assert (flat == 2.5).all()  # no range: every point where it is
    assert positions_from_bytes(positions_to_bytes(np.empty((0, 2)))).shape == (0, 2)


def test_codes_take_a_byte_up_to_255_labels_and_two_beyond(X):
    w = EmbeddingScatter(np.zeros((600, 2), np.float32))
    for k in range(255):
        w.store.label([k], f"label {k}")
    w.session.sync()
    assert len(w.label_names) == 255 and len(w._codes) == 600
    assert codes(w)[254] == 255 and codes(w)[300] == 0
    w.label([300], "one more")
    assert len(w.label_names) == 256 and len(w._codes) == 1200
    assert codes(w)[300] == 256 and codes(w)[254] == 255


# -- the picture ------------------------------------------------------------------------------


def test_pca_picture_separates_clusters_and_two_columns_pass_through(X):
    w = EmbeddingScatter(X)
    P = w.positions
    assert P.shape == (N, 2) and P.dtype == np.float32
    means = np.array([P[k * 20 : (k + 1) * 20].mean(axis=0) for k in range(3)])
    spread = P[:20].std(axis=0).max()
    assert np.linalg.norm(means[0] - means[1]) > 3 * spread
    xy = np.arange(2 * N, dtype=np.float32).reshape(N, 2)
    np.testing.assert_array_equal(EmbeddingScatter(xy).positions, xy)
    with pytest.raises(ValueError):
        w.positions[0, 0] = 1.0  # read-only


def test_given_labels_colour_points_and_unlabelled_stay_grey(X):
    labels = ["pos"] * 20 + [None] * 20 + ["neg"] * 19 + [float("nan")]
    w = EmbeddingScatter(X, labels=labels)
    assert w.label_names == ["neg", "pos"]
    c = codes(w)
    assert set(c[:20]) == {2} and set(c[20:40]) == {0} and set(c[40:59]) == {1} and c[59] == 0


# -- actions from the browser ----------------------------------------------------------------


def test_browser_selection_arrives_as_indices(X):
    w = EmbeddingScatter(X)
    browser_update(w, selection=indices_to_bytes([4, 9, 2]))
    assert w.selection == [4, 9, 2]
    w.selection = np.array([5, 6])  # assignable from Python, as an array too
    assert w.selection == [5, 6]
    with pytest.raises(ValueError, match="outside"):
        w.selection = [N]


def test_browser_label_requests_reach_the_store_and_the_picture(X, texts, sent):
    w = EmbeddingScatter(X, texts=texts, labels=["a"] + [None] * (N - 1))
    browser_request(w, {"action": "label", "label": "spam"}, indices_to_bytes([1, 2, 3]))
    assert w.label_names == ["a", "spam"]
    browser_request(w, {"action": "label", "code": 0}, indices_to_bytes([3]))  # key 1
    assert codes(w)[[0, 1, 2, 3]].tolist() == [1, 2, 2, 1]
    frame = w.labels_frame()
    assert frame["index"].tolist() == [0, 1, 2, 3]
    assert frame["label"].tolist() == ["a", "spam", "spam", "a"]
    assert frame["text"].tolist() == texts[:4]
    assert frame["time"].isna().tolist() == [True, False, False, False]
    assert w.store.n_actions() == 2
    assert sent == []


def test_typed_label_that_reads_like_an_int_label_reuses_it(X, sent):
    w = EmbeddingScatter(X, labels=[1, 0] + [None] * (N - 2))
    browser_request(w, {"action": "label", "label": "1"}, indices_to_bytes([5]))
    assert w.current_labels()[5] == 1
    assert w.label_names == ["0", "1"]


def test_browser_pairs_zip_equal_sides_and_cross_unequal_ones(X, sent):
    w = EmbeddingScatter(X)
    browser_request(
        w, {"action": "pairs", "similar": True}, indices_to_bytes([1, 2]), indices_to_bytes([3, 4])
    )
    browser_request(
        w, {"action": "pairs", "similar": False}, indices_to_bytes([5]), indices_to_bytes([6, 7])
    )
    frame = w.pairs_frame()
    assert frame[["index_a", "index_b", "similar"]].values.tolist() == [
        [1, 3, 1.0],
        [2, 4, 1.0],
        [5, 6, 0.0],
        [5, 7, 0.0],
    ]
    assert w.n_pairs == 4
    browser_request(w, {"action": "undo"})
    assert w.n_pairs == 2


def test_browser_undo_takes_back_the_last_action_and_says_when_there_is_none(X, sent):
    w = EmbeddingScatter(X)
    browser_request(w, {"action": "label", "label": "x"}, indices_to_bytes([1]))
    browser_request(w, {"action": "label", "label": "y"}, indices_to_bytes([1]))
    browser_request(w, {"action": "undo"})
    assert w.current_labels()[1] == "x"
    browser_request(w, {"action": "undo"})
    assert w.current_labels()[1] is None and codes(w).max() == 0
    browser_request(w, {"action": "undo"})
    assert sent == [{"type": "info", "message": "Nothing to undo."}]


def test_bad_browser_requests_are_reported_back_not_raised(X, sent):
    w = EmbeddingScatter(X)
    browser_request(w, {"action": "label", "label": "   "}, indices_to_bytes([1]))
    browser_request(w, {"action": "label", "label": "x"}, indices_to_bytes([N + 5]))
    browser_request(w, {"action": "explode"})
    assert [m["type"] for m in sent] == ["error"] * 3
    assert "empty" in sent[0]["message"] and "outside" in sent[1]["message"]
    assert w.store.n_actions() == 0


# -- the same actions from Python --------------------------------------------------------------


def test_python_twins_and_exports(X, texts):
    w = EmbeddingScatter(X, texts=texts)
    w.label(np.arange(5), "first")
    w.add_pairs([0, 1], [10, 11, 12], similar=False)  # 2 x 3, crossed
    w.add_pairs([20, 21], [30, 31], how="product")
    assert w.n_pairs == 10
    w.selection = [3, 40]
    sel = w.selection_frame()
    assert sel.columns.tolist() == ["index", "text", "label", "x", "y"]
    assert sel["label"].tolist() == ["first", None]
    np.testing.assert_array_equal(sel[["x", "y"]].to_numpy(), w.positions[[3, 40]])
    pairs = w.pairs_frame()
    assert pairs["text_a"].iloc[0] == texts[0] and pairs["text_b"].iloc[0] == texts[10]
    assert isinstance(pairs["time"].dtype, pd.DatetimeTZDtype)
    with pytest.raises(ValueError, match="how"):
        w.add_pairs([1], [2], how="sideways")


# -- nothing lost -----------------------------------------------------------------------------


def test_a_new_widget_on_the_same_file_has_everything_back(X, tmp_path):
    path = tmp_path / "labels.db"
    w = EmbeddingScatter(X, store=str(path))
    w.label([1, 2], "kept")
    w.add_pairs([3], [4])
    w.label([5], "undone later")
    del w  # as after a kernel restart: only the file remains
    again = EmbeddingScatter(X, store=path)
    assert again.labels_frame()["label"].tolist() == ["kept", "kept", "undone later"]
    assert again.label_names == ["kept", "undone later"]
    assert again.n_pairs == 1
    again.undo()
    assert AnnotationStore(path).current_labels()[0].tolist() == [1, 2]


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros(5), "2-D"),
        (np.zeros((4, 3, 2)), "2-D"),
        (np.array([[0.0, 1.0], [np.nan, 2.0]]), "NaN"),
        (np.array([[0.0, 1.0], [np.inf, 2.0]]), "infinity"),
        (np.zeros((0, 3)), "0 sample"),
    ],
)
def test_bad_embeddings_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        EmbeddingScatter(bad)


def test_lengths_must_match_x(X, texts):
    with pytest.raises(ValueError, match="texts has 59 entries but X has 60"):
        EmbeddingScatter(X, texts=texts[:-1])
    with pytest.raises(ValueError, match="labels has 3 entries"):
        EmbeddingScatter(X, labels=["a", "b", "c"])


@pytest.mark.parametrize("label", ["", "  ", 1.5, True, ["a"]])
def test_bad_labels_are_refused(X, label):
    w = EmbeddingScatter(X)
    with pytest.raises((TypeError, ValueError)):
        w.label([1], label)
    with pytest.raises(TypeError, match="labels\\[0\\]"):
        EmbeddingScatter(X, labels=[label] + [None] * (N - 1))


def test_store_path_in_a_missing_folder(X, tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        EmbeddingScatter(X, store=tmp_path / "nope" / "labels.db")


def test_a_file_that_is_not_a_store_is_refused_and_left_alone(X, tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my precious notes, not a database")
    with pytest.raises(ValueError, match="not"):
        EmbeddingScatter(X, store=path)
    assert path.read_bytes() == b"my precious notes, not a database"


def test_a_store_of_a_bigger_data_set_is_refused(X, tmp_path):
    path = tmp_path / "big.db"
    with AnnotationStore(path) as store:
        store.label([500], "far")
    with pytest.raises(ValueError, match="another data set"):
        EmbeddingScatter(X, store=path)


def test_bad_store_argument(X):
    with pytest.raises(TypeError, match="store must be"):
        EmbeddingScatter(X, store=42)


def test_a_new_embedding_of_the_same_points_is_aligned_to_the_last(X):
    w = EmbeddingScatter(X)
    before = w.positions.copy()
    w.set_embedding(-X)  # a mirrored copy: the same picture after alignment
    np.testing.assert_allclose(w.positions, before, atol=1e-4)
    with pytest.raises(ValueError, match="X has 10 points but the widget shows 60"):
        w.set_embedding(X[:10])


def test_the_browser_gets_the_whole_picture_when_the_widget_opens(X, monkeypatch):
    import comm

    opened = []
    create = comm.create_comm
    monkeypatch.setattr(comm, "create_comm", lambda **kw: opened.append(kw) or create(**kw))
    EmbeddingScatter(X, labels=["a"] * N)
    (ours,) = [kw for kw in opened if "_positions" in str(kw["data"]["buffer_paths"])]
    state, paths = ours["data"]["state"], ours["data"]["buffer_paths"]
    buffers = dict(zip((p[0] for p in paths), ours["buffers"], strict=True))
    assert len(buffers["_positions"]) == 4 * N + HEADER_BYTES and len(buffers["_codes"]) == N
    assert state["label_names"] == ["a"] and len(state["_bounds"]) == 4
