"""Why s fails or works: saturation, ties and correlation with feature magnitude of trained runs.

    python experiments/diagnose.py GROUP NAME [SEED]   # -> experiments/results/diagnostics.json

For each run: the share of steps whose s is within 1e-2 of the largest s of its window (saturation:
a sigmoid stuck at 1 ranks by noise), the share of distinct s values (ties leak position), and the
mean per-video Pearson correlation of s with the L2 norm of the RGB feature (the magnitude baseline).
"""

from __future__ import annotations

import json
import sys

import numpy as np
from common import RESULTS, ROOT, store_static, videos

from highlit.checkpoint import load_checkpoint
from highlit.infer import raw_scores


def diagnose(group: str, name: str, seed: str = "0") -> dict:
    entry = json.loads((RESULTS / f"{group}.json").read_text())[name]
    model, _ = load_checkpoint(ROOT / entry["seeds"][seed]["checkpoint"])
    record: dict = {}
    for ds in ("tvsum", "youtube"):
        s_all, sat, corr = [], [], []
        for v in videos(ds):
            s = raw_scores(model, v.visual, entry["window"])
            s_all.append(s)
            sat.append(np.mean(s >= s.max() - 1e-2))
            norm = np.linalg.norm(v.visual[:, :1024], axis=1)
            if np.std(s) > 0 and np.std(norm) > 0:
                corr.append(np.corrcoef(s, norm)[0, 1])
        flat = np.concatenate(s_all)
        record[ds] = {"s_min": float(flat.min()), "s_max": float(flat.max()),
                      "near_max_share": float(np.mean(sat)),
                      "distinct_share": float(len(np.unique(flat.round(6))) / len(flat)),
                      "corr_with_rgb_norm": float(np.mean(corr)) if corr else None}
    store_static("diagnostics", f"{group}/{name}/seed{seed}", record)
    return record


if __name__ == "__main__":
    print(json.dumps(diagnose(*sys.argv[1:]), indent=1))
