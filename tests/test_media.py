"""highlit.media on the shared real clips and on tiny videos generated here (see media_factory)."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from media_factory import (
    SIZE,
    frame_index,
    make_audio_only,
    make_audio_with_cover,
    make_corrupt,
    make_empty_video,
    make_header_only,
    make_not_media,
    make_truncated,
    make_video,
)

from highlit import media
from highlit.errors import (
    ConfigError,
    EmptyMediaError,
    HighlitWarning,
    InputNotFoundError,
    MediaError,
    NoVideoStreamError,
)

VFR_TIMES = [0.0, 0.05, 0.5, 0.55, 1.3, 1.31, 1.32, 2.0]


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("clips")
    full = make_video(d / "full.mp4", seconds=3.0, fps=10, faststart=True)
    offset_long = make_video(d / "offset_long.mkv", seconds=3.0, fps=10, offset=3.0)
    return {
        "plain": make_video(d / "plain.mp4", seconds=2.0, fps=10),
        "noaudio": make_video(d / "noaudio.mp4", seconds=1.0, fps=10, audio=False),
        "vfr": make_video(d / "vfr.mp4", times=VFR_TIMES, audio=False),
        "rot90": make_video(d / "rot90.mp4", seconds=0.5, rotation=90, marker=True, audio=False),
        "rot270": make_video(d / "rot270.mp4", seconds=0.5, rotation=-90, marker=True, audio=False),
        "rot180": make_video(d / "rot180.mp4", seconds=0.5, rotation=180, marker=True, audio=False),
        "full": full,
        "long": make_video(d / "long.mp4", seconds=10.0, fps=10, audio=False),
        "corrupt": make_corrupt(full, d / "corrupt.mp4"),
        "truncated": make_truncated(full, d / "truncated.mp4", keep=0.5),
        # timestamps that start late: MPEG-TS as camcorders write it, an mkv muxed with a 3 s offset
        "offset_ts": make_video(d / "offset.ts", seconds=2.0, fps=5, offset=1.4),
        "offset_mkv": make_video(d / "offset.mkv", seconds=2.0, fps=5, offset=3.0),
        "truncated_offset": make_truncated(offset_long, d / "truncated_offset.mkv", keep=0.5),
        "empty": make_empty_video(d / "empty.mkv"),
        "header": make_header_only(d / "header.mkv"),
        "audio_only": make_audio_only(d / "audio.m4a"),
        "not_media": make_not_media(d / "notes.mp4"),
        "zero": _touch(d / "zero.mp4"),
    }


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _frames(path: Path, **kw) -> list[tuple[float, np.ndarray]]:
    return list(media.iter_frames(path, **kw))


# ----------------------------------------------------------------------------- real clips

@pytest.mark.slow
@pytest.mark.parametrize("name", ["big_buck_bunny_0_30.webm", "bigbuckbunny_5s.mp4", "chaplin.mp4",
                                  "smpte-2997.mp4"])
def test_real_clips_give_one_224px_frame_per_step(media_dir: Path, name: str) -> None:
    info = media.probe(media_dir / name)
    assert info.has_video and info.has_audio and info.fps > 0 and info.duration > 0
    reader = media.MediaReader(media_dir / name, audio=False)
    events = list(reader)
    times = [t for _, t, _ in events]
    assert len(events) == reader.report.n_steps == media.n_steps_for(reader.report.decoded_duration)
    assert abs(reader.report.decoded_duration - info.duration) < 0.5
    np.testing.assert_allclose(times, np.arange(len(times)) * 0.2, atol=1e-9)
    assert all(rgb.shape == (224, 224, 3) and rgb.dtype == np.uint8 for _, _, rgb in events)
    assert reader.report.warnings == []


def test_real_clip_audio_is_mono_16k_float_of_the_right_length(media_dir: Path) -> None:
    info = media.probe(media_dir / "chaplin.mp4")
    chunks = list(media.iter_audio(media_dir / "chaplin.mp4", chunk_seconds=2.0))
    assert all(c.ndim == 1 and c.dtype == np.float32 for c in chunks)
    assert all(c.size == 32000 for c in chunks[:-1]) and 0 < chunks[-1].size <= 32000
    total = sum(c.size for c in chunks) / 16000
    assert abs(total - info.duration) < 0.2
    assert 0.01 < float(np.abs(np.concatenate(chunks)).max()) <= 1.5


# ----------------------------------------------------------------------------- sampling grid

def test_constant_rate_picks_the_frame_on_screen_at_each_grid_time(clips) -> None:
    frames = _frames(clips["plain"], size=SIZE)
    assert [round(t, 6) for t, _ in frames] == [round(k * 0.2, 6) for k in range(10)]
    assert [frame_index(rgb, 20) for _, rgb in frames] == [2 * k for k in range(10)]


@pytest.mark.parametrize("fps", [2.0, 5.0, 10.0])
def test_other_sampling_rates(clips, fps: float) -> None:
    frames = _frames(clips["plain"], fps=fps, size=SIZE)
    assert len(frames) == math.ceil(2.0 * fps)
    assert [frame_index(rgb, 20) for _, rgb in frames] == [int(round(t * 10)) for t, _ in frames]


def test_variable_frame_rate_uses_stream_timestamps(clips) -> None:
    frames = _frames(clips["vfr"], size=SIZE)
    expected = [max(i for i, ft in enumerate(VFR_TIMES) if ft <= t + 1e-9) for t, _ in frames]
    assert [frame_index(rgb, len(VFR_TIMES)) for _, rgb in frames] == expected
    # the last frame (at 2.0 s) is on screen for one frame duration, so 2.0 is a grid point
    assert len(frames) == 11


def test_frames_are_scaled_to_the_requested_size(clips) -> None:
    (t, rgb), *_ = _frames(clips["plain"], size=(30, 40))
    assert rgb.shape == (40, 30, 3)
    (t, rgb), *_ = _frames(clips["plain"], size=None)
    assert rgb.shape == (SIZE[1], SIZE[0], 3)


@pytest.mark.parametrize("name, band", [("rot90", "left"), ("rot270", "right"), ("rot180", "bottom")])
def test_rotated_videos_come_out_the_way_players_show_them(clips, name: str, band: str) -> None:
    info = media.probe(clips[name])
    rgb = _frames(clips[name], size=None)[0][1]
    turned = name != "rot180"
    assert (info.width, info.height) == ((SIZE[1], SIZE[0]) if turned else SIZE)
    assert rgb.shape[:2] == (info.height, info.width)
    h, w = rgb.shape[:2]
    edges = {"left": rgb[:, : w // 8], "right": rgb[:, -(w // 8):], "top": rgb[: h // 8], "bottom": rgb[-(h // 8):]}
    red = {k: float(v[..., 0].mean() - v[..., 2].mean()) for k, v in edges.items()}
    assert max(red, key=red.get) == band
    # scaling to a fixed size keeps the orientation too
    small = _frames(clips[name], size=(20, 30))[0][1]
    assert small.shape == (30, 20, 3)


def test_reading_is_lazy(clips) -> None:
    reader = media.MediaReader(clips["long"], audio=False)
    it = iter(reader)
    next(it)
    # decoded only up to the first grid point plus the decoder's frame-thread delay, not all 100
    assert reader.report.n_frames <= 20
    it.close()


# ----------------------------------------------------------------------------- audio

def test_video_without_audio_is_normal(clips) -> None:
    info = media.probe(clips["noaudio"])
    assert info.has_video and not info.has_audio and info.audio_rate is None
    assert list(media.iter_audio(clips["noaudio"])) == []
    reader = media.MediaReader(clips["noaudio"])
    kinds = {kind for kind, _, _ in reader}
    assert kinds == {"video"} and reader.report.has_audio is False


def test_audio_and_video_share_one_clock(clips) -> None:
    reader = media.MediaReader(clips["plain"], size=SIZE)
    audio = [(t, x) for kind, t, x in reader if kind == "audio"]
    starts = np.array([t for t, _ in audio])
    sizes = np.array([x.size for _, x in audio])
    np.testing.assert_allclose(starts[1:], np.cumsum(sizes)[:-1] / 16000)  # contiguous from t = 0
    assert starts[0] == 0.0
    assert abs(sizes.sum() / 16000 - 2.0) < 0.1


def test_audio_only_file(clips) -> None:
    info = media.probe(clips["audio_only"])
    assert not info.has_video and info.has_audio
    assert sum(c.size for c in media.iter_audio(clips["audio_only"])) > 0.9 * 16000
    with pytest.raises(NoVideoStreamError, match="no video stream"):
        _frames(clips["audio_only"])


# ----------------------------------------------------------------------------- bad input

def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="no such file"):
        media.probe(tmp_path / "nope.mp4")
    with pytest.raises(InputNotFoundError):
        _frames(tmp_path / "nope.mp4")


def test_directory_is_not_media(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="directory"):
        media.probe(tmp_path)


def test_not_a_media_file(clips) -> None:
    with pytest.raises(MediaError, match="not a media file") as err:
        _frames(clips["not_media"])
    assert type(err.value) is MediaError
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", ["zero", "header", "empty"])
def test_zero_length_media(clips, name: str) -> None:
    with pytest.raises(EmptyMediaError):
        _frames(clips[name])


def test_corrupt_file_decodes_what_it_can_and_warns(clips) -> None:
    full = _frames(clips["full"], size=SIZE)
    with pytest.warns(HighlitWarning, match="damaged"):
        reader = media.MediaReader(clips["corrupt"], size=SIZE)
        frames = [(t, x) for kind, t, x in reader if kind == "video"]
    assert reader.report.damaged_packets > 0
    assert len(frames) >= len(full) // 2
    assert any("damaged" in w for w in reader.report.warnings)


@pytest.mark.parametrize("name", ["truncated", "truncated_offset"])
def test_truncated_file_is_reported(clips, name: str) -> None:
    with pytest.warns(HighlitWarning, match="truncated"):
        reader = media.MediaReader(clips[name], size=SIZE)
        frames = [x for kind, _, x in reader if kind == "video"]
    assert 0 < len(frames) < 15
    assert reader.report.decoded_duration < reader.report.declared_duration - 1.0
    assert reader.report.declared_duration == pytest.approx(3.0, abs=0.1)  # counted from the video's start


@pytest.mark.parametrize("name", ["offset_ts", "offset_mkv"])
def test_streams_that_start_late_are_read_from_their_start(clips, name: str) -> None:
    """t = 0 is the video's first frame, and a complete file whose timestamps start at 1.4 s (MPEG-TS) or
    3 s (Matroska, whose declared duration counts the offset too) is not mistaken for a truncated one."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", HighlitWarning)
        reader = media.MediaReader(clips[name], size=SIZE)
        events = list(reader)
    frames = [(t, x) for kind, t, x in events if kind == "video"]
    assert [round(t, 6) for t, _ in frames] == [round(k * 0.2, 6) for k in range(10)]
    assert [frame_index(x, 10) for _, x in frames] == list(range(10))
    assert reader.report.declared_duration == pytest.approx(2.0, abs=0.1)
    assert reader.report.decoded_duration == pytest.approx(2.0, abs=1e-6)
    assert media.probe(clips[name]).duration == pytest.approx(2.0, abs=0.1)
    audio = np.concatenate([x for kind, _, x in events if kind == "audio"])
    assert audio.size / 16000 == pytest.approx(2.0, abs=0.1)


def test_intact_file_gives_no_warning(clips) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", HighlitWarning)
        assert len(list(media.MediaReader(clips["full"], size=SIZE))) > 0


def test_bad_fps_is_rejected(clips) -> None:
    with pytest.raises(ConfigError, match="fps"):
        _frames(clips["plain"], fps=0)


@pytest.mark.parametrize("name,fps", [("smpte-2997.mp4", 5.0), ("bigbuckbunny_5s.mp4", 3.0)])
def test_skipping_unseen_frames_changes_nothing(media_dir, name: str, fps: float) -> None:
    """Letting the decoder drop frames that no grid point shows must give exactly the same events."""
    from highlit.media import MediaReader

    fast, full = MediaReader(media_dir / name, fps=fps), MediaReader(media_dir / name, fps=fps, skip_unseen=False)
    a, b = list(fast), list(full)
    # Same frames at the same times and the same audio; only the interleaving of the two may differ.
    va, vb = ([(t, x) for k, t, x in events if k == "video"] for events in (a, b))
    assert [t for t, _ in va] == [t for t, _ in vb]
    assert all(np.array_equal(x, y) for (_, x), (_, y) in zip(va, vb, strict=True))
    wa, wb = (np.concatenate([x for k, _, x in events if k == "audio"]) for events in (a, b))
    np.testing.assert_array_equal(wa, wb)
    assert fast.report.decoded_duration == full.report.decoded_duration
    assert fast.report.n_steps == full.report.n_steps > 0


@pytest.mark.parametrize("suffix", [".mp3", ".mp4"])
def test_cover_art_is_not_a_video(tmp_path: Path, suffix: str) -> None:
    song = make_audio_with_cover(tmp_path / f"song{suffix}")
    info = media.probe(song)
    assert not info.has_video and info.has_audio
    with pytest.raises(NoVideoStreamError, match="cover art"):
        list(media.iter_frames(song))


def test_a_still_image_is_not_a_video(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    still = tmp_path / "still.png"
    plt.imsave(still, np.random.default_rng(0).random((16, 16, 3)))
    assert not media.probe(still).has_video
    with pytest.raises(NoVideoStreamError, match="still image"):
        list(media.iter_frames(still))


def test_a_one_frame_gif_is_a_still_but_an_animated_one_is_a_video(tmp_path: Path) -> None:
    import av

    def gif(name: str, frames: int) -> Path:
        path = tmp_path / name
        with av.open(str(path), "w") as out:
            stream = out.add_stream("gif", rate=5)
            stream.width = stream.height = 32
            stream.pix_fmt = "rgb8"
            for i in range(frames):
                image = np.full((32, 32, 3), 40 * i, np.uint8)
                for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="rgb8")):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        return path

    with pytest.raises(NoVideoStreamError, match="still image"):
        list(media.iter_frames(gif("one.gif", 1)))
    assert [round(t, 1) for t, _ in media.iter_frames(gif("five.gif", 5))] == [0.0, 0.2, 0.4, 0.6, 0.8]


@pytest.mark.parametrize(("suffix", "fps", "tc"), [(".mov", 25, "10:23:11:05"),
                                                  (".mp4", Fraction(30000, 1001), "01:00:00;00"),
                                                  (".mkv", 24, "23:59:59:23")])
def test_a_cameras_start_timecode_is_read(tmp_path: Path, suffix: str, fps, tc: str) -> None:
    path = make_video(tmp_path / f"cam{suffix}", seconds=0.5, fps=fps, audio=False, timecode=tc)
    assert media.file_timecode(path) == tc


def test_no_timecode_and_unreadable_files_give_none(clips, tmp_path: Path) -> None:
    assert media.file_timecode(make_video(tmp_path / "plain.mp4", seconds=0.5, audio=False)) is None
    assert media.file_timecode(tmp_path / "missing.mov") is None
    late = make_video(tmp_path / "late.mkv", seconds=1.0, audio=False, offset=2.0)
    assert media.file_origin(late) == pytest.approx(2.0, abs=0.01) and media.file_origin(tmp_path / "gone") == 0.0


def test_a_timecode_that_cannot_exist_at_the_files_rate_is_ignored(tmp_path: Path) -> None:
    path = make_video(tmp_path / "cam.mkv", seconds=0.3, fps=25, audio=False, timecode="00:00:00:45")
    with pytest.warns(HighlitWarning, match="start timecode is ignored"):
        assert media.file_timecode(path) is None
