"""One progress bar for all long work (extraction, pretraining, fitting, batch detection).

Bars go to stderr so ``--json`` output on stdout stays clean, and they switch off when stderr is not
a terminal or when HIGHLIT_QUIET=1, so logs and CI stay readable.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

_console = Console(stderr=True)


def enabled() -> bool:
    if os.environ.get("HIGHLIT_QUIET") == "1":
        return False
    return sys.stderr.isatty() or os.environ.get("HIGHLIT_PROGRESS") == "1"


class Bar:
    """Handle returned by :func:`bar`; ``advance`` and ``note`` are no-ops when bars are off."""

    def __init__(self, progress: Progress | None, task: int | None) -> None:
        self._progress = progress
        self._task = task

    def advance(self, n: float = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def note(self, text: str) -> None:
        """Replace the trailing status text (e.g. current loss terms)."""
        if self._progress is not None:
            self._progress.update(self._task, status=text)

    def set_total(self, total: float | None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, total=total)


@contextlib.contextmanager
def bar(description: str, total: float | None, *, unit: str = "", start: float = 0) -> Iterator[Bar]:
    """A bar with count, elapsed time and ETA; ``start`` lets resumed work begin part-way."""
    if not enabled():
        yield Bar(None, None)
        return
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}"),
        console=_console,
        transient=False,
    )
    with progress:
        task = progress.add_task(description, total=total, completed=start, status="")
        yield Bar(progress, task)


def console() -> Console:
    """The stderr console, for warnings and summaries that must not pollute stdout."""
    return _console
