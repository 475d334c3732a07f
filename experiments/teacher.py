"""Round 8: the norm chooses Eq. (8)'s k points (a teacher outside s), inside the RASL network.

Item 2 of docs/results.md: with Phi_k / Pi_k chosen by s itself (Eq. (6)/(7)), Eq. (8) only raises the steps
s already ranks first, and s collapses. Item 19 (round 6, numpy): a linear map from a clip's direction to
its within-video norm rank, fitted on other videos, is level with the norm or above it; its best form is
the mean direction of each video's loudest clips minus that of its quietest, i.e. Eq. (8)'s top-k against
bottom-k with the norm choosing the k. This round puts that teacher into the network (config
``kpoint_select='norm'``): the k points are the steps of largest / smallest |rho|, s_hat is s there, and
``encoder_norm='l2'`` keeps the magnitude from s, so s has to learn which content comes with it. s is read
before its softmax (``score_output='raw'``), so that windows compare.

Variants, fixed before any result (all: the 'default' preset + softmax s, stride 1 (one s per 2 s clip, as
the teacher ranks clips), Eq. (8) on, k = 10 of 64 steps, 200 steps at lr 1e-4 on the YouTube train
features, 3 seeds; TVSum never seen):
- teacher_blind: the norm chooses, the encoder sees rho/|rho| (the hypothesis);
- self_blind: the same with the paper's selection (s chooses): the control that isolates the teacher;
- teacher_sighted: the norm chooses and the encoder sees magnitudes: can s at least recover the norm?
The rule, also fixed before any result: the teacher helps if teacher_blind beats self_blind on both
benchmarks; it would become a preset only if it also beat the 'default' preset on YouTube (the report's
choice rule) and the RGB norm on both. experiments/with_norm.py reads the three as rank sums with the norm.

    python experiments/teacher.py [--only NAME ...] [--seeds 0 1 2]   # -> results/teacher_200steps.json
    python experiments/teacher.py --only teacher_sighted_lr1e-3 --seeds 0          # a one-seed screen
    python experiments/teacher.py --only teacher_sighted --steps 400   # -> results/teacher_400steps.json
    python experiments/teacher.py --follows   # -> results/follows_norm.json: how closely s follows the norm
"""

from __future__ import annotations

import numpy as np
from common import (
    ROOT,
    load_group,
    load_with_readout,
    run_variants,
    store_static,
    variant_parser,
    videos,
)
from feature_analysis import _rank

from highlit import evaluate as ev
from highlit.model.config import ModelConfig

GROUP = "teacher_200steps"

TAUGHT = {"score_activation": "softmax", "stride": 1, "kpoint": "contrast", "score_output": "raw"}
VARIANTS: dict[str, tuple[str, dict, str]] = {
    "teacher_blind": ("default", {**TAUGHT, "kpoint_select": "norm", "encoder_norm": "l2"},
                      "the norm chooses Eq. (8)'s k points; the encoder sees rho/|rho|, so s must learn which "
                      "content comes with a large magnitude"),
    "self_blind": ("default", {**TAUGHT, "kpoint_select": "s", "encoder_norm": "l2"},
                   "control: the same with the paper's Eq. (6)/(7) (s chooses its own k points)"),
    "teacher_sighted": ("default", {**TAUGHT, "kpoint_select": "norm"},
                        "the norm chooses; the encoder sees magnitudes (can s recover the norm?)"),
    # added after the first results (teacher_sighted was the best of the three): is it the teacher's choice
    # of points that helps, or Eq. (8)'s contrast between them? (the paper's "w/o k-point contrast", Fig. 6)
    "teacher_sighted_mean": ("default", {**TAUGHT, "kpoint": "mean", "kpoint_select": "norm"},
                             "added after the first results: teacher_sighted without the contrast of Eq. (8) "
                             "(eta = mean s at the norm's top k)"),
    # screens added after the first results (1 seed): does the taught s keep improving with a faster lr?
    # (`--only teacher_sighted --steps 400 --seeds 0` asks the same of a longer run, group teacher_400steps;
    # seeds 1 and 2 were added when seed 0 scored above the 200-step run on both benchmarks)
    "teacher_sighted_lr1e-3": ("default", {**TAUGHT, "kpoint_select": "norm", "lr": 1e-3},
                               "added after the first results: teacher_sighted at the paper's lr 1e-3"),
    # added after a review: does reading s before its softmax matter? (no training: the same networks)
    "teacher_sighted_softmax": ("default", {**TAUGHT, "kpoint_select": "norm", "score_output": "activation"},
                                "added after a review: teacher_sighted's networks read as the softmax s (within "
                                "each 64-clip window; windows then all average 1)"),
}
#: One-seed screens: run only when named (``--only NAME --seeds 0``), never by the default loop.
SCREENS = {"teacher_sighted_lr1e-3"}
#: Variants that only read another variant's trained networks differently (no training of their own).
MODELS_OF = {"teacher_sighted_softmax": "teacher_sighted"}


def follows_norm(rows: tuple[tuple[str, str], ...]) -> None:
    """Store, per network, the mean within-video Spearman correlation of s with the RGB norm on each benchmark:
    did the teacher teach s the norm, and how closely? (no labels read)"""
    for group, name in rows:
        entry = load_group(group).get(name)
        if entry is None:  # not run
            continue
        cfg = ModelConfig.from_dict(entry["config"])
        for seed, run in sorted(entry["seeds"].items()):
            model = load_with_readout(ROOT / run["checkpoint"], cfg)
            record = {}
            for ds in ("tvsum", "youtube"):
                vids = list(videos(ds))
                scores = ev.score_videos(vids, ev.model_scorer(model, entry["window"]))
                record[ds] = round(float(np.mean([np.corrcoef(_rank(scores[v.video_id]), _rank(ev.norm_scores(v)))[0, 1]
                                                  for v in vids])), 4)
            store_static("follows_norm", f"{group}/{name}", {"seeds": {seed: record}})
            print(f"{group}/{name} seed {seed}: Spearman(s, norm) TVSum {record['tvsum']:.3f}  "
                  f"YouTube {record['youtube']:.3f}", flush=True)


def main() -> None:
    ap = variant_parser([0, 1, 2])
    ap.add_argument("--follows", action="store_true", help="only measure how closely s follows the norm")
    args = ap.parse_args()
    if args.follows:
        follows_norm((("main", "best"), *((GROUP, name) for name in VARIANTS)))
        return
    run_variants("teacher", VARIANTS, args, screens=SCREENS, models_of=MODELS_OF)


if __name__ == "__main__":
    main()
