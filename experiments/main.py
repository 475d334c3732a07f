"""Main table: the literal 'paper' preset vs the best preset, the transductive variant, fit-on-input.

The transductive and fit-on-input rows use the softmax + gate_norm preset (the best one when they ran).

    python experiments/main.py [--seeds 0 1 2] [--steps 200] [--skip-fit]

'paper' runs at the paper's lr (1e-3); the best preset at BEST_LR (see common.py / research.py).
"""

from __future__ import annotations

import argparse

from common import BEST, BEST_LR, PAPER_LR, SOFTMAX_L2, STEPS, run_fit_on_input, run_variant

from highlit.pipeline import FIT_LR, FIT_LR_STEPS, fit_lr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--fit-steps", type=int, default=30)
    ap.add_argument("--only", nargs="*", default=["paper", "best", "softmax_l2", "budget", "transductive", "fit",
                                                         "fit_preset"])
    args = ap.parse_args()
    seeds = tuple(args.seeds)
    if "paper" in args.only:
        run_variant("main", "paper", "paper", {}, seeds=seeds, steps=args.steps, lr=PAPER_LR,
                    label="RASL, 'paper' preset", note="literal Section III (sigmoid s, Eq. 8, SCL, aux)")
    if "best" in args.only:  # the same runs as ablations.json "wo_rasl" (copied there by the author)
        run_variant("main", "best", "paper", BEST, seeds=seeds, steps=args.steps, lr=BEST_LR,
                    label="RASL, 'default' preset", note="= ModelConfig.preset('default'); = Table III 'w/o RASL'")
    if "softmax_l2" in args.only:
        run_variant("main", "softmax_l2", "paper", SOFTMAX_L2, seeds=seeds, steps=args.steps, lr=BEST_LR,
                    label="softmax + gate_norm", note="the previous default; base of the ablations")
    if "budget" in args.only:
        run_variant("main", "budget", "paper", {"score_activation": "softmax", "kpoint": "off"}, seeds=seeds,
                    steps=args.steps, lr=BEST_LR, label="'budget' preset (softmax s, no Eq. 8)",
                    note="the runner-up: default without gate_norm")
    if "transductive" in args.only:
        run_variant("main", "transductive", "paper", SOFTMAX_L2, seeds=seeds, steps=args.steps, lr=BEST_LR,
                    train_on=("youtube", "tvsum"), label="softmax + gate_norm, transductive",
                    note="TRANSDUCTIVE: also pretrained on the TVSum features (no labels), as CHD")
    if "fit" in args.only:
        run_fit_on_input("fit", "fit_best", "paper", SOFTMAX_L2, seeds=seeds[:1], steps=args.fit_steps,
                         lr=BEST_LR, label="softmax + gate_norm, fit on input")
    if "fit_preset" in args.only:  # what `highlit detect` did with one short video until 2026-11-28 (40 steps)
        run_fit_on_input("fit", "fit_preset", "fit", {"stride": 1}, seeds=seeds[:1], steps=FIT_LR_STEPS[0], lr=FIT_LR,
                         label="'fit' preset, fit on each video alone, 40 steps")
    for steps in (100, 200):  # longer fits of one video; 200 = pipeline.FIT_STEPS, detect's default since 2026-11-28
        if f"fit_preset_{steps}steps" in args.only:
            run_fit_on_input("fit", f"fit_preset_{steps}steps", "fit", {"stride": 1}, seeds=seeds, steps=steps,
                             lr=fit_lr(steps), label=f"'fit' preset, fit on each video alone, {steps} steps")
    if "fit_preset_lr1e-4" in args.only:  # the same at the lr the per-category runs used
        run_fit_on_input("fit", "fit_preset_lr1e-4", "fit", {"stride": 1}, seeds=seeds[:1], steps=FIT_LR_STEPS[0],
                         lr=BEST_LR, label="'fit' preset, fit on each video alone, lr 1e-4")


if __name__ == "__main__":
    main()
