"""Does s know anything the RGB norm does not? Read stored networks again, each score as a rank sum with the norm.

Items 4, 9 and 12 of docs/results.md found s correlated with the norm and below it. If s were a noisy copy
of the norm, adding it to the norm's rank could only blur the norm; if it carried something else (what the
network reconstructs, the category's recurring content), the sum would beat the norm. Each row: the
network's within-video rank times w, plus the norm's rank, w in {1, 0.5} (fixed before any result), against
the norm video by video (paired bootstrap, as in the re-scored tables). Nothing is retrained: the networks
are the ones experiments/main.py, magnitude.py and domains.py left under runs/experiments; the fit-on-each-video
row keeps no networks, so --fit refits it with the stored seeds (deterministic on one thread).

    python experiments/with_norm.py --dataset tvsum|youtube [--fit fit_preset [--fit-seeds S ...]] [--rows G/N ...]
    # -> experiments/results/with_norm_<dataset>.json; with --fit only that row, refitted (~20 min a seed)

Added 2026-11-29 (round 13, the weights fixed as before): round 10's networks with each video read whole
(readout_200steps/w128_whole), read as that row says; after round 16 also the shipped row, the same configuration
trained 400 steps and read whole (readout_400steps/w128_whole).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from common import (
    RUNS,
    fit_scores,
    load_group,
    per_domain_scores,
    store_static,
    stored_scores,
    videos,
)
from feature_analysis import _rank
from rescore import DOMAIN_ROWS, FIT_BATCH, figures

from highlit.evaluate import norm_scores
from highlit.model.config import ModelConfig

#: (group, row) of networks pretrained on one corpus: the 'default' preset, the best pretrained row, and
#: round 8's three (experiments/teacher.py; added after the first results of this script).
PRETRAINED = (("main", "best"), ("magnitude_200steps", "scale_s_s1_length"), ("teacher_200steps", "teacher_blind"),
              ("teacher_200steps", "self_blind"), ("teacher_200steps", "teacher_sighted"),
              ("readout_200steps", "w128_whole"), ("readout_400steps", "w128_whole"))
#: Per-category rows of experiments/domains.py (transductive, held out): row -> (networks it reads, folds).
PER_CATEGORY = {name: DOMAIN_ROWS[name] for name in ("scale_s_s1_l2_length", "fit_heldout")}
WEIGHTS = (1.0, 0.5)


def _networks(ds: str, fit: list[str], fit_seeds: set[str] | None,
              rows: set[str] | None = None) -> Iterator[tuple[str, str, dict]]:
    """(row, seed, scores) for every stored network this script reads (only ``rows`` if given), then the
    refitted ``fit`` rows."""
    for group, name in PRETRAINED if not fit else ():
        if rows is not None and f"{group}/{name}" not in rows:
            continue
        for seed, scores in stored_scores(ds, group, name):
            yield f"{group}/{name}", seed, scores
    stored = load_group("domains_200steps")
    for name, (models_of, folds) in PER_CATEGORY.items() if not fit and rows is None else ():
        entry = stored[name]
        cfg = ModelConfig.from_dict(entry["config"])
        for seed, run in sorted(entry["seeds"].items()):
            if ds not in run:
                continue
            runs = RUNS / "domains_200steps" / models_of / f"seed{seed}"
            yield (f"domains_200steps/{name}", seed,
                   per_domain_scores(runs, ds, cfg, int(seed), entry["steps"], entry["lr"], entry["window"], folds))
    for name in fit:
        entry = load_group("fit")[name]
        cfg = ModelConfig.from_dict(entry["config"])
        for seed, run in sorted(entry["seeds"].items()):
            if ds in run and (fit_seeds is None or seed in fit_seeds):
                yield f"fit/{name}", seed, fit_scores(ds, cfg, int(seed), entry["steps"], entry["lr"], FIT_BATCH,
                                                      entry["window"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", choices=("tvsum", "youtube"), required=True)
    ap.add_argument("--fit", nargs="*", default=[], metavar="NAME",
                    help="instead, refit these experiments/results/fit.json rows (minutes per video each)")
    ap.add_argument("--fit-seeds", nargs="*", default=[], metavar="SEED", help="only these seeds of the --fit rows")
    ap.add_argument("--rows", nargs="*", metavar="GROUP/NAME", help="only these rows of networks pretrained on one "
                                                                     "corpus (default: all, and the per-category ones)")
    args = ap.parse_args()
    vids = list(videos(args.dataset))
    norm = {v.video_id: norm_scores(v) for v in vids}
    rows = set(args.rows) if args.rows is not None else None
    for source, seed, scores in _networks(args.dataset, args.fit, set(args.fit_seeds) or None, rows):
        for w in WEIGHTS:
            result = figures(vids, {vid: w * _rank(s) + _rank(norm[vid]) for vid, s in scores.items()})
            store_static(f"with_norm_{args.dataset}", f"{source} | w={w:g}",
                         {"source": source, "w": w, "seeds": {seed: result}})
            print(f"{source:45s} w={w:g} seed {seed}: "
                  + "  ".join(f"{reading} {r['mean']:.3f}" for reading, r in result.items()), flush=True)


if __name__ == "__main__":
    main()
