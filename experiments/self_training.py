"""Round 6: can the norm teach direction? (self-training, no labels, no category tag)

Round 4 found one cue that adds to the RGB norm on TVSum: a classifier from a clip's direction to its video's
category. It needs the category, a video-level tag. This round asks whether the norm itself can stand in for
that tag as a teacher: fit a map from a clip's direction (rho/|rho|, so it cannot read magnitude) to its
within-video norm rank on OTHER videos, then read the map on the scored video. What it learns is which
content tends to come with large magnitude across the corpus; if that content marks highlights beyond the
norm, the map's rank added to the norm's rank beats the norm. It is the label-free analogue of the k-point
contrast of Eq. (8) with the norm choosing the top and bottom steps instead of s.

Two teachers, fixed before any result:
- ridge: least squares from the centred direction to the centred norm rank, lambda in {1e-3, 1e-2, 1e-1}
  (relative to the mean Gram matrix); lambda is chosen on YouTube (the selection set) by the rank-sum row;
- prototype: the mean direction of each video's top-20% norm clips minus that of its bottom 20%, no
  parameter; the score is the clip's direction projected on it.
Each is trained on three corpora: the scored video's category (its other videos, 5 folds by video, as
round 4), the whole benchmark (other folds, any category: no tag used), and the other benchmark (never
the scored videos). Every row is read alone and as a rank sum with the norm (weight 1), against the norm
video by video (paired bootstrap over videos).

Added after the first results (so labelled as such in the report): the prototype on both benchmarks'
other videos together (does a larger corpus help?), and the prototype's top fraction at 10%, 30% and 50%
on the two no-tag corpora (is 20% special?).

    python experiments/self_training.py   # -> experiments/results/self_training.json, ~1 min
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from common import store_static, videos
from corpus_statistics import DATASETS, FOLDS, OTHER, _record, _rgb, norm_per_video, video_folds
from feature_analysis import _rank, _unit

from highlit.datasets import VideoFeatures
from highlit.evaluate import norm_scores as _norm

GROUP = "self_training"
USES = {"category": "the category's other videos (a video-level tag)",
        "benchmark": "the benchmark's other videos (no tag)",
        "other benchmark": "the other benchmark's videos (no tag, never the scored videos)",
        "both benchmarks": "the other benchmark and this one's other videos (no tag)"}
LAMBDAS = (1e-3, 1e-2, 1e-1)
TOP = 0.2
#: a teacher maps the training videos to a direction w; a clip's score is its centred direction times w.
Teacher = Callable[[list[VideoFeatures]], tuple[np.ndarray, np.ndarray]]


def _pairs(train: list[VideoFeatures]) -> tuple[np.ndarray, np.ndarray]:
    """Centred directions and centred within-video norm ranks: the teacher's only supervision is the norm."""
    x = np.concatenate([_unit(_rgb(v)) for v in train])
    y = np.concatenate([_rank(_norm(v)) for v in train])
    return x, y - y.mean()


def ridge(lam: float) -> Teacher:
    def fit(train: list[VideoFeatures]) -> tuple[np.ndarray, np.ndarray]:
        x, y = _pairs(train)
        centre = x.mean(0)
        xc = x - centre
        gram = xc.T @ xc / len(xc)
        w = np.linalg.solve(gram + lam * np.trace(gram) / len(gram) * np.eye(len(gram)), xc.T @ y / len(xc))
        return centre, w
    return fit


def prototype(fraction: float = TOP) -> Teacher:
    """Top minus bottom mean direction: Eq. (8)'s top-k / bottom-k with the norm choosing the k. It is the
    limit of the ridge map as lambda grows (w -> X'y), so it cannot fit the noise a small lambda does."""
    def fit(train: list[VideoFeatures]) -> tuple[np.ndarray, np.ndarray]:
        x, y = _pairs(train)
        top, bottom = y >= 0.5 - fraction, y < fraction - 0.5
        return x.mean(0), x[top].mean(0) - x[bottom].mean(0)
    return fit


def teach(ds: str, teacher: Teacher, corpus: str) -> dict[str, np.ndarray]:
    """Scores of every video of ``ds`` by a teacher that never saw it (``corpus``: one of CORPORA)."""
    vids = videos(ds)
    if corpus == "other benchmark":
        centre, w = teacher(list(videos(OTHER[ds])))
        return {v.video_id: (_unit(_rgb(v)) - centre) @ w for v in vids}
    fold = video_folds(vids)
    extra = list(videos(OTHER[ds])) if corpus == "both benchmarks" else []
    scores = {}
    for f in range(FOLDS):
        for domain in sorted({v.domain for v in vids}) if corpus == "category" else [None]:
            train = extra + [v for v in vids if fold[v.video_id] != f and domain in (None, v.domain)]
            test = [v for v in vids if fold[v.video_id] == f and domain in (None, v.domain)]
            if not test:
                continue
            centre, w = teacher(train)
            scores.update({v.video_id: (_unit(_rgb(v)) - centre) @ w for v in test})
    return scores


def _rows(corpus: str, name: str, teacher: Teacher, norm: dict[str, dict]) -> None:
    alone = {ds: teach(ds, teacher, corpus) for ds in DATASETS}
    _record(f"{corpus} | {name} | alone", USES[corpus], alone, norm, GROUP)
    both = {ds: {v.video_id: _rank(alone[ds][v.video_id]) + _rank(_norm(v)) for v in videos(ds)} for ds in DATASETS}
    _record(f"{corpus} | {name} | its rank + the norm's rank", USES[corpus], both, norm, GROUP)


def prototype_diagnostics() -> dict[str, float]:
    """What the prototype is: does each benchmark's (all its videos) point the same way, and how closely does its
    score follow the norm within a video?"""
    out: dict[str, float] = {}
    unit = {}
    for ds in DATASETS:
        centre, w = prototype()(list(videos(ds)))
        unit[ds] = w / np.linalg.norm(w)
        corr = [np.corrcoef((_unit(_rgb(v)) - centre) @ w, _norm(v))[0, 1] for v in videos(ds)]
        out[f"{ds}_corr_with_norm"] = float(np.mean(corr))
    out["cosine_between_benchmarks"] = float(unit["tvsum"] @ unit["youtube"])
    return out


def main() -> None:
    diagnostics = prototype_diagnostics()
    store_static(GROUP, "diagnostics", diagnostics)
    print(diagnostics)
    norm = norm_per_video()
    teachers: dict[str, Teacher] = {f"ridge, lambda {lam:g}": ridge(lam) for lam in LAMBDAS}
    teachers["prototype (top 20% minus bottom 20%)"] = prototype()
    for corpus in ("category", "benchmark", "other benchmark"):
        for name, teacher in teachers.items():
            _rows(corpus, name, teacher, norm)
    # added after the first results: a larger corpus, and the top fraction
    _rows("both benchmarks", "prototype (top 20% minus bottom 20%)", prototype(), norm)
    for corpus in ("benchmark", "other benchmark"):
        for fraction in (0.1, 0.3, 0.5):
            share = f"{fraction:.0%}"
            _rows(corpus, f"prototype (top {share} minus bottom {share}), sensitivity", prototype(fraction), norm)


if __name__ == "__main__":
    main()
