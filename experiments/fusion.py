"""Table IV: SCL vs direct fusion of the self-attended FVSs (one fused branch), on the best preset.

    python experiments/fusion.py [--seeds 0 1] [--steps 200]
"""

from __future__ import annotations

from common import BEST_LR, SOFTMAX_L2, run_variant, variant_parser

FUSIONS = ("sum", "concat", "mlp", "lowrank")  # SCL is the main table's 'default' row


def main() -> None:
    args = variant_parser([0, 1]).parse_args()
    for name in args.only or FUSIONS:
        run_variant("fusion", name, "paper", {**SOFTMAX_L2, "fusion": name}, seeds=tuple(args.seeds),
                    steps=args.steps, lr=BEST_LR, label=name)


if __name__ == "__main__":
    main()
