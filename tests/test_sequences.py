"""Windowing rules of the paper's Implementation section, checked for any length with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from highlit.errors import FeatureError
from highlit.media import n_steps_for
from highlit.sequences import (
    STEP_SECONDS,
    WINDOW,
    clip_windows,
    merge_scores,
    pool_to_length,
    resize_dim,
    step_times,
    to_windows,
)

lengths = st.integers(min_value=1, max_value=1000)
windows = st.integers(min_value=1, max_value=200)


def test_paper_constants() -> None:
    assert WINDOW == 150 and STEP_SECONDS == 0.2 and WINDOW * STEP_SECONDS == pytest.approx(30.0)


@settings(max_examples=200, deadline=None)
@given(duration=st.floats(min_value=0.01, max_value=3 * 3600, allow_nan=False))
def test_any_duration_gives_right_clips_steps_and_times(duration: float) -> None:
    n = n_steps_for(duration)
    index = clip_windows(n)
    assert index.shape == (math.ceil(n / 150), 150)
    times = step_times(n)
    assert times.shape == (n,)
    assert times[0] == 0.0 and times[-1] < duration
    # the steps cover the whole video (a grid point within 0.1 ms of the end does not start a step)
    assert times[-1] + STEP_SECONDS >= duration - 1e-4
    np.testing.assert_allclose(np.diff(times), STEP_SECONDS)
    # every window is exactly 30 s of time stamps taken from the video
    assert np.all(times[index] < duration)


@settings(max_examples=150, deadline=None)
@given(n=lengths, window=windows)
def test_clip_windows_structure(n: int, window: int) -> None:
    index = clip_windows(n, window)
    n_windows = -(-n // window)
    assert index.shape == (n_windows, window)
    assert index.min() == 0 and index.max() == n - 1
    # all but the last window are consecutive, non-overlapping runs
    for w in range(n_windows - 1):
        np.testing.assert_array_equal(index[w], np.arange(w * window, (w + 1) * window))
    # the last part (or a whole short video) is repeated from its own start until the window is full
    start, rest = (n_windows - 1) * window, n - (n_windows - 1) * window
    np.testing.assert_array_equal(index[-1], start + np.arange(window) % rest)
    # read in order, first occurrences are exactly the original steps 0..n-1
    _, first = np.unique(index.reshape(-1), return_index=True)
    np.testing.assert_array_equal(np.sort(first), first)
    assert first.size == n


def test_short_video_is_repeated_then_clipped() -> None:
    np.testing.assert_array_equal(clip_windows(4, 10), [[0, 1, 2, 3, 0, 1, 2, 3, 0, 1]])
    np.testing.assert_array_equal(clip_windows(7, 5), [[0, 1, 2, 3, 4], [5, 6, 5, 6, 5]])


@settings(max_examples=150, deadline=None)
@given(n=lengths, window=windows, dim=st.integers(1, 5), seed=st.integers(0, 2**31 - 1))
def test_merge_of_windows_round_trips(n: int, window: int, dim: int, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    windows_ = to_windows(x, window)
    assert windows_.shape == (-(-n // window), window, dim)
    np.testing.assert_array_equal(merge_scores(windows_, clip_windows(n, window), n), x)
    scores = x[:, 0]
    np.testing.assert_array_equal(merge_scores(to_windows(scores, window), clip_windows(n, window), n), scores)


def test_merge_keeps_the_original_part_not_the_repeats() -> None:
    index = clip_windows(3, 5)  # [[0, 1, 2, 0, 1]]
    scores = np.array([[10.0, 11.0, 12.0, 99.0, 99.0]])
    np.testing.assert_array_equal(merge_scores(scores, index, 3), [10.0, 11.0, 12.0])


def test_merge_rejects_mismatched_input() -> None:
    with pytest.raises(FeatureError):
        merge_scores(np.zeros((2, 4)), clip_windows(5, 5), 5)
    with pytest.raises(FeatureError):
        merge_scores(np.zeros((1, 5)), clip_windows(5, 5), 6)


def test_empty_or_bad_windows_are_rejected() -> None:
    with pytest.raises(FeatureError):
        clip_windows(0)
    with pytest.raises(FeatureError):
        clip_windows(10, 0)


@settings(max_examples=150, deadline=None)
@given(m=st.integers(1, 400), n=st.integers(1, 200), seed=st.integers(0, 2**31 - 1))
def test_pool_to_length(m: int, n: int, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal((m, 3))
    out = pool_to_length(x, n)
    assert out.shape == (n, 3) and out.dtype == np.float32
    assert np.all(out <= x.max(0) + 1e-5) and np.all(out >= x.min(0) - 1e-5)  # averages stay in range
    if m % n == 0:
        np.testing.assert_allclose(out, x.reshape(n, m // n, 3).mean(1), rtol=1e-5, atol=1e-5)
    const = pool_to_length(np.full((m, 2), 7.5), n)
    np.testing.assert_allclose(const, 7.5)


def test_pool_to_length_averages_each_span() -> None:
    x = np.arange(10, dtype=np.float64)[:, None]
    np.testing.assert_allclose(pool_to_length(x, 3)[:, 0], [1.0, 4.0, 7.5])  # spans 0-2, 3-5, 6-9
    np.testing.assert_allclose(pool_to_length(x[:2], 4)[:, 0], [0, 0, 1, 1])  # fewer rows: nearest


def test_resize_dim_is_linear_interpolation() -> None:
    x = np.array([[0.0, 10.0, 20.0]])
    np.testing.assert_allclose(resize_dim(x, 5), [[0.0, 5.0, 10.0, 15.0, 20.0]])
    np.testing.assert_allclose(resize_dim(x, 2), [[0.0, 20.0]])
    np.testing.assert_allclose(resize_dim(np.array([[4.0]]), 3), [[4.0, 4.0, 4.0]])


@settings(max_examples=40, deadline=None)
@given(da=st.integers(1, 300), d=st.integers(1, 300), seed=st.integers(0, 2**31 - 1))
def test_resize_dim_numpy_and_torch_agree(da: int, d: int, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal((2, 4, da)).astype(np.float32)
    out = resize_dim(x, d)
    assert out.shape == (2, 4, d)
    assert out[..., 0] == pytest.approx(x[..., 0])
    if d > 1:
        assert out[..., -1] == pytest.approx(x[..., -1])
    np.testing.assert_allclose(resize_dim(torch.from_numpy(x), d).numpy(), out, atol=5e-4)  # float32 positions in torch


def test_step_times_have_no_drift() -> None:
    times = step_times(180_000)  # ten hours
    assert times[-1] == pytest.approx(179_999 * 0.2, abs=1e-9)
