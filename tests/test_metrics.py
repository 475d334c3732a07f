"""UMT metrics checked against cases worked by hand (and a brute-force reference for ties)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from highlit.metrics import (
    dataset_map,
    lower_median,
    paired_bootstrap,
    rank,
    tvsum_top5_ap,
    umt_average_precision,
    youtube_ap,
)


@pytest.mark.parametrize(("ranked", "expected"), [
    # j=1: recall 1/2, precision 1 -> 1/2 * (1 + 1) / 2; j=2: recall unchanged; j=3: 1/2 * (1/2 + 2/3) / 2
    ([1, 0, 1], 0.5 + 0.5 * (0.5 + 2 / 3) / 2),
    ([0, 1], 0.25),                                    # rank 1: precision drops 1 -> 0, rank 2: 1 * (0 + 1/2) / 2
    ([1, 1, 0], 1.0),
    ([0, 0, 1], (0 + 1 / 3) / 2),
    ([0, 0, 0], 0.0),                                  # no positives: AP 0
])
def test_average_precision_by_hand(ranked, expected):
    assert umt_average_precision(ranked) == pytest.approx(expected)


def test_average_precision_uses_given_num_gt():
    # top-5 style: num_gt counts only the kept labels, so a list with one hit at rank 1 is perfect
    assert umt_average_precision([1, 0, 0, 0, 0], 1) == pytest.approx(1.0)
    assert umt_average_precision([1, 0], 2) == pytest.approx(0.5)


def test_lower_median_is_torch_median():
    assert lower_median(np.array([1, 2, 3, 4])) == 2
    assert lower_median(np.array([5, 1, 3])) == 3


def test_rank_breaks_ties_without_position():
    scores = np.zeros(50)
    orders = {tuple(rank(scores, seed)[:5]) for seed in range(5)}
    assert len(orders) > 1                     # seed-dependent, not clip order
    assert tuple(rank(scores, 0)) == tuple(rank(scores, 0))
    assert list(rank(np.array([0.1, 0.9, 0.5]))) == [1, 2, 0]


def test_tvsum_top5_by_hand():
    # 8 clips, 2 annotators. Annotator 0: scores 1..8 -> lower median 4 -> positives clips 4..7.
    anno = np.stack([np.arange(1, 9), np.array([5, 5, 1, 1, 1, 1, 1, 1])], axis=1).astype(float)
    scores = np.array([8, 7, 6, 5, 4, 3, 2, 1], dtype=float)   # ranks clip 0 first
    ap = tvsum_top5_ap(scores, anno)
    # annotator 0: top-5 clips 0..4 -> labels [0,0,0,0,1], num_gt 1 -> AP = 1 * (0 + 1/5) / 2
    assert ap[0] == pytest.approx(0.1)
    # annotator 1: median 1 -> positives clips 0, 1 -> top-5 labels [1,1,0,0,0] -> AP 1
    assert ap[1] == pytest.approx(1.0)


def test_tvsum_top5_against_the_annotator_mean_by_hand():
    # Same 8 clips. Mean of the two annotators: [3, 3.5, 2, 2.5, 3, 3.5, 4, 4.5]; lower median 3 ->
    # positives clips 1, 5, 6, 7. Top 5 by score: clips 0..4 -> labels [0,1,0,0,0], num_gt 1:
    # j=2 recall 1, precision 1/2 -> AP = 1 * (0 + 1/2) / 2 = 0.25 (0 at j=1 adds nothing).
    anno = np.stack([np.arange(1, 9), np.array([5, 5, 1, 1, 1, 1, 1, 1])], axis=1).astype(float)
    scores = np.array([8, 7, 6, 5, 4, 3, 2, 1], dtype=float)
    ap = tvsum_top5_ap(scores, anno, labels="mean")
    assert ap.shape == (1,) and ap[0] == pytest.approx(0.25)
    # and it is not the mean of the per-annotator APs (0.1 and 1.0 above)
    assert ap[0] != pytest.approx(tvsum_top5_ap(scores, anno).mean())
    with pytest.raises(ValueError, match="label reading"):
        tvsum_top5_ap(scores, anno, labels="median")


def test_dataset_map_passes_the_tvsum_label_reading():
    anno = np.stack([np.arange(1, 9), np.array([5, 5, 1, 1, 1, 1, 1, 1])], axis=1).astype(float)
    scores = {"v": np.array([8, 7, 6, 5, 4, 3, 2, 1], dtype=float)}
    by_annotators = dataset_map("tvsum", scores, {"v": anno}, {"v": "c"})
    by_mean = dataset_map("tvsum", scores, {"v": anno}, {"v": "c"}, tvsum_labels="mean")
    assert by_annotators["mean"] == pytest.approx(0.55) and by_mean["mean"] == pytest.approx(0.25)


def test_tvsum_top5_no_positive_in_top5_is_zero():
    anno = np.array([[1], [1], [1], [1], [1], [5]], dtype=float)
    assert tvsum_top5_ap(np.array([6, 5, 4, 3, 2, 1.0]), anno)[0] == 0.0


def test_youtube_ap_by_hand_and_truncation():
    match = np.array([-1, 1, 0, 1])
    scores = np.array([0.9, 0.8, 0.1, 0.5, 0.0])     # one extra score: cut to the label length
    # ranked labels [0, 1, 1, 0]: j=1 prec 0 -> +0; j=2 rec .5 prec .5 -> .5*(0+.5)/2; j=3 rec 1 prec 2/3
    expected = 0.5 * (0 + 0.5) / 2 + 0.5 * (0.5 + 2 / 3) / 2
    assert youtube_ap(scores, match) == pytest.approx(expected)


def test_dataset_map_means_categories_not_videos():
    labels = {"a": np.array([1, 0]), "b": np.array([0, 1]), "c": np.array([1, 0])}
    scores = {k: np.array([1.0, 0.0]) for k in labels}
    out = dataset_map("youtube", scores, labels, {"a": "x", "b": "x", "c": "y"})
    assert out["per_category"] == {"x": pytest.approx(0.625), "y": pytest.approx(1.0)}
    assert out["mean"] == pytest.approx((0.625 + 1.0) / 2)       # not (1 + .25 + 1) / 3
    assert out["n_videos"] == 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_average_precision_bounds_and_perfect_ranking(labels):
    ap = umt_average_precision(labels)
    assert 0.0 <= ap <= 1.0 + 1e-12
    if any(labels):
        assert umt_average_precision(sorted(labels, reverse=True)) == pytest.approx(1.0)
        assert ap >= umt_average_precision(sorted(labels)) - 1e-12    # worst ranking is a lower bound


def test_dataset_map_keeps_each_videos_figure():
    labels = {"a": np.array([1, 0]), "b": np.array([0, 1])}
    out = dataset_map("youtube", {k: np.array([1.0, 0.0]) for k in labels}, labels, {"a": "x", "b": "x"})
    assert out["per_video"] == {"a": pytest.approx(1.0), "b": pytest.approx(0.25)}


def test_paired_bootstrap_by_hand():
    domains = {"a": "x", "b": "x", "c": "y", "d": "y"}
    base = {"a": 0.5, "b": 0.4, "c": 0.3, "d": 0.6}
    same = paired_bootstrap(base, base, domains, draws=200)
    assert same["diff"] == 0 and same["ci95"] == [0, 0] and same["p_not_better"] == 1.0
    shifted = paired_bootstrap({k: v + 0.1 for k, v in base.items()}, base, domains, draws=200)
    assert shifted["diff"] == pytest.approx(0.1) and shifted["ci95"] == [pytest.approx(0.1)] * 2
    assert shifted["p_not_better"] == 0.0
    # one category gains 0.2 on one video only: the interval spans the draws that miss it
    mixed = paired_bootstrap({**base, "a": 0.7}, base, domains, draws=2000)
    assert mixed["diff"] == pytest.approx(0.05)        # (0.2 / 2 + 0) / 2 categories
    assert mixed["ci95"][0] == pytest.approx(0.0) and mixed["ci95"][1] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="same videos"):
        paired_bootstrap({"a": 1.0}, base, domains)
