"""Table VI: parameters and FLOPs (torch FlopCounterMode) and measured CPU time per 30 s clip.

    python experiments/efficiency.py [PRESET ...]    # -> experiments/results/efficiency.json

CPU time is the visual-only inference pass (``RASLNet.score``) on one 150-step window (30 s at
0.2 s per step), one thread, median of repeated runs, after warm-up; feature extraction is not
included. Measured on whatever machine runs this script (recorded in the JSON).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time

import torch
from common import model_config, store_static

from highlit.model.info import model_info
from highlit.model.network import RASLNet


def cpu_ms(cfg, steps: int = 150, repeats: int = 20) -> float:
    torch.manual_seed(0)
    model = RASLNet(cfg).eval()
    x = torch.rand(1, steps, cfg.visual_dim)
    times = []
    with torch.inference_mode():
        for i in range(repeats + 3):
            t0 = time.perf_counter()
            model.score(x)
            if i >= 3:
                times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main() -> None:
    torch.set_num_threads(1)
    for preset in sys.argv[1:] or ("paper", "default", "fit"):
        for dim in (2048, 1280):
            cfg = model_config(preset, window=150, visual_dim=dim, audio_dim=dim)
            info = model_info(cfg, steps=150)
            record = {k: info[k] for k in ("parameters", "inference_parameters", "flops_pair", "macs_pair",
                                           "flops_train", "flops_inference", "representation_steps")}
            record.update({"preset": preset, "visual_dim": dim, "cpu_ms_per_30s_clip": round(cpu_ms(cfg), 2),
                           "threads": 1, "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                           "cpus": os.cpu_count(), "load_avg_1min": round(os.getloadavg()[0], 2)})
            store_static("efficiency", f"{preset}:{dim}", record)
            print(preset, dim, record)


if __name__ == "__main__":
    main()
