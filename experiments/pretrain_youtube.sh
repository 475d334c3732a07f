#!/usr/bin/env bash
# Pretrain RASL (the paper's Algorithm 1) on the YouTube Highlights train-split features, no labels.
#
#   experiments/pretrain_youtube.sh              # 300 steps -> runs/pretrain_youtube
#   experiments/pretrain_youtube.sh 600 --resume # continue the same run exactly, up to step 600
#
# Visual = I3D RGB+flow (2048-d), audio = the release's audio features (2048-d); 'default' preset,
# batch 8 of 150-step windows, RMSprop lr 1e-3, 10% of the videos held out for the validation loss.
# Writes checkpoint.safetensors (+ checkpoint.json, train_state-*.pt), train_log.jsonl and
# loss_curves.png. HIGHLIT_THREADS=1 by default because the reference machine is a shared 2-core box:
# one core computes, the loader thread uses the other. Set HIGHLIT_THREADS=2 on a machine of your own.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${1:-300}"
shift || true
export HIGHLIT_THREADS="${HIGHLIT_THREADS:-1}"
DATA="${HIGHLIT_SHARED:-../shared}/data/youtube"
OUT="${OUT:-runs/pretrain_youtube}"
exec python -m highlit pretrain --dataset youtube --root "$DATA" --split train --preset default \
    --steps "$STEPS" --seed 0 --checkpoint-every 50 -o "$OUT" "$@"
