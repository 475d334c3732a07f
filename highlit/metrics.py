"""The two benchmark metrics, exactly as UMT's evaluation code computes them.

Ranking ties fall back to clip order in UMT, which leaks position; here ties are broken by a
fixed per-video random permutation (seeded), so equal scores carry no position information.

TVSum has two label readings in the literature. UMT's code (``tvsum_labels="annotators"``, our
default and the figure the UMT-release papers report) thresholds each of the 20 annotators at their
own median and averages the 20 APs. The seed paper (Section IV-A, following LM, DSN and CVS) instead
"average[s] the importance scores of the manual labels of every segment", one label per clip
(``"mean"``). The averaged labels are far less noisy, so every scorer, random included, scores much
higher under them: the two readings must never be compared with each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np


def umt_average_precision(ranked_labels: Sequence[float], num_gt: int | None = None) -> float:
    """UMT's trapezoid AP over a ranked binary list (recall 0 / precision 1 start)."""
    labels = np.asarray(ranked_labels, dtype=bool)
    if num_gt is None:
        num_gt = int(labels.sum())
    if num_gt == 0:
        return 0.0
    ap, hits, prev_recall, prev_precision = 0.0, 0, 0.0, 1.0
    for j, positive in enumerate(labels, start=1):
        hits += int(positive)
        recall, precision = hits / num_gt, hits / j
        ap += (recall - prev_recall) * (precision + prev_precision) / 2
        prev_recall, prev_precision = recall, precision
    return float(ap)


def rank(scores: np.ndarray, tie_seed: int = 0) -> np.ndarray:
    """Indices sorted by descending score; ties ordered by a seeded permutation, not position."""
    scores = np.asarray(scores, dtype=np.float64)
    perm = np.random.default_rng(tie_seed).permutation(len(scores))
    order = np.lexsort((perm, -scores))
    return order


def lower_median(values: np.ndarray) -> float:
    """torch.median semantics: the lower of the two middle values for an even count."""
    v = np.sort(np.asarray(values))
    return float(v[(len(v) - 1) // 2])


#: How TVSum's 20 annotations become binary labels (see the module docstring).
TVSUM_LABELS = ("annotators", "mean")


def tvsum_top5_ap(scores: np.ndarray, anno: np.ndarray, tie_seed: int = 0,
                  labels: str = "annotators") -> np.ndarray:
    """Top-5 AP for one TVSum video, one per annotator (``"annotators"``) or a single one against the
    annotator mean (``"mean"``); ``anno`` is (n_clips, n_annotators)."""
    if labels not in TVSUM_LABELS:
        raise ValueError(f"unknown TVSum label reading {labels!r} (expected one of {TVSUM_LABELS})")
    n = min(len(scores), len(anno))
    scores, anno = np.asarray(scores)[:n], np.asarray(anno, dtype=np.float64)[:n]
    if labels == "mean":
        anno = anno.mean(axis=1, keepdims=True)
    order = rank(scores, tie_seed)
    out = np.empty(anno.shape[1])
    for a in range(anno.shape[1]):
        positive = anno[:, a] > lower_median(anno[:, a])
        top = positive[order][:5]
        out[a] = umt_average_precision(top, int(top.sum()))
    return out


def youtube_ap(scores: np.ndarray, match: np.ndarray, tie_seed: int = 0) -> float:
    """AP over the whole ranked clip list of one YouTube Highlights video (positive: match > 0)."""
    n = min(len(scores), len(match))
    labels = np.asarray(match)[:n] > 0
    return umt_average_precision(labels[rank(np.asarray(scores)[:n], tie_seed)])


def dataset_map(dataset: str, scores: Mapping[str, np.ndarray], labels: Mapping[str, np.ndarray],
                domains: Mapping[str, str], tie_seed: int = 0, tvsum_labels: str = "annotators") -> dict:
    """Per-category and mean figure: TVSum top-5 mAP or YouTube mAP, the papers' protocol.

    TVSum: mean over the category's videos, then over annotators (``tvsum_labels``: see the module
    docstring); YouTube: mean over the domain's videos. The reported ``mean`` is the mean over
    categories/domains; ``per_video`` holds each video's figure (for paired comparisons).
    """
    per_video = {vid: per_video_ap(dataset, s, labels[vid], tie_seed, tvsum_labels) for vid, s in scores.items()}
    per_domain: dict[str, list] = defaultdict(list)
    for vid, ap in per_video.items():
        per_domain[domains[vid]].append(ap)
    per_category = {d: float(np.mean(v)) for d, v in sorted(per_domain.items())}
    return {"mean": float(np.mean(list(per_category.values()))), "per_category": per_category,
            "n_videos": len(per_video), "per_video": per_video}


def per_video_ap(dataset: str, scores: np.ndarray, labels: np.ndarray, tie_seed: int = 0,
                 tvsum_labels: str = "annotators") -> float:
    """One video's figure as :func:`dataset_map` averages it (TVSum: mean over its annotators)."""
    if dataset == "tvsum":
        return float(tvsum_top5_ap(scores, labels, tie_seed, tvsum_labels).mean())
    if dataset == "youtube":
        return youtube_ap(scores, labels, tie_seed)
    raise ValueError(f"unknown dataset {dataset!r}")


def paired_bootstrap(a: Mapping[str, float], b: Mapping[str, float], domains: Mapping[str, str],
                     draws: int = 10_000, seed: int = 0) -> dict:
    """How sure is "a beats b" over these videos? Resamples videos within each category (the figure is a
    mean of category means, so categories stay fixed) and returns the observed difference of the two
    figures, its 95% interval and the share of draws in which a does not beat b.

    Seeds vary the networks; this varies the videos, the larger source of doubt with 5 videos per
    TVSum category.
    """
    if set(a) != set(b):
        raise ValueError("paired bootstrap needs the same videos on both sides")
    by_domain: dict[str, list[float]] = defaultdict(list)
    for vid in sorted(a):
        by_domain[domains[vid]].append(a[vid] - b[vid])
    diffs = [np.asarray(v) for _, v in sorted(by_domain.items())]
    rng = np.random.default_rng(seed)
    draws_per_domain = [d[rng.integers(0, len(d), size=(draws, len(d)))].mean(axis=1) for d in diffs]
    boot = np.mean(draws_per_domain, axis=0)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return {"diff": float(np.mean([d.mean() for d in diffs])), "ci95": [float(lo), float(hi)],
            "p_not_better": float(np.mean(boot <= 0)), "draws": draws}
