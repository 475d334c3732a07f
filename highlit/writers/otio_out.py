"""OpenTimelineIO timeline of the highlight segments (``.otio``, opens in Resolve, Kdenlive, ...).

One video track (and one audio track when the source has sound) of clips that all reference the
source file by an absolute ``file://`` URL, with the file's full length as ``available_range`` so an
editor can trim the cuts outwards. Media times count from the file's own start timecode when it has one
(camera footage), as editors relink by it. Times are on the video's frame rate; each clip carries its
score in ``metadata["highlit"]`` and the timeline carries the model identity.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from highlit import timecode as tc
from highlit.atomic import atomic_path

if TYPE_CHECKING:
    from highlit.highlights import Highlights


def source_url(source: str) -> str:
    return Path(source).expanduser().resolve().as_uri()


def build(highlights: Highlights):
    """The timeline as an ``opentimelineio.schema.Timeline`` (not yet written)."""
    import opentimelineio as otio

    fps = highlights.edit_rate()
    # Media time counts from the file's start timecode (camera footage), as editors relink by it.
    first_frame, drop = tc.first_frame(highlights.timecode, fps, highlights.source)

    def rt(seconds: float) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(first_frame + round(seconds * fps), fps)

    available = otio.opentime.TimeRange(rt(0.0), otio.opentime.RationalTime(round(highlights.duration * fps), fps))
    timeline = otio.schema.Timeline(name=f"{highlights.name} highlights")
    # the programme starts at 01:00:00:00, as the EDL's record side does
    timeline.global_start_time = otio.opentime.RationalTime(tc.programme_start(fps, drop), fps)
    timeline.metadata["highlit"] = {"source": highlights.source, "version": highlights.version,
                                    "model": highlights.model, "extractors": highlights.extractors}
    kinds = [otio.schema.TrackKind.Video] + ([otio.schema.TrackKind.Audio] if highlights.has_audio else [])
    for kind in kinds:
        track = otio.schema.Track(name=f"highlit {kind.lower()}", kind=kind)
        for n, seg in enumerate(highlights.segments, start=1):
            ref = otio.schema.ExternalReference(target_url=source_url(highlights.source),
                                                available_range=available)
            start, end = rt(seg.start), rt(seg.end)
            clip = otio.schema.Clip(
                name=f"{highlights.name} #{n}", media_reference=ref,
                source_range=otio.opentime.TimeRange(start, end - start),
            )
            clip.metadata["highlit"] = {"segment": n, "score": round(seg.score, 6),
                                        "start": seg.start, "end": seg.end}
            track.append(clip)
        timeline.tracks.append(track)
    return timeline


def write(highlights: Highlights, path: str | os.PathLike[str]) -> Path:
    import opentimelineio as otio

    timeline = build(highlights)
    with atomic_path(path) as tmp:
        otio.adapters.write_to_file(timeline, str(tmp), adapter_name="otio_json")
    return Path(path)
