"""Round 19: is the shipped configuration limited by its seed noise? Its three networks read together (no training).

Items 16 and 29: the shipped row's seeds differ by a hundredth or two on a video set, both ways, and item 18 found
that adding s to the norm helps a little, as if s were the norm plus noise. If what separates s from a better
score were the noise of one training run, the mean of several runs' s would be above each of them. Each row here
reads the three seeds of one stored configuration, each video whole (the shipped reading), standardises each
network's s within the video (their raw s have different offsets and scales) and averages them:

- ens_400: inputs_400steps/window_128 seeds 0-2 (the shipped row, readout_400steps/w128_whole, 3 seeds);
- ens_200: inputs_200steps/window_128 seeds 0-2 (readout_200steps/w128_whole): the same question asked again.

The reading fixed before any result: the ensemble helps if, on both benchmarks, it beats the mean of its members
by more than their seed spread (standard deviation over the three seeds). Not a product change in itself: the
shipped checkpoint holds one network (the files of three, 17 MB each in float16, exceed the 30 MB limit).

    python experiments/ensemble.py --dataset tvsum|youtube   # -> experiments/results/ensemble_<dataset>.json
"""

from __future__ import annotations

import argparse

import numpy as np
from common import standardised, store_static, stored_scores, videos
from rescore import figures

#: Row -> (the group/variant whose three networks it reads, the row that reads them one at a time the same way).
ROWS = {"ens_400": ("inputs_400steps/window_128", "readout_400steps/w128_whole"),
        "ens_200": ("inputs_200steps/window_128", "readout_200steps/w128_whole")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", choices=("tvsum", "youtube"), required=True)
    args = ap.parse_args()
    vids = list(videos(args.dataset))
    for row, (networks, reads_as) in ROWS.items():
        scored = [scores for _, scores in stored_scores(args.dataset, *reads_as.split("/"))]
        if len(scored) != 3:
            raise SystemExit(f"{reads_as}: {len(scored)} stored seeds, the round reads 3")
        mean = {v.video_id: np.mean([standardised(m[v.video_id]) for m in scored], axis=0) for v in vids}
        result = figures(vids, mean)
        store_static(f"ensemble_{args.dataset}", row, {"networks": networks, "reads_as": reads_as,
                                                       "seeds": {"0": result}})
        print(f"{row} ({reads_as}, 3 networks): "
              + "  ".join(f"{reading} {r['mean']:.3f}" for reading, r in result.items()), flush=True)


if __name__ == "__main__":
    main()
