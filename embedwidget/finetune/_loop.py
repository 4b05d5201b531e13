"""The training loop that every torch tuner and learner in embedwidget shares.

A model supplies ``step(indices) -> loss`` (one optimiser step on those rows, the summed
loss as a 0-d tensor); the loop shuffles, batches, counts, checks for divergence and
shows progress. Keeping this in one place keeps ``fit`` and ``partial_fit`` honest:
``fit`` is a reset followed by ``n_epochs`` of the same pass that ``partial_fit`` runs once.
"""

from __future__ import annotations

import contextlib
import math
import threading

import numpy as np
from tqdm import tqdm as plain_tqdm
from tqdm.auto import tqdm


def batch_slices(n_samples, batch_size):
    """Start and stop of each minibatch over ``n_samples`` rows."""
    return [
        (start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)
    ]


def run_epochs(
    step,
    data,
    *,
    batch_size,
    n_epochs,
    rng,
    show_progress_bar=None,
    desc="training",
    after_epoch=None,
    groups=None,
):
    """Run ``n_epochs`` shuffled passes over the rows of ``data``; return each epoch's mean loss.

    Parameters
    ----------
    step : callable
        ``step(*batch)`` gets one minibatch slice of every tensor in ``data``, makes one
        optimiser step and returns the batch's summed loss as a 0-d tensor.
    data : sequence of tensors
        Same number of rows each. They are shuffled together once an epoch, so every
        minibatch is a contiguous slice rather than a gather.
    rng : numpy.random.RandomState
        Draws the shuffles, so a seeded estimator repeats exactly.
    show_progress_bar : bool or None
        None shows a bar only once training has taken more than two seconds.
    after_epoch : callable, optional
        ``after_epoch(epoch, loss) -> bool``; returning True stops early.
    groups : numpy array, optional
        A group id per row; rows of a group stay next to each other in every shuffle
        (the groups' order is shuffled), so they tend to share a minibatch.

    Raises
    ------
    FloatingPointError
        When the loss stops being finite (a learning rate too high, or bad input).
    """
    import torch

    n_samples = len(data[0])
    device = data[0].device
    slices = batch_slices(n_samples, batch_size)
    losses = []
    # A bar for one pass (partial_fit) only says 0/1 then 1/1: none unless asked for.
    quiet = show_progress_bar is False or (show_progress_bar is None and n_epochs == 1)
    # Notebook bars are widgets: never make them off the main thread (a widget's
    # training thread), where creating a widget can wait on the busy kernel forever.
    bar_class = tqdm if threading.current_thread() is threading.main_thread() else plain_tqdm
    bar = bar_class(
        total=n_epochs,
        desc=desc,
        disable=quiet,
        delay=0 if show_progress_bar else 2.0,
        leave=False,
    )
    with bar, flush_denormals():
        for epoch in range(n_epochs):
            order = torch.from_numpy(_shuffle(n_samples, groups, rng)).to(device)
            shuffled = [tensor.index_select(0, order) for tensor in data]
            total = torch.zeros((), device=device)
            for start, stop in slices:
                total += step(*[tensor[start:stop] for tensor in shuffled])
            loss = total.item() / n_samples
            if not math.isfinite(loss):
                raise FloatingPointError(
                    f"the training loss became {loss} in epoch {epoch + 1}; "
                    "lower learning_rate or check the input for extreme values."
                )
            losses.append(loss)
            bar.update()
            bar.set_postfix(loss=f"{loss:.4g}", refresh=False)
            if after_epoch is not None and after_epoch(epoch, loss):
                break
    return losses


def _shuffle(n_samples, groups, rng):
    if groups is None:
        return rng.permutation(n_samples)
    _, codes = np.unique(groups, return_inverse=True)
    group_rank = rng.permutation(codes.max() + 1)
    return np.lexsort((rng.random_sample(n_samples), group_rank[codes]))


@contextlib.contextmanager
def flush_denormals():
    """Treat subnormal floats as zero on the CPU while the block runs, then restore.

    As a head fits its labels, gradients and Adam's second moments shrink into the
    subnormal range, where x86 arithmetic is many times slower, and a long fit on real
    embeddings spends much of its time there. The values lost are below 1e-38.
    """
    import torch

    was_on = (torch.tensor(1e-39) * 1.0).item() == 0.0
    torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_flush_denormal(was_on)


def seed_rng(random_state):
    """A numpy RandomState for shuffles and a seed for torch's weight initialisation."""
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    return rng, int(rng.randint(np.iinfo(np.int32).max))
