"""Round 3: one RASL network per category, pretrained without labels on that category's videos only.

Why: the one label-free cue beyond magnitude we measured is recurrence across a category's videos
(experiments/feature_analysis.py, cross-video rows). A network pretrained on one domain reconstructs what
recurs in that domain best; with ``decoder_scale='s'`` and squared error the best length of a step is
|rho_i| cos(rho_i, D_i), magnitude times how well its content is reconstructed, which is the learned
counterpart of the cross-video dot-product cue. Transductive: each model sees its test videos' features
(never their labels); the category grouping is the dataset's. The "_heldout" variant is the inductive check:
each video is scored by a network that never saw it (pretrained on the other folds of its category).

    python experiments/domains.py [--only NAME ...] [--seeds 0] [--steps 200] [--datasets youtube tvsum]
"""

from __future__ import annotations

from common import BEST_LR, run_per_domain, variant_parser

VARIANTS: dict[str, tuple[str, dict, str]] = {
    "default": ("default", {}, "the default preset, one network per category"),
    "scale_s_s1_l2": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                  "recon_loss": "l2"}, "s is the decoded length (squared error), one s per clip"),
    "scale_s_s1_l2_length": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                         "recon_loss": "l2", "score_output": "length"},
                             "the same networks, read as the decoded length s_i * window mean |rho|"),
    "fit_product": ("fit", {"lr": 3e-4, "stride": 1},
                    "the 'fit' preset at the product's fit lr (pipeline.FIT_LR), one s per clip: what "
                    "`highlit detect FOLDER` does with one category's videos"),
    "fit_heldout": ("fit", {"stride": 1},
                    "= scale_s_s1_l2_length, INDUCTIVE: each video scored by a network pretrained on the other "
                    "half of its category's videos only (2 folds)"),
}
#: Variants scored on held-out folds of their category (inductive) instead of the videos they trained on.
FOLDS = {"fit_heldout": 2}
#: Variants that only read another variant's trained networks differently (no training of their own).
MODELS_OF = {"scale_s_s1_l2_length": "scale_s_s1_l2"}


def main() -> None:
    ap = variant_parser([0])
    ap.add_argument("--datasets", nargs="*", default=["youtube", "tvsum"])
    args = ap.parse_args()
    for name in args.only or VARIANTS:
        preset, changes, what = VARIANTS[name]
        changes = dict(changes)
        lr = changes.pop("lr", BEST_LR)
        run_per_domain(f"domains_{args.steps}steps", name, preset, changes, seeds=tuple(args.seeds),
                       steps=args.steps, lr=lr, datasets=tuple(args.datasets), note=what,
                       models_of=MODELS_OF.get(name), folds=FOLDS.get(name, 0))


if __name__ == "__main__":
    main()
