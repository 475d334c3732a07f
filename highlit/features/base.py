"""The one interface every feature extractor implements, so extraction, caches and checkpoints can
treat EfficientNet, raw pixels, log-mel or YAMNet alike.

An extractor's :meth:`Extractor.identity` (name, kind, version, dimension and every setting that
changes its output) goes into cache keys and checkpoints: bump ``version`` whenever the numbers an
extractor produces change, so stale caches miss and a model is never fed features it was not
trained on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from highlit.errors import FeatureError


class Extractor(ABC):
    name: ClassVar[str]
    kind: ClassVar[str]
    version: ClassVar[str]

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of one output vector."""

    def params(self) -> dict:
        """Settings that change the output (beyond name and version); part of the identity."""
        return {}

    def identity(self) -> dict:
        return {"name": self.name, "kind": self.kind, "version": self.version, "dim": self.dim,
                **self.params()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.identity()})"


class VisualExtractor(Extractor):
    """Maps frames ``uint8 [B, H, W, 3]`` (RGB, already at :attr:`size`) to ``float32 [B, dim]``."""

    kind = "visual"
    #: (width, height) the media reader scales frames to; FFmpeg does the scaling, not the extractor.
    size: tuple[int, int] = (224, 224)
    #: swscale interpolation for that scaling (None: FFmpeg's default, bilinear).
    interpolation: str | None = None
    #: True when the extractor's worker threads sleep instead of spinning while they wait, so it can
    #: be given every core while the decoder runs beside it (see highlit.extract).
    shares_cores: bool = False

    def __call__(self, frames: np.ndarray) -> np.ndarray:
        frames = np.asarray(frames)
        w, h = self.size
        if frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[1:] != (h, w, 3):
            raise FeatureError(f"{self.name}: expected uint8 frames [B, {h}, {w}, 3], "
                               f"got {frames.dtype} {tuple(frames.shape)}")
        if frames.shape[0] == 0:
            return np.zeros((0, self.dim), np.float32)
        out = np.asarray(self._forward(frames), dtype=np.float32)
        if out.shape != (frames.shape[0], self.dim):
            raise FeatureError(f"{self.name}: produced {out.shape}, expected {(frames.shape[0], self.dim)}")
        return out

    @abstractmethod
    def _forward(self, frames: np.ndarray) -> np.ndarray: ...


class AudioExtractor(Extractor):
    """Maps a mono waveform to one vector per step: :meth:`steps` returns ``float32 [n_steps, dim]``."""

    kind = "audio"
    rate: int = 16000

    def steps(self, wave: np.ndarray, rate: int, n_steps: int, step_seconds: float = 0.2) -> np.ndarray:
        """Features for steps ``0..n_steps-1`` of ``wave`` (sample 0 = start of step 0).

        The wave is cut or padded with silence to exactly ``n_steps * step_seconds`` so audio that is
        a little longer or shorter than the video (usual with AAC priming) still lines up step by step.
        """
        if rate != self.rate:
            raise FeatureError(f"{self.name}: needs {self.rate} Hz audio, got {rate} Hz")
        if n_steps < 0:
            raise FeatureError(f"{self.name}: n_steps must be >= 0, got {n_steps}")
        wave = np.asarray(wave, dtype=np.float32).reshape(-1)
        if n_steps == 0:
            return np.zeros((0, self.dim), np.float32)
        length = int(round(n_steps * step_seconds * rate))
        if wave.size < length:
            wave = np.concatenate([wave, np.zeros(length - wave.size, np.float32)])
        out = np.asarray(self._steps(wave[:length], n_steps, step_seconds), dtype=np.float32)
        if out.shape != (n_steps, self.dim):
            raise FeatureError(f"{self.name}: produced {out.shape}, expected {(n_steps, self.dim)}")
        return out

    @abstractmethod
    def _steps(self, wave: np.ndarray, n_steps: int, step_seconds: float) -> np.ndarray: ...
