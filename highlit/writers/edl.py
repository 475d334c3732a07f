"""CMX 3600 EDL of the highlight segments: the one timeline format every editor imports.

Choices where the format leaves room:
- Source timecodes count from the file's own start timecode when it has one (camera footage), so editors
  relink the events against it; from 00:00:00:00 otherwise.
- Non-drop-frame timecode at the video's *nominal* rate (29.97 fps counts 30 labels a second). Frame
  counts are exact; the labels drift from wall-clock time as NDF always does, which editors expect. A file
  whose own timecode is drop-frame gets a drop-frame list (``FCM: DROP FRAME``, ``;`` labels).
- Reel ``AX`` (the convention for file-based sources) with ``* FROM CLIP NAME:`` (the clip name),
  ``* FROM CLIP:`` (Avid style, read by OpenTimelineIO's cmx_3600 adapter) and ``* SOURCE FILE:``
  (Premiere style) comments carrying the file's path, so editors can relink it.
- Channel ``B`` (video + audio) when the source has sound, ``V`` otherwise.
- The record side starts at 01:00:00:00 (the usual programme start) and cuts are butted together.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from highlit import timecode as tc
from highlit.atomic import atomic_write_text
from highlit.errors import ConfigError

if TYPE_CHECKING:
    from highlit.highlights import Highlights

REEL = "AX"
MAX_EVENTS = 999  # event numbers are three digits


timecode = tc.label  # the label of a frame count, drop-frame or not (see highlit.timecode)


def one_line(text: object) -> str:
    """``text`` with control characters (a newline in a file name) as ``?``: an EDL is read line by line, so
    a name that breaks its line would break the list."""
    return "".join("?" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(text))


def to_frames(seconds: float, fps: float) -> int:
    return int(round(seconds * fps))


def render(highlights: Highlights) -> str:
    fps = highlights.edit_rate()
    if len(highlights.segments) > MAX_EVENTS:
        raise ConfigError(f"{len(highlights.segments)} segments: a CMX 3600 EDL holds at most {MAX_EVENTS}; "
                          "raise --min-length or --merge-gap")
    channel = "B" if highlights.has_audio else "V"
    source = Path(highlights.source)
    where = source.resolve() if source.exists() else source
    start, drop = tc.first_frame(highlights.timecode, fps, highlights.source)
    lines = [f"TITLE: {one_line(highlights.name)[:70]}", f"FCM: {'DROP' if drop else 'NON-DROP'} FRAME", ""]
    record = tc.programme_start(fps, drop)
    for n, seg in enumerate(highlights.segments, start=1):
        src_in, src_out = to_frames(seg.start, fps), to_frames(seg.end, fps)
        if src_out <= src_in:
            src_out = src_in + 1
        rec_in, rec_out = record, record + (src_out - src_in)
        record = rec_out
        lines.append(f"{n:03d}  {REEL:<8} {channel:<5} C        "
                     f"{timecode(start + src_in, fps, drop)} {timecode(start + src_out, fps, drop)} "
                     f"{timecode(rec_in, fps, drop)} {timecode(rec_out, fps, drop)}")
        lines.append(f"* FROM CLIP NAME: {one_line(source.name)}")
        lines.append(f"* FROM CLIP: {one_line(where)}")
        lines.append(f"* SOURCE FILE: {one_line(where)}")
        lines.append(f"* HIGHLIT SCORE: {seg.score:.3f}")
        lines.append("")
    return "\n".join(lines)


def write(highlights: Highlights, path: str | os.PathLike[str]) -> Path:
    atomic_write_text(path, render(highlights))
    return Path(path)
