"""SIGTERM handled as Ctrl-C, so that work stopped by `timeout`, `kill` or a scheduler is saved like work
stopped by hand (every long command runs inside :func:`sigterm_as_interrupt`)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in this block (main thread only), as Ctrl-C does.

    What `timeout`, `kill` or a job scheduler sends is then handled like Ctrl-C: pretraining saves a
    checkpoint, an extraction keeps its finished rows, ``run_folder`` removes what a failed run made; the
    default action would end the process before any of it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old if old is not None else signal.SIG_DFL)
