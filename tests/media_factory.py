"""Tiny test videos made with PyAV, so media tests need no fixtures on disk and run in milliseconds.

Each frame ``i`` is filled with a distinct grey level (:func:`level`), so a test can read back which
source frame the reader picked for a grid point, even after lossy compression.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

SIZE = (64, 48)  # width, height


def level(i: int) -> int:
    """Grey level of frame ``i``: steps of 24 survive H.264 at high quality with room to spare."""
    return 16 + (i * 24) % 224


def frame_index(rgb: np.ndarray, n_frames: int) -> int:
    """Which frame (0..n_frames-1) a decoded image shows, by nearest grey level in its centre."""
    h, w = rgb.shape[:2]
    centre = float(rgb[h // 4: 3 * h // 4, w // 4: 3 * w // 4].mean())
    return int(np.argmin([abs(centre - level(i)) for i in range(n_frames)]))


def _image(i: int, size: tuple[int, int], marker: bool) -> np.ndarray:
    w, h = size
    img = np.full((h, w, 3), level(i), np.uint8)
    if marker:  # a red top band: shows which way up the picture is
        img[: h // 4] = (255, 0, 0)
    return img


def _add_audio(container: av.container.OutputContainer, seconds: float, rate: int = 22050,
               channels: int = 2, tone_start: float = 0.0, offset: float = 0.0
               ) -> tuple[av.audio.stream.AudioStream, list[av.AudioFrame]]:
    """A 440 Hz tone from ``tone_start`` seconds on, silence before it; timestamps start at ``offset``."""
    stream = container.add_stream("aac", rate=rate)
    stream.layout = "stereo" if channels == 2 else "mono"
    n = int(seconds * rate)
    t = np.arange(n) / rate
    tone = (0.3 * np.sin(2 * np.pi * 440 * t) * (t >= tone_start)).astype(np.float32)
    wave = np.stack([tone] * channels)
    frames = []
    step = 1024
    for start in range(0, n, step):
        chunk = np.ascontiguousarray(wave[:, start:start + step])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=stream.layout.name)
        frame.sample_rate = rate
        frame.pts = start + int(round(offset * rate))
        frame.time_base = Fraction(1, rate)
        frames.append(frame)
    return stream, frames


def _mux_all(container: av.container.OutputContainer, stream, frames) -> None:
    """Encode every frame, flush the encoder, and mux all packets."""
    for frame in frames:
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def make_video(path: Path, *, seconds: float = 2.0, fps: int | Fraction = 10, size: tuple[int, int] = SIZE,
               audio: bool = True, rotation: int = 0, times: Sequence[float] | None = None,
               marker: bool = False, faststart: bool = False, codec: str = "libx264",
               tone_start: float = 0.0, offset: float = 0.0, audio_seconds: float | None = None,
               timecode: str | None = None) -> Path:
    """Write a small H.264 (+ AAC) file, in the container its suffix names (``.ts``: MPEG-TS). ``times``
    gives explicit presentation times (variable frame rate); otherwise frames are evenly spaced at ``fps``.
    ``rotation`` sets a display matrix (degrees counter-clockwise, as phones write it). ``offset`` shifts
    every timestamp, video and audio, so the streams start there rather than at 0 (as camcorder MPEG-TS
    files start at ~1.4 s); frame ``i`` still shows :func:`level` ``(i)``. ``audio_seconds``: a track of another
    length than the picture (a recording whose sound stopped early). ``timecode``: the start timecode a camera
    writes (a ``tmcd`` track in .mov/.mp4, a TIMECODE tag in .mkv)."""
    path = Path(path)
    options = {"movflags": "faststart"} if faststart else {}
    container = av.open(str(path), mode="w", options=options)
    stream = container.add_stream(codec, rate=fps)
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    if timecode is not None:
        stream.metadata["timecode"] = timecode
    if codec == "libx264":
        stream.options = {"preset": "ultrafast", "crf": "10"}
    if times is None:
        times = [i / fps for i in range(int(round(seconds * fps)))]
    else:
        stream.codec_context.time_base = Fraction(1, 1000)
    if rotation:
        stream.set_display_rotation(rotation)
    tb = stream.codec_context.time_base or Fraction(1, fps)
    astream, aframes = (_add_audio(container, seconds if audio_seconds is None else audio_seconds,
                                   tone_start=tone_start, offset=offset) if audio else (None, []))
    for i, t in enumerate(times):
        frame = av.VideoFrame.from_ndarray(_image(i, size, marker), format="rgb24")
        frame.pts = int(round((t + offset) / tb))
        frame.time_base = tb
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    if astream is not None:
        _mux_all(container, astream, aframes)
    container.close()
    return path


def make_audio_only(path: Path, seconds: float = 1.0) -> Path:
    container = av.open(str(path), mode="w")
    _mux_all(container, *_add_audio(container, seconds))
    container.close()
    return path


def make_empty_video(path: Path) -> Path:
    """A valid Matroska file with a video stream that has not one frame (only audio packets)."""
    container = av.open(str(path), mode="w")
    stream = container.add_stream("libx264", rate=10)
    stream.width, stream.height = SIZE
    stream.pix_fmt = "yuv420p"
    _mux_all(container, *_add_audio(container, 0.5))
    container.close()
    return path


def make_header_only(path: Path) -> Path:
    """A Matroska header announcing a video stream, then nothing: what an aborted recording leaves."""
    container = av.open(str(path), mode="w")
    stream = container.add_stream("libx264", rate=10)
    stream.width, stream.height = SIZE
    stream.pix_fmt = "yuv420p"
    container.start_encoding()
    container.close()
    return path


def make_corrupt(src: Path, path: Path, fraction: float = 0.5, n_bytes: int = 2000, seed: int = 0) -> Path:
    """Copy ``src`` with ``n_bytes`` random bytes written over the middle of its data."""
    data = bytearray(Path(src).read_bytes())
    rng = np.random.default_rng(seed)
    at = int(len(data) * fraction)
    data[at:at + n_bytes] = rng.integers(0, 256, min(n_bytes, len(data) - at), dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return path


def make_truncated(src: Path, path: Path, keep: float = 0.5) -> Path:
    """Copy the first ``keep`` of ``src``'s bytes (use a faststart file so the index survives)."""
    data = Path(src).read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_not_media(path: Path) -> Path:
    path.write_text("this is a shopping list, not a video\n" * 50)
    return path


def make_audio_with_cover(path: Path, seconds: float = 1.0) -> Path:
    """An mp3 (or mp4) of silence with cover art: a one-frame video stream marked as an attached picture."""
    container = av.open(str(path), mode="w")
    mp3 = Path(path).suffix == ".mp3"
    audio = container.add_stream("libmp3lame" if mp3 else "aac", rate=44100 if mp3 else 16000)
    cover = container.add_stream("mjpeg", rate=1)
    cover.width, cover.height = 32, 32
    cover.pix_fmt = "yuvj420p"
    cover.disposition = av.stream.Disposition.attached_pic
    picture = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24").reformat(format="yuvj420p")
    for frame in (picture, None):
        for packet in cover.encode(frame):
            container.mux(packet)
    pts = 0
    while pts < seconds * audio.rate:
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 1152), np.float32), format="fltp", layout="mono")
        frame.sample_rate, frame.pts = audio.rate, pts
        pts += 1152
        for packet in audio.encode(frame):
            container.mux(packet)
    for packet in audio.encode(None):
        container.mux(packet)
    container.close()
    return path
