"""How much detect's default (fit on the input, no checkpoint) depends on ``--seed``, by fit length.

A fresh network is fitted on each clip alone with seeds 0..N-1, as ``highlit detect CLIP --fit-steps S
--seed k`` would, and the per-step scores of every two seeds are compared (Spearman rank correlation: 1 =
the same ranking of moments, 0 = unrelated). Also printed: each fit's CPU time and how closely the scores
follow the visual feature norm (the label-free cue the benchmarks found the fitted networks learn).

No labels exist for these clips, so this measures agreement, not accuracy; the benchmark accuracy of a
fit length is in docs/results.md.

    python benchmarks/fit_stability.py [CLIP ...] [--steps 40 100 200] [--seeds 4] [--save out.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import load_avg, machine, spearman  # noqa: E402


def measure(clip: Path, steps: int, seeds: int) -> dict:
    import numpy as np

    from highlit.extract import extract_video
    from highlit.infer import score_sequence
    from highlit.pipeline import _fit_default_model, _window

    video = extract_video(clip)
    scores, seconds = [], []
    for seed in range(seeds):
        t0 = time.process_time()
        net, _ = _fit_default_model([video], steps, seed)
        seconds.append(time.process_time() - t0)
        scores.append(score_sequence(net, video.visual, _window(net), overlap=True))
    pairs = [spearman(a, b) for a, b in itertools.combinations(scores, 2)]
    norm = np.linalg.norm(video.visual, axis=1)
    return {"clip": clip.name, "steps_of_video": video.n_steps, "fit_steps": steps, "seeds": seeds,
            "seed_agreement_mean": round(float(np.mean(pairs)), 3),
            "seed_agreement_min": round(float(np.min(pairs)), 3),
            "seed_agreement_max": round(float(np.max(pairs)), 3),
            "with_norm_mean": round(float(np.mean([spearman(s, norm) for s in scores])), 3),
            "fit_cpu_s": round(float(np.mean(seconds)), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clips", nargs="*", type=Path)
    ap.add_argument("--steps", nargs="+", type=int, default=[40, 100, 200])
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--save", type=Path)
    args = ap.parse_args()
    shared = Path(os.environ.get("HIGHLIT_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    clips = args.clips or sorted(p for p in (shared / "media").iterdir() if p.suffix in (".mp4", ".webm"))
    os.environ.setdefault("HIGHLIT_QUIET", "1")
    run = {"command": " ".join(sys.argv), "machine": machine(), "load_start": load_avg(), "rows": []}
    print(f"{'clip':28s} {'video steps':>11s} {'fit steps':>9s} {'seed agreement (min..max)':>27s} "
          f"{'with norm':>9s} {'fit CPU s':>9s}")
    for clip in clips:
        for steps in args.steps:
            row = measure(clip, steps, args.seeds)
            run["rows"].append(row)
            print(f"{row['clip']:28s} {row['steps_of_video']:11d} {steps:9d} {row['seed_agreement_mean']:8.2f} "
                  f"({row['seed_agreement_min']:+.2f}..{row['seed_agreement_max']:+.2f})    "
                  f"{row['with_norm_mean']:9.2f} {row['fit_cpu_s']:9.1f}", flush=True)
    run["load_end"] = load_avg()
    if args.save:
        from highlit.atomic import atomic_write_text

        atomic_write_text(args.save, json.dumps(run, indent=1))


if __name__ == "__main__":
    main()
