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
from highlit.sequences import clip_windows, merge_central, merge_scores


def normalise(scores: np.ndarray) -> np.ndarray:
    """Min-max to [0, 1] over the video; a constant curve maps to 0.5 (no step preferred)."""
    scores = np.asarray(scores, dtype=np.float64)
    lo, hi = float(np.min(scores)), float(np.max(scores))
    if not np.isfinite(lo) or not np.isfinite(hi):
        raise FeatureError("model produced non-finite scores; the checkpoint or features are broken")
    if hi - lo < 1e-12:
        return np.full_like(scores, 0.5)
    return (scores - lo) / (hi - lo)


def _window_scores(model: torch.nn.Module, visual: np.ndarray, window: int,
                   batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """s of every window position (W, window) and the step index of each position (see clip_windows)."""
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
    return np.concatenate(out, axis=0), index


def raw_scores(model: torch.nn.Module, visual: np.ndarray, window: int, batch_size: int = 32) -> np.ndarray:
    """Un-normalised per-step scores s for one video's visual FVS (N, D), as the paper reads them: plain
    windows, each step from its first occurrence (the benchmark tables use this)."""
    scores, index = _window_scores(model, visual, window, batch_size)
    return merge_scores(scores, index, len(visual))


def _central_scores(model: torch.nn.Module, visual: np.ndarray, window: int,
                    batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    scores, index = _window_scores(model, visual, window, batch_size)
    return merge_central(scores, index, len(visual))


def overlapped_raw_scores(model: torch.nn.Module, visual: np.ndarray, window: int, batch_size: int = 32) -> np.ndarray:
    """Scores from two window grids half a window apart, each step weighted by its distance from the edges
    of the window that scored it (:func:`~highlit.sequences.merge_central`).

    Not in the paper, which cuts plain 30 s windows. Measured on a 10-minute video: the fitted network
    scores the first steps of every window low (zero padding at the conv edges), a dip every 30 s that
    has nothing to do with content; on a 10 s clip repeated to fill one window it scored the clip's first
    steps high instead. Each step here is scored mostly by the grid that sees it mid-window. A video too
    short for a second grid of its own gets one by turning it half round (its end joined to its start), so
    its first and last steps are mid-window there.
    """
    n = len(visual)
    half = window // 2
    first, w1 = _central_scores(model, visual, window, batch_size)
    if n > window + half:
        second, w2 = _central_scores(model, visual[half:], window, batch_size)
        second, w2 = np.concatenate([np.zeros(half), second]), np.concatenate([np.zeros(half), w2])
    else:
        shift = n // 2
        second, w2 = _central_scores(model, np.roll(visual, -shift, axis=0), window, batch_size)
        second, w2 = np.roll(second, shift), np.roll(w2, shift)
    return (first.astype(np.float64) * w1 + second * w2) / (w1 + w2)


def score_sequence(model: torch.nn.Module, visual: np.ndarray, window: int, batch_size: int = 32,
                   overlap: bool = False) -> np.ndarray:
    """Highlight score per step in [0, 1]; ``overlap`` blends two shifted window grids (see above)."""
    scorer = overlapped_raw_scores if overlap else raw_scores
    return normalise(scorer(model, visual, window, batch_size))
