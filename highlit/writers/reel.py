"""Cut the highlight segments out of the source and join them into one video (or one file each).

Why re-encode rather than copy packets: stream copy can only cut on keyframes (every few seconds), so
cuts would start early and carry frames outside the segment; re-encoding to H.264 (libx264, CRF 20)
+ AAC puts every cut on the exact frame the segments were snapped to, and makes cross-fades possible.

The output's suffix names its container (:data:`FORMATS`): ``.mp4``/``.m4v``, ``.mov`` and ``.mkv`` hold
H.264 + AAC; ``.webm`` admits only VP8/VP9 + Opus/Vorbis, so it gets VP9 (libvpx, constant quality) + Opus
at 48 kHz, both in PyAV's own FFmpeg build. Any other suffix is refused with a :class:`ConfigError`
before the source is opened (:func:`output_format`; a CLI can call it before any work starts).

Times: segment times count from highlit's ``t = 0``, the start of the source's video stream
(:func:`highlit.media.timeline_origin`), not from timestamp 0: MPEG-TS starts at ~1.4 s and an mkv can
be muxed with any offset. Every frame and sample timestamp is taken relative to that origin before it is
compared, as the feature extraction does, so cuts and thumbnails land on the times the scores name.

How it streams (memory stays flat for any length): per segment, seek to the keyframe before the start,
decode, keep the frames whose time lies in ``[start, end)``, and encode them at once; the audio of the
segment is then decoded from its own container handle, trimmed to the same span sample-exactly, and
padded or cut to the length of the segment's video so picture and sound never drift. A cross-fade of
``f`` seconds overlaps the last ``f`` of a segment with the first ``f`` of the next (linear blend of
pictures and of samples), so the reel is ``sum(lengths) - (n - 1) * f`` long; ``f`` is clamped to
half the shortest segment. Only the frames being blended are converted to RGB.

Known limit: a rotated phone video comes out as stored (unrotated); the display matrix is not copied.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import av.error
import numpy as np

from highlit import timecode as tc
from highlit.atomic import atomic_path
from highlit.errors import ConfigError, InputNotFoundError, MediaError, NoVideoStreamError, warn
from highlit.media import _EPS, OUTPUT_COMMENT, timeline_origin, video_stream
from highlit.progress import bar

if TYPE_CHECKING:
    from highlit.highlights import Highlights
    from highlit.segments import Segment

CRF = "20"
PRESET = "veryfast"
AAC_FRAME = 1024


@dataclass(frozen=True)
class OutputFormat:
    """How a reel or clip is written: FFmpeg muxer, encoders with their options, fixed audio rate if any."""

    muxer: str
    video: str
    audio: str
    video_options: dict[str, str]
    muxer_options: dict[str, str]
    audio_rate: int | None = None  # None: the source's rate


_H264 = {"crf": CRF, "preset": PRESET}
_FASTSTART = {"movflags": "+faststart"}
FORMATS: dict[str, OutputFormat] = {
    ".mp4": OutputFormat("mp4", "libx264", "aac", _H264, _FASTSTART),
    ".m4v": OutputFormat("mp4", "libx264", "aac", _H264, _FASTSTART),
    ".mov": OutputFormat("mov", "libx264", "aac", _H264, _FASTSTART),
    ".mkv": OutputFormat("matroska", "libx264", "aac", _H264, {}),
    # libvpx's realtime mode: as fast as libx264 veryfast here (its "good" mode is 4x slower), constant quality
    ".webm": OutputFormat("webm", "libvpx-vp9", "libopus",
                          {"crf": "32", "b": "0", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}, {},
                          audio_rate=48000),
}


def output_format(path: str | os.PathLike[str]) -> OutputFormat:
    """The container and codecs the suffix of ``path`` names; a one-line ConfigError for any other suffix."""
    suffix = Path(path).suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ConfigError(f"{path}: cannot write a {suffix or 'suffix-less'} video; "
                          f"name it {', '.join(FORMATS)}")
    missing = [c for c in (fmt.video, fmt.audio) if c not in av.codecs_available]
    if missing:
        raise ConfigError(f"{path}: this PyAV build has no {' or '.join(missing)} encoder for {suffix}; "
                          "name it .mp4 instead")
    return fmt


@dataclass(frozen=True)
class _Source:
    path: Path
    fps: Fraction
    width: int
    height: int
    audio_rate: int | None
    audio_layout: str | None
    origin: float = 0.0  # presentation time (s) of t = 0 (media.timeline_origin)


def _probe(path: Path, fallback_fps: float | None, needed: str = "to cut the reel") -> _Source:
    if not path.is_file():
        raise InputNotFoundError(f"{path}: source video not found (needed {needed})")
    try:
        with av.open(str(path)) as inp:
            v = video_stream(inp)
            if v is None:
                raise NoVideoStreamError(f"{path}: no video stream to cut")
            rate = v.average_rate or v.guessed_rate or (Fraction(fallback_fps).limit_denominator(1001)
                                                        if fallback_fps else None)
            if not rate:
                raise MediaError(f"{path}: frame rate unknown, cannot cut a reel")
            a = inp.streams.audio[0] if inp.streams.audio else None
            return _Source(path, Fraction(rate), v.codec_context.width // 2 * 2, v.codec_context.height // 2 * 2,
                           a.rate if a else None,
                           ("stereo" if a.codec_context.channels >= 2 else "mono") if a else None,
                           timeline_origin(inp))
    except av.error.FFmpegError as err:
        raise MediaError(f"{path}: cannot read the source video ({err})") from None


def _frame_time(frame: av.frame.Frame, origin: float) -> float | None:
    """Presentation time of ``frame`` on highlit's timeline (seconds after ``origin``)."""
    return None if frame.pts is None or frame.time_base is None else float(frame.pts * frame.time_base) - origin


def _seek(inp: av.container.InputContainer, stream: av.stream.Stream, t: float, origin: float) -> None:
    """Seek ``stream`` to the keyframe at or before ``t`` on highlit's timeline (never before its start)."""
    inp.seek(math.floor((origin + max(0.0, t)) / stream.time_base), stream=stream, backward=True)


def _decoded(inp: av.container.InputContainer, stream: av.stream.Stream) -> Iterator[av.frame.Frame]:
    for packet in inp.demux(stream):
        try:
            frames = packet.decode()
        except av.error.InvalidDataError:
            continue  # one damaged packet costs one frame, not the reel
        yield from frames


def _frames_from(inp: av.container.InputContainer, stream: av.stream.Stream, need: float, origin: float
                 ) -> Iterator[av.frame.Frame]:
    """Decoded frames of ``stream`` from a keyframe a second or more before ``need`` (highlit's timeline) on.

    A seek is only as good as the demuxer: MPEG-TS has no index, and FFmpeg's search over the file can
    land after ``need`` or at the end when keyframes are sparse. Then it reads again from the very start.
    """
    _seek(inp, stream, need - 1.0, origin)
    first = True
    for frame in _decoded(inp, stream):
        if first:
            first = False
            t = _frame_time(frame, origin)
            if need - 1.0 > 0 and t is not None and t > need + _EPS:
                break
        yield frame
    else:
        if not first or need - 1.0 <= 0:
            return
    _seek(inp, stream, 0.0, origin)
    yield from _decoded(inp, stream)


def _video_frames(inp: av.container.InputContainer, start: float, end: float, fps: Fraction, origin: float
                  ) -> Iterator[av.VideoFrame]:
    """Decoded frames whose presentation time (after ``origin``) is in [start, end), half a frame of tolerance."""
    stream = video_stream(inp)
    half = 0.5 / float(fps)
    for frame in _frames_from(inp, stream, start - half, origin):
        t = _frame_time(frame, origin)
        if t is None or t < start - half:
            continue
        if t >= end - half:
            return
        yield frame


def _frame_at(inp: av.container.InputContainer, t: float, origin: float) -> av.VideoFrame | None:
    """The frame on screen at ``t`` (after ``origin``): the last one shown at or before ``t``, as
    :class:`highlit.media.MediaReader` picks them; before the first frame the first, past the end the last."""
    shown: av.VideoFrame | None = None
    for frame in _frames_from(inp, video_stream(inp), t, origin):
        ft = _frame_time(frame, origin)
        if ft is None:
            continue
        if ft > t + _EPS:
            return shown if shown is not None else frame  # no frame before t: the first one
        shown = frame
    return shown  # t at or past the last frame (None: no frame at all)


def _audio_samples(inp: av.container.InputContainer, start: float, end: float, src: _Source
                   ) -> Iterator[np.ndarray]:
    """Planar float32 [channels, n] pieces covering [start, end), sample-exact, gaps filled with silence."""
    assert src.audio_rate is not None and src.audio_layout is not None
    rate = src.audio_rate
    stream = inp.streams.audio[0]
    resampler = av.AudioResampler(format="fltp", layout=src.audio_layout, rate=rate)
    first, stop = round(start * rate), round(end * rate)
    pos = first  # next sample we owe
    for frame in _frames_from(inp, stream, start, src.origin):
        t = _frame_time(frame, src.origin)
        if t is None:
            continue
        p0 = round(t * rate)
        for out in resampler.resample(frame):
            x = out.to_ndarray().astype(np.float32, copy=False)
            p1 = p0 + x.shape[1]
            if p1 > pos and p0 < stop:
                if p0 > pos:
                    yield np.zeros((x.shape[0], min(p0, stop) - pos), np.float32)
                    pos = min(p0, stop)
                a = pos - p0
                b = min(p1, stop) - p0
                if b > a:
                    yield x[:, a:b]
                    pos = p0 + b
            p0 = p1
        if pos >= stop:
            return


class _Encoder:
    """Output container with a frame counter and an AAC frame chunker."""

    def __init__(self, path: Path, src: _Source, audio: bool, fmt: OutputFormat, comment: str,
                 timecode: str | None = None) -> None:
        self.src = src
        self.out = av.open(str(path), mode="w", format=fmt.muxer, options=dict(fmt.muxer_options))
        self.out.metadata["comment"] = comment
        self.v = self.out.add_stream(fmt.video, rate=src.fps)
        if timecode:  # a tmcd track in mp4/mov, a TIMECODE tag in Matroska: editors relink the clip by it
            self.v.metadata["timecode"] = timecode
        self.v.width, self.v.height, self.v.pix_fmt = src.width, src.height, "yuv420p"
        self.v.options = dict(fmt.video_options)
        self.a = None
        if audio:  # frames go in at the source's rate; PyAV resamples to the encoder's (Opus: 48 kHz)
            self.a = self.out.add_stream(fmt.audio, rate=fmt.audio_rate or src.audio_rate)
            self.a.layout = src.audio_layout
        self.n_frames = 0
        self.n_samples = 0
        self._abuf = np.zeros((1 if src.audio_layout == "mono" else 2, 0), np.float32)

    def video(self, frame: av.VideoFrame | np.ndarray) -> None:
        if isinstance(frame, np.ndarray):
            frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
        out = frame.reformat(width=self.src.width, height=self.src.height, format="yuv420p")
        out.pts = self.n_frames
        out.time_base = 1 / self.src.fps
        self.n_frames += 1
        self.out.mux(self.v.encode(out))

    def audio(self, samples: np.ndarray, final: bool = False) -> None:
        self._abuf = np.concatenate([self._abuf, samples], axis=1) if samples.size else self._abuf
        while self._abuf.shape[1] >= AAC_FRAME or (final and self._abuf.shape[1]):
            chunk, self._abuf = self._abuf[:, :AAC_FRAME], self._abuf[:, AAC_FRAME:]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp",
                                               layout=self.src.audio_layout)
            frame.sample_rate = self.src.audio_rate
            frame.pts = self.n_samples
            frame.time_base = Fraction(1, self.src.audio_rate)
            self.n_samples += chunk.shape[1]
            self.out.mux(self.a.encode(frame))

    def close(self) -> None:
        if self.a is not None:
            self.audio(np.zeros((self._abuf.shape[0], 0), np.float32), final=True)
            self.out.mux(self.a.encode(None))
        self.out.mux(self.v.encode(None))
        self.out.close()


def _rgb(frame: av.VideoFrame | np.ndarray, src: _Source) -> np.ndarray:
    if isinstance(frame, np.ndarray):
        return frame
    return frame.to_ndarray(width=src.width, height=src.height, format="rgb24")


def _blend(a: np.ndarray, b: np.ndarray, w: float) -> np.ndarray:
    return (a.astype(np.float32) * (1.0 - w) + b.astype(np.float32) * w + 0.5).astype(np.uint8)


def _fade_ramp(n: int) -> np.ndarray:
    """Weights of the incoming segment over an n-long overlap, strictly inside (0, 1)."""
    return (np.arange(n, dtype=np.float32) + 1.0) / (n + 1.0)


def _cut(highlights: Highlights, segments: list[Segment], path: str | os.PathLike[str],
         crossfade: float, label: str, keep_timecode: bool = False) -> Path:
    """``segments`` of the source joined into one file. ``keep_timecode``: the file starts at its first frame's
    source timecode (a clip of one segment; a reel joins cuts, so no one timecode describes it)."""
    fmt = output_format(path)
    if crossfade < 0:
        raise ConfigError(f"cross-fade must be >= 0 seconds, got {crossfade}")
    if not segments:
        raise ConfigError(f"{highlights.source}: no highlight segments to cut")
    src = _probe(Path(highlights.source), highlights.fps)
    fps = float(src.fps)
    lengths = [max(1, round(s.end * fps) - round(s.start * fps)) for s in segments]
    nf = round(crossfade * fps) if len(segments) > 1 else 0
    if nf > min(lengths) // 2:
        warn(f"cross-fade {crossfade:g}s is longer than half the shortest segment; using "
             f"{(min(lengths) // 2) / fps:.2f}s")
        nf = min(lengths) // 2
    with_audio = src.audio_rate is not None
    fa = round(nf / fps * src.audio_rate) if with_audio else 0
    timecode = None
    if keep_timecode and highlights.timecode:
        start, drop = tc.first_frame(highlights.timecode, fps, highlights.source)
        timecode = tc.label(start + round(segments[0].start * fps), fps, drop)
    final = Path(path)
    try:
        with atomic_path(final) as tmp, av.open(str(src.path)) as vin, av.open(str(src.path)) as ain, \
                bar(label, total=sum(lengths), unit="frames") as progress:
            video_stream(vin).thread_type = "AUTO"
            enc = _Encoder(tmp, src, with_audio, fmt, f"{OUTPUT_COMMENT}{label} of {src.path.name}", timecode)
            vtail: list[np.ndarray] = []
            atail = np.zeros((0, 0), np.float32)
            for i, seg in enumerate(segments):
                last = i == len(segments) - 1
                hold = 0 if last else nf
                held: deque = deque()
                k = 0
                for frame in _video_frames(vin, seg.start, seg.end, src.fps, src.origin):
                    if k < len(vtail):  # fading in over the previous segment's tail
                        enc.video(_blend(vtail[k], _rgb(frame, src), float(_fade_ramp(len(vtail))[k])))
                    else:
                        held.append(frame)
                        if len(held) > hold:
                            enc.video(held.popleft())
                    k += 1
                    progress.advance(1)
                for leftover in vtail[k:]:  # segment shorter than the fade (truncated file)
                    enc.video(leftover)
                vtail = [_rgb(f, src) for f in held]
                if with_audio:
                    atail = _segment_audio(enc, ain, seg, k, src, atail, 0 if last else fa)
            if with_audio and atail.size:
                enc.audio(atail)
            enc.close()
            if enc.n_frames == 0:
                raise MediaError(f"{src.path}: no frames decoded inside the segments")
    except av.error.FFmpegError as err:
        raise MediaError(f"{src.path}: cutting failed ({err})") from None
    return final


def _segment_audio(enc: _Encoder, ain, seg: Segment, n_frames: int, src: _Source, tail: np.ndarray,
                   hold: int) -> np.ndarray:
    """Encode one segment's audio, exactly as long as its ``n_frames`` of video; returns its held tail."""
    rate = src.audio_rate
    assert rate is not None
    want = round(n_frames / float(src.fps) * rate)
    channels = 1 if src.audio_layout == "mono" else 2
    head = tail.shape[1] if tail.size else 0
    ramp = _fade_ramp(head) if head else None
    buf = np.zeros((channels, 0), np.float32)
    got = 0

    def pieces() -> Iterator[np.ndarray]:
        nonlocal got
        for x in _audio_samples(ain, seg.start, seg.start + want / rate, src):
            x = x[:, : want - got]
            got += x.shape[1]
            yield x
        if got < want:  # audio ends before the picture: keep sync with silence
            yield np.zeros((channels, want - got), np.float32)
            got = want

    done = 0  # samples of this segment consumed
    for x in pieces():
        if done < head:  # mix into the previous tail
            n = min(head - done, x.shape[1])
            assert ramp is not None
            w = ramp[done:done + n]
            enc.audio(tail[:, done:done + n] * (1.0 - w) + x[:, :n] * w)
            done += n
            x = x[:, n:]
        buf = np.concatenate([buf, x], axis=1)
        done += x.shape[1]
        if buf.shape[1] > hold:
            enc.audio(buf[:, : buf.shape[1] - hold])
            buf = buf[:, buf.shape[1] - hold:]
    if done < head:  # segment shorter than the fade: the rest of the tail plays out
        enc.audio(tail[:, done:])
    return buf


def write_reel(highlights: Highlights, path: str | os.PathLike[str], crossfade: float = 0.0) -> Path:
    """All segments, in time order, joined into one video at ``path`` (container from its suffix, :data:`FORMATS`)."""
    return _cut(highlights, list(highlights.segments), path, crossfade, "reel")


def clip_path(highlights: Highlights, out_dir: str | os.PathLike[str], n: int) -> Path:
    return Path(out_dir) / f"{highlights.name}.clip{n:03d}.mp4"


def write_clips(highlights: Highlights, out_dir: str | os.PathLike[str]) -> list[Path]:
    """One mp4 per segment, ``<stem>.clipNNN.mp4`` numbered in time order (the EDL's event numbers), each
    carrying the source timecode of its first frame when the source has one."""
    if not highlights.segments:
        raise ConfigError(f"{highlights.source}: no highlight segments to cut")
    return [_cut(highlights, [seg], clip_path(highlights, out_dir, n), 0.0, f"clip {n}", keep_timecode=True)
            for n, seg in enumerate(highlights.segments, start=1)]


def grab_frames(path: str | os.PathLike[str], times: list[float], width: int = 320) -> list[np.ndarray]:
    """RGB frames (``width`` wide) on screen at each of ``times`` (seconds on highlit's timeline, i.e. from
    the start of the video stream), one seek each: for a handful of thumbnails this is far cheaper than
    decoding the whole video. The frame on screen at t is the last one whose time is <= t (the one
    :class:`highlit.media.MediaReader` gives for a grid point at t); before the first frame, the first."""
    src = _probe(Path(path), None, "for the thumbnails")
    height = max(2, round(src.height * width / max(1, src.width)) // 2 * 2)
    out: list[np.ndarray] = []
    try:
        with av.open(str(src.path)) as inp:
            video_stream(inp).thread_type = "AUTO"
            for t in times:
                frame = _frame_at(inp, t, src.origin)
                if frame is None:
                    raise MediaError(f"{src.path}: no frame at {t:.2f}s")
                out.append(frame.to_ndarray(width=width, height=height, format="rgb24"))
    except av.error.FFmpegError as err:
        raise MediaError(f"{src.path}: cannot decode thumbnails ({err})") from None
    return out
