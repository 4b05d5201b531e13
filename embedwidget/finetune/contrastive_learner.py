"""``ContrastiveLearner``: a siamese head trained on pairs of vectors that are similar or not."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from embedwidget._utils import rowwise_cosine
from embedwidget.finetune._adamw import FlatTwoLayer
from embedwidget.finetune._base import (
    SPARSE_FORMATS,
    IncrementalFitMixin,
    Rows,
    TorchHeadMixin,
    constraints,
    plain_array,
)
from embedwidget.finetune.pairs import Pairs

LOSSES = ("cosine", "contrastive")


def pair_losses(kind, cos, target, margin):
    """The loss of each pair from its cosine ``cos`` and ``target`` (1 similar, 0 not),
    and the loss's derivative with respect to the cosine: the one pair loss that the
    learner trains on and that ``ContrastiveTuner``'s early stopping scores.

    "cosine" regresses the similarity onto the target; "contrastive" pulls similar pairs
    in and pushes the others until their cosine distance passes ``margin``.
    """
    import torch

    if kind == "cosine":
        residual = cos - target
        return residual * residual, residual.mul_(2.0)
    distance = 1.0 - cos
    push = torch.clamp(distance.neg().add_(margin), min=0)
    losses = target * (distance * distance) + (1 - target) * (push * push)
    # d/dcos [t d^2 + (1 - t) push^2] = -2 t d + 2 (1 - t) push
    return losses, (push - target * (distance + push)).mul_(2.0)


class _SiameseHead(FlatTwoLayer):
    """x -> relu(x @ W1 + b1) @ W2 + b2, plus x @ skip when a ``skip`` basis is given, one
    set of weights for both items of a pair, with the gradient of the pair loss written
    by hand.

    ``skip`` (n_in, n_hidden) is fixed, not trained: with it the head learns a correction
    to a projection of its input rather than a new embedding. All trained weights live in
    one flat tensor (and all gradients in another) so that one fused AdamW call updates
    everything. For a head this small the per-step overhead of autograd costs about as
    much as the arithmetic, so the backward pass is spelled out
    (``tests/test_contrastive.py`` checks it against autograd).
    """

    def __init__(self, n_in, n_hidden, seed, device, skip=None):
        super().__init__(n_in, n_hidden, n_hidden, seed, device)
        self.n_out = n_hidden
        self.skip = skip

    def embed(self, x, scale=1.0):
        """The embedding of rows ``x``; ``scale`` multiplies the learned correction."""
        import torch

        hidden = torch.addmm(self.b1, x, self.W1).clamp_(min=0)
        out = torch.addmm(self.b2, hidden, self.W2)
        if self.skip is None:
            return out
        return out.mul_(scale).addmm_(x, self.skip)

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
        if self.skip is not None:
            out.addmm_(x, self.skip)
        norm = torch.linalg.vector_norm(out, dim=1, keepdim=True).clamp_(min=1e-12)
        unit = out.div_(norm)  # ``out`` is not needed again
        pair = unit.index_select(0, where).view(2, batch, -1)
        cos = torch.sum(pair[0] * pair[1], dim=1)
        losses, d_cos = pair_losses(kind, cos, target, margin)
        loss = losses.sum()
        d_cos.mul_(1.0 / batch)
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


class ContrastiveLearner(TorchHeadMixin, IncrementalFitMixin, BaseEstimator):
    """Learn a new embedding from pairs of vectors that are similar (1) or not (0).

    One shared ("siamese") network maps both items of a pair; training pulls the
    outputs of similar pairs together and pushes dissimilar ones apart. Not a pipeline
    step (it takes two inputs); ``ContrastiveTuner`` is its pipeline form.

    Parameters
    ----------
    hidden_dim : int, default=300
        Size of the learned embedding (and of the network's hidden layer).
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
        ``x @ P + f(x)``, where the columns of ``P`` are fixed, the top ``hidden_dim``
        principal directions of the items of the first ``fit`` or ``partial_fit`` (zero
        past their rank). What the pairs say nothing about keeps the raw embedding's
        main geometry.
    random_state : int, RandomState or None, default=None
    device : {"auto", "cpu", "cuda", "mps"}, default="auto"
    show_progress_bar : bool or None, default=None
        None shows a bar once ``fit`` has run for two seconds.
    shape_out : int or None, default=None
        Another name for ``hidden_dim``, the one embetter and the guide use
        (``ContrastiveLearner(shape_out=384, ...)``). When given it is used; giving
        ``hidden_dim`` as well, with another value, is an error.

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
    >>> learner = ContrastiveLearner(hidden_dim=4, epochs=5, random_state=0).fit(X1, X2, y)
    >>> learner.transform(X1).shape
    (40, 4)
    """

    _parameter_constraints = constraints(
        "hidden_dim", "batch_size", "epochs", "learning_rate", "margin", "weight_decay",
        "random_state", "device", "show_progress_bar",
        loss=[StrOptions(set(LOSSES))],
        residual=["boolean"],
        shape_out=[Interval(Integral, 1, None, closed="left"), None],
    )  # fmt: skip
    _aliases = {"hidden_dim": "shape_out"}

    def __init__(
        self,
        hidden_dim=300,
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
        shape_out=None,
    ):
        self.hidden_dim = hidden_dim
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
        self.shape_out = shape_out

    def fit(self, X1, X2, y):
        """Train from scratch on pairs ``(X1[i], X2[i])`` with targets ``y`` in [0, 1]."""
        return self._fit(X1, X2, y, incremental=False)

    def partial_fit(self, X1, X2, y):
        """One pass over the given pairs, keeping weights and optimiser state."""
        return self._fit(X1, X2, y, incremental=True)

    def transform(self, X):
        """The learned embedding of ``X``: float32 array (n_samples, hidden_dim)."""
        check_is_fitted(self, "_head")
        X = validate_data(
            self, plain_array(X), reset=False, dtype=np.float32, accept_sparse=SPARSE_FORMATS
        )
        return self._map_rows(X, self._head.embed, self._head.n_out)

    def predict(self, X1, X2):
        """Cosine similarity of each pair in the learned embedding."""
        return rowwise_cosine(self.transform(X1), self.transform(X2))

    def _check_data(self, X1, X2, y, first, classes=None):
        """The distinct items of ``X1`` and ``X2`` and the pairs as indices into them.

        Pairs repeat their items (an anchor is paired with several partners), so the
        items are de-duplicated here, once, and training embeds each distinct item of a
        minibatch once.
        """
        X1, X2 = (
            check_array(plain_array(X), dtype=np.float32, accept_sparse="csr", input_name=name)
            for X, name in ((X1, "X1"), (X2, "X2"))
        )
        y = check_array(y, ensure_2d=False, dtype=np.float32, input_name="y")
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D, one target per pair; got shape {y.shape}.")
        if not X1.shape[0] == X2.shape[0] == len(y):
            raise ValueError(
                "X1, X2 and y must have one row per pair; got "
                f"{X1.shape[0]}, {X2.shape[0]} and {len(y)}."
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
        validate_data(self, X1, reset=first, skip_check_array=True)
        items, inverse = distinct_rows(X1, X2)
        return items, Pairs(inverse[: len(y)], inverse[len(y) :], y)

    def _initialize(self, items, pairs):
        self._begin(items)

    def _train(self, items, pairs, epochs, incremental):
        self._train_pairs(Rows(items, self._device), pairs, epochs)

    def _begin(self, items):
        """A fresh head for rows like ``items`` (checked, dense or sparse), whose
        principal directions the residual form keeps; for ``fit`` or a tuner's training."""
        self.n_features_in_ = items.shape[1]
        self._start(items.shape[1])
        if self.residual:
            import torch

            basis = principal_directions(items, self._resolved("hidden_dim"), self._rng)
            self._head.skip = torch.from_numpy(basis).to(self._device)

    def _make_head(self, n_features, seed):
        return _SiameseHead(n_features, self._resolved("hidden_dim"), seed, self._device)

    def _train_pairs(self, rows, pairs, epochs, validation_loss=None, patience=None):
        """Passes over ``pairs``, indices into ``rows`` (a ``Rows``); early stopping as
        ``TorchHeadMixin._run`` does it.

        Pairs of the same first item are kept in the same minibatch, and every step
        embeds only the distinct items it touches.
        """
        import torch

        head, optimizer = self._head, self._optimizer
        loss_kind, margin = self.loss, self.margin

        def step(first, second, target):
            needed, where = torch.unique(torch.cat([first, second]), return_inverse=True)
            loss = head.loss_and_grad(rows.take(needed), where, target, loss_kind, margin)
            optimizer.step(head.grad)
            return loss

        data = [
            torch.from_numpy(np.asarray(a)).to(self._device)
            for a in (pairs.first, pairs.second, np.asarray(pairs.similar, dtype=np.float32))
        ]
        self._run(step, data, epochs, validation_loss, patience, groups=pairs.first)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def distinct_rows(X1, X2):
    """The distinct rows of ``X1`` stacked on ``X2``, in the order they first appear, and
    the position among them of every stacked row. Dense or CSR (then both CSR)."""
    import scipy.sparse

    if scipy.sparse.issparse(X1) or scipy.sparse.issparse(X2):
        stacked = scipy.sparse.vstack(list(map(scipy.sparse.csr_matrix, (X1, X2))), format="csr")
        stacked.sum_duplicates()  # a canonical form: sorted indices, no stored zeros
        stacked.eliminate_zeros()
        bounds = zip(stacked.indptr[:-1], stacked.indptr[1:], strict=True)
        keys = [stacked.indices[a:b].tobytes() + stacked.data[a:b].tobytes() for a, b in bounds]
    else:
        stacked = np.ascontiguousarray(np.concatenate([X1, X2]))
        stacked[stacked == 0] = 0.0  # -0.0 and 0.0 are one value
        keys = [row.tobytes() for row in stacked]
    ids = {}
    inverse = np.fromiter((ids.setdefault(k, len(ids)) for k in keys), np.intp, len(keys))
    first = np.unique(inverse, return_index=True)[1]
    return stacked[first], inverse


def principal_directions(X, k, rng, max_rows=1024, chunk=4096):
    """(n_features, k) float32: the top ``k`` principal directions of the rows of ``X``
    (dense or sparse) as columns, zero past their rank; from ``max_rows`` rows at most.

    Through the rows' Gram matrix, built from ``chunk`` densified columns at a time: a
    wide sparse ``X`` (a TF-IDF matrix) is never densified whole, and sparse and dense
    input go through the same arithmetic, so they get the same basis. Each column's
    largest entry is positive, so the basis is repeatable.
    """
    import scipy.sparse

    n, d = X.shape
    if n > max_rows:
        X = X[np.sort(rng.choice(n, max_rows, replace=False))]
    X = X.tocsc() if scipy.sparse.issparse(X) else X

    def columns(start):
        part = X[:, start : start + chunk]
        part = part.toarray() if scipy.sparse.issparse(part) else part
        part = part.astype(np.float64)
        return part - part.mean(axis=0)

    gram = np.zeros((X.shape[0], X.shape[0]))
    for start in range(0, d, chunk):
        part = columns(start)
        gram += part @ part.T
    values, vectors = np.linalg.eigh(gram)
    keep = np.flatnonzero(values > values.max() * 1e-10)[::-1][:k]
    vectors = vectors[:, keep] / np.sqrt(values[keep])
    directions = np.concatenate([columns(start).T @ vectors for start in range(0, d, chunk)])
    signs = np.sign(directions[np.abs(directions).argmax(axis=0), np.arange(len(keep))])
    basis = np.zeros((d, k), dtype=np.float32)
    basis[:, : len(keep)] = directions * signs
    return basis
