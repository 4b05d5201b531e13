"""``FeedForwardTuner``: a one-hidden-layer network trained on labels; its hidden layer
is the new embedding."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions

from embedwidget.finetune._adamw import FlatTwoLayer
from embedwidget.finetune._base import (
    LabelledTunerMixin,
    Rows,
    TorchHeadMixin,
    constraints,
    split_validation,
)

ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")


def activate_(z, activation):
    """``activation`` applied to the float32 tensor ``z`` in place; returns ``z``.

    On the CPU, sigmoid and tanh are NumPy's: torch's float32 kernels rounded the same
    number one unit in the last place apart depending on where it sat in the tensor, so a
    row's tuned embedding changed with the order and the company of the rows it was
    transformed with (scikit-learn's order-invariance check failed about one run in three).
    NumPy's SIMD loops run the same code for every element, remainder included, and the
    products and sums around its ``tanh`` are correctly rounded.
    """
    if activation == "relu":
        z.clamp_(min=0)
    elif activation in ("sigmoid", "tanh") and z.device.type != "cpu":
        z.sigmoid_() if activation == "sigmoid" else z.tanh_()
    elif activation == "tanh":
        np.tanh(z.numpy(), out=z.numpy())
    elif activation == "sigmoid":  # 1 / (1 + exp(-z)) = (1 + tanh(z / 2)) / 2, in place
        a = z.numpy()
        np.multiply(a, 0.5, out=a)  # halving is exact, so it commutes with the rounding
        np.tanh(a, out=a)  # one SIMD pass, faster than exp + add + reciprocal
        np.multiply(a, 0.5, out=a)
        np.add(a, 0.5, out=a)
    return z


class _Head(FlatTwoLayer):
    """input -> activation(x @ W1 + b1) -> @ W2 + b2 -> logits, with its gradient written by hand.

    All weights live in one flat tensor (and all gradients in another) so that one fused
    AdamW call updates everything; for heads this small the per-call overhead of autograd
    and of per-tensor optimiser work costs more than the arithmetic.
    """

    def __init__(self, n_in, n_hidden, n_out, activation, seed, device, dropout=0.0):
        import torch

        super().__init__(n_in, n_hidden, n_out, seed, device)
        self.activation = activation
        self.dropout = dropout
        # On the CPU whatever the device, so that a model pickled on a GPU loads anywhere.
        self.generator = torch.Generator().manual_seed(seed)

    def drop(self, x):
        """Training rows ``x`` with each input entry zeroed with probability ``dropout``
        and the rest scaled by 1 / (1 - dropout), so that on average they are ``x``."""
        import torch

        if self.dropout == 0:
            return x
        keep = torch.rand(x.shape, generator=self.generator) >= self.dropout
        return x * keep.to(x.device, x.dtype).mul_(1.0 / (1.0 - self.dropout))

    def hidden(self, x, out=None):
        """Hidden layer for rows ``x``, activation applied in place."""
        import torch

        return activate_(torch.addmm(self.b1, x, self.W1, out=out), self.activation)

    def logits(self, x):
        import torch

        return torch.addmm(self.b2, self.hidden(x), self.W2)

    def loss_and_grad(self, x, onehot):
        """Summed cross-entropy of rows ``x`` (dropped out, see ``drop``) against one-hot
        targets; fills ``self.grad``."""
        import torch

        x = self.drop(x)
        a = self.hidden(x)
        log_p = torch.log_softmax(torch.addmm(self.b2, a, self.W2), dim=1)
        loss = -torch.vdot(log_p.view(-1), onehot.reshape(-1))
        d_logits = log_p.exp_().sub_(onehot).mul_(1.0 / x.shape[0])
        torch.mm(a.T, d_logits, out=self.gW2)
        torch.sum(d_logits, 0, out=self.gb2)
        d_a = torch.mm(d_logits, self.W2.T)
        if self.activation == "relu":
            d_a = torch.ops.aten.threshold_backward(d_a, a, 0)
        elif self.activation == "tanh":
            d_a.mul_(1 - a * a)
        elif self.activation == "sigmoid":
            d_a.mul_(a * (1 - a))
        torch.mm(x.T, d_a, out=self.gW1)
        torch.sum(d_a, 0, out=self.gb1)
        return loss


class FeedForwardTuner(TorchHeadMixin, LabelledTunerMixin, TransformerMixin, BaseEstimator):
    """Finetune embeddings towards labels with a small feed-forward network.

    The network maps each vector through one hidden layer to class logits and is
    trained with cross-entropy; ``transform`` returns the hidden layer, so points of the
    same class move together while the rest of the geometry is kept where the labels
    say nothing.

    Parameters
    ----------
    hidden_dim : int, default=50
        Size of the hidden layer: the dimension of the tuned embedding.
    epochs : int, default=500
        Passes over the data in ``fit``. ``partial_fit`` always makes one pass.
    learning_rate : float, default=0.01
        AdamW's step size.
    batch_size : int, default=32
        Rows per optimiser step.
    activation : {"relu", "tanh", "sigmoid", "identity"}, default="sigmoid"
        Applied to the hidden layer (and so to the tuned embedding). Trained on a few
        hundred labels, sigmoid moved the picture of held-out points the most (how well a
        classifier separates the classes in its 2-D PCA), ahead of tanh, relu and
        embetter's tuner, and gave a logistic regression on the tuned embedding the best
        score (``bench/quality.py``; its figures are in ``bench/RESULTS.md``).
    weight_decay : float, default=0.0
        AdamW's decoupled weight decay; it keeps a head trained on few labels from
        overfitting them.
    dropout : float in [0, 1), default=0.0
        While training, each input entry is zeroed with this probability (and the rest
        scaled up to keep the mean): every pass sees a noisy copy of each labelled
        vector, so the head cannot lean on a few of its coordinates. ``transform`` and
        ``predict`` never drop anything. With a few hundred labels, moderate and heavy
        dropout left the picture and a logistic regression's score where they were,
        within the noise between seeds (``bench/quality.py``), so it is off by default;
        it may help with fewer labels or noisier vectors.
    early_stopping : bool, default=True
        In ``fit``, hold back ``validation_fraction`` of the rows, stop when their loss has
        not improved for ``n_iter_no_change`` epochs and keep the best weights. A few
        hundred labels are learned by heart long before 500 passes end, and stopping
        where the held-back rows stop improving scored better on held-out data than
        training every pass (``bench/feedforward.py``). ``epochs`` is then an upper
        bound. ``partial_fit`` never holds rows back.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=10
    random_state : int, RandomState or None, default=None
        Seeds the initial weights and the shuffles.
    device : {"auto", "cpu", "cuda", "mps"}, default="auto"
        "auto" uses a GPU when torch sees one.
    show_progress_bar : bool or None, default=None
        None shows a bar once ``fit`` has run for two seconds.
    n_epochs : int or None, default=None
        Another name for ``epochs``, the one embetter and the guide use
        (``FeedForwardTuner(n_epochs=500, ...)``). When given it is used; giving
        ``epochs`` as well, with another value, is an error.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_features_in_ : int
    loss_curve_ : list of float
        Mean training loss of every pass made so far.
    n_iter_ : int
        Passes made so far.

    Examples
    --------
    >>> import numpy as np
    >>> from embedwidget.finetune import FeedForwardTuner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 8)).astype("float32")
    >>> y = np.where(X[:, 0] > 0, "pos", "neg")
    >>> tuner = FeedForwardTuner(hidden_dim=4, epochs=20, random_state=0).fit(X, y)
    >>> tuner.transform(X).shape
    (60, 4)
    >>> tuner.classes_.tolist()
    ['neg', 'pos']
    """

    accept_sparse = True
    _parameter_constraints = constraints(
        "hidden_dim", "epochs", "learning_rate", "batch_size", "weight_decay",
        "early_stopping", "validation_fraction", "n_iter_no_change", "random_state", "device",
        "show_progress_bar",
        activation=[StrOptions(set(ACTIVATIONS))],
        dropout=[Interval(Real, 0, 1, closed="left")],
        n_epochs=[Interval(Integral, 1, None, closed="left"), None],
    )  # fmt: skip
    _aliases = {"epochs": "n_epochs"}

    def __init__(
        self,
        hidden_dim=50,
        epochs=500,
        learning_rate=0.01,
        batch_size=32,
        activation="sigmoid",
        weight_decay=0.0,
        dropout=0.0,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=10,
        random_state=None,
        device="auto",
        show_progress_bar=None,
        n_epochs=None,
    ):
        self.hidden_dim = hidden_dim
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.activation = activation
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state
        self.device = device
        self.show_progress_bar = show_progress_bar
        self.n_epochs = n_epochs

    # -- fitting ---------------------------------------------------------------------

    def fit(self, X, y):
        """Train from scratch for ``epochs`` passes. Returns self."""
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None):
        """Make one pass over ``(X, y)``, keeping weights and optimiser state between calls.

        On the first call ``classes`` lists every label that will ever be seen; when it
        is None it is taken from ``y``. Later calls may bring only some of the classes.
        Returns self.
        """
        return self._fit(X, y, incremental=True, classes=classes)

    def _initialize(self, X, y):
        self._start(X.shape[1])

    def _train(self, X, y, epochs, incremental):
        """``epochs`` passes over ``(X, y)``; ``fit`` holds rows back for early stopping."""
        rows = Rows(X, self._device)
        split = None
        if self.early_stopping and not incremental:
            split = split_validation(y, self.validation_fraction, self._rng)
        if split is None:
            self._passes(rows, y, epochs)
            return
        train, held_back = split
        self._passes(rows, y, epochs, train, self._validation_loss(rows, y, held_back))

    def _make_head(self, n_features, seed):
        return _Head(
            n_features, self.hidden_dim, len(self.classes_), self.activation, seed, self._device,
            dropout=self.dropout,
        )  # fmt: skip

    def _one_hot(self, y):
        """One row per sample, 1.0 in the column of its class, as a tensor on the device."""
        import torch

        codes = torch.from_numpy(self._encode_labels(y)).to(self._device)
        return torch.nn.functional.one_hot(codes, len(self.classes_)).float()

    def _passes(self, rows, y, n_epochs, train=None, validation_loss=None):
        """Passes over the rows ``train`` (all when None) of ``rows``."""
        import torch

        head, optimizer = self._head, self._optimizer
        train = np.arange(len(y)) if train is None else train
        shuffled, dense = rows.to_shuffle(torch.from_numpy(train).to(self._device))

        def step(xb, yb):
            loss = head.loss_and_grad(dense(xb), yb)
            optimizer.step(head.grad)
            return loss

        self._run(step, (shuffled, self._one_hot(y[train])), n_epochs, validation_loss)

    def _validation_loss(self, rows, y, held_back):
        """Mean cross-entropy of the held-back rows, for early stopping."""
        import torch

        x = rows.take(torch.from_numpy(held_back).to(self._device))
        onehot = self._one_hot(y[held_back])

        def loss():
            log_p = torch.log_softmax(self._head.logits(x), dim=1)
            return -torch.mul(log_p, onehot).sum().item() / len(x)

        return loss

    # -- using the fitted head -------------------------------------------------------

    def transform(self, X):
        """The hidden layer for ``X``: float32 array of shape (n_samples, hidden_dim)."""
        return self._map_rows(self._check_X(X), self._head.hidden, self.hidden_dim, into=True)

    def decision_function(self, X):
        """Class logits, shape (n_samples, n_classes)."""
        return self._map_rows(self._check_X(X), self._head.logits, len(self.classes_))

    def predict_proba(self, X):
        """Class probabilities from the head, float64 array (n_samples, n_classes), as
        scikit-learn's MLP returns them: near-certain points keep their doubt, which a
        float32 softmax rounds to exactly 1."""
        logits = self.decision_function(X).astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        """The most probable class for each row."""
        scores = self.decision_function(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.classifier_tags = ClassifierTags()  # it predicts too: any number of classes
        return tags


ForwardFinetuner = FeedForwardTuner
