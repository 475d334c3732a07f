"""Representation activation selection learning: Eq. (4), (6), (7), (8).

Eq. (4): z_i = psi(r_i) (a conv layer), s_i = sum_c w_c z_i[c] (a bias-free linear layer).
The paper then multiplies s * r before the decoder (Eq. 5) and calls s "an attention weight for r_i".
What bounds s is not said; ``activation`` chooses it:
- ``sigmoid``: s in (0, 1). With Eq. (8) alone every s saturates to 1 within ~100 steps (measured on
  the benchmark features): nothing pulls the rest down, and a saturated sigmoid yields ties whose order
  falls back to clip position when ranked (a hidden position bias).
- ``none``: raw s; it grows without bound while the decoder rescales to compensate.
- ``softmax``: s = L * softmax(s / tau) over the L time steps of a clip, so mean(s) = 1 and steps
  compete for a fixed budget: what one step gains, the others lose. This keeps s from collapsing.

Eq. (6)/(7): Phi_k / Pi_k are the indices of the k largest / smallest s, each listed in ascending order
of s (the paper's "s_{l_i} <= s_{l_i+1}"), so rank i of the top set is paired with rank i of the bottom
set in Eq. (8). k is clipped to floor(L/2) so the two sets never overlap (config.k_for). Ties are broken
by ``torch.topk``, i.e. arbitrarily; with a saturated sigmoid that is where position leaks in.

Eq. (8): eta = 1/k sum_i s_hat_i * [1 - cos(LN(W_hat_i z_hat_i), LN(W_check_i z_check_i))],
L_r = -log(1 / (1 + e^-eta)) = softplus(-eta). "W_hat_i" carries the rank index i, so by default each
rank has its own pair of projections (``per_rank``); LN is one LayerNorm shared by both sides (sigma).
The "w/o k-point contrast" ablation uses eta = 1/k sum_i s_hat_i.

``order`` (config ``kpoint_select='norm'``, not in the paper): Phi_k / Pi_k are taken from another per-step
ranking than s (the input's magnitude); s_hat is still s at those steps, so Eq. (8) raises s there.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class RASL(nn.Module):
    """Eq. (4): r [B, C, L] -> (z [B, Cz, L], s [B, L])."""

    def __init__(self, channels: int, psi_channels: int, psi_kernel: int, activation: str, temperature: float):
        super().__init__()
        self.psi = nn.Conv1d(channels, psi_channels, psi_kernel, padding=psi_kernel // 2)
        self.w = nn.Linear(psi_channels, 1, bias=False)  # w_c of Eq. (4)
        self.activation = activation
        self.temperature = temperature

    def forward(self, r: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z, s = self.logits(r)
        return z, activate_scores(s, self.activation, self.temperature)

    def logits(self, r: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(z, s before its activation): Eq. (4) exactly as printed, with no bound on s."""
        z = self.psi(r)  # z_i = psi(r_i)
        return z, self.w(z.transpose(1, 2)).squeeze(-1)  # s_i = sum_c w_c z_i[c]


def activate_scores(s: torch.Tensor, activation: str, temperature: float = 1.0) -> torch.Tensor:
    """Bound the raw activations s [B, L] (see the module docstring for why this matters)."""
    if activation == "sigmoid":
        return torch.sigmoid(s)
    if activation == "softmax":
        return s.shape[-1] * torch.softmax(s / temperature, dim=-1)
    return s


def upsample_scores(s: torch.Tensor, steps: int, mode: str) -> torch.Tensor:
    """Map s [B, L] on representation steps back to ``steps`` input steps (one score per 0.2 s).

    With padding kernel // 2, representation step l is centred on input step 2^3 * l; ``linear``
    interpolates with align_corners=True (first and last steps aligned; 149/18 = 8.3 input steps per
    representation step at T = 150, so the centres drift by at most ~1 s at the end), ``nearest``
    repeats each score over its ~8 steps.
    """
    x = s.unsqueeze(1)
    if mode == "linear":
        if s.shape[-1] == 1:
            return s.expand(-1, steps).clone()
        return F.interpolate(x, size=steps, mode="linear", align_corners=True).squeeze(1)
    return F.interpolate(x, size=steps, mode="nearest").squeeze(1)


def top_bottom_k(s: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Eq. (6) Phi_k and Eq. (7) Pi_k: indices [B, k] of the k largest / smallest s, each ascending in s."""
    top = torch.topk(s, k, dim=-1, largest=True, sorted=True).indices.flip(-1)
    bottom = torch.topk(s, k, dim=-1, largest=False, sorted=True).indices
    return top, bottom


def _gather_steps(z: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """z [B, C, L], idx [B, k] -> [B, k, C]."""
    return torch.gather(z, 2, idx.unsqueeze(1).expand(-1, z.shape[1], -1)).transpose(1, 2)


class KPointContrast(nn.Module):
    """Eq. (8) per clip: L_r [B]. ``mode='mean'`` is the paper's "w/o k-point contrast" ablation."""

    def __init__(self, z_channels: int, proj_dim: int, ranks: int, per_rank: bool, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.ranks = ranks
        if mode == "contrast":
            n = ranks if per_rank else 1
            self.w_hat = nn.Parameter(torch.empty(n, proj_dim, z_channels))
            self.w_check = nn.Parameter(torch.empty(n, proj_dim, z_channels))
            for w in (self.w_hat, self.w_check):
                nn.init.kaiming_uniform_(w.view(-1, z_channels), a=5**0.5)
            self.norm = nn.LayerNorm(proj_dim)  # sigma

    def eta(self, s: torch.Tensor, z: torch.Tensor, k: int, order: torch.Tensor | None = None) -> torch.Tensor:
        top, bottom = top_bottom_k(s if order is None else order, k)
        s_hat = torch.gather(s, 1, top)  # s_hat_i, i in Phi_k
        if self.mode == "mean":
            return s_hat.mean(-1)
        z_hat, z_check = _gather_steps(z, top), _gather_steps(z, bottom)  # [B, k, Cz]
        w_hat = self.w_hat[:k] if self.w_hat.shape[0] > 1 else self.w_hat.expand(k, -1, -1)
        w_check = self.w_check[:k] if self.w_check.shape[0] > 1 else self.w_check.expand(k, -1, -1)
        p_hat = self.norm(torch.einsum("kpc,bkc->bkp", w_hat, z_hat))
        p_check = self.norm(torch.einsum("kpc,bkc->bkp", w_check, z_check))
        sim = F.cosine_similarity(p_hat, p_check, dim=-1)
        return (s_hat * (1.0 - sim)).mean(-1)

    def forward(self, s: torch.Tensor, z: torch.Tensor, k: int, order: torch.Tensor | None = None) -> torch.Tensor:
        """L_r = -log(1 / (1 + exp(-eta))) per clip; k is already clipped to floor(L / 2) and ranks;
        ``order`` [B, L], if given, chooses Phi_k / Pi_k instead of s."""
        return F.softplus(-self.eta(s, z, min(k, self.ranks), order))
