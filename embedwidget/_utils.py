"""Small helpers shared by the encoder, the finetuners and the sessions: input checks and
device choice."""

from __future__ import annotations

import contextlib
import contextvars

import numpy as np

_DEVICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(device):
    """Turn a ``device`` parameter into a ``torch.device``.

    ``"auto"`` and ``None`` pick CUDA, then Apple's MPS, then the CPU. An explicit
    device that this machine lacks raises a ``ValueError`` instead of a torch error.
    """
    import torch

    if device is None or device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str) or device.split(":")[0] not in _DEVICES:
        raise ValueError(f"device must be one of {_DEVICES} (or 'cuda:N'); got {device!r}.")
    kind = device.split(":")[0]
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was asked for, but torch sees no CUDA device here.")
    if kind == "mps" and not torch.backends.mps.is_available():
        raise ValueError("device='mps' was asked for, but torch sees no MPS device here.")
    return torch.device(device)


def text_column(texts, name="X"):
    """A Series, a 1-D array or an (n, 1) column as a 1-D numpy array (not copied into a
    list); anything else as it is."""
    if hasattr(texts, "to_numpy"):  # pandas Series or one-column DataFrame
        texts = texts.to_numpy()
    if isinstance(texts, np.ndarray):
        if texts.ndim == 2 and texts.shape[1] == 1:
            texts = texts[:, 0]
        if texts.ndim != 1:
            raise ValueError(f"{name} must be 1-D (one text per row); got shape {texts.shape}.")
    return texts


def check_texts(texts, name="X"):
    """Return ``texts`` as a list of ``str``, or raise a clear error.

    Accepts a list or tuple, a pandas Series, a 1-D array or an (n, 1) column (as a
    ``ColumnTransformer`` hands over). Strings must not be None or NaN.
    """
    if isinstance(texts, str):
        raise TypeError(
            f"{name} must be a sequence of texts, not a single string; wrap it in a list."
        )
    texts = text_column(texts, name)
    if isinstance(texts, np.ndarray):
        texts = texts.tolist()
    try:
        texts = list(texts)
    except TypeError:
        raise TypeError(
            f"{name} must be a sequence of texts; got {type(texts).__name__}."
        ) from None
    if not texts:
        raise ValueError(f"{name} is empty: there is no text to work on.")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"{name} must hold only strings; item {i} is {type(text).__name__} ({text!r:.40})."
            )
    return texts


def rowwise_cosine(A, B):
    """Cosine similarity of each row of ``A`` with the same row of ``B``."""
    norms = np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1)
    return np.einsum("ij,ij->i", A, B) / np.maximum(norms, 1e-12)


@contextlib.contextmanager
def transformers_bars_hidden(hide=True):
    """With ``hide``, transformers' own progress bars (its "Loading weights", which a
    model loaded in under a second draws anyway) stay hidden for the block."""
    from transformers.utils import logging

    hide = hide and logging.is_progress_bar_enabled()
    if hide:
        logging.disable_progress_bar()
    try:
        yield
    finally:
        if hide:
            logging.enable_progress_bar()


@contextlib.contextmanager
def quiet(model):
    """No progress bars from ``model`` for the block (its ``show_progress_bar`` set to
    False, then put back): a training session shows its own progress, and a notebook
    bar is a widget, which must not be made from a training thread."""
    if not hasattr(model, "show_progress_bar"):
        yield
        return
    saved, model.show_progress_bar = model.show_progress_bar, False
    try:
        yield
    finally:
        model.show_progress_bar = saved


_PROGRESS = contextvars.ContextVar("embedwidget_progress", default=None)


@contextlib.contextmanager
def progress_to(callback):
    """Within the block (on this thread), a model that trains in many batches reports
    ``callback(done, total)`` as it goes: a training session shows it in place of the
    bars that ``quiet`` hides."""
    token = _PROGRESS.set(callback)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def report_progress(done, total):
    """Tell whoever listens (see ``progress_to``) that ``done`` of ``total`` are done."""
    callback = _PROGRESS.get()
    if callback is not None:
        callback(int(done), int(total))


def check_embedding(X):
    from sklearn.utils import check_array

    if hasattr(X, "shape") and len(X.shape) != 2:
        raise ValueError(f"X must be 2-D (n points, dim); got shape {tuple(X.shape)}.")
    X = check_array(X, dtype=(np.float32, np.float64), input_name="X")
    if len(X) > np.iinfo(np.uint32).max:
        raise ValueError(f"X has {len(X)} points; at most 2**32 - 1 can be drawn.")
    return X


def check_encoder(encoder):
    if encoder is None:
        return None
    if isinstance(encoder, type):
        raise TypeError(f"encoder must be an instance, like {encoder.__name__}(), not the class.")
    if not callable(getattr(encoder, "transform", None)):
        raise TypeError(
            f"encoder must have transform(list_of_str); {type(encoder).__name__} has none."
        )
    return encoder


def check_length(values, n, name):
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} entries but X has {n} points.")
    return values


def check_indices(indices, n, name):
    array = np.asarray(indices)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.size == 0:
        return array.astype(np.int64).reshape(0)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must be point indices (ints); got {indices!r:.80}.")
    if array.min() < 0 or array.max() >= n:
        bad = int(array.min() if array.min() < 0 else array.max())
        raise ValueError(f"{name} holds index {bad}, outside 0..{n - 1} for {n} points.")
    return array.astype(np.int64)
