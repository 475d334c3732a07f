"""Batches of fixed-length windows for pretraining, and the train/validation split of clips.

A window is read from the video concatenated with itself (cyclic indices), which is exactly the paper's
rule for inputs or remainders shorter than 30 s: "concatenate the video repeatedly until it is longer
than 30 seconds and clip it". One epoch visits every video in consecutive windows (ceil(n / window)
of them, the last one repeat-padded) starting at a random phase, so each epoch sees new cut points;
the order of all windows in an epoch is shuffled.

``fill='none'`` (not in the paper) keeps a video shorter than the window as one shorter window, and cuts a window
of a longer video that would wrap round its end into two, at the end: the same steps as the cyclic window, each
video step as often as under 'repeat', nothing repeated. A batch then holds windows of several lengths, grouped by
length (:class:`Windows`), and may hold a few more windows than the batch size; so a network read on each video
whole (``highlit evaluate --read whole``) can also be trained on videos that are not repeated copies of themselves.

The plan of an epoch is a pure function of (seed, epoch), so the sampler's whole state is two integers
(epoch, position). That is what makes ``--resume`` exact, and what lets batches be built ahead of use
in a background thread without touching the RNG that the model uses for its masks.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch

from highlit.datasets import VideoFeatures
from highlit.errors import ConfigError, FeatureError

#: How a window is filled from a video (see the module docstring): the paper's repeat, or none.
FILLS = ("repeat", "none")


class Windows(NamedTuple):
    """Windows of one length: visual [b, T, D], audio [b, T, Da] (None: no input has audio), has_audio [b]."""

    visual: torch.Tensor
    audio: torch.Tensor | None
    has_audio: torch.Tensor | None

    @property
    def size(self) -> int:
        return int(self.visual.shape[0])

    @property
    def no_audio(self) -> int:
        if self.has_audio is None:
            return self.size if self.audio is None else 0
        return int((~self.has_audio).sum())


@dataclass(frozen=True)
class Batch:
    """One step's input; ``state`` is the sampler state *after* this batch (what a checkpoint stores).
    ``parts``: the windows grouped by length, one group unless ``fill='none'``."""

    parts: tuple[Windows, ...]
    state: dict
    epoch: float

    @property
    def size(self) -> int:
        return sum(p.size for p in self.parts)

    @property
    def no_audio(self) -> int:
        """Windows in this batch whose video has no audio track (their SCL term is skipped)."""
        return sum(p.no_audio for p in self.parts)

    def _only(self) -> Windows:
        if len(self.parts) != 1:
            raise ValueError(f"this batch holds windows of {len(self.parts)} lengths; read its parts")
        return self.parts[0]

    @property
    def visual(self) -> torch.Tensor:
        return self._only().visual

    @property
    def audio(self) -> torch.Tensor | None:
        return self._only().audio

    @property
    def has_audio(self) -> torch.Tensor | None:
        return self._only().has_audio


def cyclic_window(n_steps: int, start: int, window: int) -> np.ndarray:
    """Indices of ``window`` steps from ``start`` in the video repeated end to start."""
    return (start + np.arange(window)) % n_steps


def window_steps(n_steps: int, start: int, window: int, fill: str = "repeat") -> list[np.ndarray]:
    """Indices of the window(s) a planned window at ``start`` becomes: the cyclic window (the paper), or with
    ``fill='none'`` the video itself when shorter than the window, else the cyclic window cut where it would
    wrap round the video's end (one or two windows, consecutive steps each)."""
    if fill == "repeat":
        return [cyclic_window(n_steps, start, window)]
    if n_steps <= window:
        return [np.arange(n_steps)]
    first = start % n_steps
    if first + window <= n_steps:
        return [np.arange(first, first + window)]
    return [np.arange(first, n_steps), np.arange(first + window - n_steps)]


def windows_per_video(n_steps: int, window: int) -> int:
    return max(1, math.ceil(n_steps / window))


def split_clips(videos: Sequence[VideoFeatures], val_fraction: float,
                seed: int) -> tuple[list[VideoFeatures], list[VideoFeatures]]:
    """Hold out whole videos (not windows) so validation windows never overlap training ones.

    The split depends only on the seed and the sorted video ids, so a resumed run gets the same split.
    At least one video always stays in training; with a positive fraction and two or more videos at
    least one is held out.
    """
    if not 0.0 <= val_fraction < 1.0:
        raise ConfigError(f"validation fraction must be in [0, 1), got {val_fraction}")
    if not videos:
        raise ConfigError("no videos to train on")
    order = sorted(range(len(videos)), key=lambda i: videos[i].video_id)
    perm = np.random.default_rng([seed, 0x5EED]).permutation(len(order))
    shuffled = [order[i] for i in perm]
    n_val = round(val_fraction * len(videos))
    if val_fraction > 0 and len(videos) >= 2:
        n_val = max(1, n_val)
    n_val = min(n_val, len(videos) - 1)
    val_idx = set(shuffled[:n_val])
    train = [v for i, v in enumerate(videos) if i not in val_idx]
    val = [v for i, v in enumerate(videos) if i in val_idx]
    return train, val


class _Assembler:
    """Turns (video, start) pairs into tensors; knows the feature dims and the no-audio rule."""

    def __init__(self, videos: Sequence[VideoFeatures], window: int, visual_dim: int | None = None,
                 audio_dim: int | None = None, fill: str = "repeat") -> None:
        if window < 1:
            raise ConfigError(f"window must be at least 1 step, got {window}")
        if fill not in FILLS:
            raise ConfigError(f"unknown window fill {fill!r}; choose from {', '.join(FILLS)}")
        self.videos = list(videos)
        self.window = window
        self.fill = fill
        dims = {int(v.visual.shape[1]) for v in self.videos}
        self.visual_dim = visual_dim if visual_dim is not None else min(dims)
        audio_dims = {int(v.audio.shape[1]) for v in self.videos if v.audio is not None}
        self.any_audio = bool(audio_dims)
        self.audio_dim = audio_dim if audio_dim is not None else (min(audio_dims) if audio_dims else 0)
        for v in self.videos:
            check_video(v, self.visual_dim, self.audio_dim if self.any_audio else None)

    def build(self, picks: Sequence[tuple[int, int]]) -> tuple[Windows, ...]:
        """The picked windows grouped by length, groups in order of their first window."""
        by_length: dict[int, list[tuple[VideoFeatures, np.ndarray]]] = {}
        for vi, start in picks:
            video = self.videos[vi]
            for idx in window_steps(video.n_steps, start, self.window, self.fill):
                by_length.setdefault(len(idx), []).append((video, idx))
        return tuple(self._stack(group) for group in by_length.values())

    def _stack(self, group: list[tuple[VideoFeatures, np.ndarray]]) -> Windows:
        b, t = len(group), len(group[0][1])
        visual = np.empty((b, t, self.visual_dim), dtype=np.float32)
        audio = np.zeros((b, t, self.audio_dim), dtype=np.float32) if self.any_audio else None
        has_audio = np.zeros(b, dtype=bool)
        for row, (video, idx) in enumerate(group):
            visual[row] = video.visual[idx]
            if audio is not None and video.audio is not None:
                audio[row] = video.audio[idx]
                has_audio[row] = True
        if audio is None:
            return Windows(torch.from_numpy(visual), None, None)
        return Windows(torch.from_numpy(visual), torch.from_numpy(audio), torch.from_numpy(has_audio))


def check_video(video: VideoFeatures, visual_dim: int, audio_dim: int | None) -> None:
    """Reject feature arrays the model cannot take, naming the video, before any step is spent."""
    vis = video.visual
    if vis.ndim != 2 or vis.shape[0] == 0:
        raise FeatureError(f"{video.video_id}: visual features must be a non-empty (steps, dim) array, "
                           f"got shape {vis.shape}")
    if vis.shape[1] != visual_dim:
        raise FeatureError(f"{video.video_id}: visual features have dimension {vis.shape[1]}, "
                           f"expected {visual_dim}")
    if video.audio is None or audio_dim is None:
        return
    if video.audio.ndim != 2 or video.audio.shape[1] != audio_dim:
        raise FeatureError(f"{video.video_id}: audio features have shape {video.audio.shape}, "
                           f"expected (steps, {audio_dim})")
    if video.audio.shape[0] != vis.shape[0]:
        raise FeatureError(f"{video.video_id}: audio has {video.audio.shape[0]} steps but visual has "
                           f"{vis.shape[0]}; resample audio to the visual step grid first")


class WindowSampler:
    """An endless, reproducible stream of training batches over shuffled epochs of windows."""

    def __init__(self, videos: Sequence[VideoFeatures], window: int, batch_size: int, seed: int,
                 visual_dim: int | None = None, audio_dim: int | None = None,
                 state: dict | None = None, fill: str = "repeat") -> None:
        if batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, got {batch_size}")
        self._asm = _Assembler(videos, window, visual_dim, audio_dim, fill)
        self.batch_size = batch_size
        self.seed = int(seed)
        self.windows_per_epoch = sum(windows_per_video(v.n_steps, window) for v in self._asm.videos)
        state = state or {"epoch": 0, "pos": 0}
        self._epoch, self._pos = int(state["epoch"]), int(state["pos"])
        if not 0 <= self._pos < self.windows_per_epoch:
            raise ConfigError(f"sampler state {state} does not fit these inputs "
                              f"({self.windows_per_epoch} windows per epoch)")
        self._plan_epoch: int | None = None
        self._plan: list[tuple[int, int]] = []

    @property
    def videos(self) -> list[VideoFeatures]:
        return self._asm.videos

    @property
    def any_audio(self) -> bool:
        return self._asm.any_audio

    @property
    def state(self) -> dict:
        return {"epoch": self._epoch, "pos": self._pos}

    def _epoch_plan(self, epoch: int) -> list[tuple[int, int]]:
        if self._plan_epoch != epoch:
            rng = np.random.default_rng([self.seed, epoch])
            picks: list[tuple[int, int]] = []
            for vi, video in enumerate(self._asm.videos):
                phase = int(rng.integers(video.n_steps))
                picks.extend((vi, phase + j * self._asm.window)
                             for j in range(windows_per_video(video.n_steps, self._asm.window)))
            self._plan = [picks[i] for i in rng.permutation(len(picks))]
            self._plan_epoch = epoch
        return self._plan

    def next_batch(self) -> Batch:
        picks: list[tuple[int, int]] = []
        while len(picks) < self.batch_size:
            plan = self._epoch_plan(self._epoch)
            take = min(self.batch_size - len(picks), len(plan) - self._pos)
            picks.extend(plan[self._pos:self._pos + take])
            self._pos += take
            if self._pos == len(plan):
                self._epoch, self._pos = self._epoch + 1, 0
        return Batch(self._asm.build(picks), self.state, self._epoch + self._pos / self.windows_per_epoch)

    def __iter__(self) -> Iterator[Batch]:
        while True:
            yield self.next_batch()


class ValidationWindows:
    """Every held-out video cut at phase 0 (filled as the training windows are); the same windows every time.

    Built (and its features checked) up front, so a bad held-out video fails before step 1, not at
    the first validation.
    """

    def __init__(self, videos: Sequence[VideoFeatures], window: int, batch_size: int,
                 visual_dim: int | None = None, audio_dim: int | None = None, fill: str = "repeat") -> None:
        self._asm = _Assembler(videos, window, visual_dim, audio_dim, fill) if videos else None
        self.batch_size = batch_size
        self._picks = [] if self._asm is None else [
            (vi, j * window) for vi, v in enumerate(self._asm.videos)
            for j in range(windows_per_video(v.n_steps, window))]

    def __len__(self) -> int:
        return len(self._picks)

    def __iter__(self) -> Iterator[Batch]:
        for start in range(0, len(self._picks), self.batch_size):
            yield Batch(self._asm.build(self._picks[start:start + self.batch_size]), {}, 0.0)


class Prefetcher:
    """Builds the next batches in a background thread while the current step computes.

    numpy gathers release the GIL, so on two cores this overlaps data loading with the forward and
    backward passes. The sampler never touches torch's RNG, so prefetching does not change results.
    """

    def __init__(self, sampler: WindowSampler, depth: int = 2) -> None:
        self._sampler = sampler
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="highlit-prefetch", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            while not self._stop.is_set():
                item = self._sampler.next_batch()
                while not self._stop.is_set():
                    try:
                        self._queue.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
        except BaseException as err:  # handed to the consumer, which re-raises it
            self._queue.put(err)

    def next(self) -> Batch:
        item = self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self._stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join(timeout=5)

    def __enter__(self) -> Prefetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
