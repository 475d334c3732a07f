"""Round 7: does audio-visual agreement mark highlights? (the premise of SCL, Eq. (9), read without training)

RASL's audio reaches the visual branch (the one that scores) only through the symmetric contrastive loss of
Eq. (9): a step's visual representation should match its own audio better than the other steps' audio. If
highlights are where sight and sound go together (a crowd roars at the goal, a dog barks as it jumps), the
agreement itself is a score. The 'w/o audio' ablation cannot tell us why audio helps or not (without it TVSum
rises and YouTube falls); this round reads the agreement directly in the feature space, with no network and
no labels.

The shared space is canonical correlation analysis (CCA) between a clip's visual row (I3D RGB + flow, 2048-d)
and its audio row (2048-d), fitted on other videos: the linear analogue of the two projection heads that Eq.
(10) trains. Fixed before any result:
- CCA: ridge shrinkage of each covariance by 0.1 x its mean eigenvalue, the top 32 canonical pairs, each
  coordinate scaled by its canonical correlation (so the weak pairs count less);
- three scores per clip: **agreement**, the cosine between its visual and audio canonical vectors;
  **disagreement**, minus that (the surprise reading, because item 1 found the direction of a cue can invert);
  **synchrony**, Eq. (9)'s per-step term: the log-softmax, over the video's clips, of the clip's own
  visual-audio cosine divided by a temperature of 0.1, averaged over the two directions (visual to audio and
  audio to visual), i.e. how much better the clip's sound matches its own picture than the rest of the video's;
- two corpora: the other benchmark (never the scored videos) and the benchmark's other videos (5 folds by
  video, as rounds 4 and 6; no tag);
- each row read alone and as a rank sum with the RGB norm (weight 1), against the norm video by video.

Added after the CCA results, to ask the same of the paper's own heads: the trained networks' agreement. For the
networks pretrained on YouTube with SCL (the 'default' preset, and the best pretrained row with one s per clip;
3 seeds each), a clip's score is the cosine of r^v_i and r^a_i that Eq. (9) raises (read on the paper's windows,
as s is), and Eq. (9)'s per-step term with the network's learnt scale (its negatives: the window's other steps,
as in training). Figures are the seeds' mean; the comparison with the norm averages each video over seeds first.

    python experiments/av_agreement.py   # -> experiments/results/av_agreement.json, ~9 min on 2 cores
"""

from __future__ import annotations

import numpy as np
import torch
from common import ROOT, load_group, load_with_readout, store_static, videos
from corpus_statistics import DATASETS, FOLDS, OTHER, READINGS, _record, norm_per_video, video_folds
from feature_analysis import _rank, _unit
from torch.nn import functional as F

from highlit.datasets import VideoFeatures
from highlit.evaluate import evaluate_scores, score_videos
from highlit.evaluate import norm_scores as _norm
from highlit.infer import raw_scores
from highlit.metrics import paired_bootstrap
from highlit.model.config import ModelConfig
from highlit.model.network import encoder_input, normalise_input
from highlit.model.rasl import upsample_scores

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
    """Eq. (9)'s per-step term: own-pair logit minus the log-sum-exp over the video's other pairings."""
    logits = _unit(cx) @ _unit(cy).T / TEMPERATURE

    def log_softmax_diag(z: np.ndarray) -> np.ndarray:
        top = z.max(1, keepdims=True)
        return np.diag(z) - (top[:, 0] + np.log(np.exp(z - top).sum(1)))

    return 0.5 * (log_softmax_diag(logits) + log_softmax_diag(logits.T))


SCORES = {"agreement (cosine in the canonical space)": agreement,
          "disagreement (minus that)": lambda cx, cy: -agreement(cx, cy),
          "synchrony (Eq. (9)'s per-step term, temperature 0.1)": synchrony}


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


#: (group, row) of the networks pretrained on YouTube whose Eq. (9) heads are read.
TRAINED = (("main", "best"), ("magnitude_200steps", "scale_s_s1"))
TRAINED_USES = "a network pretrained on the YouTube train features (TVSum never seen)"


class TrainedAgreement(torch.nn.Module):
    """A trained network's Eq. (9) quantities per step; ``score`` takes a window's visual and audio rows side
    by side, so :func:`highlit.infer.raw_scores` windows them exactly as it windows s."""

    def __init__(self, net: torch.nn.Module, synchrony: bool) -> None:
        super().__init__()
        self.net, self.synchrony = net, synchrony

    def score(self, x: torch.Tensor) -> torch.Tensor:
        cfg = self.net.cfg
        reps = []
        for m, rho in (("visual", x[..., :cfg.visual_dim]), ("audio", x[..., cfg.visual_dim:])):
            branch = self.net.branches[m]
            r, _ = branch.encode(branch.attend(encoder_input(normalise_input(rho, cfg.input_norm), cfg)))
            reps.append(F.normalize(r.transpose(1, 2), dim=-1, eps=1e-6))  # [B, L, C], as the SCL module
        v, a = reps
        if self.synchrony:
            logits = self.net.scl.scale() * v @ a.transpose(1, 2)
            out = 0.5 * (logits.log_softmax(-1).diagonal(dim1=1, dim2=2)
                         + logits.log_softmax(1).diagonal(dim1=1, dim2=2))
        else:
            out = (v * a).sum(-1)
        return upsample_scores(out, x.shape[1], cfg.score_upsample)


def trained_rows(norm: dict[str, dict]) -> None:
    for group, name in TRAINED:
        entry = load_group(group)[name]
        cfg = ModelConfig.from_dict(entry["config"])
        nets = [load_with_readout(ROOT / run["checkpoint"], cfg) for _, run in sorted(entry["seeds"].items())]
        for kind, synchrony in (("agreement (cosine of r^v and r^a)", False),
                                ("synchrony (Eq. (9)'s per-step term, learnt scale)", True)):
            per_seed = []
            for net in nets:
                scorer = TrainedAgreement(net, synchrony)
                per_seed.append({ds: score_videos(videos(ds), lambda v, sc=scorer, w=entry["window"]: raw_scores(
                    sc, np.concatenate([v.visual, v.audio], axis=1), w)) for ds in DATASETS})
            for read in ("alone", "its rank + the norm's rank"):
                runs = per_seed if read == "alone" else [
                    {ds: {v.video_id: _rank(seed[ds][v.video_id]) + _rank(_norm(v)) for v in videos(ds)}
                     for ds in DATASETS} for seed in per_seed]
                key = f"{group}/{name} | {kind} | {read}"
                store_static(GROUP, key, {"uses": TRAINED_USES, "n_seeds": len(runs), **_seed_figures(runs, norm)})
                print(key, {k: round(v["mean"], 3) for k, v in load_group(GROUP)[key].items()
                            if isinstance(v, dict)}, flush=True)


def _seed_figures(runs: list[dict[str, dict[str, np.ndarray]]], norm: dict[str, dict]) -> dict:
    """Mean figure over seeds, and the norm comparison on each video's seed-averaged figure."""
    record = {}
    for ds, reading in READINGS:
        vids = videos(ds)
        results = [evaluate_scores(vids, run[ds], tvsum_labels=reading) for run in runs]
        per_video = {v.video_id: float(np.mean([r["per_video"][v.video_id] for r in results])) for v in vids}
        key = ds if reading == "annotators" else f"{ds}_{reading}"
        record[key] = {"mean": float(np.mean([r["mean"] for r in results])),
                       "std": float(np.std([r["mean"] for r in results])),
                       "vs_norm": paired_bootstrap(per_video, norm[key], {v.video_id: v.domain for v in vids})}
    return record


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
    trained_rows(norm)


if __name__ == "__main__":
    main()
