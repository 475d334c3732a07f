"""Label-free baselines on both benchmarks (random over 10 seeds, RGB norm, Fig. 1 distinctiveness).

    python experiments/baselines.py      # -> experiments/results/baselines.json
"""

from __future__ import annotations

from common import DATA, store_static, videos

from highlit import evaluate as ev
from highlit.datasets import load_dataset


def main() -> None:
    for ds in ("tvsum", "youtube"):
        for name, res in ev.baselines(None, videos=videos(ds), seeds=10).items():
            record = {k: res[k] for k in ("mean", "std", "per_category", "per_category_std", "runs") if k in res}
            store_static("baselines", f"{name}:{ds}", record)
            print(f"{ds:8s} {name:9s} {res['mean']:.3f} +- {res.get('std', 0):.3f}")
    # the norm on UMT's 10 TVSum validation videos, the subset that supervised papers report on (for scale)
    val = load_dataset(DATA / "tvsum", split="val")
    res = ev.baselines(None, videos=val, seeds=10)["norm"]
    store_static("baselines", "norm:tvsum:val", {k: res[k] for k in ("mean", "per_category") if k in res})
    print(f"tvsum val norm      {res['mean']:.3f} ({len(val)} videos)")


if __name__ == "__main__":
    main()
