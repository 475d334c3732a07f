"""Fig. 6: k of Eq. (6)-(8), with the k-point contrast (Eq. 8) and without it (eta = mean top-k s).

    python experiments/ksweep.py [--seeds 0 1] [--ks 1 2 4] [--steps 200]

Runs on the best preset's activation with the k-point loss switched on. k is clipped to half the
representation length (window 64, stride 2 x 3 -> 8 steps -> k <= 4; stride 1 -> 64 steps).
"""

from __future__ import annotations

import argparse

from common import BEST_LR, SOFTMAX_L2, STEPS, run_variant


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", type=int, default=[0, 1])
    ap.add_argument("--ks", nargs="*", type=int, default=[1, 2, 4])
    ap.add_argument("--steps", type=int, default=STEPS)
    args = ap.parse_args()
    for k in args.ks:
        for mode in ("contrast", "mean"):
            run_variant("ksweep", f"k{k}_{mode}", "paper", {**SOFTMAX_L2, "kpoint": mode, "k": k},
                        seeds=tuple(args.seeds), steps=args.steps, lr=BEST_LR,
                        label=f"k={k}, {'k-point contrast' if mode == 'contrast' else 'w/o contrast (mean)'}")


if __name__ == "__main__":
    main()
