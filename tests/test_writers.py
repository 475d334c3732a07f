"""Every output format: it parses, it says what the segments say, and reels hold the right frames."""

from __future__ import annotations

import csv
import json
import re
import warnings
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from media_factory import frame_index, make_video

from highlit.errors import ConfigError, HighlitWarning, InputNotFoundError
from highlit.highlights import Highlights
from highlit.media import made_by_highlit
from highlit.segments import Segment, find_segments
from highlit.timecode import nominal_rate
from highlit.writers import WRITERS, csv_out, edl, html_report, json_out, otio_out, plot, reel

# -- fixtures ---------------------------------------------------------------------------------------

SYN_FPS = 25
SYN_FRAMES = 60  # 2.4 s
LEVEL = 4  # grey step between frames: survives YUV rounding and lossless H.264


@pytest.fixture(scope="module")
def counter_video(tmp_path_factory) -> Path:
    """A silent 25 fps video whose frame i is flat grey at level LEVEL*i: every decoded frame says which
    source frame it came from, so cuts can be checked to the frame."""
    path = tmp_path_factory.mktemp("syn") / "counter.mp4"
    with av.open(str(path), "w") as out:
        s = out.add_stream("libx264", rate=SYN_FPS)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        s.options = {"crf": "0", "preset": "ultrafast", "g": "30"}
        for i in range(SYN_FRAMES):
            img = np.full((48, 64, 3), LEVEL * i, np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            frame.pts = i
            out.mux(s.encode(frame))
        out.mux(s.encode(None))
    return path


RATE = 48000
TONE = (1.0, 1.4)  # seconds of the counter video that carry a 1 kHz tone; silence elsewhere


@pytest.fixture(scope="module")
def tone_video(tmp_path_factory) -> Path:
    """2.4 s of the counter picture with an AAC track that is silent except during ``TONE``."""
    path = tmp_path_factory.mktemp("syn") / "tone.mp4"
    n = round(SYN_FRAMES / SYN_FPS * RATE)
    t = np.arange(n) / RATE
    wave = np.where((t >= TONE[0]) & (t < TONE[1]), 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0).astype(np.float32)
    with av.open(str(path), "w") as out:
        v = out.add_stream("libx264", rate=SYN_FPS)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        a = out.add_stream("aac", rate=RATE)
        a.layout = "mono"
        for i in range(SYN_FRAMES):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), LEVEL * i, np.uint8), format="rgb24")
            frame.pts = i
            out.mux(v.encode(frame))
        out.mux(v.encode(None))
        for k in range(0, n, 1024):
            frame = av.AudioFrame.from_ndarray(wave[None, k:k + 1024].copy(), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = RATE, k
            out.mux(a.encode(frame))
        out.mux(a.encode(None))
    return path


def _loud_span(path: Path, amplitude: float = 0.5) -> tuple[float, float]:
    """First and last 5 ms window of the decoded audio whose RMS is above half the tone's."""
    with av.open(str(path)) as c:
        rate = c.streams.audio[0].rate
        x = np.concatenate([f.to_ndarray().mean(axis=0) for f in c.decode(audio=0)])
    win = rate // 200
    rms = np.sqrt((x[: len(x) // win * win].reshape(-1, win) ** 2).mean(axis=1))
    loud = np.flatnonzero(rms > 0.5 * amplitude / np.sqrt(2))
    return loud[0] * win / rate, (loud[-1] + 1) * win / rate


@pytest.fixture(scope="module")
def offset_videos(tmp_path_factory) -> dict[str, Path]:
    """Sources whose timestamps start late: 2 s at 5 fps, frame i at grey ``media_factory.level(i)``, a
    0.3-amplitude tone from 1.0 s on; as MPEG-TS starting at 1.4 s (camcorders) and as an mkv muxed with a
    3 s offset."""
    d = tmp_path_factory.mktemp("offset")
    return {suffix: make_video(d / f"offset{suffix}", seconds=2.0, fps=5, offset=offset, tone_start=1.0)
            for suffix, offset in ((".ts", 1.4), (".mkv", 3.0))}


def _frame_ids(path: Path) -> list[float]:
    with av.open(str(path)) as c:
        return [float(f.to_ndarray(format="gray").mean()) / LEVEL for f in c.decode(video=0)]


def _highlights(source: Path | str, segments: list[Segment], duration: float, fps: float | None,
                has_audio: bool, timecode: str | None = None) -> Highlights:
    n = int(duration / 0.2)
    times = np.arange(n) * 0.2
    scores = (0.5 + 0.5 * np.sin(times)).astype(np.float32)
    return Highlights(source=str(source), times=times, scores=scores, segments=segments, duration=duration,
                      has_audio=has_audio, fps=fps, model={"name": "test"}, timecode=timecode)


def _probe(path: Path) -> tuple[float, float, bool]:
    """(video seconds, decoded audio seconds or 0, has audio stream) of a written file."""
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        n = sum(1 for _ in c.decode(video=0))
        vdur = n / float(v.average_rate)
        has_audio = bool(c.streams.audio)
    adur = 0.0
    if has_audio:
        with av.open(str(path)) as c:
            a = c.streams.audio[0]
            adur = float(a.duration * a.time_base)
    return vdur, adur, has_audio


# -- JSON / CSV ----------------------------------------------------------------------------------------

def test_json_and_csv_agree_with_the_segments(tmp_path):
    times = np.arange(100) * 0.2
    scores = np.where((times >= 4) & (times < 8), 0.9, 0.1)
    segs = find_segments(times, scores, 0.2, threshold=0.5, min_length=0, merge_gap=0)
    h = _highlights("/x/v.mp4", segs, 20.0, 25.0, False)
    h.scores = scores.astype(np.float32)
    back = Highlights.load(json_out.write(h, tmp_path / "v.json"))
    assert back.segments == [Segment.from_dict(s.to_dict()) for s in segs]
    rows = list(csv.DictReader(open(csv_out.write(h, tmp_path / "v.csv"), encoding="utf-8")))
    assert len(rows) == 100 and list(rows[0]) == ["time", "score", "segment"]
    inside = [float(r["time"]) for r in rows if r["segment"] == "1"]
    assert inside[0] == pytest.approx(4.0) and inside[-1] == pytest.approx(7.8) and len(inside) == 20
    assert all(r["segment"] == "" for r in rows if float(r["score"]) < 0.5)


# -- EDL --------------------------------------------------------------------------------------------

_TC = r"(\d\d):(\d\d):(\d\d):(\d\d)"
_EVENT = re.compile(rf"^(\d{{3}})  (\S{{1,8}}) +(V|A|B|AA/V) +C +{_TC} {_TC} {_TC} {_TC}$")


def parse_edl(text: str, fps: float) -> tuple[str, list[dict]]:
    """A strict CMX 3600 reader: TITLE, FCM, then events each followed only by comment lines."""
    base = round(fps)
    lines = text.splitlines()
    assert lines[0].startswith("TITLE: ") and len(lines[0]) <= 77
    assert lines[1] == "FCM: NON-DROP FRAME"
    events: list[dict] = []
    for line in lines[2:]:
        if not line.strip():
            continue
        m = _EVENT.match(line)
        if m:
            g = list(map(int, m.groups()[3:]))
            for k in range(0, 16, 4):
                assert g[k + 1] < 60 and g[k + 2] < 60 and g[k + 3] < base, line
            frames = [((g[k] * 60 + g[k + 1]) * 60 + g[k + 2]) * base + g[k + 3] for k in range(0, 16, 4)]
            events.append({"num": int(m.group(1)), "reel": m.group(2), "chan": m.group(3),
                           "src": frames[:2], "rec": frames[2:], "comments": []})
        else:
            assert line.startswith("* ") and events, f"not an event or comment: {line!r}"
            events[-1]["comments"].append(line)
    return lines[0][7:], events


@pytest.mark.parametrize("fps", [25.0, 30000 / 1001, 24.0])
@pytest.mark.parametrize("has_audio", [True, False])
def test_edl_is_strict_cmx3600_and_matches_segments(tmp_path, fps, has_audio):
    rng = np.random.default_rng(1)
    times = np.arange(3000) * 0.2  # 10 minutes: timecodes past the minute and hour digits matter
    scores = rng.uniform(0, 1, 3000)
    segs = find_segments(times, scores, 0.2, ratio=0.1, frame_rate=fps, video_duration=600.0)
    h = _highlights("/media/shoot/My Clip.MOV", segs, 600.0, fps, has_audio)
    title, events = parse_edl(edl.write(h, tmp_path / "t.edl").read_text(), fps)
    assert title == "My Clip"
    assert [e["num"] for e in events] == list(range(1, len(segs) + 1))
    rec = 3600 * round(fps)
    for e, seg in zip(events, segs, strict=True):
        assert e["chan"] == ("B" if has_audio else "V")
        assert e["src"] == [round(seg.start * fps), round(seg.end * fps)]
        assert e["rec"][0] == rec and e["rec"][1] - e["rec"][0] == e["src"][1] - e["src"][0]
        rec = e["rec"][1]
        assert "* FROM CLIP NAME: My Clip.MOV" in e["comments"]


def test_a_file_name_with_a_line_break_keeps_the_edl_one_event_per_line(tmp_path):
    segs = [Segment(1.0, 3.0, 0.7), Segment(5.0, 8.0, 0.9)]
    h = _highlights("/media/shoot/new\nline\r.mp4", segs, 10.0, 25.0, True)
    title, events = parse_edl(edl.write(h, tmp_path / "t.edl").read_text(), 25.0)  # strict: no stray line
    assert title == "new?line?" and len(events) == 2
    assert "* FROM CLIP NAME: new?line?.mp4" in events[0]["comments"]


def test_edl_reads_back_with_otio_cmx3600_adapter(tmp_path):
    """The reference reader (optional dev dependency otio-cmx3600-adapter) sees the same cuts."""
    pytest.importorskip("otio_cmx3600_adapter", reason="pip install otio-cmx3600-adapter")
    import opentimelineio as otio

    fps = 30000 / 1001
    segs = [Segment(1.001, 3.003, 0.7), Segment(70.07, 74.074, 0.9)]
    src = tmp_path / "clip.mp4"
    src.write_bytes(b"")
    path = edl.write(_highlights(src, segs, 90.0, fps, True), tmp_path / "t.edl")
    tl = otio.adapters.read_from_file(str(path), adapter_name="cmx_3600", rate=fps)
    assert sorted(t.kind for t in tl.tracks) == ["Audio", "Video"]
    for track in tl.tracks:
        clips = list(track.find_clips())
        assert [round(c.source_range.start_time.value) for c in clips] == [round(s.start * fps) for s in segs]
        assert [round(c.source_range.duration.value) for c in clips] == \
            [round(s.end * fps) - round(s.start * fps) for s in segs]
        assert all(Path(c.media_reference.target_url.removeprefix("file://")) == src.resolve() for c in clips)


def _events(text: str) -> list[list[str]]:
    return [line.split()[4:8] for line in text.splitlines() if re.match(r"^\d{3}  ", line)]


def test_edl_counts_from_the_cameras_start_timecode(tmp_path):
    """Editors relink by the source's own timecode: 7 s into a file that starts at 10:23:11:05 (23.976 fps,
    24 labels a second) is 10:23:18:05."""
    h = _highlights("/x/cam.mov", [Segment(7.0, 9.0, 0.9), Segment(10.0, 12.0, 0.5)], 30.0, 24000 / 1001, True,
                    timecode="10:23:11:05")
    text = edl.render(h)
    assert "FCM: NON-DROP FRAME" in text
    assert _events(text) == [["10:23:18:05", "10:23:20:05", "01:00:00:00", "01:00:02:00"],
                             ["10:23:21:05", "10:23:23:05", "01:00:02:00", "01:00:04:00"]]


def test_a_drop_frame_source_gives_a_drop_frame_edl(tmp_path):
    """29.97 drop-frame: minute 01:00 keeps its labels (a tenth minute), 01:01 starts at ;02."""
    h = _highlights("/x/cam.mp4", [Segment(60.0, 62.0, 0.9)], 90.0, 30000 / 1001, True, timecode="01:00:00;00")
    text = edl.render(h)
    assert "FCM: DROP FRAME" in text
    assert _events(text) == [["01:00:59;28", "01:01:02;00", "01:00:00;00", "01:00:02;00"]]


def test_otio_media_times_count_from_the_start_timecode(tmp_path):
    import opentimelineio as otio

    fps = 24000 / 1001
    h = _highlights(tmp_path / "cam.mov", [Segment(7.0, 9.0, 0.9)], 30.0, fps, False, timecode="10:23:11:05")
    tl = otio.adapters.read_from_file(str(otio_out.write(h, tmp_path / "t.otio")))
    clip = list(tl.find_clips())[0]
    start = ((10 * 60 + 23) * 60 + 11) * 24 + 5  # the label's frame count at 24 labels a second
    assert clip.source_range.start_time.value == start + 168 and clip.source_range.duration.value == 48
    available = clip.media_reference.available_range
    assert available.start_time.value == start and available.duration.value == round(30.0 * fps)
    assert otio.opentime.to_timecode(tl.global_start_time, fps) == "01:00:00:00"  # as the EDL's record side


@pytest.mark.parametrize(("label", "fps", "frames"), [
    ("00:01:00;04", 60000 / 1001, 3600),  # 59.94 drops labels 00-03 of each minute but every tenth
    ("00:10:00;00", 60000 / 1001, 35964),  # a tenth minute keeps them: 10 min less 9 x 4 labels
    ("01:00:00:00", 29.87, 108000),  # variable frame rate: non-drop at the nominal 30
])
def test_timecode_frame_counts(label, fps, frames):
    from highlit import timecode

    assert timecode.to_frames(label, fps) == frames
    assert timecode.label(frames, fps, timecode.is_drop_frame(label, fps)) == label


@pytest.mark.parametrize(("label", "fps"), [("00:00:00;45", 30000 / 1001), ("25:00:00:00", 25.0),
                                            ("00:00:00:25", 25.0), ("00:01:00;01", 30000 / 1001),
                                            ("00:01:00;03", 60000 / 1001)])
def test_labels_that_cannot_exist_cost_the_timecode_not_the_timeline(tmp_path, label, fps):
    from highlit import timecode

    with pytest.raises(ValueError):
        timecode.to_frames(label, fps)
    h = _highlights("/x/cam.mov", [Segment(1.0, 2.0, 0.9)], 10.0, fps, True, timecode=label)
    with pytest.warns(HighlitWarning, match="counts from 00:00:00:00"):
        text = edl.render(h)
    assert _events(text)[0][0] == timecode.label(round(1.0 * fps), fps)


def test_a_bad_start_timecode_is_refused():
    with pytest.raises(ConfigError, match="timecode"):
        _highlights("/x/v.mp4", [], 10.0, 25.0, False, timecode="10:23")


def test_edl_without_frame_rate_warns_and_uses_25(tmp_path):
    h = _highlights("/x/v.mp4", [Segment(1.0, 3.0, 0.5)], 10.0, None, False)
    with pytest.warns(HighlitWarning, match="frame rate unknown"):
        _, events = parse_edl(edl.render(h), 25.0)
    assert events[0]["src"] == [25, 75]


def test_edl_event_limit(tmp_path):
    segs = [Segment(i, i + 0.5, 0.5) for i in range(1000)]
    with pytest.raises(ConfigError, match="999"):
        edl.render(_highlights("/x/v.mp4", segs, 1001.0, 25.0, False))


# -- OTIO -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("has_audio", [True, False])
def test_otio_round_trips_through_the_library(tmp_path, has_audio):
    import opentimelineio as otio

    fps = 30000 / 1001
    segs = [Segment(1.0010, 3.0030, 0.7), Segment(10.01, 14.014, 0.9)]
    h = _highlights(tmp_path / "clip.mp4", segs, 60.0, fps, has_audio)
    tl = otio.adapters.read_from_file(str(otio_out.write(h, tmp_path / "clip.otio")))
    kinds = [t.kind for t in tl.tracks]
    assert kinds == (["Video", "Audio"] if has_audio else ["Video"])
    for track in tl.tracks:
        clips = list(track.find_clips())
        assert len(clips) == 2
        for clip, seg in zip(clips, segs, strict=True):
            r = clip.source_range
            assert r.start_time.rate == pytest.approx(fps)
            assert r.start_time.to_seconds() == pytest.approx(seg.start, abs=1 / fps)
            assert r.end_time_exclusive().to_seconds() == pytest.approx(seg.end, abs=1 / fps)
            assert clip.media_reference.target_url == (tmp_path / "clip.mp4").resolve().as_uri()
            assert clip.media_reference.available_range.duration.to_seconds() == pytest.approx(60.0, abs=0.05)
            assert clip.metadata["highlit"]["score"] == pytest.approx(seg.score)
    assert tl.duration().to_seconds() == pytest.approx(sum(s.length for s in segs), abs=2 / fps)


# -- reel and clips ------------------------------------------------------------------------------------

def test_reel_cuts_exact_frames(tmp_path, counter_video):
    segs = [Segment(0.4, 1.2, 0.9), Segment(1.6, 2.2, 0.8)]
    h = _highlights(counter_video, segs, SYN_FRAMES / SYN_FPS, SYN_FPS, False)
    out = h.write_reel(tmp_path / "reel.mp4")
    ids = np.round(_frame_ids(out)).astype(int).tolist()
    assert ids == list(range(10, 30)) + list(range(40, 55))
    with av.open(str(out)) as c:
        assert not c.streams.audio and c.streams.video[0].codec_context.name == "h264"


def test_reel_crossfade_blends_the_junction(tmp_path, counter_video):
    segs = [Segment(0.4, 1.2, 0.9), Segment(1.6, 2.2, 0.8)]
    h = _highlights(counter_video, segs, SYN_FRAMES / SYN_FPS, SYN_FPS, False)
    ids = _frame_ids(h.write_reel(tmp_path / "fade.mp4", crossfade=0.2))  # 5 frames
    assert len(ids) == 20 + 15 - 5
    assert np.round(ids[:15]).tolist() == list(range(10, 25))
    assert np.round(ids[20:]).tolist() == list(range(45, 55))
    fade = np.array(ids[15:20])
    tails, heads = np.arange(25, 30), np.arange(40, 45)
    w = (np.arange(5) + 1) / 6
    np.testing.assert_allclose(fade, tails * (1 - w) + heads * w, atol=1.0)


def test_reel_audio_is_cut_on_the_same_span_as_the_picture(tmp_path, tone_video):
    assert _loud_span(tone_video) == pytest.approx(TONE, abs=0.011)
    segs = [Segment(0.8, 1.6, 0.9), Segment(2.0, 2.4, 0.5)]  # the tone sits at 0.2-0.6 s of the reel
    h = _highlights(tone_video, segs, 2.4, SYN_FPS, True)
    out = h.write_reel(tmp_path / "tone_reel.mp4")
    assert _loud_span(out) == pytest.approx((0.2, 0.6), abs=0.011)
    assert np.round(_frame_ids(out)).tolist() == list(range(20, 40)) + list(range(50, 60))
    vdur, adur, has_audio = _probe(out)
    assert has_audio and adur == pytest.approx(vdur, abs=0.03)


def test_clips_one_file_per_segment(tmp_path, counter_video):
    segs = [Segment(0.0, 0.4, 0.5), Segment(2.0, 2.4, 0.6)]
    h = _highlights(counter_video, segs, SYN_FRAMES / SYN_FPS, SYN_FPS, False)
    paths = h.write_clips(tmp_path / "clips")
    assert [p.name for p in paths] == ["counter.clip001.mp4", "counter.clip002.mp4"]
    assert np.round(_frame_ids(paths[0])).tolist() == list(range(0, 10))
    assert np.round(_frame_ids(paths[1])).tolist() == list(range(50, 60))


def test_clips_carry_the_source_timecode_of_their_first_frame(tmp_path, counter_video):
    """A clip cut 2 s into a file that starts at 10:23:11:05 (25 fps) starts at 10:23:13:05; a reel joins
    cuts from several places, so it carries none."""
    from highlit.media import file_timecode

    segs = [Segment(0.0, 0.4, 0.5), Segment(2.0, 2.4, 0.6)]
    h = _highlights(counter_video, segs, SYN_FRAMES / SYN_FPS, SYN_FPS, False, timecode="10:23:11:05")
    assert [file_timecode(p) for p in h.write_clips(tmp_path / "clips")] == ["10:23:11:05", "10:23:13:05"]
    assert file_timecode(h.write_reel(tmp_path / "reel.mp4")) is None
    h.timecode = None
    assert file_timecode(h.write_clips(tmp_path / "plain")[1]) is None


@pytest.mark.parametrize("suffix", [".ts", ".mkv"])
def test_reel_of_a_source_starting_late(tmp_path, offset_videos, suffix):
    """Segment times count from the video's first frame, not from timestamp 0, for picture and sound."""
    h = _highlights(offset_videos[suffix], [Segment(0.6, 1.4, 0.9)], 2.0, 5.0, True)
    out = h.write_reel(tmp_path / "reel.mp4")
    with av.open(str(out)) as c:
        assert [frame_index(f.to_ndarray(format="rgb24"), 10) for f in c.decode(video=0)] == [3, 4, 5, 6]
    vdur, adur, has_audio = _probe(out)
    assert vdur == pytest.approx(0.8) and has_audio and adur == pytest.approx(0.8, abs=0.05)
    assert _loud_span(out, amplitude=0.3) == pytest.approx((0.4, 0.8), abs=0.03)  # the tone from 1.0 s


def test_reel_suffix_names_the_container(tmp_path, tone_video):
    segs = [Segment(0.8, 1.6, 0.9), Segment(2.0, 2.4, 0.5)]
    h = _highlights(tone_video, segs, 2.4, SYN_FPS, True)
    webm = h.write_reel(tmp_path / "reel.webm")  # WebM admits VP9 + Opus only
    with av.open(str(webm)) as c:
        assert "webm" in c.format.name
        assert [s.codec_context.name for s in c.streams] == ["vp9", "opus"]
    assert np.round(_frame_ids(webm)).tolist() == list(range(20, 40)) + list(range(50, 60))
    assert _loud_span(webm) == pytest.approx((0.2, 0.6), abs=0.02)
    with av.open(str(h.write_reel(tmp_path / "reel.mkv"))) as c:
        assert "matroska" in c.format.name
        assert [s.codec_context.name for s in c.streams] == ["h264", "aac"]
    for cut in (webm, tmp_path / "reel.mkv", *h.write_clips(tmp_path / "clips")):
        assert made_by_highlit(cut)  # a later folder scan can leave them out
    assert not made_by_highlit(tone_video) and not made_by_highlit(tmp_path / "gone.mp4")
    gone = _highlights(tmp_path / "gone.mp4", segs, 2.4, SYN_FPS, True)
    for name in ("reel.avi", "reel.gif", "reel"):
        for src in (h, gone):  # refused before the source is even looked at
            with pytest.raises(ConfigError, match="cannot write .*name it .mp4"):
                src.write_reel(tmp_path / name)
        assert not (tmp_path / name).exists()


def test_reel_errors(tmp_path, counter_video):
    with pytest.raises(InputNotFoundError):
        _highlights(tmp_path / "gone.mp4", [Segment(0, 1, 1)], 5.0, 25.0, False).write_reel(tmp_path / "r.mp4")
    h = _highlights(counter_video, [], 2.4, 25.0, False)
    with pytest.raises(ConfigError, match="no highlight segments"):
        h.write_reel(tmp_path / "r.mp4")
    with pytest.raises(ConfigError):
        _highlights(counter_video, [Segment(0, 1, 1)], 2.4, 25.0, False).write_reel(tmp_path / "r.mp4", -1)
    assert not (tmp_path / "r.mp4").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["chaplin.mp4", "big_buck_bunny_0_30.webm", "bigbuckbunny_5s.mp4",
                                  "smpte-2997.mp4"])
def test_every_output_of_real_clips(tmp_path, media_dir, name):
    """On each shared clip: all file formats are written and read back, and the reel plays with sound."""
    import opentimelineio as otio

    src = media_dir / name
    with av.open(str(src)) as c:
        fps = float(c.streams.video[0].average_rate)
        duration = c.duration / 1e6
        source_audio = bool(c.streams.audio)
    d = min(duration, 10.0)
    times = np.arange(int(d / 0.2)) * 0.2
    scores = (0.5 + 0.5 * np.cos(times * 1.3)).astype(np.float32)  # fabricated curve
    segs = find_segments(times, scores, 0.2, duration=2.4, min_length=1.0, merge_gap=0.3, frame_rate=fps,
                         video_duration=duration)
    assert len(segs) >= 2
    h = Highlights(source=str(src), times=times, scores=scores, segments=segs, duration=duration,
                   has_audio=source_audio, fps=fps)
    written = h.write(tmp_path / "out", formats=list(WRITERS))
    assert Highlights.load(written["json"]).segments == [Segment.from_dict(s.to_dict()) for s in segs]
    assert len(parse_edl(written["edl"].read_text(), fps)[1]) == len(segs)
    assert otio.adapters.read_from_file(str(written["otio"])).tracks[0].find_clips()
    assert written["plot"].read_bytes()[:4] == b"\x89PNG" and "<video" in written["html"].read_text()
    fade = 0.2
    vdur, adur, has_audio = _probe(h.write_reel(tmp_path / "reel.mp4", crossfade=fade))
    fade_frames = round(fade * fps) / fps
    expect = sum(s.length for s in segs) - (len(segs) - 1) * fade_frames
    assert vdur == pytest.approx(expect, abs=1.5 / fps)
    assert has_audio == source_audio
    if has_audio:
        assert adur == pytest.approx(vdur, abs=0.05)


# -- plot -------------------------------------------------------------------------------------------

def test_grab_frames_lands_on_the_asked_time(counter_video):
    frames = reel.grab_frames(counter_video, [0.0, 1.0, 2.02], width=64)  # unscaled: exact levels
    assert [round(float(f.mean()) / LEVEL) for f in frames] == [0, 25, 50]
    assert reel.grab_frames(counter_video, [0.5], width=32)[0].shape == (24, 32, 3)


def test_grab_frames_takes_the_frame_on_screen(tmp_path, counter_video):
    """The frame on screen at t is the last one shown at or before t (what the features saw at t)."""
    frames = reel.grab_frames(counter_video, [1.03, 1.039, 0.999, 2.36, 9.0], width=64)
    assert [round(float(f.mean()) / LEVEL) for f in frames] == [25, 25, 24, 59, 59]
    one = make_video(tmp_path / "one.mp4", seconds=0.04, fps=25, audio=False)  # a single frame
    h = Highlights(source=str(one), times=np.zeros(1), scores=np.ones(1, np.float32), segments=[],
                   duration=0.04, fps=25.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", HighlitWarning)
        thumbs = plot._thumbnails(h, plot.top_moments(h))
    assert len(thumbs) == 1 and frame_index(thumbs[0], 1) == 0


@pytest.mark.parametrize("suffix", [".ts", ".mkv"])
def test_thumbnails_of_a_source_starting_late_show_the_labelled_time(offset_videos, suffix):
    times = np.arange(10) * 0.2
    scores = np.exp(-((times - 1.2) ** 2) * 4).astype(np.float32)
    h = Highlights(source=str(offset_videos[suffix]), times=times, scores=scores, segments=[Segment(1.0, 1.6, 0.9)],
                   duration=2.0, fps=5.0)
    moments = plot.top_moments(h)
    assert moments == pytest.approx([1.3])
    thumbs = plot._thumbnails(h, moments)
    assert [frame_index(img, 10) for img in thumbs] == [6]  # frame 6 is shown from 1.2 to 1.4 s
    frames = reel.grab_frames(offset_videos[suffix], [0.0, 0.5, 1.9, 3.0], width=64)
    assert [frame_index(img, 10) for img in frames] == [0, 2, 9, 9]


@pytest.mark.slow
def test_plot_with_thumbnails_of_top_moments(tmp_path, media_dir):
    import matplotlib.image as mpimg

    src = media_dir / "bigbuckbunny_5s.mp4"
    times = np.arange(26) * 0.2
    scores = np.exp(-((times - 3.0) ** 2)).astype(np.float32)
    segs = find_segments(times, scores, 0.2, threshold=0.5, min_length=0.5, frame_rate=25.0,
                         video_duration=5.312)
    h = Highlights(source=str(src), times=times, scores=scores, segments=segs, duration=5.312, fps=25.0)
    moments = plot.top_moments(h)
    assert len(moments) == 1 and moments[0] == pytest.approx(3.1, abs=0.11)
    img = mpimg.imread(plot.write(h, tmp_path / "p.png"))
    assert img.shape[0] == 620 and img.shape[1] == 1200  # curve + thumbnail strip
    # the source gone: the curve is still drawn, without the strip, with a warning
    h.source = str(tmp_path / "moved.mp4")
    with pytest.warns(HighlitWarning, match="without thumbnails"):
        img = mpimg.imread(plot.write(h, tmp_path / "q.png"))
    assert img.shape[0] == 360


# -- HTML (the browser test is in test_report_browser.py) ------------------------------------------

def test_report_is_self_contained(tmp_path, counter_video):
    segs = [Segment(0.4, 1.2, 0.9), Segment(2.0, 2.8, 0.8)]
    h = _highlights(counter_video, segs, 2.4, SYN_FPS, False)
    page = html_report.write(h, tmp_path / "r.html").read_text()
    assert "data:video/mp4;base64," in page  # small source: embedded
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "page loads a network resource"
    assert not re.search(r"<(link|img|iframe)\b", page)
    assert page.count('class="seg-btn"') == 2 and 'data-start="2.000"' in page


def test_report_labels_an_embedded_quicktime_file_as_mp4(tmp_path, counter_video):
    """Chrome and Edge refuse a data: URL labelled video/quicktime; the same bytes play as video/mp4."""
    mov = tmp_path / "camera.MOV"
    mov.write_bytes(counter_video.read_bytes())
    assert html_report.video_src(str(mov), tmp_path / "r.html").startswith("data:video/mp4;base64,")


def test_report_carries_the_files_start_offset(tmp_path):
    """The page needs the offset to map highlit's times onto a player that keeps it (see the browser test)."""
    late = make_video(tmp_path / "late.mkv", seconds=1.0, fps=10, audio=False, offset=3.0)
    h = Highlights(source=str(late), times=np.arange(5) * 0.2, scores=np.linspace(0, 1, 5), segments=[],
                   duration=1.0, fps=10.0)
    payload = re.search(r'<script type="application/json" id="highlit-data">(.*?)</script>',
                        html_report.render(h, tmp_path / "r.html")).group(1)
    assert json.loads(payload)["origin"] == pytest.approx(3.0, abs=0.01)
    h.source = str(tmp_path / "moved.mkv")  # the source gone: no offset, still a page
    assert '"origin": 0.0' in html_report.render(h, tmp_path / "r.html")


def test_report_links_large_sources_relatively(tmp_path, counter_video):
    h = _highlights(counter_video, [Segment(0.4, 1.2, 0.9)], 2.4, SYN_FPS, False)
    out = tmp_path / "reports" / "r.html"
    page = html_report.write(h, out, embed=False).read_text()
    src = re.search(r'<video[^>]* src="([^"]+)"', page).group(1)
    assert not src.startswith(("data:", "file:", "/"))
    assert (out.parent / src).resolve() == counter_video.resolve()


def test_report_downsamples_long_curves_keeping_peaks():
    n = 20000
    scores = np.zeros(n, np.float32)
    scores[12345] = 1.0
    h = Highlights(source="/x/long.mp4", times=np.arange(n) * 0.2, scores=scores, segments=[])
    pts = html_report._curve_points(h).split()
    assert len(pts) == html_report.MAX_POINTS
    assert min(float(p.split(",")[1]) for p in pts) == 0.0  # the single peak survives


def test_report_curve_stays_inside_the_player():
    """The last step's centre (5.1 s) lies past a 5.05 s video's end: the curve stops at the end."""
    times = np.arange(26) * 0.2
    h = Highlights(source="/x/v.mp4", times=times, scores=np.linspace(0, 1, 26, dtype=np.float32), segments=[],
                   duration=5.05)
    xs = [float(p.split(",")[0]) for p in html_report._curve_points(h).split()]
    assert len(xs) == 26 and 0 < xs[0] < xs[-1] == 1000.0 and xs == sorted(xs)


def test_fraction_rates_are_handled():
    assert edl.timecode(30 * 3600 + 29, 30000 / 1001) == "01:00:00:29"
    assert nominal_rate(float(Fraction(24000, 1001))) == 24
