"""Raw pixels as the visual feature: the paper's Table V "Pixel" target.

A frame is scaled by FFmpeg straight to a small size with area averaging (a box filter: every source
pixel counts, no aliasing from a 720p frame), then flattened to [0, 1]. Default 32x32 grey = 1024-d,
close to the 1280-d of EfficientNet so the model widths need not change; ``color=True`` keeps RGB.
"""

from __future__ import annotations

import numpy as np

from highlit.features.base import VisualExtractor

# ITU-R BT.601 luma, the weights FFmpeg uses for grey conversion.
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)


class Pixels(VisualExtractor):
    name = "pixels"
    version = "1"
    interpolation = "AREA"

    def __init__(self, side: int = 32, color: bool = False) -> None:
        self.side = int(side)
        self.color = bool(color)
        self.size = (self.side, self.side)

    @property
    def dim(self) -> int:
        return self.side * self.side * (3 if self.color else 1)

    def params(self) -> dict:
        return {"side": self.side, "color": self.color}

    def _forward(self, frames: np.ndarray) -> np.ndarray:
        x = frames.astype(np.float32) / 255.0
        if not self.color:
            x = x @ _LUMA
        return x.reshape(x.shape[0], -1)
