"""The Python API behind ``highlit detect``: real clips in, Highlights out; bad inputs as typed errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import highlit
from highlit.datasets import align_audio_dim
from highlit.errors import CheckpointError, InputNotFoundError, MediaError
from highlit.extract import extract_video
from highlit.model.config import ModelConfig
from highlit.pipeline import FIT_LR, FIT_LR_LONG, FIT_LR_STEPS, detect_many, expand_inputs, fit_lr
from highlit.train import TrainConfig, pretrain

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def raw_checkpoint(tmp_path_factory: pytest.TempPathFactory, media_dir: Path, cache_dir: Path) -> Path:
    """A tiny checkpoint pretrained (2 steps) on EfficientNet + log-mel features of a real clip."""
    video = align_audio_dim(extract_video(media_dir / "chaplin.mp4", cache_dir=cache_dir))
    dim = video.visual.shape[1]
    cfg = ModelConfig.preset("default", visual_dim=dim, audio_dim=dim, enc_channels=(16, 16, 16), attn_dim=8,
                             psi_channels=8, kpoint_dim=8, fusion_dim=8)
    out = tmp_path_factory.mktemp("ckpt")
    return pretrain([video], cfg, TrainConfig(steps=2, batch_size=2, val_fraction=0.0, threads=1), out)


def test_detect_default_gives_scores_times_and_segments(media_dir: Path, cache_dir: Path) -> None:
    h = highlit.detect(media_dir / "chaplin.mp4", cache_dir=str(cache_dir), fit_steps=5, duration=3.0)
    assert len(h.scores) == len(h.times) == 49
    assert np.all((h.scores >= 0) & (h.scores <= 1)) and h.scores.max() == 1.0
    np.testing.assert_allclose(np.diff(h.times), 0.2, atol=1e-9)
    assert h.segments and all(0 <= s.start < s.end <= h.duration + 1e-6 for s in h.segments)
    assert h.model["kind"] == "fit-on-input"
    assert h.extractors["visual"]["name"] == "efficientnet"
    assert '"segments"' in h.to_json()


def test_checkpoint_model_is_used_and_recorded(media_dir: Path, cache_dir: Path, raw_checkpoint: Path) -> None:
    h = highlit.detect(media_dir / "chaplin.mp4", model=raw_checkpoint, cache_dir=str(cache_dir))
    assert h.model["kind"] == "checkpoint" and len(h.scores) == 49


def test_benchmark_checkpoint_refuses_raw_video_features(media_dir: Path, cache_dir: Path,
                                                         tmp_path: Path) -> None:
    from highlit.datasets import VideoFeatures

    rng = np.random.default_rng(0)
    i3d = [VideoFeatures(f"v{i}", "d", rng.random((40, 2048), dtype=np.float32),
                         rng.random((40, 2048), dtype=np.float32),
                         meta={"visual_extractor": {"name": "i3d-rgb-flow", "dim": 2048, "version": "umt-release"},
                               "audio_extractor": {"name": "umt-audio", "dim": 2048, "version": "umt-release"}})
           for i in range(2)]
    cfg = ModelConfig.preset("default", visual_dim=2048, audio_dim=2048, enc_channels=(8, 8, 8), attn_dim=8,
                             psi_channels=8, kpoint_dim=8, fusion_dim=8, window=32)
    ckpt = pretrain(i3d, cfg, TrainConfig(steps=1, batch_size=2, val_fraction=0.0, threads=1), tmp_path / "i3d")
    with pytest.raises(CheckpointError, match="i3d-rgb-flow"):
        highlit.detect(media_dir / "chaplin.mp4", model=ckpt, cache_dir=str(cache_dir))


def test_bad_inputs_raise_typed_errors(tmp_path: Path, cache_dir: Path) -> None:
    with pytest.raises(InputNotFoundError):
        highlit.detect(tmp_path / "missing.mp4")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 2048)
    with pytest.raises(MediaError):
        highlit.detect(junk, cache_dir=str(cache_dir))


def test_batch_reports_bad_files_and_scores_the_rest(tmp_path: Path, media_dir: Path, cache_dir: Path) -> None:
    (tmp_path / "junk.mp4").write_bytes(b"not a video")
    (tmp_path / "good.mp4").write_bytes((media_dir / "chaplin.mp4").read_bytes())
    results = detect_many([tmp_path], cache_dir=str(cache_dir), fit_steps=3)
    by_name = {r.path.name: r for r in results}
    assert isinstance(by_name["junk.mp4"].error, MediaError) and by_name["junk.mp4"].highlights is None
    assert by_name["good.mp4"].error is None and by_name["good.mp4"].highlights is not None


def test_fit_lr_falls_from_the_short_fit_lr_to_the_long_fit_lr() -> None:
    short, long = FIT_LR_STEPS
    assert fit_lr(short) == pytest.approx(FIT_LR) and fit_lr(long) == pytest.approx(FIT_LR_LONG)
    assert fit_lr(1) == pytest.approx(FIT_LR) and fit_lr(10 * long) == pytest.approx(FIT_LR_LONG)
    lrs = [fit_lr(s) for s in range(short, long + 1, 20)]
    assert all(a > b for a, b in zip(lrs, lrs[1:], strict=False))


def test_expand_inputs_folders_and_globs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.mp4", "a/y.MOV", "a/notes.txt", "z.webm"):
        (tmp_path / name).write_bytes(b"")
    found = {p.name for p in expand_inputs([tmp_path])}
    assert found == {"x.mp4", "y.MOV", "z.webm"}
    assert {p.name for p in expand_inputs([str(tmp_path / "a" / "*.mp4")])} == {"x.mp4"}
    with pytest.raises(InputNotFoundError):
        expand_inputs([str(tmp_path / "*.mkv")])


def test_a_folder_scan_skips_hidden_names(tmp_path: Path) -> None:
    """A killed writer's ``.reel.part.x.mp4``, macOS ``._x.mp4`` and tool folders are never footage."""
    for name in ("x.mp4", ".reel.part.abc.mp4", "._x.mp4", ".cache/y.mp4", "sub/.hidden/z.mp4", "sub/w.mkv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert sorted(p.name for p in expand_inputs([tmp_path])) == ["w.mkv", "x.mp4"]
    hidden = tmp_path / "._x.mp4"
    assert expand_inputs([hidden]) == [hidden]  # named on its own, it is read (and refused there if broken)
    assert [p.name for p in expand_inputs([tmp_path / ".cache"])] == ["y.mp4"]  # a hidden folder named on its own


def test_video_without_audio_is_a_normal_case(tmp_path: Path, cache_dir: Path) -> None:
    from tests.media_factory import make_audio_only, make_video

    silent = make_video(tmp_path / "silent.mov", seconds=4.0, audio=False, timecode="10:23:11:05")
    h = highlit.detect(silent, cache_dir=str(cache_dir), fit_steps=3)
    assert not h.has_audio and len(h.scores) == 20
    assert h.timecode == "10:23:11:05"  # the camera's start timecode reaches the timelines
    from highlit import timecode

    first_event = next(line for line in h.write(tmp_path, formats="edl")["edl"].read_text().splitlines()
                       if line.startswith("001 "))
    source_in = timecode.to_frames("10:23:11:05", 10.0) + round(h.segments[0].start * 10.0)
    assert first_event.split()[4] == timecode.label(source_in, 10.0)
    with pytest.raises(MediaError, match="video"):
        highlit.detect(make_audio_only(tmp_path / "voice.m4a", seconds=1.0), cache_dir=str(cache_dir))


def test_overlapped_windows_remove_the_dip_at_every_window_start() -> None:
    """A scorer that penalises window edges leaves no periodic dips once two shifted grids are blended."""
    import torch

    from highlit.infer import score_sequence

    class EdgeShy(torch.nn.Module):
        def score(self, x: torch.Tensor) -> torch.Tensor:
            pos = torch.arange(x.shape[1], dtype=torch.float32)
            edge = torch.minimum(pos, x.shape[1] - 1 - pos).clamp(max=10) / 10  # 0 at the edges
            return x[..., 0] * edge

    visual = np.ones((600, 4), dtype=np.float32)  # constant content: any structure is an artefact
    plain = score_sequence(EdgeShy(), visual, 150)
    blended = score_sequence(EdgeShy(), visual, 150, overlap=True)
    assert plain[150] < 0.1 and plain[75] == 1.0  # the dip at each window start
    assert blended[75:525].min() > 0.9  # gone wherever both grids cover the video


@pytest.mark.parametrize("n", [1, 49, 140, 160, 225])
def test_a_short_video_is_not_scored_by_its_window_edges(n: int) -> None:
    """A scorer that favours window edges must not make a short clip's opening its highlight: the paper's
    first-occurrence reading does (step 0 sits at the edge), the product's overlapped reading must not."""
    import torch

    from highlit.infer import overlapped_raw_scores, raw_scores

    class EdgeKeen(torch.nn.Module):
        def score(self, x: torch.Tensor) -> torch.Tensor:
            pos = torch.arange(x.shape[1], dtype=torch.float32)
            near = 1 - torch.minimum(pos, x.shape[1] - 1 - pos).clamp(max=10) / 10  # 1 at the edges
            return x[..., 0] * (1 + near)

    visual = np.ones((n, 4), dtype=np.float32)  # constant content: any structure is an artefact
    plain = raw_scores(EdgeKeen(), visual, 150)
    blended = overlapped_raw_scores(EdgeKeen(), visual, 150)
    assert plain[0] == 2.0  # the artefact this guards against: +100% at the opening
    assert blended.max() < 1.1 and blended.min() >= 1.0  # a residual of the blend's linear weights at most


def test_a_target_duration_past_the_video_says_so():
    from highlit.errors import HighlitWarning
    from highlit.highlights import Highlights
    from highlit.pipeline import SegmentOptions, cut_segments

    times = np.arange(25) * 0.2
    h = Highlights(source="short.mp4", times=times, scores=np.linspace(0, 1, 25), segments=[], duration=5.0,
                   fps=25.0)
    with pytest.warns(HighlitWarning, match="not shorter than the video"):
        whole = cut_segments(h, SegmentOptions(duration=100.0))
    assert sum(s.length for s in whole.segments) == pytest.approx(5.0, abs=0.05)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cut_segments(h, SegmentOptions(duration=2.0)).segments
