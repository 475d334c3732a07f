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
    categories/domains.
    """
    per_domain: dict[str, list] = defaultdict(list)
    for vid, s in scores.items():
        if dataset == "tvsum":
            per_domain[domains[vid]].append(tvsum_top5_ap(s, labels[vid], tie_seed, tvsum_labels))
        elif dataset == "youtube":
            per_domain[domains[vid]].append(youtube_ap(s, labels[vid], tie_seed))
        else:
            raise ValueError(f"unknown dataset {dataset!r}")
    per_category = {d: float(np.mean(np.mean(v, axis=0))) for d, v in sorted(per_domain.items())}
    return {"mean": float(np.mean(list(per_category.values()))), "per_category": per_category,
            "n_videos": sum(len(v) for v in per_domain.values())}
