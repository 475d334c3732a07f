"""The result of scoring one video: pure data, serialisable, and the entry point to every output.

Why a plain dataclass and not the model's output: writers, reports and scripts must be able to work
from a saved JSON alone (re-cut a reel next week without re-running the model), so nothing here may
import the model, and ``from_json(to_json())`` must give back an equal object.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import highlit
from highlit.errors import ConfigError, warn
from highlit.segments import Segment
from highlit.timecode import TIMECODE
from highlit.writers import output_path

__all__ = ["Highlights", "output_path", "FORMAT", "FORMAT_VERSION"]

#: Tag written into every JSON result so other tools (and later versions) can tell what they read.
FORMAT = "highlit.highlights"
FORMAT_VERSION = 1
#: Frame rate used for timelines when the source's is unknown (results made from features only).
FALLBACK_FPS = 25.0
# Decimals kept in JSON: microseconds for times, 1e-6 for scores. Enough for any editor, and makes
# the file stable: to_dict(from_dict(d)) == d.
_DECIMALS = 6


@dataclass(eq=False)
class Highlights:
    """Scores of one video on a fixed step grid, and the highlight segments cut from them.

    ``times[i]`` is the start (seconds) of step i, ``scores[i]`` in [0, 1]; ``duration`` is the video
    length; ``fps`` its frame rate (None when unknown), used to put timeline cuts on whole frames.
    ``model`` / ``extractors`` are identity dicts so a result says exactly what produced it.
    ``timecode`` is the source's start timecode (camera files carry one), which timelines count from.
    """

    source: str
    times: np.ndarray
    scores: np.ndarray
    segments: list[Segment]
    step: float = 0.2
    duration: float = 0.0
    has_audio: bool = False
    fps: float | None = None
    timecode: str | None = None
    model: dict[str, Any] = field(default_factory=dict)
    extractors: dict[str, Any] = field(default_factory=dict)
    version: str = highlit.__version__
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rate_warned = False
        self.source = str(self.source)
        # kept at the JSON's precision, so that a result read back is the result written: segments re-cut
        # from a stored JSON (new segment options on a re-run) match those cut when it was made
        self.times = np.round(np.asarray(self.times, dtype=np.float64), _DECIMALS)
        self.scores = np.round(np.asarray(self.scores, dtype=np.float64), _DECIMALS).astype(np.float32)
        if self.times.ndim != 1 or self.times.shape != self.scores.shape:
            raise ConfigError(f"{self.source}: times and scores differ in shape "
                              f"({self.times.shape} vs {self.scores.shape})")
        if not (np.isfinite(self.times).all() and np.isfinite(self.scores).all()):
            raise ConfigError(f"{self.source}: times and scores must be finite numbers (found NaN or infinity)")
        self.segments = sorted(self.segments, key=lambda s: s.start)
        if not self.duration:
            self.duration = float(self.times[-1] + self.step) if len(self.times) else 0.0
        self.fps = float(self.fps) if self.fps else None
        if self.timecode is not None and not TIMECODE.match(str(self.timecode)):
            raise ConfigError(f"{self.source}: start timecode {self.timecode!r} is not HH:MM:SS:FF")

    def __eq__(self, other: object) -> bool:
        """Equal when they serialise alike (numpy arrays have no single truth value to compare by)."""
        if not isinstance(other, Highlights):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # mutable, like any dataclass with eq

    # -- derived ---------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The source's file name without suffix: the stem of every output written for it."""
        return Path(self.source).stem

    @property
    def highlight_duration(self) -> float:
        return float(sum(s.length for s in self.segments))

    def edit_rate(self) -> float:
        """Frame rate for timelines (EDL, OTIO, reels); warns once if the source's is unknown."""
        if self.fps:
            return self.fps
        if not self._rate_warned:
            self._rate_warned = True
            warn(f"{self.source}: frame rate unknown, timelines use {FALLBACK_FPS:g} fps")
        return FALLBACK_FPS

    def top_segments(self, n: int) -> list[Segment]:
        """The ``n`` best segments by score (ties: earlier first)."""
        return sorted(self.segments, key=lambda s: (-s.score, s.start))[:n]

    # -- serialisation -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "highlit_version": self.version,
            "source": self.source,
            "duration": round(float(self.duration), _DECIMALS),
            "step": float(self.step),
            "fps": self.fps,
            "start_timecode": self.timecode,
            "has_audio": bool(self.has_audio),
            "model": self.model,
            "extractors": self.extractors,
            "segments": [s.to_dict() for s in self.segments],
            "times": [round(float(t), _DECIMALS) for t in self.times],
            "scores": [round(float(s), _DECIMALS) for s in self.scores],
            "meta": self.meta,
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "highlights") -> Highlights:
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise ConfigError(f"{where}: not a highlit result (no \"format\": \"{FORMAT}\")")
        if int(d.get("format_version", 0)) > FORMAT_VERSION:
            raise ConfigError(f"{where}: written by a newer highlit (format version {d['format_version']})")
        try:
            return cls(
                source=d["source"],
                times=np.asarray(d["times"], dtype=np.float64),
                scores=np.asarray(d["scores"], dtype=np.float32),
                segments=[Segment.from_dict(s) for s in d["segments"]],
                step=float(d["step"]),
                duration=float(d["duration"]),
                has_audio=bool(d["has_audio"]),
                fps=d.get("fps"),
                timecode=d.get("start_timecode"),
                model=dict(d.get("model") or {}),
                extractors=dict(d.get("extractors") or {}),
                version=str(d.get("highlit_version", "unknown")),
                meta=dict(d.get("meta") or {}),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise ConfigError(f"{where}: malformed highlit result ({type(err).__name__}: {err})") from None

    @classmethod
    def from_json(cls, text: str, where: str = "highlights") -> Highlights:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{where}: not valid JSON ({err.msg} at line {err.lineno})") from None
        return cls.from_dict(data, where)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Highlights:
        p = Path(path)
        if not p.is_file():
            from highlit.errors import InputNotFoundError

            raise InputNotFoundError(f"{p}: no such file")
        return cls.from_json(p.read_text(encoding="utf-8"), where=str(p))

    # -- outputs ---------------------------------------------------------------------------------
    def output_path(self, fmt: str, out_dir: str | os.PathLike[str] | None = None, stem: str | None = None) -> Path:
        """Where :meth:`write` puts format ``fmt``: ``out_dir`` (default: beside the source)."""
        return output_path(out_dir, self.source, fmt, stem)

    def write(self, out_dir: str | os.PathLike[str] | None = None, formats: str | Iterable[str] | None = None,
              stem: str | None = None) -> dict[str, Path]:
        """Write each format (default :data:`highlit.writers.DEFAULT_FORMATS`) in the order given; returns
        format -> path. ``stem`` names the files (default: the source's file name without suffix).

        An EDL cannot hold more than 999 events: past that it is left out with a warning, not raised, so
        that hours of footage cut into many segments still get every other output (the OTIO has them all).
        """
        from highlit.writers import DEFAULT_FORMATS, WRITERS, edl

        chosen: Sequence[str] = [formats] if isinstance(formats, str) else list(
            DEFAULT_FORMATS if formats is None else formats)
        unknown = [f for f in chosen if f not in WRITERS]
        if unknown:
            raise ConfigError(f"unknown output format(s) {', '.join(unknown)}; choose from {', '.join(WRITERS)}")
        if "edl" in chosen and len(self.segments) > edl.MAX_EVENTS:
            stale = self.output_path("edl", out_dir, stem)
            removed = stale.is_file()
            if removed:  # an earlier cut's list beside this cut's other outputs would contradict them
                stale.unlink()
            warn(f"{self.source}: {len(self.segments)} segments, a CMX 3600 EDL holds at most {edl.MAX_EVENTS}: "
                 f"no EDL written{f' (the earlier {stale.name} was removed)' if removed else ''}; the .otio "
                 "timeline has them all, and a larger --min-length or --merge-gap makes fewer segments")
            chosen = [f for f in chosen if f != "edl"]
        return {fmt: WRITERS[fmt](self, self.output_path(fmt, out_dir, stem)) for fmt in chosen}

    def write_reel(self, path: str | os.PathLike[str], crossfade: float = 0.0) -> Path:
        """All segments cut from the source and joined into one video, its container and codecs named by the
        suffix (see writers.reel.FORMATS)."""
        from highlit.writers.reel import write_reel

        return write_reel(self, path, crossfade=crossfade)

    def write_clips(self, out_dir: str | os.PathLike[str]) -> list[Path]:
        """One mp4 per segment in ``out_dir`` (see writers.reel)."""
        from highlit.writers.reel import write_clips

        return write_clips(self, out_dir)
