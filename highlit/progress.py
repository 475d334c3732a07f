"""One progress bar for all long work (extraction, pretraining, fitting, batch detection).

Bars go to stderr so ``--json`` output on stdout stays clean, and they switch off when stderr is not
a terminal or when HIGHLIT_QUIET=1, so logs and CI stay readable. HIGHLIT_PROGRESS=1 turns them on for
a log file too: there a redrawn bar would only show its final state, so it becomes a plain line every
HIGHLIT_PROGRESS_EVERY seconds (default 10), which is what someone tailing a long run's log waits for.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
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


#: Seconds between two lines of a bar written to a log (stderr not a terminal).
LINE_EVERY = 10.0


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


class LineBar(Bar):
    """A bar for a log: one line with the count, elapsed time and ETA at most every ``every`` seconds, and a
    last one when the work ends, so a log shows progress while it happens and not only at the end."""

    def __init__(self, description: str, total: float | None, unit: str, start: float, every: float) -> None:
        super().__init__(None, None)
        self._description, self._total, self._unit, self._every = description, total, unit, every
        self._start_count = self._done = start
        self._t0 = self._last = time.monotonic()
        self._status = ""

    def advance(self, n: float = 1) -> None:
        self._done += n
        if time.monotonic() - self._last >= self._every:
            self.line()

    def note(self, text: str) -> None:
        self._status = text

    def set_total(self, total: float | None) -> None:
        self._total = total

    def line(self) -> None:
        now = time.monotonic()
        self._last = now
        elapsed = now - self._t0
        count = f"{self._done:g}" + (f"/{self._total:g}" if self._total is not None else "")
        text = f"{self._description}: {count} {self._unit}".rstrip() + f", {_clock(elapsed)} elapsed"
        rate = (self._done - self._start_count) / elapsed if elapsed > 0 else 0.0
        if self._total is not None and rate > 0:
            text += f", eta {_clock(max(0.0, self._total - self._done) / rate)}"
        if self._status:
            text += f"  {self._status}"
        print(text, file=sys.stderr, flush=True)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _line_every() -> float:
    try:
        return max(0.0, float(os.environ.get("HIGHLIT_PROGRESS_EVERY", LINE_EVERY)))
    except ValueError:
        return LINE_EVERY


@contextlib.contextmanager
def bar(description: str, total: float | None, *, unit: str = "", start: float = 0) -> Iterator[Bar]:
    """A bar with count, elapsed time and ETA; ``start`` lets resumed work begin part-way."""
    if not enabled():
        yield Bar(None, None)
        return
    if not sys.stderr.isatty():
        line_bar = LineBar(description, total, unit, start, _line_every())
        try:
            yield line_bar
        finally:
            line_bar.line()
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
