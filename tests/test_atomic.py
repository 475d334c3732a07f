"""Atomic outputs: never half a file under the final name, and no litter from writers that were killed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from highlit.atomic import STALE_SECONDS, atomic_path, atomic_write_text


def test_a_failed_write_leaves_neither_the_file_nor_its_part(tmp_path: Path) -> None:
    final = tmp_path / "out.json"
    with pytest.raises(RuntimeError), atomic_path(final) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_parts_a_killed_writer_left_are_swept_on_the_next_write(tmp_path: Path) -> None:
    old = time.time() - STALE_SECONDS - 60
    stale = tmp_path / ".reel [1].part.abc123.mp4"  # a killed run's reel (glob characters in the name)
    fresh = tmp_path / ".reel [1].part.def456.mp4"  # another run writing the same reel right now
    other = tmp_path / ".clip.part.ghi789.mp4"  # another output's part: not this write's to judge
    for part in (stale, fresh, other):
        part.write_bytes(b"x")
    for part in (stale, other):
        os.utime(part, (old, old))
    atomic_write_text(tmp_path / "reel [1].mp4", "done")
    assert not stale.exists() and fresh.exists() and other.exists()
    assert (tmp_path / "reel [1].mp4").read_text() == "done"
