"""Round 4: does anything a corpus knows, beyond one clip's magnitude, beat the RGB norm?

Item 1 of docs/results.md found magnitude the only strong label-free cue in a clip's own I3D row. This
screen asks the corpus instead, with numpy and one linear classifier, no training of RASL and no highlight
labels, every row against the norm video by video (paired bootstrap over videos, as the re-scored tables):

- corpus geometry: the norm after centring on the corpus mean, after whitening with its covariance, after
  removing its top principal components, or of the top components alone; the corpus is either the
  benchmark's own videos (transductive, as a folder fit is) or the other benchmark (never the scored videos);
- time and neighbourhood: the norm minus its local trend, and rank sums of the norm with the other cues of
  item 1 (the distance to the 5 nearest clips, the flow norm);
- the category: a linear classifier from a clip's row to its video's category (the dataset's grouping,
  a video-level tag, not a highlight label), trained on the other videos (5 folds by video within each
  category) and read as log p(own category | clip), alone and as a rank sum with the norm; this is the
  learned form of item 10's cross-category contrast, a weakly supervised reference rather than a method.

For scale, the annotators' own ceiling: each TVSum annotator predicted by the mean of the other 19 (the
consensus a label-free scorer could at best recover), on all 50 videos and on UMT's 10 validation videos.

Every variant that was run is stored, including the ones that did poorly; the regularisation weight of the
classifier was chosen on YouTube (the selection set) before TVSum was scored.

    python experiments/corpus_statistics.py   # -> experiments/results/corpus_statistics.json, ~5 min
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from common import DATA, store_static, videos
from feature_analysis import _knn, _moving_average, _rank, _unit

from highlit import evaluate as ev
from highlit.datasets import VideoFeatures, load_dataset
from highlit.evaluate import norm_scores as _norm
from highlit.metrics import paired_bootstrap, tvsum_top5_ap

DATASETS = ("tvsum", "youtube")
OTHER = {"tvsum": "youtube", "youtube": "tvsum"}
#: (dataset, TVSum label reading) of every figure: per annotator (our tables) and the seed paper's reading.
READINGS = (("tvsum", "annotators"), ("tvsum", "mean"), ("youtube", "annotators"))
FOLDS = 5
Score = Callable[[VideoFeatures, str], np.ndarray]


def _rgb(v: VideoFeatures) -> np.ndarray:
    return v.visual[:, :1024].astype(np.float64)


class Geometry:
    """Mean, covariance eigenbasis of one benchmark's RGB clips (all its videos; no labels)."""

    def __init__(self, ds: str) -> None:
        x = np.concatenate([_rgb(v) for v in videos(ds)])
        self.mean = x.mean(0)
        values, vectors = np.linalg.eigh(np.cov(x.T))
        self.values, self.vectors = values[::-1], vectors[:, ::-1]


def geometry_scores(corpus: Callable[[str], str]) -> dict[str, Score]:
    """The corpus-geometry rows, ``corpus`` mapping the scored benchmark to the one whose statistics are used."""
    cache: dict[str, Geometry] = {}

    def g(ds: str) -> Geometry:
        name = corpus(ds)
        if name not in cache:
            cache[name] = Geometry(name)
        return cache[name]

    def whitened(shrink: float) -> Score:
        def score(v: VideoFeatures, ds: str) -> np.ndarray:
            z = (_rgb(v) - g(ds).mean) @ g(ds).vectors
            return np.sqrt((z**2 / (g(ds).values + shrink * g(ds).values.mean())).sum(1))
        return score

    def without_top(m: int) -> Score:
        def score(v: VideoFeatures, ds: str) -> np.ndarray:
            p = g(ds).vectors[:, :m]
            return np.linalg.norm(_rgb(v) - _rgb(v) @ p @ p.T, axis=1)
        return score

    def top(m: int) -> Score:
        return lambda v, ds: np.linalg.norm(_rgb(v) @ g(ds).vectors[:, :m], axis=1)

    rows: dict[str, Score] = {"norm after centring on the corpus mean": lambda v, ds: np.linalg.norm(
        _rgb(v) - g(ds).mean, axis=1)}
    rows.update({f"whitened norm (Mahalanobis), shrinkage {s:g}": whitened(s) for s in (0.01, 0.1, 1.0)})
    rows.update({f"norm without the top {m} principal components": without_top(m) for m in (1, 3, 10, 30)})
    rows.update({f"norm of the top {m} principal components only": top(m) for m in (1, 3, 10, 30)})
    return rows


def _classifier(x: np.ndarray, y: np.ndarray, classes: int, weight_decay: float) -> tuple[torch.Tensor, ...]:
    """Multinomial logistic regression (L-BFGS, full batch): small enough to need nothing else."""
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y)
    w = torch.zeros(x.shape[1], classes, requires_grad=True)
    b = torch.zeros(classes, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=300, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(xt @ w + b, yt) + weight_decay * (w**2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach(), b.detach()


def video_folds(vids: tuple[VideoFeatures, ...]) -> dict[str, int]:
    """Video id -> one of FOLDS folds, dealt in id order within each category so every fold has each category."""
    domains = sorted({v.domain for v in vids})
    return {vid: i % FOLDS for d in domains for i, vid in enumerate(sorted(v.video_id for v in vids if v.domain == d))}


def category_scores(ds: str, weight_decay: float, direction: bool) -> dict[str, np.ndarray]:
    """log p(own category | clip) from a classifier that never saw the video (5 folds by video per category).
    ``direction``: classify rho/|rho|, so the score cannot read magnitude; else rho/30 (about unit scale)."""
    vids = videos(ds)
    domains = sorted({v.domain for v in vids})
    index = {d: i for i, d in enumerate(domains)}
    fold = video_folds(vids)
    rows = {v.video_id: (_unit(_rgb(v)) if direction else _rgb(v) / 30.0) for v in vids}
    centre = np.concatenate(list(rows.values())).mean(0)
    scores = {}
    for f in range(FOLDS):
        train = [v for v in vids if fold[v.video_id] != f]
        w, b = _classifier(np.concatenate([rows[v.video_id] - centre for v in train]),
                           np.concatenate([[index[v.domain]] * v.n_steps for v in train]), len(domains), weight_decay)
        for v in vids:
            if fold[v.video_id] == f:
                logits = torch.tensor(rows[v.video_id] - centre, dtype=torch.float32) @ w + b
                scores[v.video_id] = torch.log_softmax(logits, 1)[:, index[v.domain]].double().numpy()
    return scores


def local_scores() -> dict[str, Score]:
    flow = lambda v: np.linalg.norm(v.visual[:, 1024:].astype(np.float64), axis=1)  # noqa: E731
    return {
        "norm minus its moving average over 15 clips": lambda v, ds: _norm(v) - _moving_average(_norm(v), 15),
        "norm minus its moving average over 45 clips": lambda v, ds: _norm(v) - _moving_average(_norm(v), 45),
        "norm over its moving average over 15 clips": lambda v, ds: _norm(v) / _moving_average(_norm(v), 15),
        "norm rank + rank of the mean MSE to the 5 nearest clips": lambda v, ds: _rank(_norm(v)) + _rank(_knn(_rgb(v))),
        "norm rank + half the rank of the mean MSE to the 5 nearest clips":
            lambda v, ds: _rank(_norm(v)) + 0.5 * _rank(_knn(_rgb(v))),
        "norm rank + flow norm rank": lambda v, ds: _rank(_norm(v)) + _rank(flow(v)),
        "max of the norm and the mean of its two neighbours": lambda v, ds: np.maximum(
            _norm(v), 0.5 * (np.roll(_norm(v), 1) + np.roll(_norm(v), -1))),
    }


def _figures(scores: dict[str, dict[str, np.ndarray]], norm: dict[str, dict]) -> dict:
    """Each reading's figure and its difference to the norm, video by video."""
    record = {}
    for ds, reading in READINGS:
        vids = videos(ds)
        r = ev.evaluate_scores(vids, scores[ds], tvsum_labels=reading)
        key = ds if reading == "annotators" else f"{ds}_{reading}"
        vs = paired_bootstrap(r["per_video"], norm[key], {v.video_id: v.domain for v in vids})
        record[key] = {"mean": r["mean"], "per_category": r["per_category"], "vs_norm": vs}
    return record


def _record(name: str, uses: str, scores: dict[str, dict[str, np.ndarray]], norm: dict[str, dict],
            group: str = "corpus_statistics") -> None:
    record = {"uses": uses, **_figures(scores, norm)}
    store_static(group, name, record)
    print(f"{name:75s} " + "  ".join(f"{k} {v['mean']:.3f} ({v['vs_norm']['diff']:+.3f})"
                                      for k, v in record.items() if isinstance(v, dict)), flush=True)


def annotator_ceiling(split: str | None) -> float:
    """TVSum top-5 mAP of the other 19 annotators' mean as the score, per annotator, as UMT's code reads it."""
    per_domain: dict[str, list[float]] = {}
    for v in load_dataset(DATA / "tvsum", "tvsum", split=split):
        anno = np.asarray(v.labels, dtype=np.float64)
        aps = [tvsum_top5_ap(np.delete(anno, a, 1).mean(1), anno[:, [a]]).mean() for a in range(anno.shape[1])]
        per_domain.setdefault(v.domain, []).append(float(np.mean(aps)))
    return float(np.mean([np.mean(x) for x in per_domain.values()]))


def norm_per_video() -> dict[str, dict]:
    """The norm's per-video figures under every reading: what each row is compared with."""
    norm = {}
    for ds, reading in READINGS:
        r = ev.evaluate_scores(videos(ds), {v.video_id: _norm(v) for v in videos(ds)}, tvsum_labels=reading)
        norm[ds if reading == "annotators" else f"{ds}_{reading}"] = r["per_video"]
    return norm


def main() -> None:
    ceiling = {"all": annotator_ceiling(None), "val": annotator_ceiling("val")}
    store_static("corpus_statistics", "ceiling", ceiling)
    print(f"annotator ceiling (mean of the other 19): all 50 {ceiling['all']:.3f}, val {ceiling['val']:.3f}")
    norm = norm_per_video()

    def each(fn: Score) -> dict[str, dict[str, np.ndarray]]:
        return {ds: {v.video_id: fn(v, ds) for v in videos(ds)} for ds in DATASETS}

    for corpus, uses in ((lambda ds: ds, "the benchmark's own videos (transductive)"),
                         (OTHER.__getitem__, "the other benchmark's videos")):
        for name, fn in geometry_scores(corpus).items():
            _record(f"geometry | {name} | {uses}", uses, each(fn), norm)
    for name, fn in local_scores().items():
        _record(f"local | {name}", "the video alone", each(fn), norm)
    for direction in (True, False):
        for weight_decay in (1e-4, 1e-3, 1e-2):
            clf = {ds: category_scores(ds, weight_decay, direction) for ds in DATASETS}
            what = f"{'direction (unit-length rho)' if direction else 'rho'}, weight decay {weight_decay:g}"
            uses = "the other videos and their category (a video-level tag)"
            _record(f"category | log p(own category), {what}", uses, clf, norm)
            both = {ds: {v.video_id: _rank(clf[ds][v.video_id]) + _rank(_norm(v)) for v in videos(ds)}
                    for ds in DATASETS}
            _record(f"category | its rank + the norm's rank, {what}", uses, both, norm)


if __name__ == "__main__":
    main()
