"""Feature vector sequences (FVS) cut into fixed windows, exactly as the paper's Implementation section.

Paper (RASL, Sec. III-F): clips are 30 s long; sampling every 0.2 s gives 150 steps per clip. "When
the input or the remaining clipped video length is less than 30 seconds, we concatenate the video
repeatedly until it is longer than 30 seconds and clip it." At inference "use the portion of the
highlight score sequence corresponding to the original video as the result." Audio features, denser
in time, are average-pooled to the visual length, and each audio vector is linearly interpolated to the
visual dimension.

Everything here works on step indices, never on times, so scores map back to exact times through
:func:`step_times` alone: step ``k`` is the frame on screen at ``k * step_seconds`` and stands for
``[k * step_seconds, (k + 1) * step_seconds)``.
"""

from __future__ import annotations

import numpy as np

from highlit.errors import FeatureError

STEP_SECONDS = 0.2
WINDOW_SECONDS = 30.0
WINDOW = 150  # steps per window: 30 s / 0.2 s


def clip_windows(n_steps: int, window: int = WINDOW) -> np.ndarray:
    """Indices ``int64 [W, window]`` into a sequence of ``n_steps``, W = ceil(n_steps / window).

    Full windows are consecutive steps; the last (or only) shorter part is repeated from its own
    start until it fills the window, as the paper repeats "the input or the remaining clipped video".
    """
    if window < 1:
        raise FeatureError(f"window must be at least 1 step, got {window}")
    if n_steps < 1:
        raise FeatureError(f"cannot cut an empty sequence ({n_steps} steps) into windows")
    n_windows = -(-n_steps // window)
    index = np.arange(n_windows * window, dtype=np.int64).reshape(n_windows, window)
    start = (n_windows - 1) * window
    rest = n_steps - start
    index[-1] = start + np.arange(window) % rest
    return index


def to_windows(x: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """``x[N, ...]`` -> ``[W, window, ...]`` laid out by :func:`clip_windows` (a copy, not a view)."""
    x = np.asarray(x)
    if x.ndim < 1:
        raise FeatureError("to_windows needs a sequence (at least one axis)")
    return x[clip_windows(x.shape[0], window)]


def merge_scores(window_scores: np.ndarray, index: np.ndarray, n_steps: int) -> np.ndarray:
    """Undo :func:`to_windows`: one value per original step, taken from its first occurrence.

    The first occurrence is the part of a repeated window that *is* the original video (the repeats
    come after it), which is what the paper keeps. Trailing axes (e.g. feature dims) pass through.
    """
    window_scores = np.asarray(window_scores)
    index = np.asarray(index)
    if window_scores.shape[: index.ndim] != index.shape:
        raise FeatureError(f"scores of shape {window_scores.shape} do not match windows {index.shape}")
    flat_index = index.reshape(-1)
    flat = window_scores.reshape(flat_index.size, *window_scores.shape[index.ndim:])
    steps, first = np.unique(flat_index, return_index=True)
    if steps.size != n_steps or (n_steps and (steps[0] != 0 or steps[-1] != n_steps - 1)):
        raise FeatureError(f"windows cover {steps.size} distinct steps, expected all {n_steps}")
    return flat[first]


def edge_weight(window: int) -> np.ndarray:
    """Weight of each window position by its distance from the window's edges (1 at the centre, ~0 at an edge)."""
    pos = np.arange(window)
    return (np.minimum(pos, window - 1 - pos) + 0.5) / (window / 2)


def merge_central(window_scores: np.ndarray, index: np.ndarray, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Undo :func:`to_windows` taking each step from its occurrence farthest from a window edge; returns the
    scores and that occurrence's :func:`edge_weight`.

    Not the paper's rule (:func:`merge_scores` keeps the first occurrence). A network's conv stack sees zero
    padding at a window's edges, and on a short video repeated to fill a window the first occurrence of its
    first steps *is* that edge: a fitted network scored the first 0.2 s of a 10 s clip 40% above the same
    frames one repeat later, so the clip's 'highlight' was its opening whatever it showed.
    """
    window_scores = np.asarray(window_scores)
    index = np.asarray(index)
    if window_scores.shape[: index.ndim] != index.shape:
        raise FeatureError(f"scores of shape {window_scores.shape} do not match windows {index.shape}")
    flat_index = index.reshape(-1)
    weight = np.broadcast_to(edge_weight(index.shape[1]), index.shape).reshape(-1)
    order = np.lexsort((-weight, flat_index))  # by step, the most central occurrence first
    steps, first = np.unique(flat_index[order], return_index=True)
    if steps.size != n_steps or (n_steps and (steps[0] != 0 or steps[-1] != n_steps - 1)):
        raise FeatureError(f"windows cover {steps.size} distinct steps, expected all {n_steps}")
    pick = order[first]
    return window_scores.reshape(flat_index.size, *window_scores.shape[index.ndim:])[pick], weight[pick]


def pool_to_length(x: np.ndarray, n: int) -> np.ndarray:
    """Average-pool ``x[M, D]`` along time into ``n`` equal spans ([n, D], float32).

    Span ``i`` covers rows ``[floor(i*M/n), floor((i+1)*M/n))``. When M < n some spans are empty and
    take the row under their centre instead (nearest neighbour), so any M >= 1 works.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise FeatureError(f"pool_to_length expects [M, D], got shape {x.shape}")
    m = x.shape[0]
    if n < 1 or m < 1:
        raise FeatureError(f"cannot pool {m} rows to {n}")
    edges = (np.arange(n + 1) * m) // n
    csum = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
    counts = (edges[1:] - edges[:-1])[:, None]
    sums = csum[edges[1:]] - csum[edges[:-1]]
    out = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    empty = counts[:, 0] == 0
    if empty.any():
        centre = np.minimum(((np.arange(n) + 0.5) * m / n).astype(np.int64), m - 1)
        out[empty] = x[centre[empty]]
    return out.astype(np.float32)


def resize_dim(x, dim: int):
    """Linearly interpolate the last axis of ``x[..., Da]`` to ``dim`` (end points kept).

    Accepts numpy arrays (returns float32) and torch tensors (stays on the tensor's device/dtype), so
    the model can use the same rule the paper states for the audio vector length.
    """
    if dim < 1:
        raise FeatureError(f"target dimension must be >= 1, got {dim}")
    if hasattr(x, "detach"):  # torch tensor, imported lazily: sequences stay torch-free for numpy users
        import torch.nn.functional as F

        da = x.shape[-1]
        if da == dim:
            return x
        flat = x.reshape(-1, 1, da)
        if da == 1:
            return flat.expand(-1, 1, dim).reshape(*x.shape[:-1], dim)
        out = F.interpolate(flat, size=dim, mode="linear", align_corners=True)
        return out.reshape(*x.shape[:-1], dim)
    x = np.asarray(x, dtype=np.float32)
    da = x.shape[-1]
    if da == dim:
        return x.copy()
    src = np.linspace(0.0, da - 1, dim) if da > 1 else np.zeros(dim)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, da - 1)
    w = (src - lo).astype(np.float32)
    return x[..., lo] * (1 - w) + x[..., hi] * w


def step_times(n: int, step_seconds: float = STEP_SECONDS) -> np.ndarray:
    """Start time in seconds of each of ``n`` steps: ``k * step_seconds`` (float64, no drift)."""
    if n < 0:
        raise FeatureError(f"number of steps must be >= 0, got {n}")
    return np.arange(n, dtype=np.float64) * step_seconds


__all__ = ["STEP_SECONDS", "WINDOW", "WINDOW_SECONDS", "clip_windows", "to_windows", "merge_scores",
           "merge_central", "edge_weight",
           "pool_to_length", "resize_dim", "step_times"]
