"""Atomic file output: a reader sees the old file or the complete new one, never half of one.

Every output highlit writes (caches, checkpoints, JSON, reels) goes through here, so an interrupt or
crash can never leave a truncated file under the final name.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from highlit.errors import OutputError

#: A temporary file untouched this long was left by a writer that was killed (a live one keeps writing).
STALE_SECONDS = 15 * 60


def _sweep_stale_parts(final: Path) -> None:
    """Remove the temporary files a killed writer left for this same output: nothing else would, and a
    full-size reel's part costs as much disk as the reel."""
    now = time.time()
    for part in final.parent.glob(f".{glob.escape(final.stem)}.part.*{glob.escape(final.suffix)}"):
        with contextlib.suppress(OSError):
            if now - part.stat().st_mtime > STALE_SECONDS:
                part.unlink()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename.

    Use this when a library wants a filename (PyAV, matplotlib, safetensors). The temporary file
    keeps the final suffix so libraries that infer the format from the extension still work.
    """
    final = Path(path)
    if final.is_dir():
        raise OutputError(f"{final}: is a folder; give a file name")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.stem}.part.", suffix=final.suffix, dir=final.parent)
    except OSError as err:
        raise OutputError(f"{final}: cannot write here ({err.strerror or err})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    _sweep_stale_parts(final)
    try:
        yield tmp_path
        # mkstemp creates 0600 files (and some libraries replace the file we gave them), and the rename keeps
        # the mode: give outputs the usual umask-based one just before they appear.
        umask = os.umask(0)
        os.umask(umask)
        try:
            os.chmod(tmp_path, 0o666 & ~umask)
            os.replace(tmp_path, final)
        except OSError as err:
            raise OutputError(f"{final}: cannot write here ({err.strerror or err})") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file for writing; it becomes ``path`` only if the block finishes."""
    if "b" in mode:
        encoding = None
    with atomic_path(path) as tmp, open(tmp, mode, encoding=encoding) as fh:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def remove_empty_folders(folders: Iterable[Path]) -> None:
    """Remove those of ``folders`` that are empty, deepest first (rmdir refuses the others): a failed run
    leaves no empty output folder behind, and never loses a file anybody wrote."""
    for folder in sorted(set(folders), key=lambda f: len(f.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass


def writable_dir(path: str | os.PathLike[str], what: str) -> list[Path]:
    """Create ``path`` if needed and prove a file can be made in it, before any long work starts: a
    bad ``-o`` should fail in a second, not after an hour of extraction. Returns the folders it made,
    deepest first, for :func:`remove_empty_folders` when the run ends having written nothing there."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{what} {folder}: is a file, not a folder")
    made = []
    for parent in (folder.absolute(), *folder.absolute().parents):
        if parent.exists():
            break
        made.append(parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        remove_empty_folders(made)
        raise OutputError(f"{what} {folder}: cannot write here ({err.strerror or err})") from None
    return made


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)
