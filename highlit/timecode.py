"""SMPTE timecode labels of frame counts, for the timelines (EDL, OTIO) an editor relinks by timecode.

Why it matters: camera files carry the timecode of their first frame (``10:23:11:05``), and editors match
a timeline's source in/out against it, not against seconds from the file's start. A cut at 7 s into such a
file is at 10:23:18:05 to Premiere, Resolve or Avid.

Choices:
- Non-drop-frame labels count ``round(fps)`` labels a second at any rate (29.97 counts 30), as editors do;
  the frame count stays exact. Our own arithmetic, since OpenTimelineIO refuses the non-standard rates of
  variable-frame-rate phone footage (29.87 on average).
- Drop-frame (``;`` before the frames, only at 29.97 and 59.94) is OpenTimelineIO's arithmetic: a file's
  drop-frame start timecode gives a drop-frame timeline.
"""

from __future__ import annotations

import re

from highlit.errors import warn

TIMECODE = re.compile(r"^(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{1,3})$")
#: The rates drop-frame timecode exists for (NTSC 29.97 and 59.94), by nominal rate.
_DROP_RATES = {30: 30000 / 1001, 60: 60000 / 1001}


def nominal_rate(fps: float) -> int:
    """Timecode labels per second: 29.97 -> 30, 23.976 -> 24, 25 -> 25."""
    return max(1, round(fps))


def _drop_rate(fps: float) -> float | None:
    # by the nominal rate, not the exact one: a variable-frame-rate phone file averages 29.87 or 29.98 fps
    return _DROP_RATES.get(nominal_rate(fps))


def is_drop_frame(timecode: str | None, fps: float) -> bool:
    """Whether ``timecode`` is drop-frame: written with ``;`` (or ``.``/``,``) at a rate that has drop-frame
    (a ``;`` at 25 fps is read as non-drop: there is nothing to drop)."""
    m = TIMECODE.match(timecode or "")
    return bool(m) and m.group(4) != ":" and _drop_rate(fps) is not None


def normalise(timecode: str) -> str | None:
    """``HH:MM:SS:FF`` with at least two frame digits (FFmpeg writes ``10:23:11:5`` below 10 fps); None if
    it is not a timecode."""
    m = TIMECODE.match(timecode.strip())
    return f"{m.group(1)}:{m.group(2)}:{m.group(3)}{m.group(4)}{int(m.group(5)):02d}" if m else None


def to_frames(timecode: str, fps: float) -> int:
    """Frame count of a timecode label at ``fps``. Raises ValueError on a malformed label or one that cannot
    exist at that rate (25:00:00:00, frame 45 at 25 fps, a drop-frame label that is dropped)."""
    m = TIMECODE.match(timecode.strip())
    if not m:
        raise ValueError(f"not a timecode: {timecode!r}")
    hh, mm, ss, ff = (int(m.group(i)) for i in (1, 2, 3, 5))
    base = nominal_rate(fps)
    if hh >= 24 or mm >= 60 or ss >= 60 or ff >= base:
        raise ValueError(f"timecode {timecode} does not exist at {fps:g} fps")
    if is_drop_frame(timecode, fps):
        if ss == 0 and mm % 10 and ff < base // 15:  # 29.97 drops labels 00-01 of each minute, 59.94 00-03
            raise ValueError(f"drop-frame timecode {timecode} is one of the dropped labels")
        import opentimelineio as otio

        return round(otio.opentime.from_timecode(f"{hh:02d}:{mm:02d}:{ss:02d};{ff:02d}", _drop_rate(fps)).value)
    return ((hh * 60 + mm) * 60 + ss) * base + ff


#: Where an edited programme's timeline starts, by convention (EDL record side, OTIO global start).
PROGRAMME_START_HOURS = 1


def programme_start(fps: float, drop_frame: bool = False) -> int:
    """Frame count of 01:00:00:00 (``01:00:00;00`` drop-frame) at ``fps``."""
    return to_frames(f"{PROGRAMME_START_HOURS:02d}:00:00{';' if drop_frame else ':'}00", fps)


def first_frame(timecode: str | None, fps: float, where: str) -> tuple[int, bool]:
    """(frame count of a result's start timecode, whether it is drop-frame) for a timeline writer; (0, False)
    with a warning when the label cannot be used, so a bad tag in a file (or a hand-edited result) costs the
    timecode, never the timeline."""
    if not timecode:
        return 0, False
    try:
        return to_frames(timecode, fps), is_drop_frame(timecode, fps)
    except ValueError as err:
        warn(f"{where}: {err}; the timeline counts from 00:00:00:00")
        return 0, False


def label(frames: int, fps: float, drop_frame: bool = False) -> str:
    """``HH:MM:SS:FF`` (``HH:MM:SS;FF`` when ``drop_frame``) label of a frame count; hours wrap at 24."""
    rate = _drop_rate(fps) if drop_frame else None
    if rate is not None:
        import opentimelineio as otio

        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, rate), rate, True)
    base = nominal_rate(fps)
    ff = frames % base
    secs = frames // base
    return f"{secs // 3600 % 24:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}:{ff:02d}"


__all__ = ["TIMECODE", "PROGRAMME_START_HOURS", "normalise", "nominal_rate", "is_drop_frame", "to_frames",
           "first_frame", "programme_start", "label"]
