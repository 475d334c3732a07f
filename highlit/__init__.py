"""highlit: label-free highlight detection for raw videos (RASL, Li et al., IEEE TIP 2024).

The public API is imported lazily so ``import highlit`` stays cheap (no torch import) for scripts that
only read results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from highlit.highlights import Highlights
    from highlit.segments import Segment

__all__ = ["__version__", "detect", "detect_many", "load_model", "Highlights", "Segment"]


def detect(path: Any, model: Any = None, **options: Any) -> Highlights:
    """Highlights of one video; see :func:`highlit.pipeline.detect`.

    ``model``: a checkpoint folder from ``highlit pretrain``; None fits a network on the video itself.
    Segment options: ``threshold``, ``duration`` (seconds) or ``ratio`` (default 15 % of the video),
    ``min_length`` (2.0 s), ``merge_gap`` (1.0 s). Fit options (no ``model``): ``fit_steps`` (200), ``seed``
    (0), ``fit_preset`` ('fit'). Also ``visual``, ``audio`` (extractor names) and ``cache_dir``.
    """
    from highlit.pipeline import detect as _detect

    return _detect(path, model, **options)


def detect_many(paths: Any, model: Any = None, **options: Any) -> list:
    """Batch form of :func:`detect`; see :func:`highlit.pipeline.detect_many`."""
    from highlit.pipeline import detect_many as _detect_many

    return _detect_many(paths, model, **options)


def load_model(path: Any) -> Any:
    """A checkpoint from ``highlit pretrain``: (network, metadata)."""
    from highlit.checkpoint import load_checkpoint

    return load_checkpoint(path)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))  # the lazy names too, for tab completion


def __getattr__(name: str) -> Any:
    if name == "Highlights":
        from highlit.highlights import Highlights

        return Highlights
    if name == "Segment":
        from highlit.segments import Segment

        return Segment
    raise AttributeError(name)
