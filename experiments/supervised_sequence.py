"""A labelled reference with temporal context, not a method: a small transformer over the clip sequence.

The ridge probe (supervised_probe.py) reads one clip's row; supervised highlight models (UMT and its kin)
read the whole clip sequence with attention. Does that, WITH labels, get far above the label-free RGB norm
on these features? If it does not, the features (not the lack of labels) bound what s can reach here.
Setups, as supervised papers train: on UMT's TVSum split (per category, the 4 train videos -> the 1 val
video) and leaving one video out within its category (so every one of the 50 videos is scored once).
Target: the mean annotator score, z-scored per video. The model is deliberately small and fixed before
looking at any result (2 attention layers, width 256, dropout 0.5 on the input, 300 AdamW steps).

    python experiments/supervised_sequence.py [--seeds 0] [--setups val loo]
    # -> experiments/results/supervised_probe.json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence

import numpy as np
import torch
from common import DATA, store_static, videos
from torch import nn

from highlit import evaluate as ev
from highlit.datasets import VideoFeatures

STEPS, BATCH, WINDOW, LR, WIDTH = 300, 8, 64, 1e-4, 256


def _target(v: VideoFeatures) -> np.ndarray:
    y = v.labels.mean(1).astype(np.float32)
    return (y - y.mean()) / (y.std() + 1e-6)


class SequenceScorer(nn.Module):
    """LayerNorm -> dropout -> linear -> 2 transformer layers -> one score per clip."""

    def __init__(self, d_in: int, width: int = WIDTH) -> None:
        super().__init__()
        self.embed = nn.Sequential(nn.LayerNorm(d_in), nn.Dropout(0.5), nn.Linear(d_in, width))
        layer = nn.TransformerEncoderLayer(width, 4, 2 * width, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(width, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(self.embed(x))).squeeze(-1)


def _fit(train: Sequence[VideoFeatures], seed: int) -> Callable[[VideoFeatures], np.ndarray]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    data = [(v.visual.astype(np.float32), _target(v)) for v in train]
    net = SequenceScorer(data[0][0].shape[1])
    opt = torch.optim.AdamW(net.parameters(), LR, weight_decay=1e-2)
    for _ in range(STEPS):
        crops = []
        for _ in range(BATCH):
            x, y = data[rng.integers(len(data))]
            start = int(rng.integers(0, max(1, len(x) - WINDOW + 1)))
            crops.append((x[start:start + WINDOW], y[start:start + WINDOW]))
        n = min(len(x) for x, _ in crops)
        xb = torch.from_numpy(np.stack([x[:n] for x, _ in crops]))
        yb = torch.from_numpy(np.stack([y[:n] for _, y in crops]))
        loss = ((net(xb) - yb) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()

    def score(v: VideoFeatures) -> np.ndarray:
        with torch.no_grad():
            return net(torch.from_numpy(v.visual.astype(np.float32))[None])[0].numpy().astype(np.float64)

    return score


def _scores(setup: str, seed: int) -> dict[str, np.ndarray]:
    tv = videos("tvsum")
    by_id = {v.video_id: v for v in tv}
    scores: dict[str, np.ndarray] = {}
    if setup == "val":
        for split in json.loads((DATA / "tvsum" / "splits.json").read_text()).values():
            scorer = _fit([by_id[i] for i in split["train"]], seed)
            scores.update({i: scorer(by_id[i]) for i in split["val"]})
    else:  # leave one video out within its category
        for v in tv:
            scores[v.video_id] = _fit([o for o in tv if o.domain == v.domain and o is not v], seed)(v)
    return scores


NAMES = {"val": "TVSum split: 4 train -> 1 val video per category, small transformer over the sequence",
         "loo": "TVSum, leave one video out within its category, small transformer over the sequence"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", type=int, default=[0])
    ap.add_argument("--setups", nargs="*", default=list(NAMES), choices=list(NAMES))
    args = ap.parse_args()
    torch.set_num_threads(1)
    tv = videos("tvsum")
    for setup in args.setups:
        for seed in args.seeds:
            scores = _scores(setup, seed)
            test = [v for v in tv if v.video_id in scores]
            r = ev.evaluate_scores(test, scores)
            norm = ev.evaluate_scores(test, {v.video_id: ev.norm_scores(v) for v in test})
            store_static("supervised_probe", f"{NAMES[setup]} (seed {seed})",
                         {"tvsum": {"mean": r["mean"], "per_category": r["per_category"]},
                          "norm_same_videos": norm["mean"], "videos": len(test)})
            print(f"{NAMES[setup]} seed {seed}: TVSum {r['mean']:.3f} (RGB norm on the same {len(test)} videos "
                  f"{norm['mean']:.3f})", flush=True)


if __name__ == "__main__":
    main()
