"""A labelled reference point, not a method: how far does a per-clip linear scorer get WITH labels?

Ridge regression from a clip's own feature row (I3D RGB+flow and the RGB norm) to its label, evaluated
with the benchmark metrics. If labels barely lift a per-clip scorer above the label-free RGB norm, the
features themselves bound what any per-clip score (such as s) can reach. Three label sources:
YouTube train labels -> TVSum; TVSum leaving one category out; TVSum leaving one video out within its
category (the setting of supervised methods like UMT, which add temporal context on top). "+ context" rows
add what a clip's neighbours and its video say: the mean of the 5 clips around it, its deviation from the
video's mean row, its RGB norm z-scored within the video, and its relative position (and its square).

    python experiments/supervised_probe.py [--context-only]    # -> experiments/results/supervised_probe.json
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from common import store_static, videos

from highlit import evaluate as ev
from highlit.datasets import VideoFeatures

LAMBDAS = (1e2, 1e4)
CONTEXT_LAMBDA = 1e4  # the better of the two for every per-clip setup above


def _features(v: VideoFeatures, context: bool = False) -> np.ndarray:
    x = v.visual.astype(np.float64)
    norm = np.linalg.norm(x[:, :1024], axis=1, keepdims=True)
    parts = [x, norm]
    if context:
        pad = np.pad(x, ((2, 2), (0, 0)), mode="edge")
        around = np.mean([pad[i:i + len(x)] for i in range(5)], axis=0)
        position = np.linspace(0.0, 1.0, len(x))[:, None]
        parts += [around, x - x.mean(0), (norm - norm.mean()) / (norm.std() + 1e-6), position, position**2]
    return np.concatenate(parts, 1)


def _target(v: VideoFeatures) -> np.ndarray:
    """TVSum: mean annotator score; YouTube: 1 for a highlight clip."""
    return v.labels.mean(1) if v.labels.ndim == 2 else (v.labels > 0).astype(np.float64)


def _ridge(train: Sequence[VideoFeatures], lam: float, context: bool = False
           ) -> Callable[[VideoFeatures], np.ndarray]:
    x = np.concatenate([_features(v, context) for v in train])
    y = np.concatenate([_target(v) for v in train])
    mu, sd = x.mean(0), x.std(0) + 1e-6
    z = (x - mu) / sd
    w = np.linalg.solve(z.T @ z + lam * np.eye(z.shape[1]), z.T @ (y - y.mean()))
    return lambda v: ((_features(v, context) - mu) / sd) @ w


def main(context_only: bool = False) -> None:
    tv, yt = videos("tvsum"), videos("youtube")
    for lam in () if context_only else LAMBDAS:
        setups = {
            "YouTube labels -> TVSum": {v.video_id: _ridge(yt, lam)(v) for v in tv},
            "TVSum, leave one category out": {
                v.video_id: _ridge([o for o in tv if o.domain != v.domain], lam)(v) for v in tv},
            "TVSum, leave one video out within its category": {
                v.video_id: _ridge([o for o in tv if o.domain == v.domain and o is not v], lam)(v) for v in tv},
        }
        for name, scores in setups.items():
            r = ev.evaluate_scores(tv, scores)
            store_static("supervised_probe", f"{name} (ridge lambda {lam:g})",
                         {"tvsum": {"mean": r["mean"], "per_category": r["per_category"]}})
            print(f"{name:50s} lambda {lam:g}: TVSum {r['mean']:.3f}")
    lam = CONTEXT_LAMBDA
    setups = {
        "YouTube labels -> TVSum, + context": {v.video_id: _ridge(yt, lam, True)(v) for v in tv},
        "TVSum, leave one category out, + context": {
            v.video_id: _ridge([o for o in tv if o.domain != v.domain], lam, True)(v) for v in tv},
    }
    for name, scores in setups.items():
        r = ev.evaluate_scores(tv, scores)
        store_static("supervised_probe", f"{name} (ridge lambda {lam:g})",
                     {"tvsum": {"mean": r["mean"], "per_category": r["per_category"]}})
        print(f"{name:50s} lambda {lam:g}: TVSum {r['mean']:.3f}")


if __name__ == "__main__":
    import sys

    main(context_only="--context-only" in sys.argv)
