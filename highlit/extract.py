"""Raw video -> :class:`VideoFeatures`: one visual (and audio) vector per 0.2 s step, cached on disk.

Decoding runs in a background thread that feeds a small bounded queue while the main thread runs the
extractors, so the two overlap (PyAV and torch both release the GIL in their C code) and memory stays
at a few batches of frames whatever the video length. Audio is turned into features every
:data:`AUDIO_CHUNK_STEPS` steps as it arrives instead of being held whole (a 2-hour track is ~460 MB
of float32). Each chunk is computed on its own, so a frame-based audio front end sees a chunk edge
every 30 s; this changes a log-mel step next to the edge slightly and nothing else.

While extracting, torch gets one core fewer than it would use otherwise (at least one), leaving a
core to the decoder: on 2 cores, two intra-op threads competing with the decode thread ran 3.5x
slower than one (OpenMP workers spin while they wait for a core), see benchmarks/decode.py.
An extractor whose workers sleep instead (``shares_cores``: EfficientNet on ONNX Runtime) gets every
core: the decoder and the network then share both, which was 1.2x faster end to end on 2 cores
(docs/performance.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from highlit.cache import FeatureCache, content_hash
from highlit.datasets import VideoFeatures
from highlit.errors import ConfigError, EmptyMediaError, HighlitError, warn
from highlit.features import AudioExtractor, VisualExtractor, get_audio, get_visual
from highlit.media import DEFAULT_FPS, MediaReader, SeekMissed, check_path, n_steps_for, probe
from highlit.progress import bar

AUDIO_CHUNK_STEPS = 150
#: Steps between two saves of an unfinished extraction's rows (5 min of video at 0.2 s; ~8 MB at 1280-d).
PARTIAL_EVERY = 1500
_DONE = object()


def _heap_trimmer() -> Callable[[], None]:
    """glibc's malloc_trim, or a no-op elsewhere.

    Frames are allocated in the decode thread and freed in the main one; glibc's per-thread arenas
    then keep freed pages, and RSS crept from ~400 MB to ~900 MB over a 10-minute video. Trimming
    every 30 s of video gives the pages back (cost: well under a millisecond per call).
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    trim.argtypes = [ctypes.c_size_t]
    return lambda: trim(0)


_trim_heap = _heap_trimmer()


def _resolve(visual: str | VisualExtractor, audio: str | AudioExtractor | None
             ) -> tuple[VisualExtractor, AudioExtractor | None]:
    vis = get_visual(visual) if isinstance(visual, str) else visual
    if audio is None or (isinstance(audio, str) and audio.lower() == "none"):
        aud = None
    else:
        aud = get_audio(audio) if isinstance(audio, str) else audio
    if not isinstance(vis, VisualExtractor):
        raise ConfigError(f"visual extractor must be a name or VisualExtractor, got {type(vis).__name__}")
    if aud is not None and not isinstance(aud, AudioExtractor):
        raise ConfigError(f"audio extractor must be a name or AudioExtractor, got {type(aud).__name__}")
    return vis, aud


def extraction_threads(threads: int | None, current: int, shares_cores: bool = False) -> int:
    """Torch intra-op threads used while extracting: ``threads`` if given, else one core fewer than
    the machine has, or every core for an extractor whose idle workers sleep (``shares_cores``);
    never more than ``current``, never below 1."""
    if threads is not None:
        return max(1, int(threads))
    cores = os.cpu_count() or 2
    return max(1, min(current, cores if shares_cores else cores - 1))


@contextlib.contextmanager
def _leave_a_core_for_decoding(threads: int | None, shares_cores: bool = False) -> Iterator[None]:
    """Set torch's intra-op threads for the duration of one extraction, then restore them."""
    torch = sys.modules.get("torch")
    if torch is None:  # no torch-based extractor in use
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(extraction_threads(threads, before, shares_cores))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _decode_thread(reader: MediaReader, out: queue.Queue, stop: threading.Event) -> None:
    """Run the reader, passing events (then _DONE, or the exception) through ``out``."""
    try:
        for event in reader:
            while not stop.is_set():
                try:
                    out.put(event, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                return
        out.put(_DONE)
    except BaseException as err:  # noqa: BLE001 - handed to the consumer, which re-raises it
        out.put(err)


def _audio_pass(path: Path, aud: AudioExtractor, fps: float) -> tuple[_AudioSteps, list[str]]:
    """Audio features from a pass over the audio track alone (a few percent of a video pass). Its length is
    not checked against the file's: a short track is normal, and the video pass judged the length."""
    reader = MediaReader(path, fps=fps, video=False, audio=True, emit_warnings=False, check_length=False)
    audio = _AudioSteps(aud, 1.0 / fps)
    for _, _, samples in reader:
        audio.add(samples)
    return audio, reader.report.warnings


class _AudioSteps:
    """Turns a stream of audio pieces into per-step features, 30 s at a time."""

    def __init__(self, extractor: AudioExtractor, step_seconds: float) -> None:
        self.extractor = extractor
        self.step_seconds = step_seconds
        self.step_samples = extractor.rate * step_seconds
        self.pending: list[np.ndarray] = []
        self.n_pending = 0
        self.done_steps = 0
        self.n_samples = 0
        self.parts: list[np.ndarray] = []

    def add(self, samples: np.ndarray) -> None:
        self.pending.append(samples)
        self.n_pending += samples.size
        self.n_samples += samples.size
        need = int(round(AUDIO_CHUNK_STEPS * self.step_samples))
        if self.n_pending >= need:
            buf = np.concatenate(self.pending)
            while buf.size >= need:
                self._emit(buf[:need], AUDIO_CHUNK_STEPS)
                buf = buf[need:]
            self.pending, self.n_pending = [buf], buf.size

    def _emit(self, wave: np.ndarray, n: int) -> None:
        self.parts.append(self.extractor.steps(wave, self.extractor.rate, n, self.step_seconds))
        self.done_steps += n

    def finish(self, n_steps: int) -> np.ndarray:
        """Features for exactly ``n_steps`` (the video's length): audio past it is dropped, a short
        track is padded with silence by the extractor."""
        rest = n_steps - self.done_steps
        if rest > 0:
            buf = np.concatenate(self.pending) if self.pending else np.zeros(0, np.float32)
            self._emit(buf, rest)
        return np.concatenate(self.parts)[:n_steps]


def _extract(path: Path, vis: VisualExtractor, aud: AudioExtractor | None, fps: float,
             batch_size: int, threads: int | None, done: tuple[np.ndarray, dict] | None = None,
             keep: Callable[[int, np.ndarray, dict], bool] | None = None
             ) -> tuple[np.ndarray, np.ndarray | None, dict]:
    """``done``: the visual rows an interrupted run finished (a multiple of ``batch_size``, so every batch
    holds the frames it would have held in one run) and what its decoder reported; ``keep(start, rows, info)``
    stores finished rows every :data:`PARTIAL_EVERY` steps and on Ctrl-C, so that the next run goes on from
    there (it returns False when it cannot, and is not called again).

    A resumed pass starts one batch early and must reproduce that batch exactly: a seek that lands where
    the decoder cannot yet rebuild the picture (intra-refresh streams, some MPEG-TS) would give other pixels
    with plausible timestamps, and this is how it is caught (:class:`SeekMissed`: extract whole instead)."""
    info = probe(path)
    rows, before = done if done is not None else (np.zeros((0, vis.dim), np.float32), {})
    start = len(rows) - batch_size if len(rows) >= 2 * batch_size else 0
    rows = rows[:start + batch_size] if start else rows[:0]
    damaged_before = int(before.get("damaged_packets", 0)) if start else 0
    reader = MediaReader(path, fps=fps, size=vis.size, audio=aud is not None and not start,
                         interpolation=vis.interpolation, emit_warnings=False, start_step=start,
                         damaged_before=damaged_before)
    events: queue.Queue = queue.Queue(maxsize=max(8, 2 * batch_size))
    stop = threading.Event()
    worker = threading.Thread(target=_decode_thread, args=(reader, events, stop), daemon=True,
                              name=f"highlit-decode-{path.name}")
    audio = _AudioSteps(aud, 1.0 / fps) if aud is not None else None
    visual_parts: list[np.ndarray] = [rows] if start else []
    check = rows[start:] if start else None  # the batch the resumed pass must reproduce
    unsaved: list[np.ndarray] = []
    saved = len(rows)
    batch: list[np.ndarray] = []
    estimate = n_steps_for(info.duration, fps) or None

    def flush() -> None:
        nonlocal saved, unsaved, keep
        if keep is not None and unsaved:
            new = np.concatenate(unsaved)
            if not keep(saved, new, {"damaged_packets": reader.report.damaged_packets}):
                keep = None
            saved, unsaved = saved + len(new), []

    worker.start()
    try:
        with _leave_a_core_for_decoding(threads, vis.shares_cores), \
                bar(f"extract {path.name}", estimate, unit="steps", start=start) as progress:
            while True:
                event = events.get()
                if event is _DONE:
                    break
                if isinstance(event, BaseException):
                    raise event
                kind, _, data = event
                if kind == "audio":
                    if audio is not None:
                        audio.add(data)
                    continue
                batch.append(data)
                if len(batch) >= batch_size:
                    out = vis(np.stack(batch))
                    progress.advance(len(batch))
                    batch = []
                    if check is not None:
                        if not np.array_equal(out, check):
                            raise SeekMissed(f"{path}: the resumed pass did not reproduce the steps before it")
                        check = None
                        continue
                    visual_parts.append(out)
                    unsaved.append(out)
                    if len(visual_parts) % max(1, AUDIO_CHUNK_STEPS // batch_size) == 0:
                        _trim_heap()
                    if sum(len(u) for u in unsaved) >= PARTIAL_EVERY:
                        flush()
            if check is not None:
                raise SeekMissed(f"{path}: the resumed pass ended before the steps it had to reproduce")
            if batch:
                visual_parts.append(vis(np.stack(batch)))
                progress.advance(len(batch))
            progress.set_total(sum(len(p) for p in visual_parts))
        if start and audio is not None:  # the resumed pass read no audio: the track is decoded on its own
            audio, audio_warnings = _audio_pass(path, aud, fps)
            reader.report.warnings.extend(m for m in audio_warnings if m not in reader.report.warnings)
    except KeyboardInterrupt:
        flush()  # whole batches only: a resumed run starts on a batch boundary
        raise
    finally:
        stop.set()
        worker.join(timeout=5)
    report = reader.report
    for message in report.warnings:
        warn(message)
    visual = np.concatenate(visual_parts) if visual_parts else np.zeros((0, vis.dim), np.float32)
    if visual.shape[0] == 0:
        raise EmptyMediaError(f"{path}: no video frame on the {1 / fps:.2f} s grid")
    warnings = list(report.warnings)
    audio_feats = None
    if audio is not None and report.has_audio:
        if audio.n_samples == 0:
            warnings.append(f"{path}: the audio stream could not be decoded; continuing without audio")
            warn(warnings[-1])
        else:
            audio_feats = audio.finish(visual.shape[0])
    meta = {
        "duration": report.decoded_duration,
        "declared_duration": report.declared_duration,
        "fps": info.fps,
        "size": [info.width, info.height],
        "rotation": info.rotation,
        "has_audio": audio_feats is not None,
        "audio_stream": report.has_audio,
        "warnings": warnings,
    }
    return visual, audio_feats, meta


def extract_video(path: str | os.PathLike[str], visual: str | VisualExtractor = "efficientnet",
                  audio: str | AudioExtractor | None = "logmel", cache_dir: str | os.PathLike[str] | None = None,
                  batch_size: int = 8, *, fps: float = DEFAULT_FPS, use_cache: bool = True,
                  threads: int | None = None) -> VideoFeatures:
    """Feature sequences of one video, from the cache when this content was extracted before.

    ``visual`` is ``[N, Dv]`` with N the number of ``1/fps`` steps; ``audio`` is ``[N, Da]`` or None
    when the file has no audio stream (or ``audio=None``). ``meta`` carries ``source``,
    ``step_seconds``, ``duration``, ``has_audio``, both extractor identities, and ``cache_hit`` /
    ``cache_file``. ``threads`` sets torch's intra-op threads during extraction (default: one fewer
    than the cores, see the module docstring). Raises the typed errors of :mod:`highlit.media`.
    """
    path = check_path(path)
    if batch_size < 1:
        raise ConfigError(f"batch_size must be >= 1, got {batch_size}")
    vis, aud = _resolve(visual, audio)
    config = {"visual": vis.identity(), "audio": aud.identity() if aud else None, "fps": float(fps)}
    cache = FeatureCache(cache_dir) if use_cache else None
    content = content_hash(path)
    key = cache.key(content, config) if cache else None
    if cache is not None:
        hit = cache.load(key)
        if hit is not None:
            cache.drop_partial(key)  # a concurrent run finished it first: its partial is of no more use
            for message in hit.meta.get("warnings", []):  # a damaged file stays damaged: say so again
                warn(f"{message} (features from the cache)")
            hit.meta["source"] = str(path)
            return VideoFeatures(video_id=path.stem, domain=hit.domain, visual=hit.visual, audio=hit.audio,
                                 labels=None, meta=hit.meta)
    done, keep = None, None
    if cache is not None:  # an interrupted run of this same extraction left its finished rows
        partial = cache.load_partial(key, vis.dim)
        if partial is not None:
            rows, info = partial
            usable = len(rows) - len(rows) % batch_size  # another batch size: whole batches of this one
            done = (rows[:usable], info) if usable >= 2 * batch_size else None
        keep = functools.partial(cache.save_partial, key)
    try:
        visual_feats, audio_feats, extra = _extract(path, vis, aud, float(fps), batch_size, threads, done, keep)
    except HighlitError:
        if done is None:
            raise
        # The resumed pass could not go on exactly where the rows end (SeekMissed) or failed after a seek:
        # extract the video whole, so a resumed run never gives other features or errors than a whole one.
        cache.drop_partial(key)
        visual_feats, audio_feats, extra = _extract(path, vis, aud, float(fps), batch_size, threads, None, keep)
    meta = {
        "source": str(path),
        "step_seconds": 1.0 / float(fps),
        **extra,
        "visual_extractor": vis.identity(),
        "audio_extractor": aud.identity() if aud else None,
        "content_hash": content,
        "cache_hit": False,
        "cache_file": None,
    }
    features = VideoFeatures(video_id=path.stem, domain="video", visual=visual_feats, audio=audio_feats,
                             labels=None, meta=meta)
    if cache is not None:
        stored = cache.store(key, features, path)
        meta["cache_file"] = str(stored) if stored else None
        cache.drop_partial(key)
    return features


__all__ = ["extract_video", "extraction_threads", "AUDIO_CHUNK_STEPS"]
