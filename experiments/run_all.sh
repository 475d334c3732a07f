#!/bin/sh
# Regenerate every table of docs/results.md (CPU, ~2-3 h on 2 cores with the defaults below).
# Finished (variant, seed) pairs are kept in experiments/results/*.json and skipped on re-runs;
# delete a JSON file to recompute its tables.
set -e
cd "$(dirname "$0")"
export HIGHLIT_QUIET=1
python baselines.py
python feature_analysis.py
python research.py --only paper_lr1e-3 softmax_nokpoint softmax_nokpoint_stride1 rnorm_sigmoid_nokpoint \
    rnorm_softmax_nokpoint rnorm_none_nokpoint rnorm_sigmoid_kpoint rnorm_none_nokpoint_s1 rnorm_sigmoid_nokpoint_s1
python main.py --only paper best softmax_l2 budget transductive fit
python ablations.py --seeds 0 1 2 --only wo_rasl   # the same configuration as main.json "best"
python ablations.py --seeds 0
python fusion.py --seeds 0
python ksweep.py --seeds 0 --ks 2 4
python diagnose.py main paper 0
python diagnose.py main best 0
python diagnose.py main budget 0
python diagnose.py main softmax_l2 0
python efficiency.py
python ship.py
python make_results.py
