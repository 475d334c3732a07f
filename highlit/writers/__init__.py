"""Output writers: one module per format, each ``write(highlights, path) -> Path``, all atomic.

``WRITERS`` maps a format name (as on the command line) to its writer. The reel and the per-segment
clips take extra arguments and live in :mod:`highlit.writers.reel`. Heavy libraries (matplotlib,
opentimelineio, PyAV) are imported inside the writers that need them, so writing a JSON stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from highlit.errors import ConfigError
from highlit.writers import csv_out, edl, html_report, json_out, otio_out, plot

if TYPE_CHECKING:
    from highlit.highlights import Highlights

Writer = Callable[["Highlights", "str | os.PathLike[str]"], Path]

WRITERS: dict[str, Writer] = {
    "json": json_out.write,
    "csv": csv_out.write,
    "edl": edl.write,
    "otio": otio_out.write,
    "plot": plot.write,
    "html": html_report.write,
}

#: What ``Highlights.write()`` writes when no formats are named: the cheap, always-useful ones.
DEFAULT_FORMATS = ("json", "csv", "edl", "otio")

#: File name of each format is ``<video stem><suffix>``, so outputs of one video sort together and
#: the JSON's presence tells a batch that the video is done.
SUFFIXES: dict[str, str] = {
    "json": ".highlights.json",
    "csv": ".scores.csv",
    "edl": ".edl",
    "otio": ".otio",
    "plot": ".plot.png",
    "html": ".report.html",
}


def output_path(out_dir: str | os.PathLike[str] | None, source: str | os.PathLike[str], fmt: str,
                stem: str | None = None) -> Path:
    """``<out_dir, or the source's folder when None>/<stem, default the source's><suffix of fmt>``; a batch
    passes its own ``stem`` when two inputs would share one (see :mod:`highlit.destinations`)."""
    if fmt not in SUFFIXES:
        raise ConfigError(f"unknown output format {fmt!r}; choose from {', '.join(SUFFIXES)}")
    src = Path(source)
    folder = Path(out_dir) if out_dir is not None else src.parent
    return folder / f"{stem or src.stem}{SUFFIXES[fmt]}"


__all__ = ["WRITERS", "DEFAULT_FORMATS", "SUFFIXES", "output_path"]
