"""Re-score every stored network, keeping each video's figure: for the paper's TVSum label reading and for
paired comparisons with the RGB norm.

Two uses, one pass:
- TVSum has two label readings (``highlit.metrics``). UMT's code (our tables) labels each of the 20
  annotators at their own median and averages the 20 top-5 APs; the seed paper (Section IV-A)
  "average[s] the importance scores of the manual labels of every segment" first (``tvsum_labels=
  "mean"``). Its 0.783 is on the second reading, ours on the first.
- The tables give seed spreads; whether a row beats the norm also depends on which videos happen to be in
  the benchmark. Each video's figure is kept, so docs/results.md can bootstrap over videos
  (``highlit.metrics.paired_bootstrap``).

Nothing is retrained: the checkpoints the other scripts left under ``runs/experiments`` are read again and
their per-seed figure (per annotator on TVSum) is recomputed and must equal the stored one, so the right
network was read. With ``--fit`` the fit-on-each-video rows, which keep no checkpoint, are refitted with
the same seed (deterministic on one thread: the stored figure is reproduced exactly).

    python experiments/rescore.py --dataset tvsum [--fit fit_preset]  # -> experiments/results/rescored_tvsum.json
    python experiments/rescore.py --dataset youtube                   # -> experiments/results/rescored_youtube.json
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
from common import (
    ROOT,
    RUNS,
    fit_scores,
    load_group,
    load_with_readout,
    per_domain_scores,
    read_scorer,
    store_static,
    videos,
)
from feature_analysis import cross_video_scores

from highlit import evaluate as ev
from highlit.model.config import ModelConfig

#: Groups of single networks pretrained on a corpus (run_variant), all their stored rows re-scored.
VARIANT_GROUPS = ("main", "ablations", "fusion", "ksweep", "magnitude_200steps", "teacher_200steps",
                  "teacher_400steps", "weights_200steps", "inputs_200steps", "readout_200steps",
                  "inputs_400steps", "readout_400steps", "inputs_430steps", "readout_430steps",
                  "distill_400steps", "inputs_800steps", "readout_800steps",
                  "inputs_1600steps", "readout_1600steps")
#: Per-category rows of experiments/domains.py: name -> (the variant whose networks it reads, folds).
DOMAIN_ROWS = {"default": ("default", 0), "scale_s_s1_l2": ("scale_s_s1_l2", 0),
               "scale_s_s1_l2_length": ("scale_s_s1_l2", 0), "fit_product": ("fit_product", 0),
               "fit_heldout": ("fit_heldout", 2), "fit_teacher": ("fit_teacher", 0)}
DOMAIN_GROUP = "domains_200steps"
#: Batch size of every fit-on-each-video row of experiments/main.py.
FIT_BATCH = 4
#: The figure each dataset's tables report (the first) and the other readings kept beside it.
READINGS = {"tvsum": ("annotators", "mean"), "youtube": ("umt",)}


def group_of(ds: str) -> str:
    return f"rescored_{ds}"


def figures(vids: list, scores: dict[str, np.ndarray]) -> dict[str, dict]:
    """Every reading of ``scores``, each video's figure kept."""
    ds = vids[0].meta["dataset"]
    out = {}
    for reading in READINGS[ds]:
        r = ev.evaluate_scores(vids, scores, **({"tvsum_labels": reading} if ds == "tvsum" else {}))
        out[reading] = {"mean": r["mean"], "per_category": r["per_category"],
                        "per_video": {vid: round(ap, 6) for vid, ap in r["per_video"].items()}}
    return out


def _check(ds: str, source: str, seed: str, stored: float, result: dict) -> None:
    """The tables' reading must reproduce the stored figure, or these are not the same scores."""
    got = result[READINGS[ds][0]]["mean"]
    if abs(got - stored) > 1e-9:
        raise SystemExit(f"{source} seed {seed}: re-scored {got:.6f}, stored {stored:.6f}")


def _record(ds: str, label: str, source: str, seeds: dict[str, dict]) -> None:
    """Store these seeds (merged with the seeds already stored: common's store merges them) and print."""
    store_static(group_of(ds), source, {"label": label, "source": source, "seeds": seeds})
    seeds = load_group(group_of(ds))[source]["seeds"]
    cells = "  ".join(f"{reading} {np.mean([s[reading]['mean'] for s in seeds.values()]):.3f}"
                      for reading in READINGS[ds])
    print(f"{source:45s} {cells}  (n={len(seeds)})", flush=True)


def baselines(vids: list) -> None:
    ds = vids[0].meta["dataset"]
    for name in ev.BASELINES:
        seeds = {str(seed): figures(vids, ev.score_videos(vids, ev.baseline_scorer(name, seed)))
                 for seed in range(10 if name == "random" else 1)}
        _record(ds, name, f"baselines/{name}", seeds)
    label = "cross-category contrast rank + RGB norm rank (numpy, needs the other categories)"
    _record(ds, label, "feature_analysis/contrast+norm",
            {"0": figures(vids, cross_video_scores(ds, "contrast+norm"))})


def variant_rows(vids: list, redo: bool, redo_rows: frozenset[str] = frozenset()) -> None:
    """Only seeds not re-scored yet (a row may gain seeds after its first re-scoring), unless ``redo`` (every
    row) or the row is in ``redo_rows`` ('group/name': its networks were trained again)."""
    ds = vids[0].meta["dataset"]
    stored = load_group(group_of(ds))
    for group in VARIANT_GROUPS:
        for name, entry in load_group(group).items():
            source = f"{group}/{name}"
            have = set() if redo or source in redo_rows else set(stored.get(source, {}).get("seeds", {}))
            if set(entry["seeds"]) <= have:
                continue
            cfg = ModelConfig.from_dict(entry["config"])
            seeds = {}
            for seed, run in entry["seeds"].items():
                if seed in have:
                    continue
                path = ROOT / run["checkpoint"]
                if not path.is_file():
                    print(f"{source} seed {seed}: {path} is gone, skipped")
                    continue
                model = load_with_readout(path, cfg)
                scorer = read_scorer(model, entry["window"], entry.get("read"))
                seeds[seed] = figures(vids, ev.score_videos(vids, scorer))
                _check(ds, source, seed, run[ds]["mean"], seeds[seed])
            if seeds:
                _record(ds, entry["label"], source, seeds)


def domain_rows(vids: list, done: set[str]) -> None:
    ds = vids[0].meta["dataset"]
    stored = load_group(DOMAIN_GROUP)
    for name, (models_of, folds) in DOMAIN_ROWS.items():
        source, entry = f"{DOMAIN_GROUP}/{name}", stored.get(name)
        if entry is None or source in done:
            continue
        cfg = ModelConfig.from_dict(entry["config"])
        seeds = {}
        for seed, run in entry["seeds"].items():
            runs = RUNS / DOMAIN_GROUP / models_of / f"seed{seed}"
            if ds not in run or not (runs / ds).is_dir():
                continue
            scores = per_domain_scores(runs, ds, cfg, int(seed), entry["steps"], entry["lr"], entry["window"], folds)
            seeds[seed] = figures(vids, scores)
            _check(ds, source, seed, run[ds]["mean"], seeds[seed])
        if seeds:
            _record(ds, entry["label"], source, seeds)


def fit_rows(vids: list, names: list[str], only: set[str] | None, redo: bool) -> None:
    """Refit (no checkpoints were kept). ``only``: these seeds, so that seeds can run in parallel processes."""
    ds = vids[0].meta["dataset"]
    stored = load_group("fit")
    for name in names:
        entry, source = stored[name], f"fit/{name}"
        cfg = ModelConfig.from_dict(entry["config"])
        have = load_group(group_of(ds)).get(source, {}).get("seeds", {})
        for seed, run in entry["seeds"].items():
            if ds not in run or (only and seed not in only) or (seed in have and not redo):
                continue
            result: dict[str, Any] = figures(vids, fit_scores(ds, cfg, int(seed), entry["steps"], entry["lr"],
                                                              FIT_BATCH, entry["window"]))
            _check(ds, source, seed, run[ds]["mean"], result)
            _record(ds, entry["label"], source, {seed: result})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", choices=tuple(READINGS), required=True)
    ap.add_argument("--fit", nargs="*", default=[], metavar="NAME",
                    help="also refit these experiments/results/fit.json rows (minutes per video each)")
    ap.add_argument("--fit-seeds", nargs="*", default=[], metavar="SEED", help="only these seeds of the --fit rows")
    ap.add_argument("--redo", action="store_true", help="re-score rows already stored")
    ap.add_argument("--no-networks", action="store_true", help="skip the stored networks (e.g. only refit)")
    ap.add_argument("--redo-rows", nargs="*", default=[], metavar="GROUP/NAME",
                    help="re-score these rows of networks trained again (a variant script's --redo)")
    args = ap.parse_args()
    vids = list(videos(args.dataset))
    done = set() if args.redo else set(load_group(group_of(args.dataset)))
    if not args.no_networks:
        if args.redo or "baselines/norm" not in done:
            baselines(vids)
        variant_rows(vids, args.redo, frozenset(args.redo_rows))
        domain_rows(vids, done)
    fit_rows(vids, args.fit, set(args.fit_seeds) or None, args.redo)


if __name__ == "__main__":
    main()
