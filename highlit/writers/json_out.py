"""The JSON result: everything a script needs, and what ``Highlights.load`` reads back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from highlit.atomic import atomic_write_text

if TYPE_CHECKING:
    from highlit.highlights import Highlights


def write(highlights: Highlights, path: str | os.PathLike[str]) -> Path:
    atomic_write_text(path, highlights.to_json() + "\n")
    return Path(path)
