"""PNG of the score curve with the segments shaded and a strip of thumbnails of the top moments.

A "top moment" is the best step inside each of the best segments (up to ``N_THUMBS``), so the strip
shows what the reel will show; with no segments, the best steps at least 1/12 of the video apart.
Frames are fetched with one seek each (``reel.grab_frames``); if the source is gone (a result loaded
from JSON later) the plot is still drawn, without the strip, and a warning says why.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from highlit.atomic import atomic_path
from highlit.errors import HighlitError, warn

if TYPE_CHECKING:
    from highlit.highlights import Highlights

N_THUMBS = 6
DPI = 100


def top_moments(highlights: Highlights, n: int = N_THUMBS) -> list[float]:
    """Times (step centres, seconds) of the top moments, in time order."""
    centres = highlights.times + highlights.step / 2
    scores = highlights.scores
    picks: list[float] = []
    if highlights.segments:
        for seg in highlights.top_segments(n):
            inside = np.flatnonzero((centres >= seg.start) & (centres < seg.end))
            i = inside[np.argmax(scores[inside])] if len(inside) else int(np.argmin(abs(centres - seg.start)))
            picks.append(float(min(centres[i], highlights.duration - 1e-3)))
    elif len(scores):
        spacing = highlights.duration / (2 * n)
        for i in np.argsort(-scores, kind="stable"):
            if all(abs(centres[i] - p) >= spacing for p in picks):
                picks.append(float(centres[i]))
            if len(picks) == n:
                break
    return sorted(picks)


def _thumbnails(highlights: Highlights, times: list[float]) -> list[np.ndarray]:
    from highlit.writers.reel import grab_frames

    if not times:
        return []
    try:
        return grab_frames(highlights.source, times)
    except HighlitError as err:
        warn(f"plot without thumbnails: {err}")
        return []


def write(highlights: Highlights, path: str | os.PathLike[str]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    moments = top_moments(highlights)
    thumbs = _thumbnails(highlights, moments)
    rows = 2 if thumbs else 1
    fig = plt.figure(figsize=(12, 6.2 if thumbs else 3.6), dpi=DPI)
    grid = fig.add_gridspec(rows, max(1, len(thumbs)), height_ratios=[1.6, 1] if thumbs else [1])
    ax = fig.add_subplot(grid[0, :])
    centres = highlights.times + highlights.step / 2
    ax.plot(centres, highlights.scores, color="#1f4e79", lw=1.2, label="score")
    for n, seg in enumerate(highlights.segments, start=1):
        ax.axvspan(seg.start, seg.end, color="#f39c12", alpha=0.3, lw=0,
                   label="highlight" if n == 1 else None)
    for k, t in enumerate(moments, start=1):
        ax.axvline(t, color="#c0392b", lw=0.8, ls="--")
        ax.text(t, 1.02, str(k), color="#c0392b", ha="center", va="bottom", fontsize=9)
    ax.set_xlim(0, max(highlights.duration, 1e-3))
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("highlight score")
    n_seg = len(highlights.segments)
    ax.set_title(f"{highlights.name}: {n_seg} segment{'' if n_seg == 1 else 's'}, "
                 f"{highlights.highlight_duration:.1f}s of {highlights.duration:.1f}s", loc="left")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
    for k, (t, img) in enumerate(zip(moments, thumbs, strict=False), start=1):
        tax = fig.add_subplot(grid[1, k - 1])
        tax.imshow(img)
        tax.set_axis_off()
        tax.set_title(f"{k}: {int(t // 60)}:{t % 60:04.1f}", fontsize=9)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)
