"""Table IV: direct audio-visual fusion schemes, the alternatives the paper compares SCL against.

"We fuse the self-attended FVS rho_bar^v and rho_bar^a using the compared fusion schemes and send the
fused FVS to a network with the same architecture as one branch of the proposed network for
self-reconstruction." Each scheme maps ([B, T, dv], [B, T, da]) -> [B, T, out_dim]:
- sum: rho_bar^v + rho_bar^a (needs dv == da; the paper interpolates audio to the visual dim).
- concat: [rho_bar^v ; rho_bar^a].
- mlp: the "submodule MLP" of [10]: Linear(dv + da, h) -> ReLU -> Linear(h, h) on the concatenation.
- lowrank: low-rank multimodal fusion [9] (Liu et al. 2018): sum_r w_r (W^v_r [rho^v; 1]) * (W^a_r [rho^a; 1]) + b.
The fused branch reconstructs the concatenated original FVSs [rho^v ; rho^a] (a fixed target: the fused
FVS itself passes through learned layers, so reconstructing it would let the fusion collapse).
"""

from __future__ import annotations

import torch
from torch import nn


class Fusion(nn.Module):
    """One of the Table IV schemes; ``out_dim`` is the width of the fused FVS."""

    def __init__(self, kind: str, visual_dim: int, audio_dim: int, hidden: int, rank: int) -> None:
        super().__init__()
        self.kind = kind
        if kind == "sum":
            self.out_dim = visual_dim
        elif kind == "concat":
            self.out_dim = visual_dim + audio_dim
        elif kind == "mlp":
            self.mlp = nn.Sequential(nn.Linear(visual_dim + audio_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
            self.out_dim = hidden
        elif kind == "lowrank":
            self.factor_v = nn.Parameter(torch.randn(rank, visual_dim + 1, hidden) * (visual_dim + 1) ** -0.5)
            self.factor_a = nn.Parameter(torch.randn(rank, audio_dim + 1, hidden) * (audio_dim + 1) ** -0.5)
            self.rank_weights = nn.Parameter(torch.full((rank,), 1.0 / rank))
            self.bias = nn.Parameter(torch.zeros(hidden))
            self.out_dim = hidden
        else:
            raise ValueError(f"unknown fusion {kind!r}")

    def forward(self, v: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        if self.kind == "sum":
            return v + a
        if self.kind == "concat":
            return torch.cat([v, a], dim=-1)
        if self.kind == "mlp":
            return self.mlp(torch.cat([v, a], dim=-1))
        one = v.new_ones(*v.shape[:-1], 1)
        fv = torch.einsum("btd,rdh->rbth", torch.cat([v, one], -1), self.factor_v)
        fa = torch.einsum("btd,rdh->rbth", torch.cat([a, one], -1), self.factor_a)
        return torch.einsum("r,rbth->bth", self.rank_weights, fv * fa) + self.bias
