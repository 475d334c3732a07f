"""On-disk cache of extracted features: one ``.npz`` per video per extractor configuration.

Keys come from the file's *content*, not its name, so a renamed or copied video is still a hit and an
edited one (same name) is a miss. The content key is BLAKE2b over the file size and every byte: a
partial hash (head, tail, a few samples) would be faster on huge files, but re-encoded or trimmed
videos often keep the same container header and size class, and a silent wrong hit feeds a model the
features of another video. Hashing runs at ~0.5-1 GB/s, far below the cost of decoding the same file
(a 2-hour 720p video: ~2 s to hash, minutes to decode).

The config key is a hash of the extractor identities (name, version, dimension, settings), the
sampling rate and :data:`CACHE_FORMAT`, so changing any of them misses instead of returning stale
features. Files are written with :func:`highlit.atomic.atomic_path`, so concurrent processes either
see a complete file or none; two processes extracting the same video at once both do the work and the
second rename wins with identical content. ``manifest.jsonl`` records, one JSON object per line,
which key came from which source path; lines are appended under an exclusive ``flock`` and a torn
last line (a crash mid-write) is skipped when reading.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np

from highlit.atomic import atomic_path, atomic_write_text
from highlit.datasets import VideoFeatures
from highlit.errors import OutputError, warn

# 2: durations are measured from the first timestamp (offset .ts/.mkv no longer warned as truncated)
CACHE_FORMAT = 2
MANIFEST = "manifest.jsonl"
PARTIAL_INFO = "info.json"  # beside an unfinished extraction's chunks: what its decoder reported so far
_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """``$HIGHLIT_CACHE`` if set, else ``$XDG_CACHE_HOME/highlit`` or ``~/.cache/highlit``."""
    env = os.environ.get("HIGHLIT_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "highlit"


def content_hash(path: str | os.PathLike[str]) -> str:
    """BLAKE2b-160 of the file's size and bytes, hex. See the module docstring for why all bytes."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        digest.update(os.fstat(fh.fileno()).st_size.to_bytes(8, "little"))
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def config_hash(config: dict) -> str:
    text = json.dumps({"format": CACHE_FORMAT, **config}, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class FeatureCache:
    """Content-keyed store of :class:`VideoFeatures` under ``root`` (default :func:`default_cache_dir`)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_cache_dir()

    def key(self, content: str, config: dict) -> str:
        return f"{content}-{config_hash(config)}"

    def file_for(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.npz"

    def load(self, key: str) -> VideoFeatures | None:
        """The cached features, or None on a miss. A damaged entry counts as a miss (and is redone)."""
        path = self.file_for(key)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                visual = data["visual"].astype(np.float32, copy=False)
                audio = data["audio"].astype(np.float32, copy=False) if "audio" in data.files else None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, json.JSONDecodeError) as err:
            warn(f"{path}: unreadable cache entry ({type(err).__name__}); extracting again")
            return None
        meta.update(cache_hit=True, cache_file=str(path))
        return VideoFeatures(video_id=meta.get("video_id", key), domain=meta.get("domain", "video"),
                             visual=visual, audio=audio, labels=None, meta=meta)

    def store(self, key: str, features: VideoFeatures, source: str | os.PathLike[str]) -> Path | None:
        """Cache ``features``; None (with a warning) when the cache cannot be written. The cache only saves
        time, so a read-only or full cache folder must not cost the user the features just extracted."""
        try:
            return self._store(key, features, source)
        except (OutputError, OSError) as err:
            warn(f"feature cache {self.root}: cannot write ({err}); features are not cached")
            return None

    def _store(self, key: str, features: VideoFeatures, source: str | os.PathLike[str]) -> Path:
        path = self.file_for(key)
        meta = {k: v for k, v in features.meta.items() if k not in ("cache_hit", "cache_file")}
        meta.update(video_id=features.video_id, domain=features.domain)
        arrays = {"visual": np.asarray(features.visual, np.float32), "meta": np.array(json.dumps(meta))}
        if features.audio is not None:
            arrays["audio"] = np.asarray(features.audio, np.float32)
        with atomic_path(path) as tmp:
            np.savez(tmp, **arrays)
        self._append_manifest({"key": key, "source": str(Path(source).resolve()), "file": str(path),
                               "n_steps": int(features.visual.shape[0]),
                               "visual": meta.get("visual_extractor"), "audio": meta.get("audio_extractor"),
                               "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
        return path

    # -- an extraction's finished part, so that an interrupted one goes on where it stopped ------------
    def partial_dir(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.partial"

    def save_partial(self, key: str, start: int, rows: np.ndarray, info: dict | None = None) -> bool:
        """Keep visual rows ``start:start+len(rows)`` of an unfinished extraction, one chunk file each (only the
        new rows are written, so saving every few minutes of video costs little), and ``info`` (what the
        decoder reported so far). False (with a warning) when the cache cannot be written: the partial store
        saves time and nothing else, so the caller stops trying instead of warning every few minutes."""
        if not len(rows):
            return True
        try:
            folder = self.partial_dir(key)
            folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(folder / f"{start:010d}.npy") as tmp:
                np.save(tmp, np.asarray(rows, np.float32))
            atomic_write_text(folder / PARTIAL_INFO, json.dumps(info or {}))
        except (OutputError, OSError) as err:
            warn(f"feature cache {self.root}: cannot keep the extraction's finished part ({err})")
            return False
        return True

    def load_partial(self, key: str, width: int) -> tuple[np.ndarray, dict] | None:
        """The rows an interrupted extraction finished, from step 0 on without a gap, and its ``info``; or None.
        Chunks that do not follow on (or cannot be read) end what is used: a resumed extraction redoes those
        steps. Only chunk names count: a killed writer's ``.NNN.part.x.npy`` is not one."""
        folder = self.partial_dir(key)
        if not folder.is_dir():
            return None
        parts, done = [], 0
        for chunk in sorted(folder.glob("[0-9]*.npy")):
            try:
                start = int(chunk.stem)
                rows = np.load(chunk, allow_pickle=False)
            except (OSError, ValueError, EOFError):
                break
            if start != done or rows.ndim != 2 or rows.shape[1] != width:
                break
            parts.append(rows)
            done += len(rows)
        if not parts:
            return None
        try:
            info = json.loads((folder / PARTIAL_INFO).read_text())
        except (OSError, ValueError):
            info = {}
        return np.concatenate(parts), info if isinstance(info, dict) else {}

    def drop_partial(self, key: str) -> None:
        shutil.rmtree(self.partial_dir(key), ignore_errors=True)

    def _append_manifest(self, entry: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        line = (json.dumps(entry, sort_keys=True) + "\n").encode()
        fd = os.open(self.root / MANIFEST, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def manifest(self) -> list[dict]:
        """Every complete manifest line, oldest first (a torn last line is skipped)."""
        path = self.root / MANIFEST
        if not path.is_file():
            return []
        entries = []
        for raw in path.read_text(errors="replace").splitlines():
            try:
                entries.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
        return entries


__all__ = ["CACHE_FORMAT", "FeatureCache", "config_hash", "content_hash", "default_cache_dir"]
