"""The score curve as CSV for spreadsheets: one row per step, ``time,score,segment``.

One file rather than a second segments CSV: ``segment`` is the 1-based number of the highlight segment
whose span holds the step's centre (empty outside every segment), so filtering a spreadsheet on it
gives the segments, and the JSON already lists them with their bounds.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from highlit.atomic import atomic_open

if TYPE_CHECKING:
    from highlit.highlights import Highlights

HEADER = ("time", "score", "segment")


def segment_of_steps(highlights: Highlights) -> np.ndarray:
    """For each step, the 1-based number of the segment holding its centre, 0 when none does."""
    centres = highlights.times + highlights.step / 2
    out = np.zeros(len(centres), dtype=np.int64)
    for i, seg in enumerate(highlights.segments, start=1):
        out[(centres >= seg.start) & (centres < seg.end)] = i
    return out


def write(highlights: Highlights, path: str | os.PathLike[str]) -> Path:
    seg = segment_of_steps(highlights)
    with atomic_open(path, "w") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for t, s, k in zip(highlights.times, highlights.scores, seg, strict=True):
            w.writerow((f"{t:.3f}", f"{s:.6f}", str(k) if k else ""))
    return Path(path)
