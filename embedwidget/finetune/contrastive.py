"""``ContrastiveTuner``: samples similar and dissimilar pairs from labels and trains a
``ContrastiveLearner`` on them; a scikit-learn transformer."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions

from embedwidget._utils import quiet
from embedwidget.finetune._base import (
    LabelledTunerMixin,
    Rows,
    TorchStateMixin,
    constraints,
    split_validation,
)
from embedwidget.finetune._loop import seed_rng
from embedwidget.finetune.contrastive_learner import LOSSES, ContrastiveLearner, pair_losses
from embedwidget.finetune.pairs import Pairs, pairs_from_labels

RESIDUAL_SCALES = (0.0, 0.25, 0.5, 0.75, 1.0)
_SCALE_FOLDS = 5
_SCALE_CS = (0.1, 1.0, 10.0, 100.0)
# Training items the held-back items are compared with, at most, for early stopping.
_MAX_REFERENCE = 2048


class ContrastiveTuner(TorchStateMixin, LabelledTunerMixin, TransformerMixin, BaseEstimator):
    """Finetune embeddings towards labels by contrast: a scikit-learn transformer.

    From ``(X, y)`` it samples pairs, for each item ``n_neg`` from other classes
    (dissimilar) and one from its own (similar), and trains a ``ContrastiveLearner`` on
    them; ``transform`` returns the learned embedding. Each ``partial_fit`` samples fresh
    pairs from the batch it is given and continues training the same network.

    Parameters
    ----------
    hidden_dim : int, default=50
        Size of the learned embedding (and of the network's hidden layer). Wider moves
        the picture further (``bench/quality.py``), and every ``transform`` costs
        roughly in proportion to the width: 50 keeps a live picture of many points cheap.
    n_neg : int, default=3
        Dissimilar partners sampled per item (and one similar one).
    epochs : int, default=20
        Passes over the sampled pairs in ``fit`` (an upper bound with early stopping).
    learning_rate : float, default=0.01
        AdamW's step size, ten times embetter's 0.001. At 0.001 the correction hardly
        moves within the passes early stopping allows, and the picture of held-out
        points stays close to the raw embedding's; at 0.01 it moves clearly, and a
        logistic regression on the tuned embedding still scores as well as on the raw
        one (``bench/quality.py``; its figures are in ``bench/RESULTS.md``).
    loss : {"cosine", "contrastive"}, default="contrastive"
    margin : float, default=0.5
    weight_decay : float, default=1.0
        AdamW's decoupled weight decay; with ``residual=True`` it pulls the correction
        towards none, that is towards the raw embedding's projection. Without it the
        picture moved a little further, but a logistic regression on the tuned
        embedding lost more of what the raw one knew on the data set with the most
        classes: the decay gives up a little movement to keep that.
    residual : bool, default=True
        ``transform`` returns ``x @ P + f(x)``: the projection of the input onto its top
        ``hidden_dim`` principal directions (``P``, fixed at the start of training),
        corrected towards the labels, rather than a new embedding ``f(x)`` (embetter's
        design). What the labels say nothing about keeps the raw embedding's main
        geometry.
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
        and ``transform`` returns ``x @ P + a * f(x)`` with ``a`` in ``RESIDUAL_SCALES``
        (0 keeps the raw embedding's projection): the ``a`` under which a logistic
        regression predicts unseen items best, by 5-fold cross-validation (a tuner like
        this one learns ``f`` on four folds, the fifth is scored by log-loss; ties go to
        the smaller ``a``).
        Costs five more fits. Worth it with thousands of labels, where the full
        correction fits the training items too well: on a few thousand labelled reviews
        it chose ``a = 0`` and kept the raw embedding's accuracy, which the full
        correction lost (``bench/contrastive.py --only scale --labels 100000``).
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
    (60, 4)
    """

    accept_sparse = True
    _parameter_constraints = constraints(
        "hidden_dim", "epochs", "learning_rate", "batch_size", "margin", "weight_decay",
        "early_stopping", "validation_fraction", "n_iter_no_change", "random_state", "device",
        "show_progress_bar",
        n_neg=[Interval(Integral, 1, None, closed="left")],
        loss=[StrOptions(set(LOSSES))],
        residual=["boolean"],
        scale_residual=["boolean"],
    )  # fmt: skip

    def __init__(
        self,
        hidden_dim=50,
        n_neg=3,
        epochs=20,
        learning_rate=0.01,
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
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None):
        """Sample fresh pairs from this batch and make one pass over them. Returns self."""
        return self._fit(X, y, incremental=True, classes=classes)

    def _train(self, X, y, epochs, incremental):
        """``partial_fit``: one pass over fresh pairs. ``fit``: ``epochs`` passes, holding
        items back for early stopping, then the residual scale when asked for."""
        learner = self.learner_
        learner.show_progress_bar = self.show_progress_bar  # the tuner's, as it is now
        rows = Rows(X, learner._device)
        self.residual_scale_ = 1.0
        if incremental:
            learner._train_pairs(rows, self._sample_pairs(y, np.arange(len(y))), epochs)
            return
        split = None
        if self.early_stopping:
            split = split_validation(y, self.validation_fraction, self._rng)
        train = np.arange(len(y)) if split is None else split[0]
        pairs = self._sample_pairs(y, train)
        validation_loss = None if split is None else self._validation_loss(rows, y, *split)
        learner._train_pairs(rows, pairs, epochs, validation_loss, self.n_iter_no_change)
        if self.scale_residual and self.residual:
            self.residual_scale_ = self._choose_scale(X, y)

    def transform(self, X):
        """The tuned embedding: float32 array (n_samples, hidden_dim)."""
        return self._embed(self._check_X(X), getattr(self, "residual_scale_", 1.0))

    def _embed(self, X, scale):
        """``X`` (checked) through the learner's head, its correction times ``scale``."""
        learner = self.learner_
        return learner._map_rows(X, lambda x: learner._head.embed(x, scale), self.hidden_dim)

    def _choose_scale(self, X, y):
        """The ``a`` in ``RESIDUAL_SCALES`` under which a logistic regression on
        ``x @ P + a * f(x)`` predicts unseen items best, by stratified k-fold
        cross-validation: on each fold a tuner like this one learns ``f`` from the other
        folds, and for each ``a`` the lowest held-out log-loss over ``_SCALE_CS`` counts.
        Ties go to the smaller ``a``; 1.0 when a class is too small to split."""
        from sklearn.base import clone
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import log_loss
        from sklearn.model_selection import StratifiedKFold

        n_splits = min(_SCALE_FOLDS, np.unique(y, return_counts=True)[1].min())
        if n_splits < 2:
            return 1.0
        losses = np.zeros((len(RESIDUAL_SCALES), len(_SCALE_CS)))
        folds = StratifiedKFold(n_splits, shuffle=True, random_state=self._rng.randint(2**31))
        for train, test in folds.split(np.zeros(len(y)), y):
            tuner = clone(self).set_params(
                scale_residual=False, random_state=self._rng.randint(2**31)
            )
            with quiet(tuner):
                tuner.fit(X[train], y[train])
            for i, scale in enumerate(RESIDUAL_SCALES):
                Z = tuner._embed(X, scale)
                for j, C in enumerate(_SCALE_CS):
                    clf = LogisticRegression(C=C, max_iter=1000).fit(Z[train], y[train])
                    proba = clf.predict_proba(Z[test])
                    losses[i, j] += len(test) * log_loss(y[test], proba, labels=clf.classes_)
        best = losses.min(axis=1)
        return RESIDUAL_SCALES[int(np.flatnonzero(best <= best.min() + 1e-9)[0])]

    @property
    def loss_curve_(self):
        return self.learner_.loss_curve_

    @property
    def validation_scores_(self):
        return self.learner_.validation_scores_

    def _initialize(self, X, y):
        self._rng, seed = seed_rng(self.random_state)
        self.learner_ = ContrastiveLearner(
            hidden_dim=self.hidden_dim,
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
        self.learner_._begin(X)

    def _sample_pairs(self, y, subset):
        """Pairs among the items ``subset``, as indices into all of ``y``."""
        y_subset = y[subset]
        if len(np.unique(y_subset)) < 2:
            raise ValueError(
                "this batch holds a single class; dissimilar pairs need items of at least "
                "two classes in the same batch."
            )
        pairs = pairs_from_labels(y_subset, n_pos=1, n_neg=self.n_neg, random_state=self._rng)
        return Pairs(subset[pairs.first], subset[pairs.second], pairs.similar)

    def _validation_loss(self, rows, y, train, held_back):
        """The pair loss between held-back items and training items, for early stopping.

        Every held-back item is compared with (up to ``_MAX_REFERENCE``) training items,
        all pairs at once: same class similar, other class dissimilar. Similar and
        dissimilar pairs are weighted 1 to ``n_neg``, as in the sampled training pairs.
        """
        import torch

        if len(train) > _MAX_REFERENCE:
            train = self._rng.choice(train, _MAX_REFERENCE, replace=False)
        learner, device = self.learner_, self.learner_._device
        same = torch.from_numpy(y[held_back][:, None] == y[train][None, :]).to(device)
        reference = rows.take(torch.from_numpy(train).to(device))
        val = rows.take(torch.from_numpy(held_back).to(device))
        normalize = torch.nn.functional.normalize
        n_neg = self.n_neg

        def loss():
            head = learner._head
            cos = normalize(head.embed(val), dim=1) @ normalize(head.embed(reference), dim=1).T
            losses, _ = pair_losses(learner.loss, cos, same.float(), learner.margin)
            score = losses[same].mean().item() if same.any() else 0.0
            score += n_neg * losses[~same].mean().item()
            return score / (1 + n_neg)

        return loss
