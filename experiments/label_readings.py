"""TVSum under the seed paper's label reading: every stored row re-scored against the annotator mean.

UMT's code (our protocol) labels each of TVSum's 20 annotators at their own median and averages the 20
top-5 APs; the seed paper (Section IV-A) "average[s] the importance scores of the manual labels of every
segment" first, one label per clip (``highlit.metrics``, ``tvsum_labels="mean"``). Its 0.783 is on the
second reading, ours on the first. This script re-scores the same networks under both, without
retraining: the checkpoints the other scripts left under ``runs/experiments`` (their per-seed
annotator figure is recomputed and must equal the stored one, so the right network was read) and,
with ``--fit``, the fit-on-each-video rows, which keep no checkpoint and are refitted (same seed).

    python experiments/label_readings.py [--fit NAME ...]  # -> experiments/results/label_readings.json
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
from common import ROOT, RUNS, _load, fit_scores, load_with_readout, per_domain_scores, store_static, videos
from feature_analysis import cross_video_scores

from highlit import evaluate as ev
from highlit.model.config import ModelConfig

GROUP = "label_readings"
#: Groups of single networks pretrained on a corpus (run_variant), all their stored rows re-scored.
VARIANT_GROUPS = ("main", "ablations", "fusion", "ksweep", "magnitude_200steps")
#: Per-category rows of experiments/domains.py: name -> (the variant whose networks it reads, folds).
DOMAIN_ROWS = {"default": ("default", 0), "scale_s_s1_l2": ("scale_s_s1_l2", 0),
               "scale_s_s1_l2_length": ("scale_s_s1_l2", 0), "fit_product": ("fit_product", 0),
               "fit_heldout": ("fit_heldout", 2)}
DOMAIN_GROUP = "domains_200steps"
#: Fit-on-each-video rows of experiments/main.py: name -> batch size (all 'fit' group rows used 4).
FIT_BATCH = 4


def _both(tv: list, scores: dict[str, np.ndarray]) -> dict[str, dict]:
    return {reading: {k: r[k] for k in ("mean", "per_category")}
            for reading in ("annotators", "mean")
            for r in [ev.evaluate_scores(tv, scores, tvsum_labels=reading)]}


def _check(source: str, seed: str, stored: float, result: dict) -> None:
    """The annotator reading must reproduce the stored figure, or these are not the same scores."""
    if abs(result["annotators"]["mean"] - stored) > 1e-9:
        raise SystemExit(f"{source} seed {seed}: re-scored {result['annotators']['mean']:.6f}, stored {stored:.6f}")


def _record(label: str, source: str, seeds: dict[str, dict]) -> None:
    store_static(GROUP, source, {"label": label, "source": source, "seeds": seeds})
    means = [s["mean"]["mean"] for s in seeds.values()]
    print(f"{source:45s} annotators {np.mean([s['annotators']['mean'] for s in seeds.values()]):.3f}  "
          f"mean {np.mean(means):.3f}  (n={len(means)})", flush=True)


def baselines(tv: list) -> None:
    for name in ev.BASELINES:
        seeds = {str(seed): _both(tv, ev.score_videos(tv, ev.baseline_scorer(name, seed)))
                 for seed in range(10 if name == "random" else 1)}
        _record(name, f"baselines/{name}", seeds)
    label = "cross-category contrast rank + RGB norm rank (numpy, needs the other categories)"
    _record(label, "feature_analysis/contrast+norm", {"0": _both(tv, cross_video_scores("tvsum", "contrast+norm"))})


def variant_rows(tv: list, done: set[str]) -> None:
    for group in VARIANT_GROUPS:
        for name, entry in _load(group).items():
            source = f"{group}/{name}"
            if source in done:
                continue
            cfg = ModelConfig.from_dict(entry["config"])
            seeds = {}
            for seed, run in entry["seeds"].items():
                path = ROOT / run["checkpoint"]
                if not path.is_file():
                    print(f"{source} seed {seed}: {path} is gone, skipped")
                    continue
                seeds[seed] = _both(tv, ev.score_videos(tv, ev.model_scorer(load_with_readout(path, cfg),
                                                                            entry["window"])))
                _check(source, seed, run["tvsum"]["mean"], seeds[seed])
            if seeds:
                _record(entry["label"], source, seeds)


def domain_rows(tv: list, done: set[str]) -> None:
    stored = _load(DOMAIN_GROUP)
    for name, (models_of, folds) in DOMAIN_ROWS.items():
        source, entry = f"{DOMAIN_GROUP}/{name}", stored.get(name)
        if entry is None or source in done:
            continue
        cfg = ModelConfig.from_dict(entry["config"])
        seeds = {}
        for seed, run in entry["seeds"].items():
            runs = RUNS / DOMAIN_GROUP / models_of / f"seed{seed}"
            if "tvsum" not in run or not (runs / "tvsum").is_dir():
                continue
            scores = per_domain_scores(runs, "tvsum", cfg, int(seed), entry["steps"], entry["lr"], entry["window"],
                                       folds)
            seeds[seed] = _both(tv, scores)
            _check(source, seed, run["tvsum"]["mean"], seeds[seed])
        if seeds:
            _record(entry["label"], source, seeds)


def fit_rows(tv: list, names: list[str], only: set[str] | None) -> None:
    """Refit (no checkpoints were kept); the annotator figure is compared with the stored one. ``only``:
    these seeds (so that seeds can run in parallel processes)."""
    stored = _load("fit")
    for name in names:
        entry = stored[name]
        source = f"fit/{name}"
        cfg = ModelConfig.from_dict(entry["config"])
        seeds: dict[str, Any] = dict(_load(GROUP).get(source, {}).get("seeds", {}))
        for seed, run in entry["seeds"].items():
            if seed in seeds or (only and seed not in only):
                continue
            seeds[seed] = _both(tv, fit_scores("tvsum", cfg, int(seed), entry["steps"], entry["lr"], FIT_BATCH,
                                               entry["window"]))
            seeds[seed]["stored_annotators"] = run["tvsum"]["mean"]  # refits may differ in the last digits
            seeds = {**_load(GROUP).get(source, {}).get("seeds", {}), **seeds}  # a parallel seed's result
            _record(entry["label"], source, seeds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", nargs="*", default=[], metavar="NAME",
                    help="also refit these experiments/results/fit.json rows (minutes per video each)")
    ap.add_argument("--fit-seeds", nargs="*", default=[], metavar="SEED", help="only these seeds of the --fit rows")
    ap.add_argument("--redo", action="store_true", help="re-score rows already in label_readings.json")
    args = ap.parse_args()
    tv = list(videos("tvsum"))
    done = set() if args.redo else set(_load(GROUP))
    if args.redo or "baselines/norm" not in done:
        baselines(tv)
    variant_rows(tv, done)
    domain_rows(tv, done)
    fit_rows(tv, args.fit, set(args.fit_seeds) or None)


if __name__ == "__main__":
    main()

