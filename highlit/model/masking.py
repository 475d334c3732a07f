"""The mask M of Eq. (10): rho_dot = M * rho hides a fraction of the input FVS.

Implementation section: "The mask M in Eq. (10) masks 50% feature vectors of the input FVS". So the
default unit is a whole feature vector (time step): exactly round(ratio * T) steps of every clip are set
to zero, chosen uniformly without replacement. ``unit='element'`` instead hides individual entries with
probability ``ratio`` (a Bernoulli draw: exact counts over T x d entries would need a sort per step).
"""

from __future__ import annotations

import torch


def make_mask(
    shape: tuple[int, int, int], ratio: float, unit: str, generator: torch.Generator | None = None,
    device: torch.device | str | None = None,
) -> torch.Tensor:
    """M for an FVS of ``shape`` [B, T, d]: 1 keeps, 0 hides. Shape [B, T, 1] (step) or [B, T, d]."""
    b, t, d = shape
    if unit == "step":
        hidden = round(ratio * t)
        perm = torch.rand(b, t, generator=generator, device=device).argsort(dim=1)  # a uniform permutation
        keep = (perm >= hidden).float()  # exactly `hidden` steps per clip get a value < hidden: masked
        return keep.unsqueeze(-1)
    return (torch.rand(b, t, d, generator=generator, device=device) >= ratio).float()
