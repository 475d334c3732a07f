"""Evaluation tool: baselines, scorers, aggregation and tables, on synthetic and real benchmark data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from highlit import evaluate as ev
from highlit.datasets import VideoFeatures, load_dataset
from highlit.errors import CheckpointError, ConfigError, FeatureError


def _video(vid: str, domain: str, visual: np.ndarray, match: np.ndarray) -> VideoFeatures:
    return VideoFeatures(vid, domain, visual.astype(np.float32), None, match.astype(np.float32),
                         {"dataset": "youtube"})


@pytest.fixture()
def toy_youtube() -> list[VideoFeatures]:
    """Highlights (match 1) are exactly the steps whose feature is large and unlike the rest."""
    rng = np.random.default_rng(0)
    videos = []
    for i, domain in enumerate(["dog", "dog", "surfing"]):
        n = 30
        base = np.abs(rng.normal(0.1, 0.01, size=(1, 16))).repeat(n, 0)
        match = np.zeros(n)
        hi = rng.choice(n, 4, replace=False)
        match[hi] = 1
        base[hi] = np.abs(rng.normal(3.0, 1.0, size=(4, 16)))
        visual = np.concatenate([base, np.zeros((n, 1024 - 16))], axis=1)
        videos.append(_video(f"v{i}", domain, visual, match))
    return videos


def test_distinct_counts_fewer_similar_neighbours_for_outliers():
    x = np.zeros((20, 8))
    x[7] = 5.0                                    # one step unlike every other
    s = ev.distinct_scores(x, window=9)
    assert np.argmax(s) == 7
    assert np.all(s[np.arange(20) != 7] < s[7])


def test_distinct_window_limits_the_neighbourhood():
    # two regimes: steps 0-9 identical, 10-19 identical; with a small window only local similarity counts,
    # so interior steps of both halves look equally typical
    x = np.concatenate([np.zeros((10, 4)), np.ones((10, 4))])
    s = ev.distinct_scores(x, window=5, quantile=0.25)   # threshold 0: only repeats
    assert s[3] == pytest.approx(s[15])
    assert s[9] > s[5]                            # at the boundary, half the neighbours differ


def test_distinct_rejects_bad_input():
    with pytest.raises(FeatureError):
        ev.distinct_scores(np.zeros((0, 4)))
    with pytest.raises(ConfigError):
        ev.distinct_scores(np.zeros((5, 4)), window=0)


def test_random_baseline_is_reproducible_and_seeded():
    v = _video("abc", "dog", np.ones((40, 1024)), np.zeros(40))
    assert np.array_equal(ev.random_scores(v, 3), ev.random_scores(v, 3))
    assert not np.array_equal(ev.random_scores(v, 3), ev.random_scores(v, 4))


def test_baselines_on_toy_data_rank_the_planted_highlights(toy_youtube):
    out = ev.baselines(None, videos=toy_youtube, seeds=5)
    assert set(out) == set(ev.BASELINES)
    assert out["norm"]["mean"] == pytest.approx(1.0)
    assert out["distinct"]["mean"] == pytest.approx(1.0)
    assert out["random"]["mean"] < 0.9
    assert len(out["random"]["runs"]) == 5 and out["random"]["std"] > 0
    assert set(out["norm"]["per_category"]) == {"dog", "surfing"}


def test_evaluate_model_accepts_a_scores_function(toy_youtube):
    perfect = ev.evaluate_model(lambda v: v.labels, None, videos=toy_youtube)
    inverted = ev.evaluate_model(lambda v: -v.labels, None, videos=toy_youtube)
    assert perfect["mean"] == pytest.approx(1.0) and inverted["mean"] < 0.5
    assert perfect["metric"] == "mAP" and perfect["n_videos"] == 3


def test_evaluate_rejects_wrong_length_or_nan_scores(toy_youtube):
    with pytest.raises(FeatureError, match=r"v0: expected 30 scores \(one per clip\), got shape \(29,\)"):
        ev.evaluate_model(lambda v: np.zeros(v.n_steps - 1), None, videos=toy_youtube)
    with pytest.raises(FeatureError, match="v0: 30 of 30 scores are NaN or inf"):
        ev.evaluate_model(lambda v: np.full(v.n_steps, np.nan), None, videos=toy_youtube)
    with pytest.raises(FeatureError, match="v0: 1 of 30 scores are NaN or inf"):
        ev.evaluate_model(lambda v: np.r_[np.inf, np.zeros(v.n_steps - 1)], None, videos=toy_youtube)
    with pytest.raises(ConfigError):
        ev.evaluate_model(42, None, videos=toy_youtube)


def test_aggregate_mean_and_std():
    runs = [{"mean": m, "per_category": {"a": m, "b": 1 - m}, "dataset": "tvsum"} for m in (0.4, 0.6)]
    agg = ev.aggregate(runs)
    assert agg["mean"] == pytest.approx(0.5) and agg["std"] == pytest.approx(0.1)
    assert agg["per_category_std"]["b"] == pytest.approx(0.1) and agg["dataset"] == "tvsum"


def test_format_table_has_a_row_per_category_and_mean(toy_youtube):
    cols = ev.baselines(None, videos=toy_youtube, seeds=3)
    table = ev.format_table(cols, title="toy")
    assert table.splitlines()[0] == f"**toy** (mAP, {len(toy_youtube)} videos)"
    lines = [ln for ln in table.splitlines() if ln.startswith("|")]
    assert lines[0] == "| category | random | norm | distinct |"
    assert [ln.split("|")[1].strip() for ln in lines[2:]] == ["dog", "surfing", "**mean**"]
    assert "±" in lines[2]                        # random carries its seed spread
    single = ev.format_table(cols["norm"])
    assert "| **mean** | **1.000** |" in single
    json.dumps(cols)                             # results are plain JSON


@pytest.mark.slow
def test_reference_baselines_on_the_real_benchmarks(data_dir):
    """The README's reference figures, re-measured through the tool (guards the whole data path)."""
    tv = ev.baselines(data_dir / "tvsum", names=("norm",))["norm"]
    assert tv["mean"] == pytest.approx(0.537, abs=0.002) and tv["n_videos"] == 50 and len(tv["per_category"]) == 10
    yt = load_dataset(data_dir / "youtube", with_audio=False)
    res = ev.baselines(None, videos=yt, names=("norm", "random"), seeds=3)
    assert res["norm"]["mean"] == pytest.approx(0.567, abs=0.002)
    assert 0.45 < res["random"]["mean"] < 0.50


def test_tvsum_label_readings_differ_and_are_labelled(data_dir):
    """The annotator-mean labels (the seed paper's reading) lift every scorer, random included: the
    two readings are different scales, so each result says which one it used."""
    tv = load_dataset(data_dir / "tvsum", with_audio=False)
    per = ev.baselines(None, videos=tv, names=("norm", "random"), seeds=3)
    mean = ev.baselines(None, videos=tv, names=("norm", "random"), seeds=3, tvsum_labels="mean")
    assert per["norm"]["tvsum_labels"] == "annotators" and mean["norm"]["tvsum_labels"] == "mean"
    assert mean["random"]["mean"] > per["random"]["mean"] + 0.05
    assert mean["norm"]["mean"] > mean["random"]["mean"] + 0.1
    with pytest.raises(ConfigError, match="label reading"):
        ev.evaluate_scores(tv, ev.score_videos(tv, ev.baseline_scorer("norm")), tvsum_labels="median")


@pytest.mark.slow
def test_evaluate_model_runs_a_rasl_network_on_the_clip_grid(toy_youtube):
    torch = pytest.importorskip("torch")
    from highlit.model.config import ModelConfig
    from highlit.model.network import RASLNet

    torch.manual_seed(0)
    cfg = ModelConfig.preset("paper", visual_dim=1024, audio_dim=8, window=16, enc_channels=(8, 8, 8),
                             psi_channels=8, attn_dim=8, kpoint_dim=8)
    res = ev.evaluate_model(RASLNet(cfg), None, window=16, videos=toy_youtube)
    assert res["window"] == 16 and res["n_videos"] == 3 and 0.0 <= res["mean"] <= 1.0


def _tiny_net(window: int = 16):
    torch = pytest.importorskip("torch")
    from highlit.model.config import ModelConfig
    from highlit.model.network import RASLNet

    torch.manual_seed(0)
    cfg = ModelConfig.preset("paper", visual_dim=1024, audio_dim=8, window=window, enc_channels=(8, 8, 8),
                             psi_channels=8, attn_dim=8, kpoint_dim=8, stride=1)
    return RASLNet(cfg)


def test_readings_of_a_network_differ_only_in_how_the_video_is_cut(toy_youtube, monkeypatch):
    """'whole' is one window of the video's own length (nothing repeated: a 30-step video read whole is not the
    same as read in 16-step windows, whose second window repeats its last 14 steps), capped at WHOLE_MAX_STEPS;
    'overlap' is detect's reading; an unknown reading is refused."""
    from highlit.infer import score_sequence

    net, video = _tiny_net(), toy_youtube[0]
    whole = ev.model_scorer(net, 16, "whole")(video)
    np.testing.assert_allclose(whole, score_sequence(net, video.visual, video.n_steps))
    plain = ev.model_scorer(net, 16)(video)
    np.testing.assert_allclose(plain, score_sequence(net, video.visual, 16))
    assert not np.allclose(whole, plain)
    np.testing.assert_allclose(ev.model_scorer(net, 16, "overlap")(video),
                               score_sequence(net, video.visual, 16, overlap=True))
    monkeypatch.setattr(ev, "WHOLE_MAX_STEPS", 12)  # 30 steps: three windows of 10, not 12 + 12 + 6 repeated
    np.testing.assert_allclose(ev.model_scorer(net, 16, "whole")(video), score_sequence(net, video.visual, 10))
    with pytest.raises(ConfigError, match="unknown reading"):
        ev.model_scorer(net, 16, "sideways")


def test_a_checkpoint_is_read_as_it_was_benchmarked(toy_youtube, tmp_path):
    """The metadata's reading and window by default; a --window alone means plain windows of that length."""
    from highlit.checkpoint import save_checkpoint

    net, video = _tiny_net(), toy_youtube[1]
    meta = {"model_config": net.cfg.to_dict(), "extractors": {}}
    path = save_checkpoint(tmp_path / "ckpt", net, {**meta, "benchmark": {"window": 16, "read": "whole"}})
    scorer, info = ev.checkpoint_scorer(path)
    assert (info["read"], info["window"]) == ("whole", 16)
    np.testing.assert_allclose(scorer(video), ev.model_scorer(net, 16, "whole")(video), atol=1e-6)
    scorer, info = ev.checkpoint_scorer(path, window=8)
    assert (info["read"], info["window"]) == ("windows", 8)
    np.testing.assert_allclose(scorer(video), ev.model_scorer(net, 8)(video), atol=1e-6)
    assert ev.checkpoint_scorer(path, read="overlap")[1]["read"] == "overlap"
    bare = save_checkpoint(tmp_path / "bare", net, meta)
    assert ev.checkpoint_scorer(bare)[1]["read"] == "windows"
    odd = save_checkpoint(tmp_path / "odd", net, {**meta, "benchmark": {"read": "sideways"}})
    with pytest.raises(CheckpointError, match="unknown reading"):
        ev.checkpoint_scorer(odd)


def test_a_checkpoint_of_other_features_is_refused_by_name(data_dir, tmp_path):
    """A checkpoint pretrained on raw video (another extractor) says so, not only that the widths differ; one
    trained on the benchmark's own features is read."""
    from highlit.checkpoint import save_checkpoint
    from highlit.datasets import UMT_VISUAL
    from highlit.model.config import ModelConfig
    from highlit.model.network import RASLNet

    cfg = ModelConfig.preset("paper", visual_dim=2048, audio_dim=8, window=16, enc_channels=(8, 8, 8),
                             psi_channels=8, attn_dim=8, kpoint_dim=8, stride=1)
    net = RASLNet(cfg)
    raw = {"visual": {"name": "efficientnet", "dim": 2048, "version": "lite0-1"}, "audio": None}
    path = save_checkpoint(tmp_path / "raw", net, {"model_config": cfg.to_dict(), "extractors": raw})
    with pytest.raises(CheckpointError, match="trained on visual features from 'efficientnet'.*'i3d-rgb-flow'"):
        ev.evaluate_model(path, data_dir / "tvsum", split="val")
    own = {"visual": UMT_VISUAL | {"dim": 2048}, "audio": None}
    path = save_checkpoint(tmp_path / "own", net, {"model_config": cfg.to_dict(), "extractors": own})
    result = ev.evaluate_model(path, data_dir / "tvsum", split="val")
    assert result["n_videos"] == 10 and "extractors" not in result


@pytest.mark.slow
def test_shipped_checkpoint_is_small_and_scores_a_benchmark_video(data_dir):
    if not ev.SHIPPED_CHECKPOINT.is_file():
        pytest.skip("no shipped benchmark checkpoint yet (experiments/ship.py makes it)")
    assert ev.SHIPPED_CHECKPOINT.stat().st_size < 30e6
    scorer, info = ev.checkpoint_scorer()
    video = load_dataset(data_dir / "tvsum", with_audio=False)[0]
    scores = scorer(video)
    assert scores.shape == (video.n_steps,) and np.all(np.isfinite(scores))
    assert info["window"] >= 8 and np.ptp(scores) > 0
    assert info["read"] == "whole"  # round 13's reading (docs/results.md, item 26), from its metadata


@pytest.mark.slow
def test_audio_only_models_are_scored_from_audio(toy_youtube):
    torch = pytest.importorskip("torch")
    from highlit.model.config import ModelConfig
    from highlit.model.network import RASLNet

    torch.manual_seed(0)
    cfg = ModelConfig.preset("paper", visual_dim=1024, audio_dim=8, window=16, enc_channels=(8, 8, 8),
                             psi_channels=8, attn_dim=8, kpoint_dim=8, modalities="audio")
    with_audio = [VideoFeatures(v.video_id, v.domain, v.visual, np.abs(v.visual[:, :8]), v.labels, v.meta)
                  for v in toy_youtube]
    res = ev.evaluate_model(RASLNet(cfg), None, window=16, videos=with_audio)
    assert res["audio_only"] and res["n_videos"] == 3
    with pytest.raises(FeatureError, match="audio"):
        ev.evaluate_model(RASLNet(cfg), None, window=16, videos=toy_youtube)
