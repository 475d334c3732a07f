"""Every error a user can cause, in one place.

Errors are raised deep (media, features, checkpoints) and printed once, as one line, at the edge
(the CLI). Each carries a message written for the user, so the CLI never needs a traceback.
"""

from __future__ import annotations

import os
import sys
import warnings

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep

#: Largest --seed: numpy's and torch's generators both take it, a larger one overflows torch's. Here, not in
#: train.py, because the CLI's parser checks it and must not import torch to print its help.
SEED_MAX = 2**32 - 1


class HighlitError(Exception):
    """Base of every user-facing failure; the CLI prints ``str(err)`` and exits non-zero."""

    exit_code = 1


class InputNotFoundError(HighlitError):
    """A path the user named does not exist."""


class MediaError(HighlitError):
    """A file could not be read as media (not a media file, corrupt, empty)."""


class NoVideoStreamError(MediaError):
    """The file has no video stream (audio only, subtitles, ...)."""


class EmptyMediaError(MediaError):
    """The file decodes to zero frames or zero length."""


class FeatureError(HighlitError):
    """Feature arrays have the wrong shape, dimension or dtype for the model or extractor."""


class ConfigError(HighlitError):
    """A configuration value or command-line option is invalid."""


class CheckpointError(HighlitError):
    """A checkpoint is missing, corrupt, truncated, or made for other features."""


class DatasetError(HighlitError):
    """A feature dataset folder is missing files or is not in the UMT release layout."""


class OutputError(HighlitError):
    """An output could not be written: its folder is a file, not writable, or the disk refused."""


class HighlitWarning(UserWarning):
    """Something was recovered from (truncated file, missing audio); shown once, work goes on."""


def warn(message: str) -> None:
    """Emit a HighlitWarning attributed to the first frame outside the package, so a library user's warning
    points at their own line, however deep in highlit it arose (Python 3.12's ``skip_file_prefixes``, by hand
    for 3.11)."""
    level, frame = 1, sys._getframe(0)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, HighlitWarning, stacklevel=level)
