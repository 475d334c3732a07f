"""Encoder E^m (3 convs) and decoder D^m (3 deconvs) of Eq. (3), (5), (10); the time axis is the conv axis.

Implementation section: "3 convolutional and 3 deconvolutional layers, respectively, with a stride of 2.
There are ReLU activation functions that follow each convolutional and deconvolutional layer." Widths
and kernel sizes are not given; they are config values (see config.py). Padding is kernel // 2, so a
150-step FVS becomes 75 -> 38 -> 19 representation steps. The decoder is told the encoder's lengths
and crops or output-pads each deconvolution to them, so it returns exactly the input length for any T.

The last ReLU is optional (``output``): a ReLU can only produce targets >= 0, which fits the
non-negative I3D/EfficientNet/PANNs features but not log-mel or standardised inputs.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class Encoder(nn.Module):
    """E^m: [B, d, T] -> r [B, C3, L] plus the lengths the decoder must restore."""

    def __init__(self, in_dim: int, channels: tuple[int, ...], kernel: int, stride: int) -> None:
        super().__init__()
        widths = (in_dim, *channels)
        self.convs = nn.ModuleList(
            nn.Conv1d(widths[i], widths[i + 1], kernel, stride=stride, padding=kernel // 2)
            for i in range(len(channels))
        )

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
        lengths = []
        for conv in self.convs:
            lengths.append(x.shape[-1])
            x = F.relu(conv(x))
        return x, lengths


class Decoder(nn.Module):
    """D^m: [B, C3, L] -> [B, d_out, T], mirroring the encoder's widths."""

    def __init__(self, out_dim: int, channels: tuple[int, ...], kernel: int, stride: int, output: str) -> None:
        super().__init__()
        widths = (*reversed(channels), out_dim)
        self.deconvs = nn.ModuleList(
            nn.ConvTranspose1d(widths[i], widths[i + 1], kernel, stride=stride, padding=kernel // 2)
            for i in range(len(channels))
        )
        self.output = output

    def forward(self, x: torch.Tensor, lengths: list[int]) -> torch.Tensor:
        last = len(self.deconvs) - 1
        for i, (deconv, target) in enumerate(zip(self.deconvs, reversed(lengths), strict=True)):
            natural = (x.shape[-1] - 1) * deconv.stride[0] - 2 * deconv.padding[0] + deconv.kernel_size[0]
            if natural < target:  # one step short: add output padding (always < stride here)
                x = deconv(x, output_size=[target])
            else:
                x = deconv(x)[..., :target]
            if i < last or self.output == "relu":
                x = F.relu(x)
        return x
