"""Ship the benchmark checkpoint: seed 0 of the best row pretrained on one corpus, weights stored as float16.

    python experiments/ship.py    # -> highlit/assets/benchmark_i3d.safetensors (+ .json)

The row is picked by the report's rules (best YouTube mAP over 3 seeds among networks pretrained on the
YouTube train features, confirmed on TVSum; a new setting only if it beats its reference on both benchmarks):
round 10's window_128 since 2026-11-28, late (round 8's teacher_sighted on 128-clip windows: 0.523 TVSum /
0.585 YouTube against 0.508 / 0.577 for teacher_sighted re-run on the same machine; docs/results.md, item 23).
Before it: teacher_sighted (0.505 / 0.578), and before that the 'default' preset. teacher_sighted trained 400
steps scores higher on YouTube (0.590), the corpus it trained on, but not on TVSum (0.504), so TVSum does not
confirm it and it is not shipped. Seed 0 is shipped whatever its score (chosen before the results, so the shipped
file's number is not a pick of the luckiest seed). Since round 13 (2026-11-29, item 26) it is read as
readout_200steps/w128_whole says: each video in one window of its own length (the metadata's ``read``), which beat
the paper's plain 128-clip windows on both benchmarks on the same three networks (0.527 / 0.590 against 0.523 /
0.585). Since round 16 (2026-11-29, item 29) the network is window_128 trained 400 steps instead of 200, read
whole: 0.529 / 0.593 against 0.527 / 0.590 over three seeds, which passed that round's rule (beat the 200-step
row read whole on both benchmarks), by margins smaller than the per-seed differences (results item 29). float16
halves the file (the float32 training checkpoint of both branches is 32-37 MB, over the 30 MB limit);
load_checkpoint copies the weights into float32 parameters, and the scores were checked to match (see the printed
comparison).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
from common import RESULTS, ROOT, evaluate_scorer

from highlit import evaluate as ev
from highlit.atomic import atomic_write_bytes
from highlit.checkpoint import META_NAME, WEIGHTS_NAME, load_checkpoint, save_checkpoint

GROUP, NAME, SEED = "inputs_400steps", "window_128", "0"
#: The row that says how the shipped network is read (the same networks read another way) and its reading.
READ_GROUP, READ_NAME, READ = "readout_400steps", "w128_whole", "whole"


def main() -> None:
    entry = json.loads((RESULTS / f"{GROUP}.json").read_text())[NAME]
    run = entry["seeds"][SEED]
    read_entry = json.loads((RESULTS / f"{READ_GROUP}.json").read_text())[READ_NAME]
    assert read_entry["models_of"] == f"{GROUP}/{NAME}", "the reading row reads another row's networks"
    read_run = read_entry["seeds"][SEED]
    model, meta = load_checkpoint(ROOT / run["checkpoint"])
    half = model.half()
    keep = {k: meta[k] for k in ("model_config", "train_config", "extractors", "data", "step") if k in meta}
    keep["benchmark"] = {"window": entry["window"], "read": READ, "read_as": f"{READ_GROUP}/{READ_NAME}",
                         "group": GROUP, "variant": NAME, "seed": int(SEED),
                         "pretrained_on": entry["train_on"], "dtype": "float16",
                         "results_when_trained": {ds: read_run[ds]["mean"] for ds in ("tvsum", "youtube")},
                         "results_plain_windows": {ds: run[ds]["mean"] for ds in ("tvsum", "youtube")}}
    with tempfile.TemporaryDirectory() as tmp:
        save_checkpoint(tmp, half, keep)
        ev.ASSETS.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(ev.SHIPPED_CHECKPOINT, (Path(tmp) / WEIGHTS_NAME).read_bytes())
        atomic_write_bytes(ev.SHIPPED_CHECKPOINT.with_suffix(".json"), (Path(tmp) / META_NAME).read_bytes())
    scorer, info = ev.checkpoint_scorer()
    assert info["read"] == READ
    shipped = evaluate_scorer(scorer)
    size = ev.SHIPPED_CHECKPOINT.stat().st_size / 1e6
    for ds in ("tvsum", "youtube"):
        print(f"{ds}: trained float32 {read_run[ds]['mean']:.4f}  shipped float16 {shipped[ds]['mean']:.4f}"
              f"  (read {READ})")
    print(f"shipped {ev.SHIPPED_CHECKPOINT} ({size:.1f} MB)")
    assert size < 30, "checkpoint over the 30 MB limit"
    assert all(np.isclose(read_run[ds]["mean"], shipped[ds]["mean"], atol=0.01) for ds in ("tvsum", "youtube"))


if __name__ == "__main__":
    main()
