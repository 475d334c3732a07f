"""Intramodal self-attention F^m, Eq. (1)-(2).

Eq. (1): O = softmax(Q K^T / sqrt(d)) V with Q = rho W_Q, K = rho W_K, V = rho W_V.
Eq. (2): rho_bar = F(rho) = rho + O W_O (residual).

The paper's W_Q, W_K, W_V, W_O are d x d. At d = 2048 that is 16.8 M parameters per modality, twice
the whole network of Table VI, and ~5 s per training step on 2 cores; so the inner width ``inner``
is a config value (``attn_dim``). With ``inner < d`` W_Q, W_K, W_V are d x inner, W_O is inner x d and
the scale is sqrt(inner) (the width of the dot product); ``inner = d`` is the literal Eq. (1).
"""

from __future__ import annotations

import math

import torch
from torch import nn


class SelfAttention(nn.Module):
    """F^m of Eq. (2): rho + softmax(Q K^T / sqrt(d)) V W_O over the time axis of [B, T, d]."""

    def __init__(self, dim: int, inner: int | None = None) -> None:
        super().__init__()
        inner = dim if inner is None else inner
        self.w_q = nn.Linear(dim, inner, bias=False)
        self.w_k = nn.Linear(dim, inner, bias=False)
        self.w_v = nn.Linear(dim, inner, bias=False)
        self.w_o = nn.Linear(inner, dim, bias=False)
        self.scale = 1.0 / math.sqrt(inner)

    def forward(self, rho: torch.Tensor) -> torch.Tensor:
        q, k, v = self.w_q(rho), self.w_k(rho), self.w_v(rho)
        attn = torch.softmax(q @ k.transpose(1, 2) * self.scale, dim=-1)  # Eq. (1)
        return rho + self.w_o(attn @ v)  # Eq. (2)
