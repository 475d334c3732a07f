"""Hypothesis (a): which label-free feature statistics carry highlight signal on these features?

For each feature type (I3D RGB, I3D flow, both, audio), score every clip by magnitude, by
distinctiveness (few similar clips: Fig. 1's premise) and by typicality (many similar clips, close
to the video mean), and evaluate both directions with the benchmark metrics. Numpy only, ~1 min.

    python experiments/feature_analysis.py [--cross-only]  # -> experiments/results/feature_analysis.json
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


def _moving_average(x: np.ndarray, k: int) -> np.ndarray:
    """Centred mean over k clips (edges repeated): what a score with a k-clip time resolution can see."""
    padded = np.pad(x, (k // 2, k // 2), mode="edge")
    return np.convolve(padded, np.ones(k) / k, "valid")[: len(x)]


STATS = {
    "L2 norm (magnitude)": lambda x: np.linalg.norm(x, axis=1),
    "L2 norm, moving average over 3 clips": lambda x: _moving_average(np.linalg.norm(x, axis=1), 3),
    "L2 norm, moving average over 9 clips": lambda x: _moving_average(np.linalg.norm(x, axis=1), 9),
    "distinct: Fig. 1 count, 30 s window": lambda x: ev.distinct_scores(x, 15),
    "distinct: Fig. 1 count, whole video": lambda x: ev.distinct_scores(x, 2 * len(x) + 1),
    "distinct: mean MSE to 5 nearest clips": _knn,
    "typical: minus mean MSE to 5 nearest clips": lambda x: -_knn(x),
    "typical: cosine to the video mean": lambda x: _unit(x) @ _unit(x.mean(0, keepdims=True))[0],
    "distinct: minus cosine to the video mean": lambda x: -(_unit(x) @ _unit(x.mean(0, keepdims=True))[0]),
    "distinct: L2 distance to the video mean": lambda x: np.linalg.norm(x - x.mean(0), axis=1),
}


def _nearest(x: np.ndarray, pool: np.ndarray, raw: bool, k: int) -> np.ndarray:
    sim = x @ pool.T if raw else _unit(x) @ _unit(pool).T
    return np.sort(sim, 1)[:, -k:].mean(1)


def _rank(x: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(x)) / len(x)


def cross_video_scores(ds: str, mode: str, k: int = 10) -> dict[str, np.ndarray]:
    """Score each clip by its k most similar clips in the OTHER videos of its category (no labels: the
    category is the dataset's grouping). 'cosine': direction only; 'dot': also rewards magnitude. Does content
    that recurs across a domain's videos mark its highlights? 'contrast': cosine to the category's other videos
    minus cosine to the other categories' videos, i.e. content that recurs in this kind of video but not in
    video in general (generic shots such as talking heads or title cards recur everywhere); 'contrast+norm':
    its rank plus the RGB norm's rank within the video (direction and magnitude, equal weight)."""
    rgb = {v.video_id: v.visual[:, :1024].astype(np.float64) for v in videos(ds)}
    scores = {}
    for v in videos(ds):
        x = rgb[v.video_id]
        same = np.concatenate([rgb[o.video_id] for o in videos(ds) if o.domain == v.domain and o is not v])
        if mode in ("cosine", "dot"):
            scores[v.video_id] = _nearest(x, same, mode == "dot", k)
            continue
        other = np.concatenate([rgb[o.video_id] for o in videos(ds) if o.domain != v.domain])
        contrast = _nearest(x, same, False, k) - _nearest(x, other, False, k)
        scores[v.video_id] = contrast if mode == "contrast" else _rank(contrast) + _rank(np.linalg.norm(x, axis=1))
    return scores


CROSS = {"cross-video: mean cosine to the 10 nearest clips of the category's other videos": "cosine",
         "cross-video: mean dot product with the 10 nearest clips of the category's other videos": "dot",
         "cross-category contrast: cosine to the category's other videos minus to other categories' videos":
             "contrast",
         "cross-category contrast rank + RGB norm rank": "contrast+norm"}


def cross_video_main() -> None:
    for stat, mode in CROSS.items():
        record = {}
        for ds in ("tvsum", "youtube"):
            r = ev.evaluate_scores(videos(ds), cross_video_scores(ds, mode))
            record[ds] = {"mean": r["mean"], "per_category": r["per_category"]}
        store_static("feature_analysis", f"rgb | {stat}", record)
        print(f"rgb {stat:85s} TVSum {record['tvsum']['mean']:.3f}  YouTube {record['youtube']['mean']:.3f}")


def main() -> None:
    cross_video_main()
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
    import sys

    if "--cross-only" in sys.argv:
        cross_video_main()
    else:
        main()
