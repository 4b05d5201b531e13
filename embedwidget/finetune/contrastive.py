"""Contrastive finetuning on top of vectors: ``ContrastiveLearner`` learns from pairs,
``ContrastiveTuner`` samples those pairs from labels and is a scikit-learn transformer."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from embedwidget._utils import resolve_device, rowwise_cosine
from embedwidget.finetune._adamw import FlatAdamW, FlatTwoLayer
from embedwidget.finetune._base import LabelledTunerMixin, TorchStateMixin
from embedwidget.finetune._loop import batch_slices, run_epochs, seed_rng
from embedwidget.finetune.pairs import pairs_from_labels

LOSSES = ("cosine", "contrastive")
RESIDUAL_SCALES = (0.0, 0.25, 0.5, 0.75, 1.0)
_SCALE_FOLDS = 5
_SCALE_CS = (0.1, 1.0, 10.0, 100.0)
_TRANSFORM_ROWS = 8192


class _SiameseHead(FlatTwoLayer):
    """x -> relu(x @ W1 + b1) @ W2 + b2 (plus x when ``residual``), one set of weights for
    both items of a pair, with the gradient of the pair loss written by hand.

    All weights live in one flat tensor (and all gradients in another) so that one fused
    AdamW call updates everything. For a head this small the per-step overhead of
    autograd costs about as much as the arithmetic, so the backward pass is spelled out
    (``tests/test_contrastive.py`` checks it against autograd).
    """

    def __init__(self, n_in, n_hidden, seed, device, residual=False):
        self.residual = residual
        self.n_out = n_in if residual else n_hidden
        super().__init__(n_in, n_hidden, self.n_out, seed, device)

    def embed(self, x):
        import torch

        hidden = torch.addmm(self.b1, x, self.W1).clamp_(min=0)
        out = torch.addmm(self.b2, hidden, self.W2)
        return out.add_(x) if self.residual else out

    def loss_and_grad(self, x, where, target, kind, margin):
        """Summed loss of a batch of pairs; fills ``self.grad`` with its gradient / batch.

        ``x`` holds the distinct items of the batch, ``where`` (2 * batch,) the row in
        ``x`` of each pair's first items followed by each pair's second items.
        """
        import torch

        batch = len(target)
        # forward
        hidden = torch.addmm(self.b1, x, self.W1).clamp_(min=0)
        out = torch.addmm(self.b2, hidden, self.W2)
        if self.residual:
            out.add_(x)
        norm = torch.linalg.vector_norm(out, dim=1, keepdim=True).clamp_(min=1e-12)
        unit = out.div_(norm)  # ``out`` is not needed again
        pair = unit.index_select(0, where).view(2, batch, -1)
        cos = torch.sum(pair[0] * pair[1], dim=1)
        # loss and its derivative with respect to each cosine
        if kind == "cosine":  # regress the similarity onto the target
            residual = cos - target
            loss = torch.dot(residual, residual)
            d_cos = residual.mul_(2.0 / batch)
        else:  # pull similar pairs in, push others until their distance passes the margin
            distance = 1.0 - cos
            push = torch.clamp(distance.neg().add_(margin), min=0)
            loss = torch.dot(target, distance * distance) + torch.dot(1 - target, push * push)
            # d/dcos [t d^2 + (1 - t) push^2] = -2 t d + 2 (1 - t) push
            d_cos = (push - target * (distance + push)).mul_(2.0 / batch)
        # backward: cosine -> unit vectors -> raw outputs -> the two layers
        d_unit = torch.zeros_like(unit)
        d_cos = d_cos.unsqueeze(1)
        d_unit.index_add_(0, where[:batch], pair[1] * d_cos)
        d_unit.index_add_(0, where[batch:], pair[0] * d_cos)
        radial = torch.sum(d_unit * unit, dim=1, keepdim=True)
        d_out = d_unit.addcmul_(unit, radial, value=-1).div_(norm)
        torch.mm(hidden.T, d_out, out=self.gW2)
        torch.sum(d_out, 0, out=self.gb2)
        d_hidden = torch.ops.aten.threshold_backward(torch.mm(d_out, self.W2.T), hidden, 0)
        torch.mm(x.T, d_hidden, out=self.gW1)
        torch.sum(d_hidden, 0, out=self.gb1)
        return loss


class ContrastiveLearner(TorchStateMixin, BaseEstimator):
    """Learn a new embedding from pairs of vectors that are similar (1) or not (0).

    One shared ("siamese") network maps both items of a pair; training pulls the
    outputs of similar pairs together and pushes dissimilar ones apart. Not a pipeline
    step (it takes two inputs); ``ContrastiveTuner`` is its pipeline form.

    Parameters
    ----------
    shape_out : int, default=300
        Size of the learned embedding; with ``residual=True``, the width of the hidden
        layer instead.
    batch_size : int, default=16
    epochs : int, default=1
        Passes over the pairs in ``fit``; ``partial_fit`` makes one.
    learning_rate : float, default=2e-5
    loss : {"cosine", "contrastive"}, default="contrastive"
        "cosine" regresses the cosine similarity of a pair onto its target, as
        sentence-transformers' CosineSimilarityLoss does; "contrastive" pulls similar
        pairs together and pushes dissimilar ones until their cosine distance passes
        ``margin``, and leaves them alone after (the default: better held-out scores in
        ``bench/contrastive.py``).
    margin : float, default=0.5
        For ``loss="contrastive"``: the cosine distance past which dissimilar pairs stop
        being pushed.
    weight_decay : float, default=0.0
    residual : bool, default=False
        Learn a correction rather than a new embedding: ``transform`` returns
        ``x + f(x)``, with the input's own dimension, so what the labels say nothing
        about stays as it was.
    random_state : int, RandomState or None, default=None
    device : {"auto", "cpu", "cuda", "mps"}, default="auto"
    show_progress_bar : bool or None, default=None
        None shows a bar once ``fit`` has run for two seconds.

    Attributes
    ----------
    n_features_in_ : int
    loss_curve_ : list of float
        Mean loss of every pass made so far.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.finetune import ContrastiveLearner
    >>> rng = np.random.default_rng(0)
    >>> X1, X2 = rng.normal(size=(2, 40, 8)).astype("float32")
    >>> y = (X1[:, 0] * X2[:, 0] > 0).astype(float)
    >>> learner = ContrastiveLearner(shape_out=4, epochs=5, random_state=0).fit(X1, X2, y)
    >>> learner.transform(X1).shape
    (40, 4)
    """

    _parameter_constraints = {
        "shape_out": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [StrOptions(set(LOSSES))],
        "margin": [Interval(Real, 0, 2, closed="right")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "residual": ["boolean"],
        "random_state": ["random_state"],
        "device": [str, None],
        "show_progress_bar": ["boolean", None],
    }

    def __init__(
        self,
        shape_out=300,
        batch_size=16,
        epochs=1,
        learning_rate=2e-5,
        loss="contrastive",
        margin=0.5,
        weight_decay=0.0,
        residual=False,
        random_state=None,
        device="auto",
        show_progress_bar=None,
    ):
        self.shape_out = shape_out
        self.batch_size = batch_size
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.loss = loss
        self.margin = margin
        self.weight_decay = weight_decay
        self.residual = residual
        self.random_state = random_state
        self.device = device
        self.show_progress_bar = show_progress_bar

    def fit(self, X1, X2, y):
        """Train from scratch on pairs ``(X1[i], X2[i])`` with targets ``y`` in [0, 1]."""
        return self._fit(X1, X2, y)

    def _fit(self, X1, X2, y, after_epoch=None):
        self._validate_params()
        X1, X2, y = self._check_pairs(X1, X2, y, reset=True)
        self._initialize(X1.shape[1])
        self._train(X1, X2, y, self.epochs, after_epoch)
        return self

    def partial_fit(self, X1, X2, y):
        """One pass over the given pairs, keeping weights and optimiser state."""
        first = not hasattr(self, "_head")
        if first:
            self._validate_params()
        X1, X2, y = self._check_pairs(X1, X2, y, reset=first)
        if first:
            self._initialize(X1.shape[1])
        self._train(X1, X2, y, 1)
        return self

    def transform(self, X):
        """The learned embedding of ``X``: float32 array (n_samples, shape_out), or
        (n_samples, n_features) with ``residual=True``."""
        import torch

        check_is_fitted(self, "_head")
        X = validate_data(self, X, reset=False, dtype=np.float32)
        out = np.empty((len(X), self._head.n_out), dtype=np.float32)
        with torch.no_grad():
            for start, stop in batch_slices(len(X), _TRANSFORM_ROWS):
                x = torch.from_numpy(X[start:stop]).to(self._device)
                out[start:stop] = self._head.embed(x).cpu().numpy()
        return out

    def predict(self, X1, X2):
        """Cosine similarity of each pair in the learned embedding."""
        return rowwise_cosine(self.transform(X1), self.transform(X2))

    def _check_pairs(self, X1, X2, y, reset):
        X1 = check_array(X1, dtype=np.float32, input_name="X1")
        X2 = check_array(X2, dtype=np.float32, input_name="X2")
        y = check_array(y, ensure_2d=False, dtype=np.float32, input_name="y")
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D, one target per pair; got shape {y.shape}.")
        if not len(X1) == len(X2) == len(y):
            raise ValueError(
                f"X1, X2 and y must have one row per pair; got {len(X1)}, {len(X2)} and {len(y)}."
            )
        if X1.shape[1] != X2.shape[1]:
            raise ValueError(
                f"X1 and X2 must have the same number of features; got {X1.shape[1]} and "
                f"{X2.shape[1]}."
            )
        if ((y < 0) | (y > 1)).any():
            raise ValueError(
                f"y must lie in [0, 1] (1: similar, 0: dissimilar); got values from "
                f"{y.min():g} to {y.max():g}."
            )
        validate_data(self, X1, reset=reset, skip_check_array=True)
        return X1, X2, y

    def _initialize(self, n_features):
        self._device = resolve_device(self.device)
        self._rng, seed = seed_rng(self.random_state)
        self._head = _SiameseHead(
            n_features, self.shape_out, seed, self._device, residual=self.residual
        )
        self._optimizer = FlatAdamW(self._head.flat, self.learning_rate, self.weight_decay)
        self.loss_curve_ = []
        self.n_iter_ = 0

    def _train(self, X1, X2, y, epochs, after_epoch=None):
        """Train on pairs, embedding each distinct item of a minibatch once.

        Pairs repeat their items (an anchor is paired with several partners), so the
        rows are deduplicated once, pairs of the same first item are kept in the same
        minibatch, and every step embeds only the distinct items it touches.
        """
        import torch

        head, optimizer = self._head, self._optimizer
        loss_kind, margin = self.loss, self.margin
        n = len(X1)
        items, inverse = np.unique(np.concatenate([X1, X2]), axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        items_t = torch.from_numpy(items).to(self._device)

        def step(first, second, target):
            needed, where = torch.unique(torch.cat([first, second]), return_inverse=True)
            loss = head.loss_and_grad(
                items_t.index_select(0, needed), where, target, loss_kind, margin
            )
            optimizer.step(head.grad)
            return loss

        data = [torch.from_numpy(a).to(self._device) for a in (inverse[:n], inverse[n:], y)]
        with torch.no_grad():
            losses = run_epochs(
                step,
                data,
                batch_size=self.batch_size,
                n_epochs=epochs,
                rng=self._rng,
                show_progress_bar=self.show_progress_bar,
                desc=type(self).__name__,
                after_epoch=after_epoch,
                groups=inverse[:n],
            )
        self.loss_curve_.extend(losses)
        self.n_iter_ += len(losses)


class ContrastiveTuner(TorchStateMixin, LabelledTunerMixin, TransformerMixin, BaseEstimator):
    """Finetune embeddings towards labels by contrast: a scikit-learn transformer.

    From ``(X, y)`` it samples pairs, for each item ``n_neg`` from other classes
    (dissimilar) and one from its own (similar), and trains a ``ContrastiveLearner`` on
    them; ``transform`` returns the learned embedding. Each ``partial_fit`` samples fresh
    pairs from the batch it is given and continues training the same network.

    Parameters
    ----------
    hidden_dim : int, default=50
        Width of the network's hidden layer; with ``residual=False``, the size of the
        learned embedding.
    n_neg : int, default=3
        Dissimilar partners sampled per item (and one similar one).
    epochs : int, default=20
        Passes over the sampled pairs in ``fit`` (an upper bound with early stopping).
    learning_rate : float, default=0.001
    batch_size : int, default=256
    loss : {"cosine", "contrastive"}, default="contrastive"
    margin : float, default=0.5
    weight_decay : float, default=1.0
        AdamW's decoupled weight decay; with ``residual=True`` it pulls the correction
        towards none, that is towards the raw embedding.
    residual : bool, default=True
        ``transform`` returns ``x + f(x)``, the input corrected towards the labels, in
        the input's own dimension, rather than a new ``hidden_dim``-sized embedding
        ``f(x)``. What the labels say nothing about is kept: on held-out data this
        scored above the raw embedding, where the plain head (embetter's design) scored
        below it (``bench/contrastive.py``).
    early_stopping : bool, default=True
        In ``fit``, hold back ``validation_fraction`` of the labelled items, score the
        pair loss between them and the training items after every pass, stop when it
        has not improved for ``n_iter_no_change`` passes and keep the best weights.
        ``partial_fit`` never holds items back, nor does ``fit`` when a class has too
        few items to spare one.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=3
    scale_residual : bool, default=False
        With ``residual=True``: ``fit`` also chooses how much of the correction to keep,
        and ``transform`` returns ``x + a * f(x)`` with ``a`` in ``RESIDUAL_SCALES`` (0
        keeps the raw embedding): the ``a`` under which a logistic regression predicts
        unseen items best, by 5-fold cross-validation (a tuner like this one learns ``f``
        on four folds, the fifth is scored by log-loss; ties go to the smaller ``a``).
        Costs five more fits. Worth it with thousands of labels, where the full
        correction fits the training items too well: on 2,500 labelled reviews it chose
        ``a = 0`` and kept the raw embedding's accuracy, which the full correction lost
        (``bench/contrastive.py --only scale --labels 100000``).
    random_state : int, RandomState or None, default=None
    device : {"auto", "cpu", "cuda", "mps"}, default="auto"
    show_progress_bar : bool or None, default=None

    Attributes
    ----------
    classes_ : ndarray
    learner_ : ContrastiveLearner
    n_features_in_ : int
    loss_curve_ : list of float
    validation_scores_ : list of float
        The held-back pair loss after each pass of the last ``fit``; empty when no items
        were held back.
    residual_scale_ : float
        The ``a`` that ``transform`` applies (1.0 unless ``scale_residual`` chose one;
        ``partial_fit`` sets it back to 1.0).

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.finetune import ContrastiveTuner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 8)).astype("float32")
    >>> y = np.where(X[:, 0] > 0, "pos", "neg")
    >>> ContrastiveTuner(hidden_dim=4, epochs=3, random_state=0).fit_transform(X, y).shape
    (60, 8)
    >>> tuner = ContrastiveTuner(hidden_dim=4, epochs=3, residual=False, random_state=0)
    >>> tuner.fit_transform(X, y).shape
    (60, 4)
    """

    _parameter_constraints = {
        "hidden_dim": [Interval(Integral, 1, None, closed="left")],
        "n_neg": [Interval(Integral, 1, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "loss": [StrOptions(set(LOSSES))],
        "margin": [Interval(Real, 0, 2, closed="right")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "residual": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "scale_residual": ["boolean"],
        "random_state": ["random_state"],
        "device": [str, None],
        "show_progress_bar": ["boolean", None],
    }

    def __init__(
        self,
        hidden_dim=50,
        n_neg=3,
        epochs=20,
        learning_rate=0.001,
        batch_size=256,
        loss="contrastive",
        margin=0.5,
        weight_decay=1.0,
        residual=True,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=3,
        scale_residual=False,
        random_state=None,
        device="auto",
        show_progress_bar=None,
    ):
        self.hidden_dim = hidden_dim
        self.n_neg = n_neg
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.loss = loss
        self.margin = margin
        self.weight_decay = weight_decay
        self.residual = residual
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.scale_residual = scale_residual
        self.random_state = random_state
        self.device = device
        self.show_progress_bar = show_progress_bar

    def fit(self, X, y):
        """Sample pairs from ``(X, y)`` and train a new learner on them. Returns self."""
        X, y = self._check_fit_data(X, y)
        self._fit_learner(X, y)
        self.residual_scale_ = 1.0
        if self.scale_residual and self.residual:
            self.residual_scale_ = self._choose_scale(X, y)
        return self

    def _fit_learner(self, X, y):
        held_back = self._split_validation(X, y) if self.early_stopping else None
        if held_back is not None:
            X, y, X_val, y_val = held_back
        X1, X2, similar = self._sample_pairs(X, y)
        if held_back is None:
            self.learner_.fit(X1, X2, similar)
            self.validation_scores_ = []
            return
        stopper = _EarlyStopper(self, X, y, X_val, y_val)
        self.learner_._fit(X1, X2, similar, after_epoch=stopper)
        stopper.restore_best()
        self.validation_scores_ = stopper.scores

    def partial_fit(self, X, y, classes=None):
        """Sample fresh pairs from this batch and make one pass over them. Returns self."""
        X, y = self._check_partial_fit_data(X, y, classes)
        X1, X2, similar = self._sample_pairs(X, y)
        self.learner_.partial_fit(X1, X2, similar)
        self.residual_scale_ = 1.0
        return self

    def transform(self, X):
        """The tuned embedding: float32 array (n_samples, n_features), or
        (n_samples, hidden_dim) with ``residual=False``."""
        X = self._check_X(X)
        return self._scaled(X, self.learner_.transform(X), getattr(self, "residual_scale_", 1.0))

    @staticmethod
    def _scaled(X, out, scale):
        """``x + scale * f(x)`` from ``out = x + f(x)``."""
        if scale == 1.0:
            return out
        return (X + np.float32(scale) * (out - X)).astype(np.float32, copy=False)

    def _choose_scale(self, X, y):
        """The ``a`` in ``RESIDUAL_SCALES`` under which a logistic regression on
        ``x + a * f(x)`` predicts unseen items best, by stratified k-fold cross-validation:
        on each fold a tuner like this one learns ``f`` from the other folds, and for each
        ``a`` the lowest held-out log-loss over ``_SCALE_CS`` counts. Ties go to the
        smaller ``a``; 1.0 when a class is too small to split."""
        from sklearn.base import clone
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import log_loss
        from sklearn.model_selection import StratifiedKFold

        n_splits = min(_SCALE_FOLDS, np.unique(y, return_counts=True)[1].min())
        if n_splits < 2:
            return 1.0
        losses = np.zeros((len(RESIDUAL_SCALES), len(_SCALE_CS)))
        folds = StratifiedKFold(n_splits, shuffle=True, random_state=self._rng.randint(2**31))
        for train, test in folds.split(X, y):
            tuner = clone(self).set_params(
                scale_residual=False,
                random_state=self._rng.randint(2**31),
                show_progress_bar=False,
            )
            tuner.fit(X[train], y[train])
            out = tuner.learner_.transform(X)
            for i, scale in enumerate(RESIDUAL_SCALES):
                Z = self._scaled(X, out, scale)
                for j, C in enumerate(_SCALE_CS):
                    clf = LogisticRegression(C=C, max_iter=1000).fit(Z[train], y[train])
                    proba = clf.predict_proba(Z[test])
                    losses[i, j] += len(test) * log_loss(y[test], proba, labels=clf.classes_)
        best = losses.min(axis=1)
        return RESIDUAL_SCALES[int(np.flatnonzero(best <= best.min() + 1e-9)[0])]

    @property
    def loss_curve_(self):
        return self.learner_.loss_curve_

    def _initialize(self, X):
        self._rng, seed = seed_rng(self.random_state)
        self.learner_ = ContrastiveLearner(
            shape_out=self.hidden_dim,
            batch_size=self.batch_size,
            epochs=self.epochs,
            learning_rate=self.learning_rate,
            loss=self.loss,
            margin=self.margin,
            weight_decay=self.weight_decay,
            residual=self.residual,
            random_state=seed,
            device=self.device,
            show_progress_bar=self.show_progress_bar,
        )

    def _sample_pairs(self, X, y):
        if len(np.unique(y)) < 2:
            raise ValueError(
                "this batch holds a single class; dissimilar pairs need items of at least "
                "two classes in the same batch."
            )
        pairs = pairs_from_labels(y, n_pos=1, n_neg=self.n_neg, random_state=self._rng)
        return X[pairs.first], X[pairs.second], pairs.similar

    def _split_validation(self, X, y):
        """Training and held-back items, stratified; None when a class cannot spare one."""
        from sklearn.model_selection import train_test_split

        classes, counts = np.unique(y, return_counts=True)
        n_val = int(np.ceil(self.validation_fraction * len(y)))
        if counts.min() < 3 or n_val < len(classes) or len(y) - n_val < 2 * len(classes):
            return None
        X, X_val, y, y_val = train_test_split(
            X, y, test_size=n_val, random_state=self._rng, stratify=y
        )
        return X, y, X_val, y_val


class _EarlyStopper:
    """After each pass, the pair loss between held-back items and training items.

    Every held-back item is compared with (up to ``_MAX_REFERENCE``) training items, all
    pairs at once: same class similar, other class dissimilar. Similar and dissimilar
    pairs are weighted 1 to ``n_neg``, as in the sampled training pairs.
    """

    _MAX_REFERENCE = 2048

    def __init__(self, tuner, X, y, X_val, y_val):
        import torch

        learner = tuner.learner_
        rng = tuner._rng
        if len(X) > self._MAX_REFERENCE:
            keep = rng.choice(len(X), self._MAX_REFERENCE, replace=False)
            X, y = X[keep], y[keep]
        self.tuner, self.learner = tuner, learner
        self.n_neg = tuner.n_neg
        self.X, self.X_val = X, X_val
        self.same = np.asarray(y_val)[:, None] == np.asarray(y)[None, :]
        self.scores = []
        self.best = (np.inf, -1)
        self._best_flat = None
        self._torch = torch

    def __call__(self, epoch, _train_loss):
        torch = self._torch
        learner = self.learner
        head, device = learner._head, learner._device
        if self._best_flat is None:
            self._best_flat = head.flat.clone()
            self._same = torch.from_numpy(self.same).to(device)
            self._ref = torch.from_numpy(self.X).to(device)
            self._val = torch.from_numpy(self.X_val).to(device)
        normalize = torch.nn.functional.normalize
        cos = normalize(head.embed(self._val), dim=1) @ normalize(head.embed(self._ref), dim=1).T
        losses = _pair_losses(learner.loss, cos, self._same.float(), learner.margin)
        score = losses[self._same].mean().item() if self.same.any() else 0.0
        score += self.n_neg * losses[~self._same].mean().item()
        score /= 1 + self.n_neg
        self.scores.append(score)
        if score < self.best[0]:
            self.best = (score, epoch)
            self._best_flat.copy_(head.flat)
        return epoch - self.best[1] >= self.tuner.n_iter_no_change

    def restore_best(self):
        if self._best_flat is not None:
            self.learner._head.flat.copy_(self._best_flat)


def _pair_losses(kind, cos, target, margin):
    """The loss of each pair, elementwise, as the learner's training minimises it."""
    import torch

    if kind == "cosine":
        return (cos - target) ** 2
    distance = 1.0 - cos
    return target * distance**2 + (1 - target) * torch.clamp(margin - distance, min=0) ** 2
