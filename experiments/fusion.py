"""Table IV: SCL vs direct fusion of the self-attended FVSs (one fused branch), on the best preset.

    python experiments/fusion.py [--seeds 0 1] [--steps 200]
"""

from __future__ import annotations

import argparse

from common import BEST_LR, SOFTMAX_L2, STEPS, run_variant

FUSIONS = ("sum", "concat", "mlp", "lowrank")  # SCL is the main table's 'default' row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", type=int, default=[0, 1])
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    for name in args.only or FUSIONS:
        run_variant("fusion", name, "paper", {**SOFTMAX_L2, "fusion": name}, seeds=tuple(args.seeds),
                    steps=args.steps, lr=BEST_LR, label=name)


if __name__ == "__main__":
    main()
