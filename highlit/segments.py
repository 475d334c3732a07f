"""From a score curve (one score per 0.2 s step) to highlight segments an editor can use.

Two ways to ask, exactly one per call:

- ``threshold``: every run of steps whose score is at least the threshold.
- ``duration`` (seconds) or ``ratio`` (fraction of the video): a target total length. The steps are
  ranked by score and the best ``k`` are taken, with ``k`` chosen (binary search) so that the total
  *after* the clean-up below is as close to the target as the clean-up allows.

Clean-up, the same in both modes, because raw runs of 0.2 s steps are not what an editor wants:
gaps shorter than ``merge_gap`` are joined (a 0.4 s dip inside an action is not two highlights),
segments shorter than ``min_length`` are grown around their centre (a single peak is still a moment
worth seeing; ``drop_short=True`` drops them instead), grown segments are kept inside the video, then
boundaries are snapped to the video's frame grid (``frame_rate``) so that an EDL or a re-encoded cut
lands on whole frames, and clamped to ``[0, video_duration]``.

How close the target-length mode gets: adding one step to the selection grows the cleaned-up total by
at most ``min_length + 2 * merge_gap + step`` (one new grown segment that may swallow a gap on each
side), so the chosen total is within that of the target, plus one frame per segment from snapping.
Targets longer than the video give the whole video.

A segment's score is the **mean** of the scores of the steps it covers: it says how good the whole
clip is, which is what ranking clips for a reel needs (a max would rank a long dull clip with one
spike above a uniformly strong one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from highlit.errors import ConfigError, FeatureError, warn

#: Defaults shared with the CLI: the shortest clip an editor can use, and the dip worth ignoring.
DEFAULT_MIN_LENGTH = 2.0
DEFAULT_MERGE_GAP = 1.0
#: Used when none of threshold / duration / ratio is given.
DEFAULT_RATIO = 0.15
# Boundaries closer than this are treated as touching (float noise of i * 0.2).
_EPS = 1e-9


@dataclass(frozen=True)
class Segment:
    """One highlight: ``[start, end)`` in seconds on the video's clock, and its mean step score."""

    start: float
    end: float
    score: float

    @property
    def length(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, float]:
        return {"start": round(self.start, 6), "end": round(self.end, 6), "score": round(self.score, 6)}

    @classmethod
    def from_dict(cls, d: dict) -> Segment:
        return cls(float(d["start"]), float(d["end"]), float(d["score"]))


Interval = tuple[float, float]


def _check_arrays(times, scores, step: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(times, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    if t.ndim != 1 or s.ndim != 1 or t.shape != s.shape:
        raise FeatureError(f"times and scores must be 1-D and the same length, got {t.shape} and {s.shape}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(s))):
        raise FeatureError("times and scores must be finite (found NaN or inf)")
    if len(t) > 1 and np.any(np.diff(t) <= 0):
        raise FeatureError("times must be strictly increasing")
    if not (math.isfinite(step) and step > 0):
        raise ConfigError(f"step must be a positive number of seconds, got {step}")
    return t, s


def _check_options(threshold, duration, ratio, min_length, merge_gap, frame_rate, video_duration) -> None:
    if sum(v is not None for v in (threshold, duration, ratio)) > 1:
        raise ConfigError("give only one of threshold, duration, ratio")
    if threshold is not None and not (0.0 <= threshold <= 1.0):
        raise ConfigError(f"threshold must be in [0, 1] (scores are normalised), got {threshold}")
    if duration is not None and not (math.isfinite(duration) and duration > 0):
        raise ConfigError(f"target duration must be a positive number of seconds, got {duration}")
    if ratio is not None and not (0.0 < ratio <= 1.0):
        raise ConfigError(f"ratio must be in (0, 1], got {ratio}")
    if not (math.isfinite(min_length) and min_length >= 0):
        raise ConfigError(f"min_length must be >= 0 seconds, got {min_length}")
    if not (math.isfinite(merge_gap) and merge_gap >= 0):
        raise ConfigError(f"merge_gap must be >= 0 seconds, got {merge_gap}")
    if frame_rate is not None and not (math.isfinite(frame_rate) and frame_rate > 0):
        raise ConfigError(f"frame rate must be positive, got {frame_rate}")
    if video_duration is not None and not (math.isfinite(video_duration) and video_duration > 0):
        raise ConfigError(f"video duration must be positive, got {video_duration}")


def _runs(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[Interval]:
    """Contiguous runs of selected steps as (start of first step, end of last step)."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.diff(padded)
    first = np.flatnonzero(edges == 1)
    last = np.flatnonzero(edges == -1) - 1
    return [(float(starts[a]), float(ends[b])) for a, b in zip(first, last, strict=True)]


def _merge(intervals: list[Interval], gap: float) -> list[Interval]:
    """Join overlapping or touching intervals and those separated by less than ``gap``."""
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if out and a - out[-1][1] < max(gap, _EPS):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _grow(intervals: list[Interval], min_length: float, total: float, drop: bool) -> list[Interval]:
    """Bring short intervals up to ``min_length`` around their centre, shifted to stay in the video."""
    out: list[Interval] = []
    for a, b in intervals:
        if b - a >= min_length - _EPS:
            out.append((a, b))
        elif not drop:
            if min_length >= total:
                out.append((0.0, total))
                continue
            c = (a + b) / 2
            lo = min(max(c - min_length / 2, 0.0), total - min_length)
            out.append((lo, lo + min_length))
    return out


def _clean(intervals: list[Interval], min_length: float, merge_gap: float, total: float,
           drop_short: bool) -> list[Interval]:
    merged = _merge(intervals, merge_gap)
    return _merge(_grow(merged, min_length, total, drop_short), merge_gap)


def _snap(intervals: list[Interval], frame_rate: float | None, total: float) -> list[Interval]:
    """Round boundaries to whole frames. Rounding is monotone, so sorted, disjoint intervals stay so;
    an interval that would collapse keeps one frame."""
    if frame_rate is None:
        return [(max(0.0, a), min(total, b)) for a, b in intervals]
    last_frame_end = total
    out: list[Interval] = []
    for a, b in intervals:
        fa = math.floor(a * frame_rate + 0.5)
        fb = math.floor(b * frame_rate + 0.5)
        if fb <= fa:
            fb = fa + 1
        s, e = max(0.0, fa / frame_rate), min(last_frame_end, fb / frame_rate)
        if e - s > _EPS:
            out.append((s, e))
    return _merge(out, 0.0)


def _total(intervals: list[Interval]) -> float:
    return sum(b - a for a, b in intervals)


def _score(starts: np.ndarray, ends: np.ndarray, scores: np.ndarray, a: float, b: float) -> float:
    """Mean score of the steps whose centre lies in [a, b); the nearest step if none does."""
    centres = (starts + ends) / 2
    inside = (centres >= a - _EPS) & (centres < b - _EPS)
    if inside.any():
        return float(scores[inside].mean())
    return float(scores[int(np.argmin(np.abs(centres - (a + b) / 2)))])


def find_segments(times, scores, step: float, *, threshold: float | None = None,
                  duration: float | None = None, ratio: float | None = None,
                  min_length: float = DEFAULT_MIN_LENGTH, merge_gap: float = DEFAULT_MERGE_GAP,
                  frame_rate: float | None = None, video_duration: float | None = None,
                  drop_short: bool = False) -> list[Segment]:
    """Highlight segments of a score curve, sorted by start, disjoint, inside ``[0, video_duration]``.

    ``times[i]`` is the start of step i (seconds), ``scores[i]`` its score in [0, 1]. With none of
    ``threshold`` / ``duration`` / ``ratio`` given, ``ratio=DEFAULT_RATIO`` is used.
    ``video_duration`` defaults to the end of the last step. See the module docstring for the rules.
    """
    _check_options(threshold, duration, ratio, min_length, merge_gap, frame_rate, video_duration)
    t, s = _check_arrays(times, scores, step)
    if len(t) == 0:
        return []
    total = float(video_duration) if video_duration is not None else float(t[-1] + step)
    starts = np.clip(t, 0.0, total)
    ends = np.clip(t + step, 0.0, total)
    keep = ends > starts  # steps entirely past the end of the video hold nothing
    starts, ends, s = starts[keep], ends[keep], s[keep]
    if len(s) == 0:
        return []

    def cleaned(mask: np.ndarray) -> list[Interval]:
        return _clean(_runs(mask, starts, ends), min_length, merge_gap, total, drop_short)

    if threshold is not None:
        mask = s >= threshold
        intervals = cleaned(mask)
        if not mask.any():
            warn(f"no step scores at least {threshold:g} (max {s.max():.3f}); no highlight segments")
    else:
        target = min(duration if duration is not None else (ratio or DEFAULT_RATIO) * total, total)
        if len(s) > 1 and float(s.max() - s.min()) < 1e-6:
            warn("the score curve is flat: no moment stands out, the segments are the earliest steps")
        intervals = _closest_to_target(s, target, cleaned)

    snapped = _snap(intervals, frame_rate, total)
    return [Segment(a, b, _score(starts, ends, s, a, b)) for a, b in snapped]


def _closest_to_target(scores: np.ndarray, target: float, cleaned) -> list[Interval]:
    """Take the top-k steps for the k whose cleaned-up total is closest to ``target``.

    The total is not strictly monotone in k (two grown segments can merge into one shorter one), so
    the binary search keeps the invariant total(lo) < target <= total(hi) and ends on a crossing.
    """
    order = np.lexsort((np.arange(len(scores)), -scores))  # best first; earlier step wins ties
    rank = np.empty(len(scores), dtype=np.int64)
    rank[order] = np.arange(len(scores))
    cache: dict[int, list[Interval]] = {}

    def at(k: int) -> list[Interval]:
        if k not in cache:
            cache[k] = cleaned(rank < k)
        return cache[k]

    lo, hi = 0, len(scores)
    if _total(at(hi)) < target:
        return at(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _total(at(mid)) < target:
            lo = mid
        else:
            hi = mid
    under, over = at(lo), at(hi)
    if under and target - _total(under) < _total(over) - target:
        return under
    return over
