"""Table III ablations: w/o RASL, w/o SA, w/o auxiliary, w/o vision, w/o audio.

    python experiments/ablations.py [--seeds 0 1] [--steps 200]

Base ("full"): the softmax + gate_norm preset (common.SOFTMAX_L2), the best variant when these ran.
It already has no k-point loss, so "w/o RASL" (the paper's k = 0, no L_r) also removes the budget on
s (sigmoid instead of softmax). That row turned out best over 3 seeds and became the 'default' preset.
"""

from __future__ import annotations

from common import BEST_LR, SOFTMAX_L2, run_variant, variant_parser

ABLATIONS = {  # the full model is the main table's 'default' row (main.json "best"), not re-run here
    "wo_rasl": ({"kpoint": "off", "score_activation": "sigmoid"}, "k = 0, no L_r, s an unconstrained sigmoid gate"),
    "wo_sa": ({"self_attention": False}, "no self-attention"),
    "wo_aux": ({"aux_task": False}, "no masked FVS reconstruction"),
    "wo_vision": ({"modalities": "audio"}, "audio branch only (scored from audio features)"),
    "wo_audio": ({"modalities": "visual"}, "visual branch only, no SCL"),
}

LABELS = {"wo_rasl": "w/o RASL (= the 'default' preset)", "wo_sa": "w/o SA", "wo_aux": "w/o auxiliary",
          "wo_vision": "w/o vision", "wo_audio": "w/o audio"}


def main() -> None:
    args = variant_parser([0, 1]).parse_args()
    for name in args.only or ABLATIONS:
        changes, note = ABLATIONS[name]
        run_variant("ablations", name, "paper", {**SOFTMAX_L2, **changes}, seeds=tuple(args.seeds), steps=args.steps,
                    lr=BEST_LR, label=LABELS[name], note=note)


if __name__ == "__main__":
    main()
