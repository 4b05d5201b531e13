"""What every torch estimator in embedwidget shares: pickling across devices, and the
checks and class bookkeeping of tuners trained on labels."""

from __future__ import annotations

import io

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from embedwidget._utils import resolve_device


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


class LabelledTunerMixin:
    """Input checks and ``classes_`` bookkeeping for tuners trained on ``(X, y)``.

    ``fit`` calls ``_check_fit_data``; ``partial_fit`` calls ``_check_partial_fit_data``,
    which learns ``classes_`` on the first call and holds later calls to them. A subclass
    implements ``_initialize(X)``, called with the checked input once ``classes_`` is known.
    """

    def _check_fit_data(self, X, y):
        self._validate_params()
        X, y = self._check_X_y(X, y, reset=True)
        self._set_classes(np.unique(y))
        self._initialize(X)
        return X, y

    def _check_partial_fit_data(self, X, y, classes):
        first = not hasattr(self, "classes_")
        if first:
            self._validate_params()
        X, y = self._check_X_y(X, y, reset=first)
        if first:
            self._set_classes(np.unique(y) if classes is None else np.unique(np.asarray(classes)))
            self._initialize(X)
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
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float32, ensure_min_samples=1)
        type_of_target(y, input_name="y", raise_unknown=True)
        return X, y

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
        return validate_data(self, X, reset=False, dtype=np.float32)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
