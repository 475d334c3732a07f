"""Reading video and audio with PyAV: frames on a fixed time grid, audio as mono 16 kHz floats.

Why it is built this way (measurements in shared/notes/media.md):
- One straight pass over the file. Seeking to each 0.2 s mark is ~12x slower than decoding everything
  and keeping only the frames that fall on the grid.
- ``thread_type='AUTO'`` (frame + slice threads) is 1.5x faster than PyAV's default.
- Only sampled frames are converted and scaled (by FFmpeg's swscale, in C), so the cost of a 30 fps
  source is mostly the decoder's.
- The grid comes from the stream's own timestamps: for each sample time t we keep the frame that is
  on screen at t (the last one whose presentation time is <= t). Variable-frame-rate phone videos
  therefore come out on the right times, and a frame that covers several grid points is repeated.
- Timestamps need not start at 0 (MPEG-TS starts at ~1.4 s, an mkv can be muxed with an offset): t = 0
  is the start of the video stream (:func:`timeline_origin`), for the grid, the audio, the declared
  length and every other reader of the file (reels, thumbnails).
- Rotated phone videos carry a display matrix; frames are turned the way a player shows them.
- Damaged packets are skipped one by one (PyAV stops at the first otherwise), and a file that ends
  early without any error (truncated, index at the front) is detected by comparing the decoded length
  with the length the container declares. Both are reported with :func:`highlit.errors.warn`.
- Video and audio are demuxed together, so the file is read once and the audio kept in memory is only
  what lies between two video packets. Everything is a generator: memory does not grow with length.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import av.error
import numpy as np

from highlit.errors import (
    ConfigError,
    EmptyMediaError,
    HighlitError,
    InputNotFoundError,
    MediaError,
    NoVideoStreamError,
    warn,
)
from highlit.timecode import normalise, to_frames

DEFAULT_FPS = 5.0
DEFAULT_SIZE = (224, 224)
AUDIO_RATE = 16000
# Timestamps are rounded to the stream time base (often 1 ms); a frame within this of a grid point
# counts as showing at it.
_EPS = 1e-4


@dataclass(frozen=True)
class StreamInfo:
    index: int
    type: str
    codec: str


@dataclass(frozen=True)
class MediaInfo:
    """What a file holds, read from the container plus its first video frame (for the rotation).

    ``width``/``height`` are as displayed, i.e. after rotation; ``duration`` is the container's
    declared length counted from its first timestamp (0.0 when it declares none); ``fps`` is the
    video's average frame rate.
    """

    path: Path
    format: str
    duration: float
    has_video: bool
    fps: float
    width: int
    height: int
    rotation: int
    has_audio: bool
    audio_rate: int | None
    audio_channels: int | None
    streams: tuple[StreamInfo, ...] = field(default_factory=tuple)


#: Start of the container comment on every reel and clip highlit cuts: a later folder scan can tell them from
#: footage (they would otherwise be scored as new inputs, a level deeper on every run).
OUTPUT_COMMENT = "made by highlit: "


def made_by_highlit(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a reel or clip that highlit cut (its container comment says so); unreadable files
    are not, so that reading them later reports what is wrong with them."""
    try:
        with av.open(str(path), mode="r") as container:
            tags = {key.lower(): value for key, value in container.metadata.items()}
    except (av.error.FFmpegError, OSError, UnicodeDecodeError):
        return False
    return str(tags.get("comment", "")).startswith(OUTPUT_COMMENT)


def check_path(path: str | os.PathLike[str]) -> Path:
    """Fail early, with the typed error, for a path that cannot be a media file at all."""
    p = Path(path)
    if not p.exists():
        raise InputNotFoundError(f"{p}: no such file")
    if p.is_dir():
        raise MediaError(f"{p}: is a directory, not a media file")
    if p.stat().st_size == 0:
        raise EmptyMediaError(f"{p}: file is empty (0 bytes)")
    return p


def _open(path: str | os.PathLike[str]) -> av.container.InputContainer:
    """Open ``path`` for reading, turning every way it can fail into one typed, one-line error."""
    p = check_path(path)
    try:
        container = av.open(str(p), mode="r")
    except av.error.EOFError:
        raise EmptyMediaError(f"{p}: holds no media data (the file ends before any stream starts)") from None
    except PermissionError:
        raise MediaError(f"{p}: permission denied") from None
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise MediaError(f"{p}: not a media file FFmpeg can read ({reason})") from None
    if not container.streams:
        container.close()
        raise EmptyMediaError(f"{p}: holds no streams (zero-length media)")
    return container


def _rotation_steps(rotation: int) -> int:
    """Quarter turns counter-clockwise for np.rot90 from the display matrix angle (CCW degrees)."""
    return int(round(rotation / 90.0)) % 4


def _origin(container: av.container.InputContainer, clock: av.stream.Stream | None) -> float:
    """Presentation time (seconds) of ``t = 0``: the start of the ``clock`` stream, else of the container."""
    if clock is not None and clock.start_time is not None and clock.time_base is not None:
        return float(clock.start_time * clock.time_base)
    if container.start_time is not None:
        return container.start_time / 1_000_000
    return 0.0


def video_stream(container: av.container.InputContainer) -> av.stream.Stream | None:
    """The first moving-picture stream: cover art in an mp3 or m4a is a one-frame 'video' stream marked as an
    attached picture, and must not make a song a 0.04 s video."""
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    return None


def is_still_image(container: av.container.InputContainer) -> bool:
    """PNG, JPEG, WebP, ... read through FFmpeg's image demuxers, or a GIF of one frame: one picture, not a
    video (an animated GIF is a silent video). Looking at a GIF's frames rewinds the container."""
    name = container.format.name
    if name == "image2" or name.endswith("_pipe"):
        return True
    if name != "gif" or not container.streams.video:
        return False
    frames = 0
    for packet in container.demux(video=0):  # packets, not frames: the decoder must stay unopened
        frames += packet.size > 0
        if frames > 1:
            break
    container.seek(0)
    return frames <= 1


def _clock_stream(container: av.container.InputContainer) -> av.stream.Stream | None:
    video = video_stream(container)
    if video is not None:
        return video
    return container.streams.audio[0] if container.streams.audio else None


def timeline_origin(container: av.container.InputContainer) -> float:
    """Presentation time (seconds) that highlit's ``t = 0`` stands for in an open file.

    Stream timestamps need not start at 0 (MPEG-TS starts at ~1.4 s, an mkv can be muxed with an offset);
    every time highlit reports (steps, segments, thumbnails, cuts) is counted from the start of the first
    video stream (the first audio stream when there is no video, else the container's start). Anything
    that compares frame timestamps with those times subtracts this first, as :class:`MediaReader` does.
    """
    return _origin(container, _clock_stream(container))


def start_timecode(container: av.container.InputContainer) -> str | None:
    """The timecode of the first frame (``HH:MM:SS:FF``, ``;`` before FF when drop-frame), as cameras write
    it: FFmpeg reports a QuickTime/MP4 ``tmcd`` track on the video stream and the track itself, Matroska's
    tag on the stream, MXF and others on the container. None when the file has none: editors then count
    the file from 00:00:00:00."""
    video = video_stream(container)
    rate = (video.average_rate or video.guessed_rate) if video is not None else None
    places = ([video] if video is not None else []) + list(container.streams.data) + [container]
    for place in places:
        for key, value in (place.metadata or {}).items():
            found = normalise(str(value)) if key.lower() == "timecode" else None  # Matroska's tag is TIMECODE
            if found is None:
                continue
            try:
                if rate:
                    to_frames(found, float(rate))
            except ValueError as err:
                warn(f"{container.name}: {err}; its start timecode is ignored")
                return None
            return found
    return None


def _read_or(path: str | os.PathLike[str], read, default):
    """``read(open container)`` of a file on disk, ``default`` when it cannot be opened: writers that only
    refine their output with it (a moved or deleted source still gets its report or timeline)."""
    try:
        with _open(path) as container:
            return read(container)
    except HighlitError:
        return default


def file_origin(path: str | os.PathLike[str]) -> float:
    """:func:`timeline_origin` of a file on disk; 0.0 when it cannot be read."""
    return _read_or(path, timeline_origin, 0.0)


def file_timecode(path: str | os.PathLike[str]) -> str | None:
    """:func:`start_timecode` of a file on disk; None when it has none or cannot be read."""
    return _read_or(path, start_timecode, None)


def _declared_end(container: av.container.InputContainer, stream: av.stream.Stream | None) -> float | None:
    """Presentation time (seconds) at which the file says ``stream`` (else the whole file) ends; None if unsaid.

    A stream's duration is counted from its own start. So is the container's in FFmpeg's sense (length
    from ``start_time``), except for Matroska/WebM, whose declared duration is the end of a segment
    timeline that starts at 0: for a file muxed with an offset it already includes the offset.
    """
    if stream is not None and stream.duration is not None and stream.time_base is not None:
        start = _origin(container, stream)
        return start + float(stream.duration * stream.time_base)
    if container.duration is not None:
        duration = container.duration / 1_000_000
        if "matroska" in container.format.name:
            return duration
        return (container.start_time or 0) / 1_000_000 + duration
    return None


def _declared_duration(container: av.container.InputContainer, stream: av.stream.Stream | None,
                       origin: float) -> float:
    """Declared length (seconds) of ``stream`` (else the file) counted from ``origin``; 0.0 if unsaid."""
    end = _declared_end(container, stream)
    return max(0.0, end - origin) if end is not None else 0.0


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    """Describe a media file. Raises only when it cannot be read at all; a missing video or audio
    stream is reported in the result (``has_video``/``has_audio``), not raised."""
    p = Path(path)
    with _open(p) as container:
        streams = tuple(StreamInfo(s.index, s.type, s.codec_context.name if s.codec_context else "?")
                        for s in container.streams)
        video = None if is_still_image(container) else video_stream(container)
        audio = container.streams.audio[0] if container.streams.audio else None
        rotation, width, height, fps = 0, 0, 0, 0.0
        if video is not None:
            width, height = video.codec_context.width, video.codec_context.height
            rate = video.average_rate or video.guessed_rate
            fps = float(rate) if rate else 0.0
            rotation = _first_frame_rotation(container, video)
            if _rotation_steps(rotation) % 2 == 1:
                width, height = height, width
        return MediaInfo(
            path=p,
            format=container.format.name,
            duration=(_declared_duration(container, None, _origin(container, None)) if container.duration is not None
                      else _declared_duration(container, video, _origin(container, video))),
            has_video=video is not None,
            fps=fps,
            width=width,
            height=height,
            rotation=rotation,
            has_audio=audio is not None,
            audio_rate=audio.rate if audio is not None else None,
            audio_channels=audio.codec_context.channels if audio is not None else None,
            streams=streams,
        )


def _first_frame_rotation(container: av.container.InputContainer, video: av.video.stream.VideoStream) -> int:
    """The display rotation lives in frame side data, so decode one frame (cheap) to read it."""
    try:
        for packet in container.demux(video):
            try:
                for frame in packet.decode():
                    return int(frame.rotation or 0)
            except av.error.FFmpegError:
                continue
    except av.error.FFmpegError:
        pass
    return 0


class SeekMissed(MediaError):
    """A resumed read (``start_step``) could not reach the frame on screen at its first grid point: the
    caller decodes from the start instead, so a resumed extraction never differs from a whole one."""


@dataclass
class DecodeReport:
    """Filled in while :class:`MediaReader` runs; complete once its iterator is exhausted."""

    has_audio: bool = False
    declared_duration: float = 0.0
    decoded_duration: float = 0.0
    n_frames: int = 0
    n_steps: int = 0
    damaged_packets: int = 0
    warnings: list[str] = field(default_factory=list)


class MediaReader:
    """One pass over a file yielding ``("video", t, rgb)`` and ``("audio", t, samples)`` events.

    Video events come on the grid ``t = k / fps`` (k = 0, 1, ...), rgb is uint8 [H, W, 3] in display
    orientation, scaled to ``size`` (width, height; None keeps the display size). Audio events are
    consecutive mono float32 pieces at ``rate`` Hz whose sample 0 is at t = 0 on the video's clock
    (leading gaps are filled with silence, samples before the video starts are dropped).
    ``report`` says afterwards what was decoded and what went wrong (``emit_warnings=False`` leaves
    the warnings in the report only, for callers that run the reader in another thread).

    ``skip_unseen`` lets the decoder drop a packet whose frame is on screen at no grid point when
    nothing else refers to it (FFmpeg's ``skip_frame=NONREF``, switched per packet): at 5 fps from a
    30 fps source with B-frames this saves about a quarter of the decoding, and the frames that
    come out are exactly the same (tests/test_media.py compares both ways).
    """

    def __init__(self, path: str | os.PathLike[str], *, fps: float = DEFAULT_FPS,
                 size: tuple[int, int] | None = DEFAULT_SIZE, rate: int = AUDIO_RATE,
                 video: bool = True, audio: bool = True, interpolation: str | None = None,
                 emit_warnings: bool = True, skip_unseen: bool = True, start_step: int = 0,
                 damaged_before: int = 0, check_length: bool = True) -> None:
        if fps <= 0:
            raise ConfigError(f"sampling rate must be positive, got fps={fps}")
        if start_step < 0 or (start_step and (audio or not video)):
            raise ConfigError("start_step resumes the video grid only (audio=False, video=True, start_step >= 0)")
        self.start_step = int(start_step)
        self.check_length = check_length  # off for a second pass over one stream: its length is not the file's
        self.path = Path(path)
        self.fps = float(fps)
        self.size = size
        self.rate = int(rate)
        self.want_video = video
        self.want_audio = audio
        self.interpolation = interpolation
        self.emit_warnings = emit_warnings
        self.skip_unseen = skip_unseen
        self.report = DecodeReport(damaged_packets=damaged_before)  # an interrupted pass's count goes on

    # -- frames -------------------------------------------------------------------------------
    def _convert(self, frame: av.VideoFrame) -> np.ndarray:
        turns = _rotation_steps(int(frame.rotation or 0))
        if self.size is None:
            out = frame.to_ndarray(format="rgb24")
        else:
            w, h = self.size
            if turns % 2 == 1:
                w, h = h, w
            out = frame.reformat(width=w, height=h, format="rgb24",
                                 interpolation=self.interpolation).to_ndarray()
        if turns:
            out = np.ascontiguousarray(np.rot90(out, turns))
        return out

    def __iter__(self) -> Iterator[tuple[str, float, np.ndarray]]:
        path = self.path
        with _open(path) as container:
            if self.want_video and is_still_image(container):
                raise NoVideoStreamError(f"{path}: a still image ({container.format.name}), not a video")
            vstream = video_stream(container)
            astream = container.streams.audio[0] if container.streams.audio else None
            if self.want_video and vstream is None:
                kinds = ", ".join(sorted({"cover art" if s.disposition & av.stream.Disposition.attached_pic
                                          else s.type for s in container.streams})) or "none"
                raise NoVideoStreamError(f"{path}: no video stream (streams: {kinds})")
            self.report.has_audio = astream is not None
            streams = []
            if self.want_video:
                vstream.thread_type = "AUTO"
                streams.append(vstream)
            if self.want_audio and astream is not None:
                streams.append(astream)
            clock = vstream if vstream is not None else astream
            origin = _origin(container, clock)
            self.report.declared_duration = _declared_duration(container, clock, origin)
            if not streams:
                return
            if self.start_step:
                target = (self.start_step / self.fps + origin) / float(vstream.time_base)
                try:
                    container.seek(int(math.floor(target)), stream=vstream, backward=True)
                except av.error.FFmpegError as err:
                    raise SeekMissed(f"{path}: cannot seek ({err})") from None
            yield from self._run(container, streams, vstream, origin)

    def _packets(self, container: av.container.InputContainer, streams: list) -> Iterator[av.Packet]:
        """Demux, stopping (with a warning) rather than failing if the container itself breaks."""
        it = container.demux(*streams)
        while True:
            try:
                packet = next(it)
            except StopIteration:
                return
            except av.error.FFmpegError as err:
                self._warn(f"{self.path}: stopped reading at a damaged part of the file ({err})")
                return
            yield packet

    def _run(self, container, streams, vstream, origin: float) -> Iterator[tuple[str, float, np.ndarray]]:
        fps, report = self.fps, self.report
        rate = (vstream.average_rate or vstream.guessed_rate) if vstream is not None else None
        default_dur = 1.0 / float(rate) if rate else 1.0 / 25
        k = self.start_step  # next grid index
        prev: av.VideoFrame | None = None
        prev_rgb: np.ndarray | None = None
        prev_rel = 0.0
        end = 0.0
        resampler = av.AudioResampler(format="flt", layout="mono", rate=self.rate)
        audio_pos: int | None = None  # samples emitted so far, on the video clock

        def place(frame: av.VideoFrame) -> Iterator[tuple[str, float, np.ndarray]]:
            """Emit every grid point before ``frame`` appears (they show the previous frame)."""
            nonlocal k, prev, prev_rgb, prev_rel, end
            report.n_frames += 1
            if frame.time is not None:
                rel = float(frame.time) - origin
            else:
                rel = prev_rel + default_dur if prev is not None else 0.0
            if prev is None and k and (frame.time is None or rel > k / fps + _EPS):
                # resumed past a seek: the frame on screen at grid point k was not decoded
                raise SeekMissed(f"{self.path}: the seek to {k / fps:.2f} s landed at {rel:.2f} s")
            while k / fps < rel - _EPS:
                src = prev if prev is not None else frame
                if prev_rgb is None or src is not prev:
                    rgb = self._convert(src)
                    if src is prev:
                        prev_rgb = rgb
                else:
                    rgb = prev_rgb
                yield "video", k / fps, rgb
                k += 1
            prev, prev_rgb, prev_rel = frame, None, rel
            dur = default_dur
            if frame.duration and frame.time_base:
                dur = float(frame.duration * frame.time_base)
            end = max(end, rel + dur)

        def audio_out(frames: list[av.AudioFrame]) -> Iterator[tuple[str, float, np.ndarray]]:
            nonlocal audio_pos
            for af in frames:
                samples = af.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                if audio_pos is None:
                    start = float(af.time) - origin if af.time is not None else 0.0
                    lead = int(round(start * self.rate))
                    if lead > 0:
                        yield "audio", 0.0, np.zeros(lead, np.float32)
                        audio_pos = lead
                    else:
                        samples = samples[-lead:]
                        audio_pos = 0
                if samples.size:
                    yield "audio", audio_pos / self.rate, samples
                    audio_pos += samples.size

        video_ctx = vstream.codec_context if vstream is not None and self.want_video else None
        skipping = False

        def unseen(packet: av.Packet) -> bool:
            """True when no grid point falls in this packet's display interval (with 2 ms to spare)."""
            nonlocal end
            if packet.pts is None or not packet.duration or packet.time_base is None or prev is None:
                return False
            start = float(packet.pts * packet.time_base) - origin
            stop = start + float(packet.duration * packet.time_base)
            first = math.ceil((start - 2e-3) * fps)
            if first / fps < stop + 2e-3:
                return False
            end = max(end, stop)  # a skipped last frame still counts towards the length
            return True

        for packet in self._packets(container, streams):
            if self.skip_unseen and video_ctx is not None and packet.stream.type == "video":
                skip = unseen(packet)
                if skip != skipping:  # frame threads copy this setting when the packet is submitted
                    video_ctx.skip_frame = "NONREF" if skip else "DEFAULT"
                    skipping = skip
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                report.damaged_packets += 1
                continue
            for frame in frames:
                if packet.stream.type == "audio":
                    yield from audio_out(resampler.resample(frame))
                else:
                    yield from place(frame)
        # Flush the decoders: frames held back for reordering come out here.
        if skipping:
            video_ctx.skip_frame = "DEFAULT"
        for stream in streams:
            try:
                tail = stream.decode(None)
            except av.error.FFmpegError:
                tail = []
            for frame in tail:
                if stream.type == "audio":
                    yield from audio_out(resampler.resample(frame))
                else:
                    yield from place(frame)
            if stream.type == "audio":
                yield from audio_out(resampler.resample(None))
        if vstream is not None and self.want_video:
            if prev is None and self.start_step:  # the seek landed past the last frame it could decode
                raise SeekMissed(f"{self.path}: nothing decoded after the seek to {self.start_step / fps:.2f} s")
            if prev is None:
                if report.damaged_packets:
                    raise MediaError(f"{self.path}: corrupt: none of its {report.damaged_packets} "
                                     "damaged video packets could be decoded")
                raise EmptyMediaError(f"{self.path}: the video stream has no frames")
            last = self._convert(prev)
            while k / fps < end - _EPS:
                yield "video", k / fps, last
                k += 1
            report.decoded_duration = end
            report.n_steps = k
        elif audio_pos is not None:
            report.decoded_duration = audio_pos / self.rate
        self._finish()

    def _finish(self) -> None:
        report = self.report
        if report.damaged_packets:
            self._warn(f"{self.path}: skipped {report.damaged_packets} damaged packet(s); "
                       "the features cover what could be decoded")
        declared, decoded = report.declared_duration, report.decoded_duration
        if self.check_length and declared > 0 and decoded < declared - max(1.0, 0.02 * declared):
            self._warn(f"{self.path}: decoded {decoded:.1f} s of the {declared:.1f} s the file declares; "
                       "it looks truncated, the features cover the decoded part only")

    def _warn(self, message: str) -> None:
        self.report.warnings.append(message)
        if self.emit_warnings:
            warn(message)


def iter_frames(path: str | os.PathLike[str], fps: float = DEFAULT_FPS,
                size: tuple[int, int] | None = DEFAULT_SIZE,
                interpolation: str | None = None) -> Iterator[tuple[float, np.ndarray]]:
    """Frames on screen at t = 0, 1/fps, 2/fps, ... as ``(t_seconds, rgb uint8 [H, W, 3])``."""
    reader = MediaReader(path, fps=fps, size=size, audio=False, interpolation=interpolation)
    for _, t, rgb in reader:
        yield t, rgb


def iter_audio(path: str | os.PathLike[str], rate: int = AUDIO_RATE,
               chunk_seconds: float = 30.0) -> Iterator[np.ndarray]:
    """The first audio track as mono float32 chunks of ``chunk_seconds`` (the last one shorter).

    Mono is FFmpeg's standard downmix (what ``ffmpeg -ac 1`` gives) rather than a plain channel mean,
    so levels match other FFmpeg-based tools. A file without audio yields nothing: that is normal.
    """
    chunk = max(1, int(round(chunk_seconds * rate)))
    reader = MediaReader(path, rate=rate, video=False, audio=True)
    pending: list[np.ndarray] = []
    n = 0
    for _, _, samples in reader:
        pending.append(samples)
        n += samples.size
        if n >= chunk:
            buf = np.concatenate(pending)
            for start in range(0, buf.size - chunk + 1, chunk):
                yield buf[start:start + chunk]
            rest = buf[(buf.size // chunk) * chunk:]
            pending, n = ([rest] if rest.size else []), rest.size
    if n:
        yield np.concatenate(pending)


def n_steps_for(duration: float, fps: float = DEFAULT_FPS) -> int:
    """Grid points t = k/fps strictly inside [0, duration): the step count a video of that length gets."""
    return max(0, math.ceil(duration * fps - _EPS * fps))


__all__ = ["check_path", "MediaInfo", "StreamInfo", "MediaReader", "DecodeReport", "probe", "iter_frames", "iter_audio",
           "timeline_origin", "file_origin", "start_timecode", "file_timecode", "video_stream", "is_still_image",
           "n_steps_for", "DEFAULT_FPS", "DEFAULT_SIZE", "AUDIO_RATE"]
