"""Feature extractors behind one interface, found by name.

``get_visual("efficientnet")`` / ``get_audio("logmel")`` return ready extractors. Instances are
cached per (name, settings) because loading a network costs far more than using it once; heavy or
optional dependencies are imported only when their extractor is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from highlit.errors import ConfigError
from highlit.features.base import AudioExtractor, Extractor, VisualExtractor


def _efficientnet(**kw) -> VisualExtractor:
    from highlit.features.efficientnet import EfficientNetLite0

    return EfficientNetLite0(**kw)


def _pixels(**kw) -> VisualExtractor:
    from highlit.features.pixels import Pixels

    return Pixels(**kw)


def _logmel(**kw) -> AudioExtractor:
    from highlit.features.logmel import LogMel

    return LogMel(**kw)


def _yamnet(**kw) -> AudioExtractor:
    from highlit.features.yamnet import YAMNet

    return YAMNet(**kw)


VISUAL: dict[str, Callable[..., VisualExtractor]] = {"efficientnet": _efficientnet, "pixels": _pixels}
AUDIO: dict[str, Callable[..., AudioExtractor]] = {"logmel": _logmel, "yamnet": _yamnet}


def check_name(kind: str, name: str) -> None:
    """Raise the one-line error for an extractor name that is not in the registry (``kind``: visual or audio);
    the CLI calls it before any video is read, building an extractor calls it again."""
    table = VISUAL if kind == "visual" else AUDIO
    if name not in table:
        raise ConfigError(f"unknown {kind} extractor {name!r}; choose one of {', '.join(sorted(table))}"
                          + (", none" if kind == "audio" else ""))


@lru_cache(maxsize=16)
def _build(kind: str, name: str, settings: tuple) -> Extractor:
    check_name(kind, name)
    table = VISUAL if kind == "visual" else AUDIO
    try:
        return table[name](**dict(settings))
    except TypeError as err:
        raise ConfigError(f"{kind} extractor {name!r}: bad settings ({err})") from None


def get_visual(name: str, **settings) -> VisualExtractor:
    return _build("visual", name, tuple(sorted(settings.items())))  # type: ignore[return-value]


def get_audio(name: str, **settings) -> AudioExtractor:
    return _build("audio", name, tuple(sorted(settings.items())))  # type: ignore[return-value]


__all__ = ["Extractor", "VisualExtractor", "AudioExtractor", "VISUAL", "AUDIO", "get_visual", "get_audio", "check_name"]
