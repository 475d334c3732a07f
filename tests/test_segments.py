"""Segments from score curves: the invariants an editor relies on, for any curve."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from highlit.errors import ConfigError, FeatureError, HighlitWarning
from highlit.segments import Segment, find_segments

STEP = 0.2


def _curve(n: int, peaks: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    scores = np.full(n, 0.1)
    for a, b in peaks:
        scores[a:b] = 0.9
    return np.arange(n) * STEP, scores


def _check_invariants(segs: list[Segment], total: float, min_length: float, fps: float | None) -> None:
    frame = 1.0 / fps if fps else 0.0
    for seg in segs:
        assert 0.0 <= seg.start < seg.end <= total + 1e-9
        assert 0.0 <= seg.score <= 1.0
        # snapping moves each boundary by at most half a frame; a video shorter than min_length is whole
        assert seg.length >= min(min_length, total) - frame - 1e-9
        if fps:
            for x in (seg.start, seg.end):
                assert abs(x * fps - round(x * fps)) < 1e-6 or abs(x - total) < 1e-9
    for a, b in zip(segs, segs[1:], strict=False):
        assert a.end <= b.start + 1e-9, "segments overlap or are unsorted"


curves = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::highlit.errors.HighlitWarning")
@settings(max_examples=150, deadline=None)
@given(scores=curves, ratio=st.floats(0.01, 1.0), min_length=st.sampled_from([0.0, 0.5, 2.0, 5.0]),
       merge_gap=st.sampled_from([0.0, 0.4, 1.0, 3.0]), fps=st.sampled_from([None, 25.0, 30000 / 1001, 24.0]),
       tail=st.floats(0.0, 0.19))
def test_target_length_invariants(scores, ratio, min_length, merge_gap, fps, tail):
    n = len(scores)
    total = (n - 1) * STEP + tail + 0.01  # the video may end inside the last step
    times = np.arange(n) * STEP
    segs = find_segments(times, scores, STEP, ratio=ratio, min_length=min_length, merge_gap=merge_gap,
                         frame_rate=fps, video_duration=total)
    _check_invariants(segs, total, min_length, fps)
    assert segs, "a positive target always yields something"
    target = min(ratio * total, total)
    got = sum(s.length for s in segs)
    frame = 1.0 / fps if fps else 0.0
    bound = min_length + 2 * merge_gap + STEP + len(segs) * frame + 1e-6
    assert abs(got - target) <= bound, (got, target, bound)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::highlit.errors.HighlitWarning")
@settings(max_examples=100, deadline=None)
@given(scores=curves, threshold=st.floats(0.0, 1.0), min_length=st.sampled_from([0.0, 1.0, 2.0]),
       fps=st.sampled_from([None, 25.0]))
def test_threshold_invariants(scores, threshold, min_length, fps):
    n = len(scores)
    times = np.arange(n) * STEP
    segs = find_segments(times, scores, STEP, threshold=threshold, min_length=min_length, merge_gap=0.0,
                         frame_rate=fps)
    total = n * STEP
    _check_invariants(segs, total, min_length, fps)
    # every step at or above the threshold is covered (growing and merging only add)
    frame = 1.0 / fps if fps else 0.0
    for i in np.flatnonzero(np.asarray(scores) >= threshold):
        c = times[i] + STEP / 2
        assert any(s.start - frame <= c <= s.end + frame for s in segs)


def test_threshold_finds_the_runs_and_scores_them_by_mean():
    times, scores = _curve(100, [(10, 30), (60, 65)])  # 4 s and 1 s runs at 0.9
    segs = find_segments(times, scores, STEP, threshold=0.5, min_length=0.0, merge_gap=0.0)
    assert [(round(s.start, 6), round(s.end, 6)) for s in segs] == [(2.0, 6.0), (12.0, 13.0)]
    assert all(s.score == pytest.approx(0.9) for s in segs)


def test_merge_gap_joins_a_short_dip_but_not_a_long_one():
    times, scores = _curve(100, [(10, 20), (22, 30), (50, 60)])  # 0.4 s dip, then a 4 s gap
    segs = find_segments(times, scores, STEP, threshold=0.5, min_length=0.0, merge_gap=1.0)
    assert [(round(s.start, 6), round(s.end, 6)) for s in segs] == [(2.0, 6.0), (10.0, 12.0)]
    assert segs[0].score == pytest.approx((18 * 0.9 + 2 * 0.1) / 20)  # mean includes the dip


def test_short_peak_grows_around_its_centre_or_is_dropped():
    times, scores = _curve(100, [(50, 51)])  # a single 0.2 s spike at 10.0-10.2 s
    grown = find_segments(times, scores, STEP, threshold=0.5, min_length=2.0)
    assert len(grown) == 1 and grown[0].start == pytest.approx(9.1) and grown[0].end == pytest.approx(11.1)
    assert find_segments(times, scores, STEP, threshold=0.5, min_length=2.0, drop_short=True) == []
    at_edge = find_segments(*_curve(100, [(0, 1)]), STEP, threshold=0.5, min_length=2.0)
    assert (at_edge[0].start, at_edge[0].end) == (0.0, pytest.approx(2.0))  # shifted inside the video


def test_target_mode_picks_the_best_region_and_meets_the_target():
    rng = np.random.default_rng(0)
    scores = rng.uniform(0.0, 0.3, 1500)  # 5 minutes
    scores[800:900] = 0.95  # 20 s of clear highlight at 160-180 s
    times = np.arange(1500) * STEP
    segs = find_segments(times, scores, STEP, duration=20.0, min_length=2.0, merge_gap=1.0, frame_rate=25.0)
    assert len(segs) == 1
    assert segs[0].start == pytest.approx(160.0) and segs[0].end == pytest.approx(180.0)
    big = find_segments(times, scores, STEP, ratio=0.15, frame_rate=25.0)
    assert sum(s.length for s in big) == pytest.approx(45.0, abs=2.0 + 2 * 1.0 + STEP)
    assert any(s.start <= 160.0 and s.end >= 180.0 for s in big)


def test_target_longer_than_video_gives_the_whole_video():
    times, scores = _curve(30, [(3, 5)])
    segs = find_segments(times, scores, STEP, duration=100.0, video_duration=5.9)
    assert [(s.start, s.end) for s in segs] == [(0.0, 5.9)]


def test_snaps_to_ntsc_frame_grid():
    fps = 30000 / 1001
    times, scores = _curve(200, [(37, 71)])
    for seg in find_segments(times, scores, STEP, threshold=0.5, frame_rate=fps):
        for x in (seg.start, seg.end):
            assert math.isclose(x * fps, round(x * fps), abs_tol=1e-6)


@pytest.mark.parametrize("kwargs", [
    {"ratio": 0.0}, {"ratio": 1.5}, {"ratio": -0.1}, {"duration": -3.0}, {"duration": 0.0},
    {"threshold": 0.5, "duration": 10.0}, {"ratio": 0.1, "duration": 10.0}, {"threshold": 1.5},
    {"ratio": 0.1, "min_length": -1.0}, {"ratio": 0.1, "merge_gap": float("nan")},
    {"ratio": 0.1, "frame_rate": 0.0}, {"ratio": 0.1, "video_duration": -1.0},
])
def test_bad_options_raise_config_error(kwargs):
    times, scores = _curve(50, [(5, 10)])
    with pytest.raises(ConfigError):
        find_segments(times, scores, STEP, **kwargs)


def test_bad_arrays_raise_feature_error():
    with pytest.raises(FeatureError):
        find_segments([0.0, 0.2], [0.5], STEP)
    with pytest.raises(FeatureError):
        find_segments([0.0, 0.2], [0.5, float("nan")], STEP)
    assert find_segments([], [], STEP) == []


def test_threshold_above_every_score_warns_and_gives_nothing():
    times, scores = _curve(50, [])
    with pytest.warns(HighlitWarning, match="no step"):
        assert find_segments(times, scores, STEP, threshold=0.5) == []


def test_flat_curve_warns_in_target_mode():
    times = np.arange(50) * STEP
    with pytest.warns(HighlitWarning, match="flat"):
        segs = find_segments(times, np.full(50, 0.5), STEP, ratio=0.2)
    assert sum(s.length for s in segs) == pytest.approx(2.0)
