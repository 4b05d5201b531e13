"""AdamW over one flat parameter tensor, in one fused kernel where torch has it.

The heads in embedwidget are small, so the fixed cost of ``torch.optim`` (hooks, per-tensor
bookkeeping) outweighs the arithmetic. Keeping every weight in one flat tensor lets a
single call update them all; the state is three plain tensors, so it pickles as is.
"""

from __future__ import annotations

import math

import numpy as np


class FlatTwoLayer:
    """The weights of ``x @ W1 + b1 -> (n_hidden) -> @ W2 + b2`` as views into one flat
    tensor ``flat``, with gradients as views into ``grad`` of the same layout, so that one
    ``FlatAdamW`` step updates every weight. W1 and W2 start uniform in
    ±1/sqrt(fan_in) from ``seed``; the biases at zero."""

    def __init__(self, n_in, n_hidden, n_out, seed, device):
        import torch

        self.shapes = [(n_in, n_hidden), (n_hidden,), (n_hidden, n_out), (n_out,)]
        self.flat = torch.zeros(sum(int(np.prod(s)) for s in self.shapes), device=device)
        self.grad = torch.zeros_like(self.flat)
        self.W1, self.b1, self.W2, self.b2 = self._views(self.flat)
        self.gW1, self.gb1, self.gW2, self.gb2 = self._views(self.grad)
        gen = torch.Generator(device="cpu").manual_seed(seed)
        for weight, fan_in in ((self.W1, n_in), (self.W2, n_hidden)):
            bound = 1.0 / np.sqrt(fan_in)
            weight.copy_(torch.empty(weight.shape).uniform_(-bound, bound, generator=gen))

    def _views(self, buffer):
        views, start = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            views.append(buffer[start : start + size].view(shape))
            start += size
        return views


class FlatAdamW:
    """Decoupled-weight-decay Adam for one flat tensor ``params``."""

    def __init__(self, params, lr, weight_decay=0.0, betas=(0.9, 0.999), eps=1e-8):
        import torch

        self.params = params
        self.lr, self.weight_decay, self.betas, self.eps = lr, weight_decay, betas, eps
        self.exp_avg = torch.zeros_like(params)
        self.exp_avg_sq = torch.zeros_like(params)
        self.step_count = torch.zeros((), dtype=torch.float32, device=params.device)

    def step(self, grad):
        """Update ``params`` in place from ``grad``, a tensor of the same shape."""
        import torch

        beta1, beta2 = self.betas
        self.step_count += 1  # the fused kernel expects the count already advanced
        if _has_fused_adamw(self.params.device):
            torch._fused_adamw_(
                [self.params], [grad], [self.exp_avg], [self.exp_avg_sq], [],
                [self.step_count], lr=self.lr, beta1=beta1, beta2=beta2,
                weight_decay=self.weight_decay, eps=self.eps, amsgrad=False, maximize=False,
            )  # fmt: skip
            return
        t = self.step_count.item()
        self.params.mul_(1 - self.lr * self.weight_decay)
        self.exp_avg.lerp_(grad, 1 - beta1)
        self.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = self.exp_avg_sq.sqrt().div_(math.sqrt(1 - beta2**t)).add_(self.eps)
        self.params.addcdiv_(self.exp_avg, denom, value=-self.lr / (1 - beta1**t))


_FUSED_SUPPORT: dict = {}


def _has_fused_adamw(device):
    """Whether this torch build has a fused AdamW kernel for ``device`` (CPU since torch 2.4)."""
    import torch

    if device.type not in _FUSED_SUPPORT:
        try:
            one = torch.zeros(1, device=device)
            torch._fused_adamw_(
                [one], [one.clone()], [one.clone()], [one.clone()], [],
                [torch.zeros((), device=device)], lr=0.0, beta1=0.9, beta2=0.999,
                weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False,
            )  # fmt: skip
            _FUSED_SUPPORT[device.type] = True
        except (AttributeError, NotImplementedError, RuntimeError):
            _FUSED_SUPPORT[device.type] = False
    return _FUSED_SUPPORT[device.type]
