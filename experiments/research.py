"""Controlled runs behind the choice of the 'default' preset (what makes s learn highlights).

Each variant changes one thing against its neighbour; all pretrain on YouTube train features only,
without labels. Screening uses seed 0 and a short budget; survivors get more seeds in main.py.
Choice rule (label use stated in docs/results.md): rank by YouTube mAP (the pretraining corpus,
seen unlabeled), confirm on TVSum (unseen).

    python experiments/research.py [--only NAME ...] [--seeds 0 1 2] [--steps 150]
"""

from __future__ import annotations

import argparse

from common import run_variant

VARIANTS: dict[str, tuple[str, dict, float, str]] = {
    # name: (preset, changes, lr, what it tests)
    "paper_lr1e-3": ("paper", {}, 1e-3, "literal Section III, the paper's RMSprop lr"),
    "paper_lr1e-4": ("paper", {}, 1e-4, "literal, lower lr (does s still saturate?)"),
    "softmax_nokpoint": ("paper", {"score_activation": "softmax", "kpoint": "off"}, 1e-4,
                         "budget on s (softmax over time), no Eq. (8)"),
    "softmax_kpoint": ("paper", {"score_activation": "softmax"}, 1e-4, "budget on s with Eq. (8)"),
    "softmax_nokpoint_stride1": ("paper", {"score_activation": "softmax", "kpoint": "off", "stride": 1}, 1e-4,
                                 "full time resolution of s on the 2 s clip grid"),
    "softmax_kpoint_stride1": ("paper", {"score_activation": "softmax", "stride": 1}, 1e-4,
                               "full resolution with Eq. (8)"),
    "sigmoid_stride1": ("paper", {"stride": 1}, 1e-4, "literal s, full resolution"),
    "none_nokpoint": ("paper", {"score_activation": "none", "kpoint": "off"}, 1e-4, "unbounded s"),
    "softmax_nokpoint_stride1_l2": ("paper", {"score_activation": "softmax", "kpoint": "off", "stride": 1,
                                               "recon_loss": "l2"}, 1e-4,
                                    "squared error weights large-magnitude steps more"),
    "softmax_nokpoint_stride1_w128": ("paper", {"score_activation": "softmax", "kpoint": "off", "stride": 1,
                                                "window": 128}, 1e-4, "longer window (128 clips)"),
    "rnorm_sigmoid_nokpoint": ("paper", {"gate_norm": "l2", "kpoint": "off"}, 1e-4,
                               "decode s * r/|r|: s must carry each step's magnitude"),
    "rnorm_softmax_nokpoint": ("paper", {"gate_norm": "l2", "kpoint": "off", "score_activation": "softmax"}, 1e-4,
                               "r/|r| plus a budget on s (the 'default' preset)"),
    "rnorm_none_nokpoint": ("paper", {"gate_norm": "l2", "kpoint": "off", "score_activation": "none"}, 1e-4,
                            "r/|r|, unbounded s"),
    "rnorm_sigmoid_kpoint": ("paper", {"gate_norm": "l2"}, 1e-4, "r/|r| with the literal sigmoid + Eq. (8)"),
    "rnorm_none_nokpoint_s1": ("paper", {"gate_norm": "l2", "kpoint": "off", "score_activation": "none",
                                         "stride": 1}, 1e-4, "r/|r|, unbounded s, full resolution"),
    "rnorm_sigmoid_nokpoint_s1": ("paper", {"gate_norm": "l2", "kpoint": "off", "stride": 1}, 1e-4,
                                  "r/|r|, sigmoid, full resolution"),
    "default_l2loss": ("default", {"recon_loss": "l2"}, 1e-4,
                       "squared error: large-magnitude steps dominate the loss"),
    "default_w128": ("default", {"window": 128}, 1e-4, "the default preset on 128-clip windows"),
    "default": ("default", {}, 1e-4, "the default preset (for the steps sweep)"),
    "sigmoid_budget": ("paper", {"budget_weight": 1.0}, 1e-4, "sigmoid with a mean-budget penalty"),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--seeds", nargs="*", type=int, default=[0])
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--window", type=int, default=64)
    args = ap.parse_args()
    for name in args.only or VARIANTS:
        preset, changes, lr, what = VARIANTS[name]
        run_variant(f"research_{args.steps}steps_w{args.window}", name, preset, changes, seeds=tuple(args.seeds),
                    steps=args.steps, lr=lr, window=args.window, note=what)


if __name__ == "__main__":
    main()
