"""RASL network speed on this machine: scoring and training throughput, fit-on-input cost, size.

- scoring: ``model.score`` on batches of 30 s clips (150 steps of 1280-d EfficientNet features),
  in 30 s clips per second, with 1 torch thread and with every core;
- training: one optimiser step of the pretraining loop (``fit_on_input``, batch 8), in clips per
  second, same thread settings;
- fit-on-input: detect's default when no checkpoint is given, in seconds per minute of video, for
  the step count detect would choose for 10 minutes of video;
- parameters and FLOPs from :func:`highlit.model.info.model_info`, next to the paper's Table VI.

Synthetic features: speed does not depend on their values. Thread settings alternate within the
run so both see the same background load.

    python benchmarks/model.py [--json] [--save out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import load_avg, machine  # noqa: E402

DIM, WINDOW = 1280, 150


def _videos(minutes: float, n: int = 1):
    import numpy as np

    from highlit.datasets import VideoFeatures

    rng = np.random.default_rng(0)
    steps = int(minutes * 60 * 5)
    return [VideoFeatures(video_id=f"v{i}", domain="synthetic", visual=rng.random((steps, DIM), dtype=np.float32),
                          audio=rng.random((steps, DIM), dtype=np.float32), labels=None,
                          meta={"step_seconds": 0.2}) for i in range(n)]


def _config():
    from highlit.model.config import ModelConfig

    return ModelConfig.from_dict({**ModelConfig.preset("default").to_dict(), "visual_dim": DIM, "audio_dim": DIM})


def run(repeats: int) -> dict:
    import torch

    from highlit.model.info import model_info
    from highlit.model.network import RASLNet
    from highlit.pipeline import FIT_STEPS
    from highlit.train import fit_on_input

    cfg = _config()
    cores = torch.get_num_threads()
    thread_counts = sorted({1, cores})
    model = RASLNet(cfg).eval()
    batch = torch.rand(32, WINDOW, DIM)
    out: dict = {"machine": machine(), "load_start": load_avg(), "scoring_clips_per_s": {}, "training_clips_per_s": {}}
    videos = _videos(2.0)
    score_t = {t: [] for t in thread_counts}
    train_t = {t: [] for t in thread_counts}
    train_steps = 6
    with torch.inference_mode():
        model.score(batch[:2])
    for _ in range(repeats):
        for t in thread_counts:
            torch.set_num_threads(t)
            with torch.inference_mode():
                s = time.perf_counter()
                model.score(batch)
                score_t[t].append(time.perf_counter() - s)
            s = time.perf_counter()
            fit_on_input(videos, cfg, steps=train_steps, batch_size=8, threads=t)
            train_t[t].append(time.perf_counter() - s)
    torch.set_num_threads(cores)
    for t in thread_counts:
        out["scoring_clips_per_s"][f"{t}_threads"] = batch.shape[0] / min(score_t[t])
        out["training_clips_per_s"][f"{t}_threads"] = train_steps * 8 / min(train_t[t])
    ten = _videos(10.0)
    steps = FIT_STEPS
    s = time.perf_counter()
    fit_on_input(ten, cfg, steps=steps, seed=0)
    fit_s = time.perf_counter() - s
    out["fit_on_input"] = {"minutes": 10.0, "steps": steps, "seconds": fit_s, "seconds_per_minute": fit_s / 10.0,
                           "threads": cores}
    info = model_info(cfg, steps=WINDOW)
    out["model_info"] = {k: info[k] for k in ("parameters", "inference_parameters", "flops_pair", "macs_pair",
                                              "flops_train", "flops_inference", "paper_parameters", "paper_flops")}
    out["load_end"] = load_avg()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--save", type=Path)
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("HIGHLIT_QUIET", "1")
    result = run(args.repeats)
    if args.save:
        from highlit.atomic import atomic_write_text

        atomic_write_text(args.save, json.dumps(result, indent=2))
    if args.json:
        print(json.dumps(result))
    else:
        for key in ("scoring_clips_per_s", "training_clips_per_s", "fit_on_input", "model_info"):
            print(f"{key:22s} {result[key]}")
        print(f"load {result['load_start']} -> {result['load_end']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
