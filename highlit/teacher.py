"""Teachers that choose Eq. (8)'s k points (not in the paper): a trained network (config
``kpoint_select='teacher'``) or a direction fitted on the corpus (``'prototype'``, :class:`Prototype` below).

Why: Eq. (6)/(7) let s choose its own top and bottom k, and s collapses (docs/results.md item 2). Round 8 (item 21)
let the input's magnitude choose them instead, and s became a denoised copy of the norm: level with the norm alone,
but above it when the two are added as ranks (item 18). Round 18 asks whether that sum, a better teacher than the
norm, teaches a better student: the student's Phi_k / Pi_k are the steps ranked highest / lowest by

    (1 - share) * rank(|rho_i|) + share * rank(s_teacher_i),

ranks taken within each training window and scaled to [0, 1]. share = 1/3 gives item 18's weights (the norm's rank
plus half the network's; w = 0.5), though not item 18's score itself: |rho| here is the whole visual row (RGB and
flow on the benchmarks, the magnitude ``kpoint_select='norm'`` ranks by), not the RGB half, and the ranks are taken
within the window Eq. (8) chooses from, not over the video. share = 1 is plain self-distillation. Equal values share
their mean rank: a short video repeated to fill its window has equal magnitudes at its copies, and a sort's
tie order would otherwise prefer one copy by position. The teacher reads each window as the student sees it, only
its visual branch, in eval mode and without gradients; neither loading nor reading it moves torch's random state, so
the student's masks and batches, and the caller's random numbers, are what they would be without a teacher.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from highlit import checkpoint as ckpt
from highlit.errors import CheckpointError, ConfigError

#: Item 18's weights, w = 0.5: the norm's rank plus half the network's.
DEFAULT_SHARE = 1 / 3
#: The prototype's share of each video's steps at either end (item 19: 10% to 50% moved its figure by <= 0.007).
PROTOTYPE_FRACTION = 0.2


def window_ranks(values: torch.Tensor) -> torch.Tensor:
    """Each row's ranks [B, T] scaled to [0, 1] (0 = smallest), so that two rankings mix whatever their units; equal
    values get their mean rank. Pairwise counts cost T^2 per row, small for training windows (150 steps: 22,500)."""
    t = values.shape[-1]
    below = (values.unsqueeze(-2) < values.unsqueeze(-1)).sum(-1)
    equal = (values.unsqueeze(-2) == values.unsqueeze(-1)).sum(-1)
    ranks = below.to(torch.float32) + (equal.to(torch.float32) - 1) / 2
    return ranks / max(t - 1, 1)


class Teacher:
    """Maps visual windows [B, T, D] to the per-step ranking [B, T] that chooses the student's k points."""

    def __init__(self, model: torch.nn.Module, share: float = DEFAULT_SHARE, weights_sha256: str | None = None):
        if not 0.0 < share <= 1.0:
            raise ConfigError(f"teacher share={share!r}: expected a number in (0, 1]")
        self.model = model.eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.share = share
        self.weights_sha256 = weights_sha256

    @torch.no_grad()
    def __call__(self, visual: torch.Tensor) -> torch.Tensor:
        s = self.model.score(visual)
        return (1.0 - self.share) * window_ranks(visual.norm(dim=-1)) + self.share * window_ranks(s)


def teacher_config(path: str | Path) -> Any:
    """The teacher's ModelConfig from its header alone (no weights read), refused unless it scores the visual
    features alone: cheap enough to check before hours of video extraction."""
    cfg = ckpt.model_config(ckpt.read_metadata(path), path)
    if cfg.modalities == "audio" or cfg.fused:
        raise CheckpointError(f"teacher {path}: scores with {'its audio' if cfg.modalities == 'audio' else 'a fused'} "
                              f"branch; a teacher must score the visual features alone")
    return cfg


def load_teacher(path: str | Path, share: float, visual_dim: int, extractors: dict[str, Any] | None = None) -> Teacher:
    """The teacher of a pretraining run, refused (one line) unless it reads the student's visual features."""
    teacher_config(path)
    with torch.random.fork_rng(devices=[]):  # building the network draws initial weights before they are replaced
        model, meta = ckpt.load_checkpoint(path, {"visual": (extractors or {}).get("visual")})
    cfg = model.cfg
    if cfg.visual_dim != visual_dim:
        raise CheckpointError(f"teacher {path}: reads {cfg.visual_dim}-d visual features, the student {visual_dim}-d")
    return Teacher(model, share, meta.get("weights_sha256"))


class Prototype:
    """Round 25's teacher (config ``kpoint_select='prototype'``, not in the paper): ranks each step by its direction
    rho_i/|rho_i| projected on one corpus direction, the mean direction of every video's largest steps minus that of
    its smallest. Why: in numpy (item 19) that direction, fitted on one benchmark's RGB half, scores the other above
    the norm by a hundredth or two on both; it is the norm read from content, so Eq. (8) taught by it asks s for the
    content that comes with large steps rather than for the size itself. Fitted here on the whole visual row (what
    one extractor gives on raw video) it taught a network that trades TVSum for YouTube (results item 38)."""

    def __init__(self, direction: np.ndarray):
        self.direction = torch.as_tensor(np.asarray(direction, dtype=np.float32))
        self.weights_sha256 = hashlib.sha256(self.direction.numpy().tobytes()).hexdigest()

    @torch.no_grad()
    def __call__(self, visual: torch.Tensor) -> torch.Tensor:
        unit = torch.nn.functional.normalize(visual, dim=-1, eps=1e-6)
        return unit @ self.direction.to(visual.device, visual.dtype)


def fit_prototype(sequences: Sequence[np.ndarray], fraction: float = PROTOTYPE_FRACTION) -> Prototype:
    """The prototype of ``sequences`` (each a video's visual rows [T, D]); the only supervision is each step's
    magnitude rank within its own video, so no labels and no other corpus are read. A video's steps are ranked
    before any window repeats them, each video weighted by its length; equal magnitudes are ranked by position, and
    at ``fraction=0.5`` the middle step of an odd-length video is in neither group. The sums are float64, but the
    order of ``sequences`` can still move the last float32 bit, and so the hash: callers pass a fixed order."""
    if not 0.0 < fraction <= 0.5:
        raise ConfigError(f"prototype fraction={fraction!r}: expected a number in (0, 0.5]")
    top, bottom, n_top, n_bottom = 0.0, 0.0, 0, 0
    for x in sequences:
        x = np.asarray(x, dtype=np.float64)
        if len(x) < 2:
            continue
        norms = np.linalg.norm(x, axis=1)
        rank = np.argsort(np.argsort(norms, kind="stable"), kind="stable") / (len(x) - 1)
        unit = x / np.maximum(norms, 1e-6)[:, None]
        hi, lo = rank >= 1.0 - fraction, rank <= fraction
        middle = hi & lo  # only at fraction 0.5: the median step of an odd length is neither large nor small
        hi, lo = hi & ~middle, lo & ~middle
        top, bottom = top + unit[hi].sum(0), bottom + unit[lo].sum(0)
        n_top, n_bottom = n_top + int(hi.sum()), n_bottom + int(lo.sum())
    if not n_top or not n_bottom:
        raise ConfigError("kpoint_select='prototype' needs videos of two or more steps to fit its direction")
    direction = top / n_top - bottom / n_bottom
    length = np.linalg.norm(direction)
    if not np.isfinite(length) or length == 0:
        raise ConfigError("kpoint_select='prototype': the corpus's large and small steps point the same way "
                          "(all steps equal?); no direction to fit")
    return Prototype(direction / length)


#: What pretraining passes to Eq. (8) as the ranking that chooses the k points: a network or the corpus prototype.
KPointTeacher = Teacher | Prototype
