"""What every estimator in embedwidget.finetune shares.

- ``PARAMETER_CONSTRAINTS`` and ``constraints``: the family's parameters of one name accept
  the same values, declared once.
- ``IncrementalFitMixin``: ``fit`` and ``partial_fit`` as one path, ``_fit(..., incremental)``,
  and the parameters also accepted under another name.
- ``TorchStateMixin``: pickling across devices.
- ``LabelledTunerMixin``: the checks and ``classes_`` bookkeeping of tuners trained on labels.
- ``TorchHeadMixin``: device and seed, the flat parameters and their optimiser, the
  training passes with one early-stopping rule, and the batched ``transform``.
- ``Rows``: the rows a head trains on, dense or sparse, handed out a batch at a time.
- ``split_validation``: the one rule for holding labelled rows back for early stopping.
"""

from __future__ import annotations

import inspect
import io
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from embedwidget._utils import resolve_device
from embedwidget.finetune._adamw import FlatAdamW
from embedwidget.finetune._loop import batch_slices, run_epochs, seed_rng

# Rows densified and pushed through a head at once by ``transform``.
TRANSFORM_ROWS = 8192
# What ``validate_data`` accepts: sparse input stays sparse until a batch is needed.
SPARSE_FORMATS = ("csr", "csc", "coo")


# What a parameter of a given name accepts, for every estimator of the family that has it.
PARAMETER_CONSTRAINTS = {
    "hidden_dim": [Interval(Integral, 1, None, closed="left")],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "margin": [Interval(Real, 0, 2, closed="right")],
    "random_state": ["random_state"],
    "device": [str, None],
    "show_progress_bar": ["boolean", None],
}


def constraints(*names, **own):
    """An estimator's ``_parameter_constraints``: the family's entries for ``names``, and
    ``own`` for the parameters only it has (or that it narrows)."""
    return {**{name: PARAMETER_CONSTRAINTS[name] for name in names}, **own}


def plain_array(X):
    """``X`` as an ndarray when it is an ``np.matrix`` (which scikit-learn's checks refuse,
    and which ``X.todense()`` hands out); anything else as it is."""
    return np.asarray(X) if isinstance(X, np.matrix) else X


class IncrementalFitMixin:
    """``fit`` and ``partial_fit`` as one path, ``_fit(*data, incremental=...)``: the shape
    of scikit-learn's MLP.

    ``fit`` starts over: it checks the parameters, checks the data as new, builds fresh
    state and makes ``epochs`` passes. ``partial_fit`` does the same on its first call;
    later calls check the data against the first call's and make one pass, keeping the
    weights and the optimiser's state.

    A subclass supplies ``_check_data(*data, first, classes)`` (the checked data, a
    tuple), ``_initialize(*data)`` (fresh state, ``loss_curve_`` included: its presence
    marks a started model) and ``_train(*data, epochs, incremental)``.

    ``_aliases`` maps a parameter to another name it is also accepted under (the guide's
    spelling), a parameter of its own that defaults to None. When the alias is given it
    is used; given together with a different, non-default value of the parameter, it is
    an error. Read a parameter that has an alias with ``_resolved(name)``.
    """

    _aliases: dict = {}

    def _fit(self, *data, incremental, classes=None):
        first = not (incremental and hasattr(self, "loss_curve_"))
        if first:
            self._validate_params()
            self._check_aliases()
        data = self._check_data(*data, first=first, classes=classes)
        if first:
            self._initialize(*data)
        epochs = 1 if incremental else self._resolved("epochs")
        self._train(*data, epochs=epochs, incremental=incremental)
        return self

    def _resolved(self, name):
        """The value of parameter ``name``: its alias's when that was given."""
        alias = self._aliases.get(name)
        value = None if alias is None else getattr(self, alias)
        return getattr(self, name) if value is None else value

    def _check_aliases(self):
        defaults = inspect.signature(type(self).__init__).parameters
        for name, alias in self._aliases.items():
            value, alias_value = getattr(self, name), getattr(self, alias)
            if alias_value is None or value in (alias_value, defaults[name].default):
                continue
            raise ValueError(
                f"{alias}={alias_value!r} and {name}={value!r} were both given; {alias} is "
                f"another name for {name}: give only {name}."
            )


class TorchStateMixin:
    """Pickle fitted torch state through ``torch.save``, and load it onto ``self.device``.

    ``torch.save`` keeps views sharing their storage, so a flat parameter tensor and the
    per-layer views of it come back linked; ``map_location`` lets a model trained on a GPU
    load on a machine without one.
    """

    def __getstate__(self):
        state = super().__getstate__()
        if "_device" not in state:
            return state
        import torch

        state = {k: v for k, v in state.items() if k != "_device"}
        buffer = io.BytesIO()
        torch.save(state, buffer)
        return {"_torch_state": buffer.getvalue(), "device": self.device}

    def __setstate__(self, state):
        if "_torch_state" in state:
            import torch

            device = resolve_device(state["device"])
            state = torch.load(
                io.BytesIO(state["_torch_state"]), map_location=device, weights_only=False
            )
            state["_device"] = device
        super().__setstate__(state)


class Rows:
    """The rows of ``X`` on a torch device, handed out by index a batch at a time.

    Dense input is moved to the device once. Sparse input (a CountVectorizer's or
    TfidfVectorizer's output, often wider than memory allows densified) stays a scipy CSR
    matrix, and only the rows a batch asks for are densified, so both give the same
    numbers.
    """

    def __init__(self, X, device):
        import scipy.sparse
        import torch

        self.device = device
        self.sparse = scipy.sparse.issparse(X)
        self._X = X.tocsr() if self.sparse else torch.from_numpy(X).to(device)

    def __len__(self):
        return self._X.shape[0]

    def take(self, index):
        """The rows at ``index`` (a 1-D integer tensor on the device), dense."""
        import torch

        if not self.sparse:
            return self._X.index_select(0, index)
        dense = self._X[index.cpu().numpy()].toarray()
        return torch.from_numpy(dense).to(self.device)

    def to_shuffle(self, index):
        """What a training loop shuffles for the rows at ``index``, and the function that
        turns a minibatch of it into dense rows. Dense rows are gathered once, so every
        minibatch is a plain slice; sparse ones stay indices until a batch needs them."""
        if self.sparse:
            return index, self.take
        return self.take(index), lambda batch: batch

    def slice(self, start, stop):
        """Rows ``start:stop``, dense."""
        import torch

        if not self.sparse:
            return self._X[start:stop]
        return torch.from_numpy(self._X[start:stop].toarray()).to(self.device)


def split_validation(y, fraction, rng):
    """Indices of the rows to train on and to hold back, stratified by ``y``.

    None when the labels cannot spare them: ``fraction`` of the rows must hold one of
    every class, and every class must keep two rows to train on (so three labelled texts,
    one per class, train on all three, without early stopping).
    """
    from sklearn.model_selection import train_test_split

    classes, counts = np.unique(y, return_counts=True)
    n_val = int(np.ceil(fraction * len(y)))
    if n_val < len(classes) or counts.min() < 3 or len(y) - n_val < 2 * len(classes):
        return None
    return train_test_split(np.arange(len(y)), test_size=n_val, random_state=rng, stratify=y)


class EarlyStopping:
    """The one early-stopping rule: after every pass, score the held-back rows with
    ``validation_loss()``; stop once ``patience`` passes have not improved on the best,
    and ``restore`` puts the best pass's weights back."""

    def __init__(self, flat, validation_loss, patience):
        self.flat, self.validation_loss, self.patience = flat, validation_loss, patience
        self.scores = []
        self.best_epoch = 0
        self.best_flat = flat.clone()

    def __call__(self, epoch, _train_loss):
        score = self.validation_loss()
        self.scores.append(score)
        if score < min(self.scores[:-1], default=np.inf):
            self.best_epoch = epoch
            self.best_flat.copy_(self.flat)
        return epoch - self.best_epoch >= self.patience

    def restore(self):
        self.flat.copy_(self.best_flat)


class TorchHeadMixin(TorchStateMixin):
    """A small torch head with flat weights, trained in passes over rows.

    A subclass builds its head in ``_make_head(n_features, seed)`` (an object with
    ``flat``, ``grad`` and ``n_out``) and maps rows with ``_head_output(x)``; this class
    does the rest: device and seed, one ``FlatAdamW`` over the flat parameters, the passes
    with early stopping, the loss curve, and the batched ``transform``.
    """

    def _start(self, n_features):
        """A freshly initialised head and optimiser: what ``fit`` and a first
        ``partial_fit`` begin with."""
        self._device = resolve_device(self.device)
        self._rng, seed = seed_rng(self.random_state)
        self._head = self._make_head(n_features, seed)
        self._optimizer = FlatAdamW(self._head.flat, self.learning_rate, self.weight_decay)
        self.loss_curve_ = []
        self.n_iter_ = 0

    def _run(self, step, data, n_epochs, validation_loss=None, patience=None, groups=None):
        """``n_epochs`` shuffled passes of ``step`` over the rows of ``data``.

        With ``validation_loss``, training stops early by the ``EarlyStopping`` rule
        (``patience`` passes, ``n_iter_no_change`` when None), keeps the best pass's
        weights and records ``validation_scores_``.
        """
        import torch

        stopper = None
        if validation_loss is not None:
            patience = self.n_iter_no_change if patience is None else patience
            stopper = EarlyStopping(self._head.flat, validation_loss, patience)
        with torch.no_grad():
            losses = run_epochs(
                step,
                data,
                batch_size=self.batch_size,
                n_epochs=n_epochs,
                rng=self._rng,
                show_progress_bar=self.show_progress_bar,
                desc=type(self).__name__,
                after_epoch=stopper,
                groups=groups,
            )
            if stopper is not None:
                stopper.restore()
        self.validation_scores_ = [] if stopper is None else stopper.scores
        self.loss_curve_.extend(losses)
        self.n_iter_ += len(losses)

    def _map_rows(self, X, fn, width, into=False):
        """``fn`` applied to ``X`` (checked, dense or sparse) ``TRANSFORM_ROWS`` at a time,
        without gradients: a float32 array (n_samples, width).

        With ``into``, ``fn(rows, out=...)`` writes each batch straight into the array
        when the head is on the CPU: at a million points the copy it saves costs as much
        as the activation.
        """
        import torch

        rows = Rows(X, self._device)
        out = np.empty((len(rows), width), dtype=np.float32)
        direct = into and self._device.type == "cpu"
        target = torch.from_numpy(out) if direct else None
        with torch.no_grad():
            for start, stop in batch_slices(len(rows), TRANSFORM_ROWS):
                if direct:
                    fn(rows.slice(start, stop), out=target[start:stop])
                else:
                    out[start:stop] = fn(rows.slice(start, stop)).cpu().numpy()
        return out


class LabelledTunerMixin(IncrementalFitMixin):
    """Input checks and ``classes_`` bookkeeping for tuners trained on ``(X, y)``.

    The first pass (``fit``, or the first ``partial_fit``) learns ``classes_``: from
    ``classes`` when ``partial_fit`` is given them, else from ``y``. Later ``partial_fit``
    calls are held to them. ``accept_sparse`` says whether ``X`` may be a scipy sparse
    matrix.
    """

    accept_sparse = False

    def _check_data(self, X, y, first, classes=None):
        X, y = self._check_X_y(X, y, reset=first)
        if first:
            self._set_classes(np.unique(y) if classes is None else np.unique(np.asarray(classes)))
        elif classes is not None and not np.array_equal(
            np.unique(np.asarray(classes)), self.classes_
        ):
            raise ValueError(
                f"classes={list(classes)!r} differs from the classes of the first partial_fit "
                f"call, {self.classes_.tolist()!r}; call fit to start over."
            )
        self._encode_labels(y)  # refuse labels outside classes_ before any training
        return X, y

    def _check_X_y(self, X, y, reset):
        X, y = validate_data(
            self, plain_array(X), y, reset=reset, dtype=np.float32, ensure_min_samples=1,
            accept_sparse=self._sparse_formats(),
        )  # fmt: skip
        type_of_target(y, input_name="y", raise_unknown=True)
        return X, y

    def _sparse_formats(self):
        return SPARSE_FORMATS if self.accept_sparse else False

    def _set_classes(self, classes):
        if len(classes) < 2:
            raise ValueError(
                f"y has only one class ({classes.tolist()!r}); {type(self).__name__} needs at "
                "least 2 classes to learn from."
            )
        self.classes_ = classes

    def _encode_labels(self, y):
        """Position of each label in ``classes_``; an unknown label is an error."""
        codes = np.clip(np.searchsorted(self.classes_, y), 0, len(self.classes_) - 1)
        unseen = self.classes_[codes] != y
        if unseen.any():
            raise ValueError(
                f"y holds labels not among classes_ {self.classes_.tolist()!r}: "
                f"{np.unique(np.asarray(y)[unseen]).tolist()!r}."
            )
        return codes

    def _check_X(self, X):
        check_is_fitted(self, "classes_")
        return validate_data(
            self, plain_array(X), reset=False, dtype=np.float32,
            accept_sparse=self._sparse_formats(),
        )  # fmt: skip

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        tags.input_tags.sparse = self.accept_sparse
        return tags
