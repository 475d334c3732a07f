"""Round 7: does audio-visual agreement mark highlights? (the premise of SCL, Eq. (10), read without training)

RASL's audio branch enters only through the symmetric contrastive loss of Eq. (10): a step's visual
representation should match its own audio better than the other steps' audio. If highlights are where sight
and sound go together (a crowd roars at the goal, a dog barks as it jumps), the agreement itself is a score.
The trained networks cannot tell us (the 'w/o audio' ablation is level with the full model); this round reads
the agreement directly in the feature space, with no network and no labels.

The shared space is canonical correlation analysis (CCA) between a clip's visual row (I3D RGB + flow, 2048-d)
and its audio row (2048-d), fitted on other videos: the linear analogue of the two projection heads that Eq.
(10) trains. Fixed before any result:
- CCA: ridge shrinkage of each covariance by 0.1 x its mean eigenvalue, the top 32 canonical pairs, each
  coordinate scaled by its canonical correlation (so the weak pairs count less);
- three scores per clip: **agreement**, the cosine between its visual and audio canonical vectors;
  **disagreement**, minus that (the surprise reading, because item 1 found the direction of a cue can invert);
  **synchrony**, Eq. (10)'s per-step term: the log-softmax, over the video's clips, of the clip's own
  visual-audio cosine divided by a temperature of 0.1, averaged over the two directions (visual to audio and
  audio to visual), i.e. how much better the clip's sound matches its own picture than the rest of the video's;
- two corpora: the other benchmark (never the scored videos) and the benchmark's other videos (5 folds by
  video, as rounds 4 and 6; no tag);
- each row read alone and as a rank sum with the RGB norm (weight 1), against the norm video by video.

    python experiments/av_agreement.py   # -> experiments/results/av_agreement.json, ~9 min on 2 cores
"""

from __future__ import annotations

import numpy as np
from common import store_static, videos
from corpus_statistics import DATASETS, FOLDS, OTHER, _record, norm_per_video, video_folds
from feature_analysis import _rank, _unit

from highlit.datasets import VideoFeatures
from highlit.evaluate import norm_scores as _norm

GROUP = "av_agreement"
USES = {"benchmark": "the benchmark's other videos (no tag)",
        "other benchmark": "the other benchmark's videos (no tag, never the scored videos)"}
SHRINK = 0.1
PAIRS = 32
TEMPERATURE = 0.1


class CCA:
    """Canonical pairs of visual and audio rows of a corpus; ``project`` maps a video into the shared space."""

    def __init__(self, train: list[VideoFeatures]) -> None:
        x = np.concatenate([v.visual for v in train]).astype(np.float64)
        y = np.concatenate([v.audio for v in train]).astype(np.float64)
        self.mx, self.my = x.mean(0), y.mean(0)
        x, y = x - self.mx, y - self.my
        wx, wy = _inverse_sqrt(x.T @ x / len(x)), _inverse_sqrt(y.T @ y / len(y))
        u, corr, vt = np.linalg.svd(wx @ (x.T @ y / len(x)) @ wy)
        self.corr = corr[:PAIRS]
        self.ax, self.ay = wx @ u[:, :PAIRS] * self.corr, wy @ vt[:PAIRS].T * self.corr

    def project(self, v: VideoFeatures) -> tuple[np.ndarray, np.ndarray]:
        return (v.visual - self.mx) @ self.ax, (v.audio - self.my) @ self.ay


def _inverse_sqrt(cov: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eigh(cov)
    vals = np.clip(vals, 0, None) + SHRINK * vals.mean()
    return (vecs / np.sqrt(vals)) @ vecs.T


def agreement(cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    return np.sum(_unit(cx) * _unit(cy), axis=1)


def synchrony(cx: np.ndarray, cy: np.ndarray) -> np.ndarray:
    """Eq. (10)'s per-step term: own-pair logit minus the log-sum-exp over the video's other pairings."""
    logits = _unit(cx) @ _unit(cy).T / TEMPERATURE

    def log_softmax_diag(z: np.ndarray) -> np.ndarray:
        top = z.max(1, keepdims=True)
        return np.diag(z) - (top[:, 0] + np.log(np.exp(z - top).sum(1)))

    return 0.5 * (log_softmax_diag(logits) + log_softmax_diag(logits.T))


SCORES = {"agreement (cosine in the canonical space)": agreement,
          "disagreement (minus that)": lambda cx, cy: -agreement(cx, cy),
          "synchrony (Eq. (10)'s per-step term, temperature 0.1)": synchrony}


def fitted(ds: str, corpus: str) -> dict[str, CCA]:
    """Video id -> the CCA that scores it, fitted on videos that are never that one."""
    vids = videos(ds)
    if corpus == "other benchmark":
        cca = CCA(list(videos(OTHER[ds])))
        return {v.video_id: cca for v in vids}
    fold = video_folds(vids)
    out = {}
    for f in range(FOLDS):
        cca = CCA([v for v in vids if fold[v.video_id] != f])
        out.update({v.video_id: cca for v in vids if fold[v.video_id] == f})
    return out


def diagnostics() -> dict[str, float]:
    """How strongly sight and sound correlate at all, and whether agreement only follows the norm."""
    out: dict[str, float] = {}
    for ds in DATASETS:
        cca = CCA(list(videos(ds)))
        out[f"{ds}_first_canonical_correlation"] = float(cca.corr[0])
        out[f"{ds}_mean_canonical_correlation_top{PAIRS}"] = float(cca.corr.mean())
        corr = [np.corrcoef(agreement(*cca.project(v)), _norm(v))[0, 1] for v in videos(ds)]
        out[f"{ds}_agreement_corr_with_norm"] = float(np.mean(corr))
    return out


def main() -> None:
    for ds in DATASETS:
        missing = [v.video_id for v in videos(ds) if v.audio is None]
        if missing:
            raise SystemExit(f"{ds}: videos without audio features: {missing}")
    d = diagnostics()
    store_static(GROUP, "diagnostics", d)
    print(d)
    norm = norm_per_video()
    for corpus in ("other benchmark", "benchmark"):
        models = {ds: fitted(ds, corpus) for ds in DATASETS}
        for name, score in SCORES.items():
            alone = {ds: {v.video_id: score(*models[ds][v.video_id].project(v)) for v in videos(ds)}
                     for ds in DATASETS}
            _record(f"{corpus} | {name} | alone", USES[corpus], alone, norm, GROUP)
            both = {ds: {v.video_id: _rank(alone[ds][v.video_id]) + _rank(_norm(v)) for v in videos(ds)}
                    for ds in DATASETS}
            _record(f"{corpus} | {name} | its rank + the norm's rank", USES[corpus], both, norm, GROUP)


if __name__ == "__main__":
    main()
