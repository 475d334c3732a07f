"""Hypothesis (a): which label-free feature statistics carry highlight signal on these features?

For each feature type (I3D RGB, I3D flow, both, audio), score every clip by magnitude, by
distinctiveness (few similar clips: Fig. 1's premise) and by typicality (many similar clips, close
to the video mean), and evaluate both directions with the benchmark metrics. Numpy only, ~1 min.

    python experiments/feature_analysis.py      # -> experiments/results/feature_analysis.json
"""

from __future__ import annotations

import numpy as np
from common import store_static, videos

from highlit import evaluate as ev

KINDS = {"rgb": lambda v: v.visual[:, :1024], "flow": lambda v: v.visual[:, 1024:],
         "rgb+flow": lambda v: v.visual, "audio": lambda v: v.audio}


def _unit(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8)


def _mse(x: np.ndarray) -> np.ndarray:
    sq = (x * x).sum(1)
    return np.maximum(sq[:, None] + sq[None] - 2 * x @ x.T, 0) / x.shape[1]


def _knn(x: np.ndarray, k: int = 5) -> np.ndarray:
    d = _mse(x)
    return np.sort(d, 1)[:, 1:k + 1].mean(1)


STATS = {
    "L2 norm (magnitude)": lambda x: np.linalg.norm(x, axis=1),
    "distinct: Fig. 1 count, 30 s window": lambda x: ev.distinct_scores(x, 15),
    "distinct: Fig. 1 count, whole video": lambda x: ev.distinct_scores(x, 2 * len(x) + 1),
    "distinct: mean MSE to 5 nearest clips": _knn,
    "typical: minus mean MSE to 5 nearest clips": lambda x: -_knn(x),
    "typical: cosine to the video mean": lambda x: _unit(x) @ _unit(x.mean(0, keepdims=True))[0],
    "distinct: minus cosine to the video mean": lambda x: -(_unit(x) @ _unit(x.mean(0, keepdims=True))[0]),
    "distinct: L2 distance to the video mean": lambda x: np.linalg.norm(x - x.mean(0), axis=1),
}


def main() -> None:
    for kind, get in KINDS.items():
        for stat, fn in STATS.items():
            record = {}
            for ds in ("tvsum", "youtube"):
                vids = videos(ds)
                r = ev.evaluate_model(lambda v, get=get, fn=fn: fn(get(v).astype(np.float64)), None, videos=vids)
                record[ds] = {"mean": r["mean"], "per_category": r["per_category"]}
            store_static("feature_analysis", f"{kind} | {stat}", record)
            print(f"{kind:9s} {stat:45s} TVSum {record['tvsum']['mean']:.3f}  YouTube {record['youtube']['mean']:.3f}")


if __name__ == "__main__":
    main()
