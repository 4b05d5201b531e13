"""encode_to_disk: texts into a .npy file chunk by chunk, resumable, here or on Dask."""

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from embedwidget.encode import encode_to_disk
from embedwidget.text import SentenceEncoder

SUBJECTS = ["the soup", "my parcel", "this phone", "the hotel room", "our new sofa", "the film"]
VERDICTS = ["was lovely", "never came", "broke at once", "smelled odd", "beat my hopes"]
TEXTS = [f"{SUBJECTS[i % 6]} {VERDICTS[i % 5]}, note {i}" for i in range(300)]
CHUNK = 40  # 8 chunks, the last one short


@pytest.fixture(scope="module")
def expected():
    return SentenceEncoder().transform(TEXTS)


def manifest(path):
    return json.loads(Path(f"{path}.manifest.json").read_text())


def test_a_list_goes_to_a_npy_file_with_a_manifest_of_the_chunks_done(tmp_path, expected):
    path = tmp_path / "vectors.npy"
    X = encode_to_disk(TEXTS, path, chunk_size=CHUNK, progress=False)
    assert isinstance(X, np.memmap) and X.shape == (300, 384) and X.dtype == np.float32
    np.testing.assert_allclose(X, expected, atol=1e-6)
    np.testing.assert_array_equal(np.load(path), X)
    assert manifest(path)["done"] == list(range(8))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "vectors.npy",
        "vectors.npy.manifest.json",
    ]


def test_a_text_file_and_a_series_give_the_same_vectors_and_the_same_run(tmp_path, expected):
    lines = tmp_path / "texts.txt"
    lines.write_bytes("\r\n".join(TEXTS).encode() + b"\r\n")  # Windows line endings too
    from_file = encode_to_disk(lines, tmp_path / "file.npy", chunk_size=CHUNK, progress=False)
    np.testing.assert_allclose(from_file, expected, atol=1e-6)
    from_series = encode_to_disk(pd.Series(TEXTS), tmp_path / "s.npy", chunk_size=7, progress=False)
    np.testing.assert_allclose(from_series, expected, atol=1e-6)
    # the texts' hash does not depend on where they come from or on the chunk size
    assert manifest(tmp_path / "file.npy")["texts"] == manifest(tmp_path / "s.npy")["texts"]


def test_a_rerun_on_a_finished_target_encodes_and_writes_nothing(tmp_path, caplog):
    path = tmp_path / "vectors.npy"
    first = np.array(encode_to_disk(TEXTS, path, chunk_size=CHUNK, progress=False))
    written = path.stat().st_mtime_ns
    with caplog.at_level("INFO", logger="embedwidget.encode"):
        again = encode_to_disk(TEXTS, path, chunk_size=CHUNK, progress=False)
    assert "8 of 8 chunks already done, 0 to encode" in caplog.text
    assert path.stat().st_mtime_ns == written
    np.testing.assert_array_equal(again, first)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    path = tmp_path_factory.mktemp("uninterrupted") / "vectors.npy"
    return encode_to_disk(TEXTS, path, chunk_size=10, progress=False)


@pytest.mark.slow
def test_a_run_killed_after_some_chunks_resumes_to_the_uninterrupted_result(
    tmp_path, caplog, uninterrupted
):
    lines = tmp_path / "texts.txt"
    lines.write_text("\n".join(TEXTS) + "\n")
    path = tmp_path / "vectors.npy"
    run = "import sys, embedwidget.encode as e; e.encode_to_disk(*sys.argv[1:], chunk_size=10)"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    child = subprocess.Popen([sys.executable, "-c", run, str(lines), str(path)], env=env)
    try:
        done_seen = wait_for_chunks(path, at_least=3, child=child)
        child.send_signal(signal.SIGKILL)  # no clean-up, no last words
        assert child.wait(timeout=60) != 0
    finally:
        child.kill()
    done = manifest(path)["done"]
    assert 3 <= len(done_seen) <= len(done) < 30, "the run should stop part-way"

    with caplog.at_level("INFO", logger="embedwidget.encode"):
        resumed = encode_to_disk(lines, path, chunk_size=10, progress=False)
    assert f"{len(done)} of 30 chunks already done, {30 - len(done)} to encode" in caplog.text
    np.testing.assert_allclose(resumed, uninterrupted, atol=1e-6)
    assert manifest(path)["done"] == list(range(30))


def wait_for_chunks(path, at_least, child, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        try:
            done = manifest(path)["done"]
        except FileNotFoundError:
            done = []
        if len(done) >= at_least:
            return done
        time.sleep(0.01)
    raise AssertionError(f"the child process did not finish {at_least} chunks (rc {child.poll()})")


def test_a_target_of_another_run_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "vectors.npy"
    encode_to_disk(TEXTS[:80], path, chunk_size=CHUNK, progress=False)
    before = path.read_bytes(), manifest(path)
    other_runs = [
        (dict(texts=TEXTS[80:160]), "other texts: 80 there"),  # as many texts, not the same
        (dict(encoder=SentenceEncoder(normalize=False)), "another encoder"),
        (dict(chunk_size=20), "chunk_size=40 there, 20 here"),
    ]
    for change, message in other_runs:
        call = dict(texts=TEXTS[:80], path=path, chunk_size=CHUNK, progress=False) | change
        with pytest.raises(ValueError, match=f"belongs to another run \\({message}"):
            encode_to_disk(**call)
    assert (path.read_bytes(), manifest(path)) == before
    # how the encoder runs is not what it returns: a run may resume with another batch size
    encode_to_disk(TEXTS[:80], path, SentenceEncoder(batch_size=8), chunk_size=CHUNK)


def test_a_run_that_failed_before_its_first_chunk_does_not_hold_the_path(tmp_path, expected):
    path = tmp_path / "vectors.npy"
    typo = SentenceEncoder(name=str(tmp_path / "no-such-model"))
    with pytest.raises(FileNotFoundError, match="no-such-model"):
        encode_to_disk(TEXTS, path, typo, chunk_size=CHUNK, progress=False)
    assert manifest(path)["done"] == []
    X = encode_to_disk(TEXTS, path, chunk_size=CHUNK, progress=False)  # the model fixed
    np.testing.assert_allclose(X, expected, atol=1e-6)


def test_a_file_that_is_not_a_target_is_never_overwritten(tmp_path):
    path = tmp_path / "mine.npy"
    np.save(path, np.arange(3.0))
    with pytest.raises(ValueError, match="is not an encode_to_disk target"):
        encode_to_disk(TEXTS, path, progress=False)
    np.testing.assert_array_equal(np.load(path), np.arange(3.0))


@pytest.mark.parametrize(
    ("bad", "value", "message"),
    [
        (57, 3, "row 57 is int"),
        (123, None, "row 123 is NoneType"),
        (299, np.nan, "row 299 is float"),
    ],
)
def test_a_text_that_is_not_a_string_is_named_by_its_row_before_any_work(
    tmp_path, bad, value, message
):
    texts = pd.Series(TEXTS, dtype=object)
    texts[bad] = value
    with pytest.raises(TypeError, match=message):
        encode_to_disk(texts, tmp_path / "vectors.npy", chunk_size=CHUNK, progress=False)
    assert list(tmp_path.iterdir()) == []  # nothing written, no model loaded for it


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (dict(texts=[]), ValueError, "texts is empty"),
        (dict(texts=(t for t in TEXTS)), TypeError, "got generator"),
        (dict(texts=np.array([TEXTS[:2], TEXTS[2:4]])), ValueError, "1-D"),
        (dict(texts="no-such-file.txt"), FileNotFoundError, "no file 'no-such-file.txt'"),
        (dict(chunk_size=0), ValueError, "chunk_size must be at least 1; got 0"),
        (dict(chunk_size="10"), TypeError, "chunk_size must be an int; got '10'"),
        (dict(encoder=str.upper), TypeError, "encoder must be a scikit-learn style"),
        (dict(client="localhost:8786"), TypeError, "client must be a dask.distributed Client"),
    ],
)
def test_bad_arguments_say_what_is_wrong(tmp_path, call, error, message):
    with pytest.raises(error, match=message):
        encode_to_disk(**{"texts": TEXTS, "path": tmp_path / "v.npy", **call})


def test_a_file_that_is_not_utf8_names_its_line(tmp_path):
    lines = tmp_path / "texts.txt"
    lines.write_bytes(b"fine\nalso fine\ncaf\xe9 latin-1\n")
    with pytest.raises(ValueError, match=r"line 3 \(row 2\) .* is not UTF-8"):
        encode_to_disk(lines, tmp_path / "v.npy")


def test_importing_the_package_or_the_helper_loads_no_dask_and_no_torch():
    code = "import sys, embedwidget, embedwidget.encode; print(sorted(sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(eval(run.stdout))
    assert loaded >= {"embedwidget.encode", "embedwidget.text"}
    assert not loaded & {"dask", "distributed", "torch", "sentence_transformers"}


def test_the_encoder_pickles_without_its_model(expected):
    encoder = SentenceEncoder()
    encoder.transform(TEXTS[:2])  # the model is loaded, yet not part of the encoder
    payload = pickle.dumps(encoder)
    assert len(payload) < 1000
    np.testing.assert_allclose(pickle.loads(payload).transform(TEXTS), expected, atol=1e-6)


# --- on a Dask cluster of two worker processes ----------------------------------------


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def model_id():
    return id(SentenceEncoder().model)


@pytest.mark.slow
def test_two_dask_workers_give_the_vectors_of_transform(tmp_path, client, expected):
    X = encode_to_disk(TEXTS, tmp_path / "vectors.npy", chunk_size=CHUNK, client=client)
    np.testing.assert_allclose(X, expected, atol=1e-6)
    models = client.run(model_id)
    assert len(models) == 2
    again = encode_to_disk(TEXTS[:100], tmp_path / "again.npy", chunk_size=10, client=client)
    np.testing.assert_allclose(again, expected[:100], atol=1e-6)
    assert client.run(model_id) == models  # each worker loaded its model once


class DiesOnce(TransformerMixin, BaseEstimator):
    """SentenceEncoder's vectors, but the first process to meet ``fatal`` kills itself
    half-way through that chunk, leaving ``marker`` so that the retry lives."""

    def __init__(self, marker="", fatal=""):
        self.marker = marker
        self.fatal = fatal

    def transform(self, texts):
        if self.fatal in texts and not os.path.exists(self.marker):
            SentenceEncoder().transform(texts[: len(texts) // 2])
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return SentenceEncoder().transform(texts)


@pytest.mark.slow
def test_a_worker_that_dies_mid_chunk_loses_nothing(tmp_path, client, expected):
    marker = tmp_path / "a-worker-died"
    encoder = DiesOnce(marker=str(marker), fatal=TEXTS[290])  # in the last chunk
    X = encode_to_disk(TEXTS, tmp_path / "vectors.npy", encoder, chunk_size=CHUNK, client=client)
    assert marker.exists()  # a worker did die
    np.testing.assert_allclose(X, expected, atol=1e-6)
    assert manifest(tmp_path / "vectors.npy")["done"] == list(range(8))
