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
from rich.table import Column

_console = Console(stderr=True, soft_wrap=True)  # messages carry paths: never cut them at the width
DESCRIPTION_WIDTH, BAR_WIDTH = 24, 12
#: What the columns other than the status note take: description, bar, count, unit, elapsed, eta, padding.
FIXED_WIDTH = DESCRIPTION_WIDTH + BAR_WIDTH + 44


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
        """Replace the trailing status text (e.g. current loss terms), cut to the room the terminal leaves
        after the count and the ETA, which must stay readable."""
        if self._progress is not None:
            room = max(0, _console.width - FIXED_WIDTH)
            self._progress.update(self._task, status=text if len(text) <= room else text[:max(0, room - 1)] + "…")

    def set_total(self, total: float | None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, total=total)


@contextlib.contextmanager
def bar(description: str, total: float | None, *, unit: str = "", start: float = 0) -> Iterator[Bar]:
    """A bar with count, elapsed time and ETA; ``start`` lets resumed work begin part-way."""
    if not enabled():
        yield Bar(None, None)
        return
    # The count and the ETA are what a user waits on: they never wrap; the description and the status note
    # (loss terms) give way first, cut with an ellipsis, on a narrow terminal.
    fixed = Column(no_wrap=True)
    progress = Progress(
        TextColumn("[bold]{task.description}", markup=True,
                   table_column=Column(no_wrap=True, overflow="ellipsis", max_width=DESCRIPTION_WIDTH)),
        BarColumn(bar_width=BAR_WIDTH, table_column=fixed),
        MofNCompleteColumn(table_column=fixed),
        TextColumn(unit, table_column=fixed),
        TimeElapsedColumn(table_column=fixed),
        TextColumn("eta", table_column=fixed),
        TimeRemainingColumn(table_column=fixed),
        TextColumn("{task.fields[status]}", markup=False,
                   table_column=Column(no_wrap=True)),
        console=_console,
        transient=False,
    )
    with progress:
        task = progress.add_task(description, total=total, completed=start, status="")
        yield Bar(progress, task)


def console() -> Console:
    """The stderr console, for warnings and summaries that must not pollute stdout."""
    return _console
