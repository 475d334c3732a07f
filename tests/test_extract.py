"""extract_video end to end: shapes, meta, audio alignment, the cache, and bad input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from media_factory import make_corrupt, make_not_media, make_video

import highlit.extract as extract_mod
from highlit.errors import ConfigError, HighlitWarning, InputNotFoundError, MediaError
from highlit.extract import extract_video
from highlit.media import iter_frames


@pytest.fixture(scope="module")
def videos(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("extract")
    return {
        "av": make_video(d / "av.mp4", seconds=3.0, fps=10, tone_start=1.6),
        "mute": make_video(d / "mute.mp4", seconds=1.0, fps=10, audio=False),
        "corrupt": make_corrupt(make_video(d / "full.mp4", seconds=3.0, fps=10), d / "corrupt.mp4"),
        "text": make_not_media(d / "text.mp4"),
    }


def _px(path: Path, cache: Path, **kw):
    kw.setdefault("audio", "logmel")
    return extract_video(path, visual="pixels", cache_dir=cache, **kw)


def test_shapes_and_meta(videos, tmp_path: Path) -> None:
    feats = _px(videos["av"], tmp_path)
    n = len(list(iter_frames(videos["av"], size=(32, 32))))
    assert n == 15
    assert feats.visual.shape == (n, 1024) and feats.audio.shape == (n, 64)
    assert feats.visual.dtype == np.float32 and feats.audio.dtype == np.float32
    meta = feats.meta
    assert meta["source"] == str(videos["av"]) and meta["step_seconds"] == pytest.approx(0.2)
    assert meta["duration"] == pytest.approx(3.0, abs=0.05) and meta["has_audio"] is True
    assert meta["visual_extractor"]["name"] == "pixels" and meta["audio_extractor"]["name"] == "logmel"
    assert meta["cache_hit"] is False and Path(meta["cache_file"]).is_file()
    assert feats.video_id == "av"


def test_visual_rows_are_the_frames_on_the_grid(videos, tmp_path: Path) -> None:
    from highlit.features import get_visual

    feats = _px(videos["av"], tmp_path, use_cache=False)
    px = get_visual("pixels")
    frames = np.stack([rgb for _, rgb in iter_frames(videos["av"], size=px.size, interpolation="AREA")])
    np.testing.assert_allclose(feats.visual, px(frames), atol=1e-6)


def test_audio_steps_line_up_with_video_time(videos, tmp_path: Path) -> None:
    audio = _px(videos["av"], tmp_path).audio  # tone starts at 1.6 s = step 8
    energy = audio.max(axis=1)
    assert energy[9:].min() > energy[:7].max() + 5.0


def test_torch_threads_are_restored_after_extraction(videos, tmp_path: Path) -> None:
    import torch

    from highlit.extract import extraction_threads

    before = torch.get_num_threads()
    _px(videos["mute"], tmp_path, use_cache=False, threads=1)
    assert torch.get_num_threads() == before
    assert extraction_threads(3, before) == 3 and extraction_threads(0, before) == 1
    assert 1 <= extraction_threads(None, before) <= before
    # an extractor whose idle workers sleep may use every core; one that spins leaves one to the decoder
    cores = os.cpu_count() or 2
    assert extraction_threads(None, 64, shares_cores=True) == cores
    assert extraction_threads(None, 64) == max(1, cores - 1)


def test_video_without_audio(videos, tmp_path: Path) -> None:
    feats = _px(videos["mute"], tmp_path)
    assert feats.audio is None and feats.meta["has_audio"] is False
    assert feats.visual.shape == (5, 1024)
    assert _px(videos["av"], tmp_path, audio=None).audio is None


def test_second_run_is_a_cache_hit_without_decoding(videos, tmp_path: Path, monkeypatch) -> None:
    first = _px(videos["av"], tmp_path)
    copy = tmp_path / "renamed copy.mp4"
    shutil.copy(videos["av"], copy)

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded despite a cache hit")

    monkeypatch.setattr(extract_mod, "MediaReader", no_decoding)
    monkeypatch.setattr(extract_mod, "probe", no_decoding)
    again = _px(copy, tmp_path)
    assert again.meta["cache_hit"] is True and again.meta["source"] == str(copy)
    np.testing.assert_array_equal(again.visual, first.visual)
    np.testing.assert_array_equal(again.audio, first.audio)
    with pytest.raises(AssertionError, match="decoded"):  # another extractor config is a miss
        extract_video(copy, visual="pixels", audio=None, cache_dir=tmp_path)


def test_bad_input(videos, tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError):
        _px(tmp_path / "missing.mp4", tmp_path)
    with pytest.raises(MediaError, match="not a media file"):
        _px(videos["text"], tmp_path)
    with pytest.raises(ConfigError):
        _px(videos["av"], tmp_path, batch_size=0)
    with pytest.raises(ConfigError, match="unknown visual"):
        extract_video(videos["av"], visual="nope", cache_dir=tmp_path)


def test_corrupt_input_is_extracted_with_a_warning(videos, tmp_path: Path) -> None:
    with pytest.warns(HighlitWarning) as first:
        feats = _px(videos["corrupt"], tmp_path)
    assert feats.visual.shape[0] > 5 and feats.meta["warnings"]
    said = [str(w.message) for w in first]
    assert any("damaged" in m for m in said) and any("looks truncated" in m for m in said)
    with pytest.warns(HighlitWarning) as again:  # the same two, said again when the features come from the cache
        assert _px(videos["corrupt"], tmp_path).meta["cache_hit"] is True
    assert sorted(str(w.message) for w in again) == sorted(f"{m} (features from the cache)" for m in said)


@pytest.mark.slow
def test_default_extractors_on_a_real_clip(media_dir: Path, tmp_path: Path) -> None:
    feats = extract_video(media_dir / "bigbuckbunny_5s.mp4", cache_dir=tmp_path)
    assert feats.visual.shape == (27, 1280) and feats.audio.shape == (27, 64)
    assert np.isfinite(feats.visual).all() and np.isfinite(feats.audio).all()
    assert feats.meta["visual_extractor"]["name"] == "efficientnet"
    assert extract_video(media_dir / "bigbuckbunny_5s.mp4", cache_dir=tmp_path).meta["cache_hit"] is True


def _interrupting(after_calls: int):
    """The 'pixels' extractor (same identity, so the same cache key) that is interrupted on a later call."""
    from highlit.features import get_visual

    vis = get_visual("pixels")
    forward, calls = vis._forward, [0]

    def counted(frames: np.ndarray) -> np.ndarray:
        calls[0] += 1
        if calls[0] == after_calls:
            raise KeyboardInterrupt
        return forward(frames)

    vis._forward = counted
    return vis


@pytest.mark.parametrize("source", ["synthetic", "chaplin.mp4", "smpte-2997.mp4", "offset.ts", "short-audio.mp4"])
def test_an_interrupted_extraction_goes_on_where_it_stopped(source: str, videos, media_dir: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    """Ctrl-C keeps the finished rows; the next run extracts only the rest (from a seek), and the features are
    the very ones of a run that was never interrupted, audio and warnings included (MPEG-TS seeks by bytes and
    may land anywhere; a track shorter than the picture must not read as a truncated file)."""
    if source == "offset.ts":
        path = make_video(tmp_path / "offset.ts", seconds=3.0, fps=10, offset=1.4)
    elif source == "short-audio.mp4":
        path = make_video(tmp_path / "short-audio.mp4", seconds=3.0, fps=10, audio_seconds=1.0)
    else:
        path = videos["av"] if source == "synthetic" else media_dir / source
    whole = extract_video(path, visual="pixels", audio="logmel", cache_dir=tmp_path / "whole", batch_size=2)
    monkeypatch.setattr(extract_mod, "PARTIAL_EVERY", 4)
    cache = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        extract_video(path, visual=_interrupting(6), audio="logmel", cache_dir=cache, batch_size=2)
    kept = list(cache.rglob("*.partial/*.npy"))
    assert sum(len(np.load(f)) for f in kept) == 10  # five whole batches of 2 (saved at 4, 8, then on Ctrl-C)
    decoded: list[int] = []
    real_reader = extract_mod.MediaReader

    def watching(*args, **kwargs):
        decoded.append(kwargs.get("start_step", 0))
        return real_reader(*args, **kwargs)

    monkeypatch.setattr(extract_mod, "MediaReader", watching)
    resumed = extract_video(path, visual="pixels", audio="logmel", cache_dir=cache, batch_size=2)
    assert decoded[0] == 8  # one batch before the first unfinished step: that batch checks the seek
    np.testing.assert_array_equal(resumed.visual, whole.visual)
    np.testing.assert_array_equal(resumed.audio, whole.audio)
    assert resumed.meta["warnings"] == whole.meta["warnings"]
    assert not list(cache.rglob("*.partial"))  # done: the finished part is dropped with the entry stored


def test_a_container_that_cannot_seek_is_extracted_whole_again(videos, tmp_path: Path, monkeypatch) -> None:
    from highlit.media import MediaReader, SeekMissed

    whole = extract_video(videos["av"], visual="pixels", audio="logmel", cache_dir=tmp_path / "whole", batch_size=2)
    monkeypatch.setattr(extract_mod, "PARTIAL_EVERY", 2)
    with pytest.raises(KeyboardInterrupt):
        extract_video(videos["av"], visual=_interrupting(3), audio="logmel", cache_dir=tmp_path, batch_size=2)

    refused = []

    class NoSeek(MediaReader):
        def __iter__(self):
            if self.start_step:
                refused.append(self.start_step)
                raise SeekMissed("cannot seek")
            return super().__iter__()

    monkeypatch.setattr(extract_mod, "MediaReader", NoSeek)
    again = extract_video(videos["av"], visual="pixels", audio="logmel", cache_dir=tmp_path, batch_size=2)
    assert refused  # the resume was tried, refused, and the video extracted whole
    np.testing.assert_array_equal(again.visual, whole.visual)
    np.testing.assert_array_equal(again.audio, whole.audio)


def test_a_seek_that_gives_other_pixels_is_caught(videos, tmp_path: Path, monkeypatch) -> None:
    """After a seek some decoders give wrong pictures with plausible timestamps (x264 intra-refresh); the
    resumed pass re-extracts the batch before the first unfinished step and must reproduce it exactly."""
    from highlit.media import MediaReader

    whole = extract_video(videos["av"], visual="pixels", audio=None, cache_dir=tmp_path / "whole", batch_size=2)
    monkeypatch.setattr(extract_mod, "PARTIAL_EVERY", 2)
    with pytest.raises(KeyboardInterrupt):
        extract_video(videos["av"], visual=_interrupting(5), audio=None, cache_dir=tmp_path, batch_size=2)
    resumed_at = []

    class Garbled(MediaReader):
        """The first frames after a seek come out black, as a decoder still rebuilding the picture gives."""

        def __iter__(self):
            for n, (kind, t, data) in enumerate(super().__iter__()):
                if self.start_step and n < 4:
                    resumed_at.append(self.start_step)
                    data = np.zeros_like(data)
                yield kind, t, data

    monkeypatch.setattr(extract_mod, "MediaReader", Garbled)
    again = extract_video(videos["av"], visual="pixels", audio=None, cache_dir=tmp_path, batch_size=2)
    assert resumed_at  # resumed from a seek, found the garbled batch, extracted whole
    np.testing.assert_array_equal(again.visual, whole.visual)


def test_a_leftover_temporary_chunk_does_not_end_resuming(tmp_path: Path) -> None:
    from highlit.cache import FeatureCache

    cache = FeatureCache(tmp_path)
    assert cache.save_partial("ab12", 0, np.ones((4, 3), np.float32), {"damaged_packets": 1})
    (cache.partial_dir("ab12") / ".0000000004.part.x1y2.npy").write_bytes(b"half")  # a killed writer's
    rows, info = cache.load_partial("ab12", 3)
    assert rows.shape == (4, 3) and info == {"damaged_packets": 1}
    assert cache.load_partial("ab12", 5) is None  # another width: not this extraction's rows
