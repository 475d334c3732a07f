"""Label-free baselines on both benchmarks (random over 10 seeds, RGB norm, Fig. 1 distinctiveness).

    python experiments/baselines.py      # -> experiments/results/baselines.json
"""

from __future__ import annotations

from common import store_static, videos

from highlit import evaluate as ev


def main() -> None:
    for ds in ("tvsum", "youtube"):
        for name, res in ev.baselines(None, videos=videos(ds), seeds=10).items():
            record = {k: res[k] for k in ("mean", "std", "per_category", "per_category_std", "runs") if k in res}
            store_static("baselines", f"{name}:{ds}", record)
            print(f"{ds:8s} {name:9s} {res['mean']:.3f} +- {res.get('std', 0):.3f}")


if __name__ == "__main__":
    main()
