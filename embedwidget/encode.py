"""Encode a large text column chunk by chunk into a ``.npy`` file, resumable.

``encode_to_disk`` writes each chunk's vectors into the rows of one on-disk array and
records the chunk as done in a small manifest beside it (``<path>.manifest.json``) only
after those rows are flushed to disk. Run it again after a crash or Ctrl+C and it encodes
only the chunks the manifest does not list. Without a ``client`` it encodes in this
process; with a ``dask.distributed`` Client each chunk is a task on the cluster.

Dask is an optional extra (``pip install "embedwidget[dask]"``); this module imports it
only when a client is given.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import logging
import os
from pathlib import Path

import numpy as np

from embedwidget._utils import text_column
from embedwidget.text import SentenceEncoder

__all__ = ["encode_to_disk"]

logger = logging.getLogger(__name__)

_FORMAT = 1
# Parameters that say how an encoder runs, not what it returns: a run started on a GPU
# with one batch size may be finished on a CPU with another.
_RUNTIME_PARAMS = frozenset({"device", "batch_size", "show_progress_bar"})


def encode_to_disk(texts, path, encoder=None, *, chunk_size=10_000, client=None, progress=True):
    """Encode ``texts`` into a float32 ``.npy`` file at ``path``, a chunk at a time.

    The work can be interrupted at any point (a crash, a killed process, Ctrl+C, a dead
    Dask worker): calling it again with the same texts and encoder encodes only the
    chunks that are not yet on disk. A chunk counts as done only once its rows are
    written and flushed, so a half-written chunk is redone, never kept.

    Parameters
    ----------
    texts : sequence of str, or str or path-like
        The texts (a list, tuple, pandas Series or 1-D array of str), or the path of a
        UTF-8 text file holding one text per line (a line's ending is not part of it).
        Every text is checked, and hashed to identify the run, before any is encoded.
    path : str or path-like
        The ``.npy`` file to write; the manifest goes beside it as
        ``<path>.manifest.json``. A file there that belongs to another run (other
        texts, another encoder or chunk size) is refused, never overwritten.
    encoder : scikit-learn style transformer, default=None
        Turns a list of texts into a 2-D array; ``None`` means ``SentenceEncoder()``.
        The run is identified by its class and parameters, except ``device``,
        ``batch_size`` and ``show_progress_bar``, which change how it runs, not what
        it returns.
    chunk_size : int, default=10_000
        Texts per chunk: the unit of work, of progress and of what a crash can cost.
    client : dask.distributed.Client or None, default=None
        ``None`` encodes here, one chunk after another. With a client each chunk is a
        task on the cluster's workers (each loads the model once, on its first chunk);
        the vectors come back to this process, which alone writes the file and the
        manifest, so the workers need no shared disk. A task whose worker dies is run
        again by Dask elsewhere.
    progress : bool, default=True
        Show a tqdm progress bar of the texts encoded.

    Returns
    -------
    X : numpy.memmap of shape (n_texts, dim), float32
        The vectors, opened read-only from ``path`` (read from disk on demand).
        ``np.load(path, mmap_mode="r")`` opens them again later.

    Notes
    -----
    Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``, which made
    torch encode about half as fast on this project's test machine (glibc then returns
    every large freed block to the system, and torch's big temporaries are mapped and
    zeroed again each time). Unset it for encoding workers: in their Dask config,
    ``distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_: null``, or
    ``dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_":
    None})`` before a ``LocalCluster`` is made.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from embedwidget.encode import encode_to_disk
    >>> from embedwidget.text import SentenceEncoder
    >>> texts = ["a tasty snack", "stale and bland", "arrived late", "great value"]
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = os.path.join(folder.name, "vectors.npy")
    >>> X = encode_to_disk(texts, path, chunk_size=2, progress=False)
    >>> X.shape, X.dtype
    ((4, 384), dtype('float32'))
    >>> bool(np.allclose(X, SentenceEncoder().transform(texts), atol=1e-6))
    True
    >>> X = encode_to_disk(texts, path, chunk_size=2, progress=False)  # done: nothing to do

    On a Dask cluster (``pip install "embedwidget[dask]"``), the same call with a client:

    >>> from distributed import Client                          # doctest: +SKIP
    >>> client = Client("scheduler-address:8786")               # doctest: +SKIP
    >>> path = os.path.join(folder.name, "on-the-cluster.npy")  # doctest: +SKIP
    >>> X = encode_to_disk(texts, path, client=client)          # doctest: +SKIP
    """
    path = Path(path)
    if not isinstance(chunk_size, int | np.integer) or isinstance(chunk_size, bool):
        raise TypeError(f"chunk_size must be an int; got {chunk_size!r}.")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1; got {chunk_size!r}.")
    if client is not None and not callable(getattr(client, "submit", None)):
        raise TypeError(
            f"client must be a dask.distributed Client or None; got {type(client).__name__}."
        )
    encoder = _quiet(SentenceEncoder() if encoder is None else encoder)
    source = _open_source(texts, int(chunk_size))
    target = _Target(path, _run_identity(source, encoder, int(chunk_size)))
    todo = [i for i in range(source.n_chunks) if i not in target.done]
    if target.done:
        logger.info(
            "%s: %d of %d chunks already done, %d to encode",
            path,
            len(target.done),
            source.n_chunks,
            len(todo),
        )
    if todo:
        with _progress_bar(source, target, progress) as bar:

            def write(i, vectors):
                target.write(source.rows(i), vectors)
                bar.update(len(vectors))

            if client is None:
                for i in todo:
                    write(i, _encode_chunk(encoder, source.chunk(i)))
            else:
                _encode_on_cluster(client, encoder, source, todo, target.run_id, write)
    return np.load(path, mmap_mode="r")


def _encode_chunk(encoder, texts):
    """One chunk's vectors as float32 (this is the task a Dask worker runs)."""
    vectors = np.asarray(encoder.transform(texts), dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(texts):
        raise ValueError(
            f"encoder.transform must return one row per text; got shape {vectors.shape} "
            f"for {len(texts)} texts."
        )
    return vectors


def _encode_on_cluster(client, encoder, source, todo, run_id, write):
    """Chunks as tasks, a bounded number in flight; results written here as they come."""
    from distributed import as_completed

    threads = sum(client.nthreads().values())
    in_flight = max(4, 2 * threads)  # keeps every worker busy without queueing the corpus
    pending = iter(todo)

    def submit(i):
        key = f"embedwidget-encode-{run_id[:12]}-{i}"
        return client.submit(_encode_chunk, encoder, source.chunk(i), key=key)

    chunk_of = {submit(i): i for i in itertools.islice(pending, in_flight)}
    running = as_completed(list(chunk_of), with_results=True)
    try:
        for future, vectors in running:
            write(chunk_of.pop(future), vectors)
            for i in itertools.islice(pending, 1):  # one in, one out
                new = submit(i)
                chunk_of[new] = i
                running.add(new)
    finally:
        if chunk_of:  # an error or Ctrl+C: stop what is still queued
            client.cancel(list(chunk_of))


def _quiet(encoder):
    """The encoder without its own progress bar (this function shows one for the run)."""
    if not callable(getattr(encoder, "transform", None)) or not callable(
        getattr(encoder, "get_params", None)
    ):
        raise TypeError(
            "encoder must be a scikit-learn style transformer (get_params and transform), "
            f"such as SentenceEncoder(); got {type(encoder).__name__}."
        )
    if "show_progress_bar" in encoder.get_params(deep=False):
        encoder = copy.copy(encoder).set_params(show_progress_bar=False)
    return encoder


def _progress_bar(source, target, progress):
    from tqdm.auto import tqdm

    done_rows = sum(len(source.rows(i)) for i in target.done)
    return tqdm(
        total=source.n, initial=done_rows, unit="text", desc="encoding", disable=not progress
    )


# --- the texts: a sequence in memory or a file of lines -------------------------------


def _open_source(texts, chunk_size):
    if isinstance(texts, str | os.PathLike):
        return _FileSource(Path(texts), chunk_size)
    return _SequenceSource(texts, chunk_size)


class _Source:
    """Texts read a chunk at a time, checked and hashed once up front.

    The hash covers the texts only (each one's length, then all of them joined), so a
    list and a file of the same texts identify the same run whatever the chunk size.
    """

    def __init__(self, chunk_size):
        self.chunk_size = chunk_size
        self.n = 0
        self._lengths = hashlib.sha256()
        self._joined = hashlib.sha256()

    @property
    def n_chunks(self):
        return -(-self.n // self.chunk_size)

    def rows(self, i):
        return range(i * self.chunk_size, min((i + 1) * self.chunk_size, self.n))

    def _hash(self, chunk):
        """Add one chunk of str to the hash (the caller has checked they are str)."""
        self._lengths.update(np.fromiter(map(len, chunk), np.int64, len(chunk)).tobytes())
        self._joined.update("".join(chunk).encode("utf-8", "surrogatepass"))
        self.n += len(chunk)

    def digest(self):
        both = self._lengths.hexdigest() + self._joined.hexdigest()
        return hashlib.sha256(both.encode()).hexdigest()


class _SequenceSource(_Source):
    def __init__(self, texts, chunk_size):
        super().__init__(chunk_size)
        self.texts = _as_sequence(texts)
        for start in range(0, len(self.texts), chunk_size):
            chunk = self._slice(start, start + chunk_size)
            try:
                self._hash(chunk)
            except TypeError:  # "".join met a text that is not a str
                raise _not_a_string(chunk, start) from None
        if self.n == 0:
            raise ValueError("texts is empty: there is no text to encode.")

    def _slice(self, start, stop):
        chunk = self.texts[start:stop]
        return chunk.tolist() if isinstance(chunk, np.ndarray) else list(chunk)

    def chunk(self, i):
        rows = self.rows(i)
        return self._slice(rows.start, rows.stop)


def _as_sequence(texts):
    texts = text_column(texts, "texts")
    if isinstance(texts, np.ndarray):
        return texts
    if not (hasattr(texts, "__len__") and hasattr(texts, "__getitem__")):
        raise TypeError(
            "texts must be a sequence of str (list, tuple, pandas Series, 1-D array) or the "
            f"path of a text file; got {type(texts).__name__}, which has no length to resume by."
        )
    return texts


def _not_a_string(chunk, start):
    row, text = next((j, t) for j, t in enumerate(chunk) if not isinstance(t, str))
    return TypeError(
        f"texts must hold only strings; row {start + row} is {type(text).__name__} ({text!r:.40})."
    )


class _FileSource(_Source):
    """One text per line of a UTF-8 file; a chunk is read from its byte offset."""

    def __init__(self, path, chunk_size):
        super().__init__(chunk_size)
        if not path.is_file():
            raise FileNotFoundError(
                f"texts is read as the path of a text file (one text per line), but there "
                f"is no file {str(path)!r}; pass a list to encode a single string."
            )
        self.path = path
        self._offsets = []
        with path.open("rb") as f:
            while True:
                offset = f.tell()
                chunk = self._read(f, self.n)
                if not chunk:
                    break
                self._offsets.append(offset)
                self._hash(chunk)
        if self.n == 0:
            raise ValueError(f"texts: the file {str(path)!r} is empty: there is no text to encode.")

    def _read(self, f, first_row):
        chunk = []
        for line in f:
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"texts: line {first_row + len(chunk) + 1} (row {first_row + len(chunk)}) "
                    f"of {str(self.path)!r} is not UTF-8: {error.reason} at byte {error.start}."
                ) from None
            chunk.append(text.removesuffix("\n").removesuffix("\r"))
            if len(chunk) == self.chunk_size:
                break
        return chunk

    def chunk(self, i):
        with self.path.open("rb") as f:
            f.seek(self._offsets[i])
            return self._read(f, i * self.chunk_size)


# --- the target: the array and its manifest ------------------------------------------


def _run_identity(source, encoder, chunk_size):
    """What makes two runs the same: the texts, the encoder's output-changing params."""
    params = {
        name: value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        for name, value in sorted(encoder.get_params(deep=False).items())
        if name not in _RUNTIME_PARAMS
    }
    encoder_class = f"{type(encoder).__module__}.{type(encoder).__qualname__}"
    return {
        "texts": {"n": source.n, "sha256": source.digest()},
        "encoder": {"class": encoder_class, "params": params},
        "chunk_size": chunk_size,
    }


class _Target:
    """The ``.npy`` array and the manifest that says which of its chunks are done.

    Only this process writes either. A chunk is recorded after its rows are flushed,
    and the manifest is replaced atomically, so at any instant of a crash the manifest
    lists only chunks whose rows are on disk.
    """

    def __init__(self, path, identity):
        self.path = path
        self.manifest = path.with_name(path.name + ".manifest.json")
        self.identity = identity
        self.run_id = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
        self._array = None  # opened here when resuming, else made by the first write
        self.done = self._done_before()
        if self.done:
            self._open_existing()
        else:
            self._save(self.done)  # before any work: the path is now this run's

    def _done_before(self):
        """The chunks an earlier run of the same identity finished (refuses another's)."""
        if not self.manifest.exists():
            if self.path.exists():
                raise ValueError(
                    f"path {str(self.path)!r} exists and is not an encode_to_disk target (no "
                    f"{self.manifest.name} beside it); refusing to overwrite it: pass another path."
                )
            return set()
        try:
            saved = json.loads(self.manifest.read_text())
            done = set(saved["done"])
        except (ValueError, KeyError, TypeError):
            raise ValueError(
                f"{str(self.manifest)!r} is not a manifest this function can read; "
                f"delete it and {self.path.name} to start over."
            ) from None
        if not done:  # a run that wrote nothing leaves nothing to protect
            return set()
        theirs = {key: saved.get(key) for key in self.identity}
        if saved.get("format") != _FORMAT or theirs != _json_roundtrip(self.identity):
            raise ValueError(
                f"path {str(self.path)!r} belongs to another run "
                f"({_difference(theirs, self.identity)}); refusing to mix them: pass another "
                f"path, or delete it and {self.manifest.name} to start over."
            )
        if not self.path.exists():
            logger.warning("%s is missing: encoding every chunk again", self.path)
            return set()
        return done

    def _open_existing(self):
        array = np.load(self.path, mmap_mode="r+")
        n = self.identity["texts"]["n"]
        if array.ndim != 2 or array.shape[0] != n or array.dtype != np.float32:
            raise ValueError(
                f"path {str(self.path)!r} holds a {array.dtype} array of shape {array.shape}, "
                f"not the float32 (n={n}, dim) array its manifest describes; "
                "delete both to start over."
            )
        self._array = array

    def write(self, rows, vectors):
        if self._array is None:
            self._create(vectors.shape[1])
        if vectors.shape[1] != self._array.shape[1]:
            raise ValueError(
                f"the encoder returned {vectors.shape[1]} columns for rows {rows.start}-"
                f"{rows.stop - 1}, but {self._array.shape[1]} before."
            )
        self._array[rows.start : rows.stop] = vectors
        self._array.flush()  # the rows reach the disk before the manifest says so
        self.done.add(rows.start // self.identity["chunk_size"])
        self._save(self.done)

    def _create(self, dim):
        """A fresh array, made under a temporary name and moved into place whole."""
        partial = self.path.with_name(self.path.name + ".partial")
        shape = (self.identity["texts"]["n"], dim)
        np.lib.format.open_memmap(partial, mode="w+", dtype=np.float32, shape=shape).flush()
        os.replace(partial, self.path)
        self._open_existing()

    def _save(self, done):
        manifest = {"format": _FORMAT, **self.identity, "done": sorted(done)}
        partial = self.manifest.with_name(self.manifest.name + ".partial")
        with partial.open("w") as f:
            json.dump(manifest, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, self.manifest)


def _json_roundtrip(value):
    return json.loads(json.dumps(value))


def _difference(theirs, ours):
    ours = _json_roundtrip(ours)
    if theirs["texts"] != ours["texts"]:
        return (
            f"other texts: {theirs['texts']['n']} there (sha256 "
            f"{str(theirs['texts']['sha256'])[:12]}…), {ours['texts']['n']} here (sha256 "
            f"{ours['texts']['sha256'][:12]}…)"
        )
    if theirs["encoder"] != ours["encoder"]:
        return f"another encoder: {theirs['encoder']} there, {ours['encoder']} here"
    if theirs["chunk_size"] != ours["chunk_size"]:
        return f"chunk_size={theirs['chunk_size']} there, {ours['chunk_size']} here"
    return "a manifest of another format"
