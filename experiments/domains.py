"""Round 3: one RASL network per category, pretrained without labels on that category's videos only.

Why: the one label-free cue beyond magnitude we measured is recurrence across a category's videos
(experiments/feature_analysis.py, cross-video rows). A network pretrained on one domain reconstructs what
recurs in that domain best; with ``decoder_scale='s'`` and squared error the best length of a step is
|rho_i| cos(rho_i, D_i), magnitude times how well its content is reconstructed, which is the learned
counterpart of the cross-video dot-product cue. Transductive: each model sees its test videos' features
(never their labels); the category grouping is the dataset's. The "_heldout" variant is the inductive check:
each video is scored by a network that never saw it (pretrained on the other folds of its category).

    python experiments/domains.py [--only NAME ...] [--seeds 0] [--steps 200] [--datasets youtube tvsum]
    python experiments/domains.py --contrast --seeds 0 1 2 --datasets youtube tvsum   # after fit_heldout
"""

from __future__ import annotations

import numpy as np
from common import (
    RUNS,
    category_folds,
    load_with_readout,
    model_config,
    run_per_domain,
    store_static,
    variant_parser,
    variant_setting,
    videos,
)

from highlit import evaluate as ev

VARIANTS: dict[str, tuple[str, dict, str]] = {
    "default": ("default", {}, "the default preset, one network per category"),
    "scale_s_s1_l2": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                  "recon_loss": "l2"}, "s is the decoded length (squared error), one s per clip"),
    "scale_s_s1_l2_length": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                         "recon_loss": "l2", "score_output": "length"},
                             "the same networks, read as the decoded length s_i * window mean |rho|"),
    "fit_product": ("fit", {"lr": 3e-4, "stride": 1},
                    "the 'fit' preset at the short-fit lr (pipeline.FIT_LR = 3e-4), one s per clip: what `highlit "
                    "detect FOLDER` did with one category's videos before its lr fell with the fit length "
                    "(pipeline.fit_lr)"),
    "fit_heldout": ("fit", {"stride": 1},
                    "= scale_s_s1_l2_length, INDUCTIVE: each video scored by a network pretrained on the other "
                    "half of its category's videos only (2 folds)"),
    # round 8 (experiments/teacher.py), added after its results: does the norm as Eq. (8)'s teacher help the
    # product's fit on a folder? A 2-seed screen against scale_s_s1_l2_length (= the 'fit' preset, stride 1)
    "fit_teacher": ("fit", {"stride": 1, "kpoint": "contrast", "kpoint_select": "norm"},
                    "the 'fit' preset (one s per clip) with round 8's teacher: the norm chooses Eq. (8)'s k points"),
}
#: Variants scored on held-out folds of their category (inductive) instead of the videos they trained on.
FOLDS = {"fit_heldout": 2}
#: Variants that only read another variant's trained networks differently (no training of their own).
MODELS_OF = {"scale_s_s1_l2_length": "scale_s_s1_l2"}


def heldout_contrast(seed: int, ds: str, steps: int) -> dict[str, dict]:
    """Is RASL's per-category signal content that is specific to the category? The numpy analogue
    (feature_analysis.py, 'cross-category contrast') says such content marks highlights on TVSum. Here each
    video is read by networks that never saw it (the fit_heldout networks): its own category's network
    (trained on the other fold) and every other category's networks (both folds). If the own network
    reconstructs category-specific content better, log(own / others' mean) of the decoded lengths marks it."""
    preset, changes, _ = VARIANTS["fit_heldout"]
    cfg = model_config(preset, **changes)
    base = RUNS / f"domains_{steps}steps" / "fit_heldout" / f"seed{seed}" / ds
    domains = sorted({v.domain for v in videos(ds)})
    nets = {(d, k): ev.model_scorer(load_with_readout(base / d / f"fold{k}" / "checkpoint.safetensors", cfg))
            for d in domains for k in range(FOLDS["fit_heldout"])}
    own, others = {}, {}
    for d in domains:
        for k, fold in enumerate(category_folds(ds, d, FOLDS["fit_heldout"])):
            for v in fold:
                own[v.video_id] = nets[(d, k)](v)
                others[v.video_id] = np.mean([net(v) for (o, _), net in nets.items() if o != d], axis=0)
    reads = {"other categories' networks (mean decoded length)": others,
             "log(own / other categories' networks)": {
                 i: np.log((own[i] + 1e-6) / (others[i] + 1e-6)) for i in own}}
    return {name: ev.evaluate_scores(videos(ds), scores) for name, scores in reads.items()}


def main() -> None:
    ap = variant_parser([0])
    ap.add_argument("--datasets", nargs="*", default=["youtube", "tvsum"])
    ap.add_argument("--contrast", action="store_true", help="read the fit_heldout networks against each other")
    args = ap.parse_args()
    if args.contrast:
        for seed in args.seeds:
            for ds in args.datasets:
                for name, r in heldout_contrast(seed, ds, args.steps).items():
                    store_static("heldout_contrast", f"{name} | {ds} | seed {seed}",
                                 {"mean": r["mean"], "per_category": r["per_category"]})
                    print(f"{name:55s} {ds} seed {seed}: {r['mean']:.3f}", flush=True)
        return
    for name in args.only or VARIANTS:
        preset, changes, lr, what = variant_setting(VARIANTS, name)
        run_per_domain(f"domains_{args.steps}steps", name, preset, changes, seeds=tuple(args.seeds),
                       steps=args.steps, lr=lr, datasets=tuple(args.datasets), note=what,
                       models_of=MODELS_OF.get(name), folds=FOLDS.get(name, 0))


if __name__ == "__main__":
    main()
