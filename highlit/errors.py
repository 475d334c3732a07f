"""Every error a user can cause, in one place.

Errors are raised deep (media, features, checkpoints) and printed once, as one line, at the edge
(the CLI). Each carries a message written for the user, so the CLI never needs a traceback.
"""

from __future__ import annotations

import warnings


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
    """Emit a HighlitWarning attributed to the caller's caller, so the message points at user code."""
    warnings.warn(message, HighlitWarning, stacklevel=3)
