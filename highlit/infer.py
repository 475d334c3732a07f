"""Scoring a whole video with a trained network, as the paper's Implementation section says.

Only the visual branch runs. The sequence is cut into windows of ``window`` steps (30 s = 150 steps for
raw video); a video or remainder shorter than a window is repeated until long enough and clipped; each
window is scored; scores are mapped back to the original steps (the part that belongs to the original
video) and min-max normalised over the whole video.
"""

from __future__ import annotations

import numpy as np
import torch

from highlit.errors import FeatureError
from highlit.sequences import clip_windows, merge_scores


def normalise(scores: np.ndarray) -> np.ndarray:
    """Min-max to [0, 1] over the video; a constant curve maps to 0.5 (no step preferred)."""
    scores = np.asarray(scores, dtype=np.float64)
    lo, hi = float(np.min(scores)), float(np.max(scores))
    if not np.isfinite(lo) or not np.isfinite(hi):
        raise FeatureError("model produced non-finite scores; the checkpoint or features are broken")
    if hi - lo < 1e-12:
        return np.full_like(scores, 0.5)
    return (scores - lo) / (hi - lo)


def raw_scores(model: torch.nn.Module, visual: np.ndarray, window: int, batch_size: int = 32) -> np.ndarray:
    """Un-normalised per-step scores s for one video's visual FVS (N, D)."""
    visual = np.asarray(visual, dtype=np.float32)
    if visual.ndim != 2 or visual.shape[0] == 0:
        raise FeatureError(f"visual features must be a non-empty (steps, dim) array, got shape {visual.shape}")
    expected = getattr(getattr(model, "cfg", None), "visual_dim", None)
    if expected is not None and visual.shape[1] != expected:
        raise FeatureError(f"visual features have dimension {visual.shape[1]}, the model expects {expected}")
    index = clip_windows(visual.shape[0], window)
    windows = visual[index]  # (W, window, D)
    out = []
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(windows), batch_size):
            batch = torch.from_numpy(np.ascontiguousarray(windows[start:start + batch_size]))
            out.append(model.score(batch).float().cpu().numpy())
    return merge_scores(np.concatenate(out, axis=0), index, visual.shape[0])


def tent(n: int, window: int, offset: int = 0) -> np.ndarray:
    """Weight of each step by its distance from its window's edges (1 at the centre, ~0 at an edge)."""
    pos = (np.arange(n) - offset) % window
    return (np.minimum(pos, window - 1 - pos) + 0.5) / (window / 2)


def overlapped_raw_scores(model: torch.nn.Module, visual: np.ndarray, window: int, batch_size: int = 32) -> np.ndarray:
    """Scores from two window grids half a window apart, blended by distance from the window edges.

    Not in the paper, which cuts plain 30 s windows. Measured on a 10-minute video: the fitted network
    scores the first steps of every window low (zero padding at the conv edges), a dip every 30 s that
    has nothing to do with content. Each step here is scored mostly by the grid that sees it mid-window.
    """
    n = len(visual)
    first = raw_scores(model, visual, window, batch_size)
    half = window // 2
    if n <= window + half:
        return first
    second = raw_scores(model, visual[half:], window, batch_size)
    w1, w2 = tent(n, window), tent(n - half, window)
    blended = first.astype(np.float64) * w1
    blended[half:] += second * w2
    weights = w1.copy()
    weights[half:] += w2
    return blended / weights


def score_sequence(model: torch.nn.Module, visual: np.ndarray, window: int, batch_size: int = 32,
                   overlap: bool = False) -> np.ndarray:
    """Highlight score per step in [0, 1]; ``overlap`` blends two shifted window grids (see above)."""
    scorer = overlapped_raw_scores if overlap else raw_scores
    return normalise(scorer(model, visual, window, batch_size))
