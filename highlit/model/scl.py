"""Symmetric contrastive learning (SCL) between r^v and r^a, Eq. (9).

The printed Eq. (9), L_s = -Gamma [sum_i log((r^a_i)^T r^v_i) - sum_i sum_{j!=i} log((r^a_i)^T r^v_j)],
takes the log of raw dot products, which is undefined for a dot product <= 0 and, as written, is
minimised by making the unpaired products *large*. The paper says it follows CLIP [30]; so this module
implements CLIP's symmetric InfoNCE, which is what the text describes (paired similarities maximised,
unpaired suppressed, a learnable temperature):

    a_i = r^a_i / |r^a_i|,  v_j = r^v_j / |r^v_j|              (cosine similarity, as CLIP)
    logits_ij = scale * <v_i, a_j>,  scale = exp(Gamma)          (gamma_mode 'exp', CLIP's logit_scale)
                                      scale = Gamma               (gamma_mode 'direct')
    L_s = 1/2 [CE(logits, diag) + CE(logits^T, diag)]            (visual->audio and audio->visual)

Gamma is a learnable scalar initialised at 3.1 (the paper's value). The paper calls Gamma a "temperature"
that "controls the strength": with 'exp' it is CLIP's log-scale (init 3.1 -> scale 22.2, near CLIP's 14.3
init); the scale is clamped at 100 as in CLIP so the loss cannot blow up. 'direct' multiplies the
cosine logits by Gamma itself.

Pairs (``negatives``): the positive of visual step i is the audio step i of the SAME clip (the paper
indexes representation vectors by time, i, j). 'time': negatives are the other time steps of the same
clip (one L x L problem per clip; neighbouring steps look alike, so this is a hard task). 'batch': the
other steps of every clip in the batch are negatives too (one BL x BL problem).
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

_MAX_LOG_SCALE = math.log(100.0)


class SymmetricContrast(nn.Module):
    """L_s of Eq. (9) (CLIP form); returns the loss per clip [B] ('time') or one value ('batch')."""

    def __init__(self, gamma_init: float, gamma_mode: str, negatives: str) -> None:
        super().__init__()
        self.gamma = nn.Parameter(torch.tensor(float(gamma_init)))  # Gamma
        self.gamma_mode = gamma_mode
        self.negatives = negatives

    def scale(self) -> torch.Tensor:
        if self.gamma_mode == "exp":
            return self.gamma.clamp(max=_MAX_LOG_SCALE).exp()
        return self.gamma

    def forward(self, r_v: torch.Tensor, r_a: torch.Tensor) -> torch.Tensor:
        """r_v, r_a: [B, L, C] paired by clip and time step."""
        v = F.normalize(r_v, dim=-1, eps=1e-6)
        a = F.normalize(r_a, dim=-1, eps=1e-6)
        if self.negatives == "batch":
            v, a = v.reshape(1, -1, v.shape[-1]), a.reshape(1, -1, a.shape[-1])
        logits = self.scale() * v @ a.transpose(1, 2)  # [B', n, n]
        target = torch.arange(logits.shape[-1], device=logits.device).expand(logits.shape[0], -1)
        v2a = F.cross_entropy(logits.transpose(1, 2), target, reduction="none").mean(-1)
        a2v = F.cross_entropy(logits, target, reduction="none").mean(-1)
        return 0.5 * (v2a + a2v)
