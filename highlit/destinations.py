"""Where each input's outputs go, decided once for the whole batch so that no two inputs share a name.

Outputs are named ``<stem><suffix>`` (see :mod:`highlit.writers`), so ``a/clip.mp4`` and ``b/clip.mp4``
sent to one ``-o`` folder, or ``clip.mov`` beside ``clip.mp4``, would overwrite each other and the second
would be skipped next time as "done". Two rules prevent that:

- under ``-o DIR``, a video found inside a folder argument keeps its sub-folder (``footage/a/x.mp4`` ->
  ``DIR/a/x.*``), as rsync or a batch transcoder would;
- inputs that still meet in one folder with one stem are told apart by their full file name
  (``clip.mov.*``), then by their parent folder's name, then by a counter, in input order.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Destination:
    """The folder and the file-name stem of one input's outputs; ``subfolder`` is the part of ``folder`` kept
    from the input's place below a folder argument (also used under ``--clips``)."""

    folder: Path
    stem: str
    subfolder: Path = Path()


def _relative_folder(video: Path, folders: Sequence[Path]) -> Path:
    """The video's sub-folder below the first folder argument that contains it ('' if none does)."""
    resolved = video.resolve()
    for folder in folders:
        try:
            return resolved.parent.relative_to(folder)
        except ValueError:
            continue
    return Path()


def plan(inputs: Sequence[str | os.PathLike[str]], videos: Sequence[Path],
         output_dir: str | os.PathLike[str] | None) -> dict[Path, Destination]:
    """Each of ``videos`` (as :func:`highlit.pipeline.expand_inputs` found them from ``inputs``) -> its
    destination; every (folder, stem) pair is distinct."""
    folders = [Path(p).resolve() for p in inputs if Path(p).is_dir()]
    sub = {v: _relative_folder(v, folders) for v in videos}
    base = {v: (Path(output_dir) / sub[v] if output_dir is not None else v.parent) for v in videos}
    stems = {v: v.stem for v in videos}
    for rename in (lambda v: v.name, lambda v: f"{v.parent.name}_{v.name}"):
        clashing = _clashes(videos, base, stems)
        stems.update({v: rename(v) for v in clashing})
    taken: set[tuple[Path, str]] = set()
    for v in videos:
        stem, n = stems[v], 1
        while (base[v].resolve(), stems[v]) in taken:
            n += 1
            stems[v] = f"{stem}-{n}"
        taken.add((base[v].resolve(), stems[v]))
    return {v: Destination(base[v], stems[v], sub[v]) for v in videos}


def _clashes(videos: Sequence[Path], base: dict[Path, Path], stems: dict[Path, str]) -> list[Path]:
    seen: dict[tuple[Path, str], list[Path]] = {}
    for v in videos:
        seen.setdefault((base[v].resolve(), stems[v]), []).append(v)
    return [v for group in seen.values() if len(group) > 1 for v in group]


__all__ = ["Destination", "plan"]
