"""Log-mel spectrogram per step: the default audio extractor (the paper's Table V mel target).

Computed with ``torch.stft`` and a mel filterbank built here (HTK mel scale, triangular filters),
because torchaudio's PyPI wheel does not import with the CPU torch and librosa is a heavy dependency
for one matrix. Defaults follow the common speech/AudioSet front end: 25 ms Hann window, 10 ms hop,
64 bands from 125 Hz to 7.5 kHz, natural log of the power with a 1e-6 floor. The dense frames
(100 per second) are average-pooled to one vector per 0.2 s step with
:func:`highlit.sequences.pool_to_length`, the paper's pooling rule.

:func:`log_mel` is shared with the YAMNet front end, which uses the same recipe with other settings.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from highlit.features.base import AudioExtractor
from highlit.sequences import pool_to_length


def hz_to_mel(f: np.ndarray | float) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m: np.ndarray | float) -> np.ndarray:
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


@lru_cache(maxsize=8)
def mel_filterbank(n_fft: int, rate: int, n_mels: int, fmin: float, fmax: float) -> np.ndarray:
    """Triangular HTK-mel filters ``float32 [n_fft // 2 + 1, n_mels]`` (unnormalised peaks of 1)."""
    freqs = np.linspace(0.0, rate / 2, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    lower, centre, upper = edges[:-2], edges[1:-1], edges[2:]
    up = (freqs[:, None] - lower) / (centre - lower)
    down = (upper - freqs[:, None]) / (upper - centre)
    bank = np.clip(np.minimum(up, down), 0.0, None).astype(np.float32)
    bank.setflags(write=False)
    return bank


def log_mel(wave: np.ndarray, rate: int, *, n_fft: int = 400, win_length: int = 400, hop: int = 160,
            n_mels: int = 64, fmin: float = 125.0, fmax: float = 7500.0, power: float = 2.0,
            center: bool = True, floor: float = 1e-6) -> np.ndarray:
    """``float32 [frames, n_mels]``; with ``center`` frame j is centred on sample ``j * hop``."""
    import torch

    x = torch.from_numpy(np.ascontiguousarray(wave, dtype=np.float32))
    if center:
        pad = n_fft // 2
        mode = "reflect" if x.numel() > pad else "constant"
        x = torch.nn.functional.pad(x[None, None], (pad, pad), mode=mode)[0, 0]
    if x.numel() < n_fft:
        x = torch.nn.functional.pad(x, (0, n_fft - x.numel()))
    spec = torch.stft(x, n_fft=n_fft, hop_length=hop, win_length=win_length,
                      window=torch.hann_window(win_length), center=False, return_complex=True)
    mag = spec.abs().pow(power).T  # [frames, bins]
    bank = torch.from_numpy(mel_filterbank(n_fft, rate, n_mels, fmin, fmax).copy())
    return torch.log(mag @ bank + floor).numpy()


class LogMel(AudioExtractor):
    name = "logmel"
    version = "1"

    def __init__(self, n_mels: int = 64, window_ms: float = 25.0, hop_ms: float = 10.0,
                 fmin: float = 125.0, fmax: float = 7500.0) -> None:
        self.n_mels = int(n_mels)
        self.win = int(round(self.rate * window_ms / 1000))
        self.hop = int(round(self.rate * hop_ms / 1000))
        self.fmin, self.fmax = float(fmin), float(fmax)

    @property
    def dim(self) -> int:
        return self.n_mels

    def params(self) -> dict:
        return {"rate": self.rate, "n_mels": self.n_mels, "win": self.win, "hop": self.hop,
                "fmin": self.fmin, "fmax": self.fmax, "pool": "mean"}

    def _steps(self, wave: np.ndarray, n_steps: int, step_seconds: float) -> np.ndarray:
        frames = log_mel(wave, self.rate, n_fft=self.win, win_length=self.win, hop=self.hop,
                         n_mels=self.n_mels, fmin=self.fmin, fmax=self.fmax)
        # With centred frames there is one frame per hop plus one at the very end; drop that one so
        # every step pools exactly the frames centred inside it.
        frames = frames[: max(1, wave.size // self.hop)]
        return pool_to_length(frames, n_steps)
