"""A detect run's outputs on disk: where each input's go, what an earlier run left that may be reused, and
writing them so that an interrupted or repeated run finishes the work without redoing it.

Kept apart from the CLI (:mod:`highlit.commands` only maps options onto these calls) and from the naming
rules (:mod:`highlit.destinations`), because the rules here are about the file system's state: what exists,
what belongs to which video, what may be written.
"""

from __future__ import annotations

import dataclasses
import glob
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from highlit import destinations
from highlit.atomic import remove_empty_folders, writable_dir
from highlit.destinations import Destination
from highlit.errors import ConfigError, HighlitError, warn
from highlit.highlights import Highlights
from highlit.media import made_by_highlit
from highlit.writers import SUFFIXES, output_path


@dataclass(frozen=True)
class Outputs:
    """What a run writes: the formats beside each video or under ``folder``, one reel, per-segment clips."""

    folder: str | None
    formats: tuple[str, ...]
    reel: str | None = None
    crossfade: float = 0.0
    clips: str | None = None


def leave_out_own(videos: Sequence[Path], inputs: Sequence[str], out: Outputs) -> list[Path]:
    """Videos minus the reels and clips highlit cut, found by a folder scan: this run's ``--reel`` and
    ``--clips``, and any earlier run's (marked in their container comment). Left in, they would be read back
    as footage, a level deeper on every run. A file named on the command line stays (and is refused later if
    it is this run's reel): naming a reel is how to score it."""
    clips = Path(out.clips).resolve() if out.clips else None
    reel = Path(out.reel).resolve() if out.reel else None
    named = {Path(p).resolve() for p in inputs}

    def own(v: Path) -> bool:
        return v.resolve() == reel or bool(clips and v.resolve().is_relative_to(clips)) or made_by_highlit(v)

    kept = [v for v in videos if v.resolve() in named or not own(v)]
    if len(kept) < len(videos):
        left = len(videos) - len(kept)
        warn(f"left out {left} reel{'s' * (left > 1)} or clip{'s' * (left > 1)} that highlit cut, found in the "
             "input folders (name a file to score it)")
    return kept


def plan(inputs: Sequence[str], videos: Sequence[Path], out: Outputs) -> dict[Path, Destination]:
    """:func:`highlit.destinations.plan`, then: a result file that an earlier run left for ANOTHER video of the
    same name (``clip.mp4`` then ``clip.mov``, in two runs) is neither reused nor overwritten; this video takes
    its full file name instead."""
    chosen = destinations.plan(inputs, videos, out.folder)
    for video, dest in chosen.items():
        path = output_path(dest.folder, video, "json", dest.stem)
        if dest.stem != video.stem or not path.is_file():
            continue
        try:
            source = json.loads(path.read_text(encoding="utf-8")).get("source")
        except (OSError, ValueError, AttributeError):
            continue  # unreadable: redone under this name
        if isinstance(source, str) and Path(source).resolve() != video.resolve() and Path(source).exists():
            chosen[video] = dataclasses.replace(dest, stem=video.name)
    return chosen


def check_writable(chosen: dict[Path, Destination], out: Outputs) -> list[Path]:
    """Every output location, before the first video is read: a bad -o, --reel or --clips must fail in a
    second, not after the fit, and an output must never replace an input. Returns the folders this made,
    for :func:`highlit.atomic.remove_empty_folders` once the run is over."""
    made: list[Path] = []
    try:
        if out.folder:
            made += writable_dir(out.folder, "output folder")
        for folder in dict.fromkeys(d.folder for d in chosen.values()):
            made += writable_dir(folder, "output folder")
        if out.reel:
            reel = Path(out.reel)
            if reel.is_dir():
                raise ConfigError(f"--reel {reel}: is a folder; give a file name such as {reel / 'reel.mp4'}")
            if reel.resolve() in {v.resolve() for v in chosen}:
                raise ConfigError(f"--reel {reel}: that is the input video; the reel would overwrite it")
            from highlit.writers.reel import output_format

            output_format(reel)  # a suffix we cannot write fails now
            made += writable_dir(reel.parent, "--reel folder")
        if out.clips:
            for sub in dict.fromkeys(d.subfolder for d in chosen.values()):
                made += writable_dir(Path(out.clips) / sub, "--clips folder")
    except BaseException:
        remove_empty_folders(made)
        raise
    return made


def stored_results(chosen: dict[Path, Destination], request: dict) -> dict[Path, Highlights]:
    """Videos whose result JSON exists, reads back, and was made from this very file (same bytes) under the
    same ``request`` (what decides the scores: model, fit options, extractors). They are re-cut and completed,
    not recomputed; anything else is redone, so a damaged, foreign or outdated result never passes for this one."""
    from highlit.cache import content_hash

    stored = {}
    for video, dest in chosen.items():
        path = output_path(dest.folder, video, "json", dest.stem)
        if not path.is_file():
            continue
        try:
            old = Highlights.load(path)
        except HighlitError:
            continue
        if old.meta.get("request") == request and old.meta.get("content_hash") == content_hash(video):
            old.source = str(video.resolve())
            stored[video] = old
    return stored


def write(highlights: Highlights, dest: Destination, out: Outputs, everything: bool) -> dict[str, str]:
    """Write what was asked, the result JSON last: it marks the video done, so an output that failed or was
    interrupted is made again next time.

    With ``everything`` False (a stored result whose segments did not change) only missing outputs are
    written; with it True, outputs of this video that exist from an earlier run are rewritten too, so none
    shows old segments. The reel is always cut anew: its file name is the user's, so its presence says nothing
    about which video or crossfade made it.
    """
    def missing(path: Path) -> bool:
        return everything or not path.exists() or (path.is_dir() and not any(path.iterdir()))

    def path_of(fmt: str) -> Path:
        return highlights.output_path(fmt, dest.folder, dest.stem)

    wanted = [*out.formats, *(f for f in SUFFIXES if everything and f not in out.formats and path_of(f).exists())]
    written: dict[str, Path] = highlights.write(
        dest.folder, [f for f in wanted if f != "json" and missing(path_of(f))], dest.stem)
    if out.reel:
        written["reel"] = highlights.write_reel(out.reel, crossfade=out.crossfade)
    clip_dir = Path(out.clips) / dest.subfolder / dest.stem if out.clips else None
    if clip_dir is not None and missing(clip_dir):
        clips = highlights.write_clips(clip_dir)
        for old in clip_dir.glob(f"{glob.escape(highlights.name)}.clip*.mp4"):
            if old not in clips:
                old.unlink()  # a segment of an earlier cut that this one no longer has
        written["clips"] = clip_dir
    if "json" in wanted and missing(path_of("json")):
        written.update(highlights.write(dest.folder, ["json"], dest.stem))
    return {k: str(v) for k, v in written.items()}


__all__ = ["Outputs", "leave_out_own", "plan", "check_writable", "stored_results", "write"]
