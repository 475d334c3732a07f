"""Model size report for ``highlit model-info``: parameters and FLOPs, as in the paper's Table VI.

FLOPs are counted by torch's own ``FlopCounterMode`` (matmuls, convolutions, attention; elementwise ops
are not counted), which counts a multiply-add as 2 FLOPs. Tools like thop/ptflops report multiply-adds
(MACs) under the name "FLOPs"; the paper does not say which it used, so both are reported
(``macs = flops // 2``). Table VI: 8.53 M parameters, 0.82 G "FLOPs" for a pair of 150-step sequences.
"""

from __future__ import annotations

from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

from highlit.model.config import ModelConfig
from highlit.model.network import RASLNet

PAPER_PARAMETERS = 8.53e6
PAPER_FLOPS = 0.82e9


def _count(fn) -> int:
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        fn()
    return int(counter.get_total_flops())


def model_info(cfg: ModelConfig, steps: int = 150) -> dict[str, Any]:
    """Parameters (total and per part) and FLOPs for one clip of ``steps`` steps.

    ``flops_pair``: the main task on one visual + audio pair (Eq. 1-5 for both branches, no masked
    auxiliary pass) -- the quantity closest to Table VI. ``flops_train``: one full training forward
    (adds the Eq. 10 pass, Eq. 8, Eq. 9). ``flops_inference``: ``score`` on the visual FVS alone.
    """
    torch.manual_seed(0)
    model = RASLNet(cfg).eval()
    visual = torch.rand(1, steps, cfg.visual_dim)
    audio = torch.rand(1, steps, cfg.audio_dim)
    parts: dict[str, int] = {}
    for name, p in model.named_parameters():
        key = ".".join(name.split(".")[:2]) if name.startswith("branches.") else name.split(".")[0]
        parts[key] = parts.get(key, 0) + p.numel()
    order = visual.norm(dim=-1)  # stands in for a teacher's ranking (kpoint_select='teacher'); not the teacher's FLOPs
    flops_pair = _count(lambda: model.losses(visual, audio, aux=False, order=order))
    flops_train = _count(lambda: model.losses(visual, audio, order=order))
    flops_inference = _count(lambda: model.score(visual, audio))
    return {
        "steps": steps,
        "visual_dim": cfg.visual_dim,
        "audio_dim": cfg.audio_dim,
        "representation_steps": cfg.repr_length(steps),
        "k_effective": cfg.k_for(cfg.repr_length(steps)),
        "parameters": sum(parts.values()),
        "parameters_by_part": parts,
        "inference_parameters": sum(p.numel() for n, p in model.named_parameters()
                                    if not n.startswith(("branches.audio", "scl"))),
        "flops": flops_pair,
        "flops_pair": flops_pair,
        "macs_pair": flops_pair // 2,
        "flops_train": flops_train,
        "flops_inference": flops_inference,
        "paper_parameters": PAPER_PARAMETERS,
        "paper_flops": PAPER_FLOPS,
    }


def format_model_info(info: dict[str, Any]) -> str:
    """Human-readable table of ``model_info``'s result."""
    m, g = 1e6, 1e9
    lines = [
        f"RASL network, {info['steps']} steps (visual {info['visual_dim']}-d, audio {info['audio_dim']}-d), "
        f"{info['representation_steps']} representation steps, k = {info['k_effective']}",
        f"  parameters        {info['parameters'] / m:8.2f} M   "
        f"(paper, Table VI: {info['paper_parameters'] / m:.2f} M)",
    ]
    lines += [f"    {name:<22}{n / m:8.3f} M" for name, n in info["parameters_by_part"].items()]
    lines += [
        f"  inference params  {info['inference_parameters'] / m:8.2f} M   (visual branch only)",
        f"  FLOPs, pair       {info['flops_pair'] / g:8.2f} G   = {info['macs_pair'] / g:.2f} G multiply-adds "
        f"(paper: {info['paper_flops'] / g:.2f} G)",
        f"  FLOPs, training   {info['flops_train'] / g:8.2f} G   (with the masked auxiliary pass)",
        f"  FLOPs, inference  {info['flops_inference'] / g:8.2f} G   (visual branch only)",
        "  (torch FlopCounterMode: 2 FLOPs per multiply-add; elementwise ops not counted)",
    ]
    return "\n".join(lines)
