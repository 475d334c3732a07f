#!/bin/sh
# Regenerate every table of docs/results.md (CPU, ~10-12 h on 2 cores with the settings below).
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
python ablations.py --seeds 0 1 2
python fusion.py --seeds 0 1 2
python ksweep.py --seeds 0 1 2 --ks 1 2 4
python research.py --steps 600 --only default
python research.py --only default_l2loss default_w128
python magnitude.py --only default_s1 magnitude magnitude_s1 magnitude_s1_kpoint magnitude_s1_softmax scale_s \
    scale_s_blind scale_s_s1 scale_s_blind_s1 scale_s_s1_none scale_s_lr1e-3 scale_s_s1_l2
python magnitude.py --seeds 1 2 --only magnitude scale_s_s1
python magnitude.py --steps 400 --only scale_s_s1_lr3e-4 scale_s_s1_l2_lr3e-4
python domains.py --only default
python domains.py --only scale_s_s1_l2 --seeds 0 1 2 --datasets youtube
python domains.py --only scale_s_s1_l2 --seeds 0 1 2 --datasets tvsum
python domains.py --only scale_s_s1_l2_length fit_product --seeds 0 1 2
python domains.py --only fit_heldout --datasets youtube --seeds 0 1 2
python domains.py --only fit_heldout --datasets tvsum --seeds 0 1 2
python domains.py --contrast --seeds 0 1 2
for seed in 0 1 2; do python main.py --only fit_preset --seeds $seed; done
python supervised_probe.py
python supervised_sequence.py
python corpus_statistics.py
python self_training.py
python av_agreement.py
python rescore.py --dataset tvsum --fit fit_preset
python rescore.py --dataset youtube
python with_norm.py --dataset tvsum
python with_norm.py --dataset tvsum --fit fit_preset --fit-seeds 0 1 2
python with_norm.py --dataset youtube
python diagnose.py magnitude_200steps magnitude 0
python diagnose.py magnitude_200steps scale_s 0
python diagnose.py magnitude_200steps scale_s_s1 0
python diagnose.py main paper 0
python diagnose.py main best 0
python diagnose.py main budget 0
python diagnose.py main softmax_l2 0
python efficiency.py
python ship.py
python make_results.py
