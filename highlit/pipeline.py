"""The main job as a Python API: videos in, :class:`~highlit.highlights.Highlights` out.

``detect`` mirrors ``highlit detect``: extract (cached) features, get a model (a checkpoint, or with
none the embedded default that fits the network unsupervised on the input videos themselves), score
with the visual branch only, segment. ``detect_many`` is the batch form: one bad file is reported and
the rest go on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import highlit
from highlit.datasets import VideoFeatures, align_audio_dim
from highlit.errors import CheckpointError, ConfigError, HighlitError, InputNotFoundError, warn
from highlit.extract import extract_video
from highlit.highlights import Highlights
from highlit.infer import score_sequence
from highlit.media import file_timecode
from highlit.segments import find_segments

VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v", ".mts", ".m2ts", ".ts", ".mpg", ".mpeg",
                  ".wmv", ".flv", ".3gp", ".ogv", ".mxf"}

#: Fit-on-input default: 200 steps, whatever the input's length (a step's cost depends on the batch, one
#: window per 30 s of input up to 8, not on the length). Shorter fits rank a short clip almost arbitrarily:
#: two seeds agree at a mean Spearman correlation of 0.12 after 40 steps, 0.70 after 200 (the shared media
#: clips, benchmarks/fit_stability.py), for the same benchmark figure (TVSum, each video fitted alone, 3 seeds:
#: 0.513 +- 0.012 at 40 steps, 0.511 +- 0.013 at 200); much longer fits drift from the signal (docs/results.md
#: items 6 and 13). Until 2026-11-28 the default was 10 steps per minute of input, 40 to 200.
FIT_STEPS = 200
#: At the paper's lr 1e-3 a short fit collapses s (the sigmoid saturates to a constant, a softmax
#: picks one or two steps: measured on the example clip); at 3e-4 it stays a curve with a spread.
#: A long fit wants a smaller lr: on the benchmark features a 40-step fit of one video scores TVSum
#: 0.513 at 3e-4 vs 0.480 at 1e-4, while a 200-step fit of a category's videos scores TVSum / YouTube
#: 0.534 / 0.578 at 1e-4 vs 0.508 / 0.543 at 3e-4 (3 seeds; docs/results.md items 13-14). So the lr
#: falls from FIT_LR at the first of FIT_LR_STEPS to FIT_LR_LONG at the second, geometrically (``fit_lr``).
FIT_LR, FIT_LR_LONG = 3e-4, 1e-4
FIT_LR_STEPS = (40, 200)


@dataclass(frozen=True)
class SegmentOptions:
    """How a score curve becomes segments; exactly one of threshold / duration / ratio is used."""

    threshold: float | None = None
    duration: float | None = None
    ratio: float | None = None
    min_length: float = 2.0
    merge_gap: float = 1.0

    def resolved(self) -> SegmentOptions:
        chosen = [v is not None for v in (self.threshold, self.duration, self.ratio)]
        if sum(chosen) > 1:
            raise ConfigError("give only one of --threshold, --duration, --ratio")
        if not any(chosen):
            return SegmentOptions(ratio=0.15, min_length=self.min_length, merge_gap=self.merge_gap)
        return self


@dataclass
class DetectResult:
    """One input of a batch: its highlights, or the one-line error that stopped it."""

    path: Path
    highlights: Highlights | None = None
    error: HighlitError | None = None
    skipped: bool = False
    outputs: dict[str, str] = field(default_factory=dict)


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, folders searched recursively for video files, shell-style globs expanded. A folder scan
    skips hidden names (``.x.mp4``, anything under ``.cache/``): they are a writer's unfinished ``.part`` files,
    macOS ``._`` resource forks and tool folders, never footage; a hidden file named on its own is read."""
    found: list[Path] = []
    for raw in inputs:
        text = str(raw)
        path = Path(text)
        if any(ch in text for ch in "*?[") and not path.exists():
            anchor = Path(path.anchor) if path.is_absolute() else Path(".")
            pattern = str(path.relative_to(path.anchor)) if path.is_absolute() else text
            matches = sorted(p for p in anchor.glob(pattern) if p.is_file())
            if not matches:
                raise InputNotFoundError(f"{text}: no file matches this pattern")
            found.extend(matches)
        elif path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists():
            found.append(path)
        else:
            raise InputNotFoundError(f"{text}: no such file or folder")
    unique: list[Path] = []
    seen: set[Path] = set()
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def fit_lr(steps: int) -> float:
    """The fit-on-input lr for a fit of ``steps`` steps: the two measured ends, geometric in between."""
    short, long = FIT_LR_STEPS
    t = float(np.clip((np.log(max(steps, 1)) - np.log(short)) / (np.log(long) - np.log(short)), 0.0, 1.0))
    return float(FIT_LR * (FIT_LR_LONG / FIT_LR) ** t)


def load_model(model: str | os.PathLike[str] | None):
    """A checkpoint path -> (network, meta); None -> (None, None): the caller fits on its inputs."""
    if model is None:
        return None, None
    from highlit.checkpoint import load_checkpoint

    return load_checkpoint(model)


def _extractor_names(meta: dict | None, visual: str | None, audio: str | None) -> tuple[str, str]:
    """A checkpoint fixes the extractors it was trained on; explicit choices must agree with it."""
    from highlit.features import AUDIO, VISUAL

    if meta is None:
        return visual or "efficientnet", audio or "logmel"
    needed = meta.get("extractors") or {}
    need_v = (needed.get("visual") or {}).get("name")
    need_a = (needed.get("audio") or {}).get("name")
    if need_v and need_v not in VISUAL:
        raise CheckpointError(f"this checkpoint was trained on {need_v!r} visual features, which highlit cannot "
                              f"extract from raw video (it knows {', '.join(VISUAL)}); use it with "
                              "`highlit evaluate`, or pretrain on videos with `highlit pretrain VIDEOS`")
    if visual and need_v and visual != need_v:
        raise ConfigError(f"this checkpoint was trained on visual features {need_v!r}, not {visual!r}")
    if need_a not in AUDIO:
        need_a = None  # audio is never needed at inference: any extractor will do for the record
    return visual or need_v or "efficientnet", audio or need_a or "logmel"


#: The model preset fitted when no checkpoint is given: see highlit/model/config.py and docs/results.md
#: (fitted on a category's videos it beats the 'default' preset by 0.08 TVSum / 0.05 YouTube).
FIT_PRESET = "fit"


def _fit_default_model(videos: Sequence[VideoFeatures], fit_steps: int | None, seed: int, preset: str = FIT_PRESET):
    from highlit.model.config import ModelConfig
    from highlit.train import default_threads, fit_on_input

    dim = int(videos[0].visual.shape[1])
    cfg = ModelConfig.preset(preset)
    cfg = type(cfg).from_dict({**cfg.to_dict(), "visual_dim": dim, "audio_dim": dim})
    steps = fit_steps if fit_steps is not None else FIT_STEPS
    lr = fit_lr(steps)
    # $HIGHLIT_THREADS if set, else one core fewer than the machine has, as extraction does: on a busy
    # machine, torch threads that compete for every core spin and ran 10x slower in our measurements.
    threads = default_threads() if os.environ.get("HIGHLIT_THREADS") else max(1, (os.cpu_count() or 2) - 1)
    model = fit_on_input([align_audio_dim(v) for v in videos], cfg, steps=steps, seed=seed, batch_size=None,
                         lr=lr, threads=threads)
    corpus = sorted(str(v.meta.get("content_hash") or v.video_id) for v in videos)
    identity = {"kind": "fit-on-input", "preset": preset, "steps": steps, "seed": seed, "lr": lr,
                "corpus": {"videos": len(videos), "digest": hashlib.blake2b("\n".join(corpus).encode(),
                                                                        digest_size=8).hexdigest()}}
    return model, identity


def _window(model) -> int:
    return int(getattr(getattr(model, "cfg", None), "window", 150))


def cut_segments(highlights: Highlights, seg: SegmentOptions) -> Highlights:
    """``highlights`` with its segments cut anew under ``seg``. The only step that depends on the segment
    options, so a stored result is re-cut with new ones without extracting or fitting again."""
    seg = seg.resolved()
    if seg.duration is not None and seg.duration >= highlights.duration > 0:
        warn(f"{highlights.source}: the target duration ({seg.duration:g} s) is not shorter than the video "
             f"({highlights.duration:.1f} s): the whole video is the highlight")
    segments = find_segments(highlights.times, highlights.scores, highlights.step, threshold=seg.threshold,
                             duration=seg.duration, ratio=seg.ratio, min_length=seg.min_length,
                             merge_gap=seg.merge_gap, frame_rate=highlights.fps, video_duration=highlights.duration)
    return dataclasses.replace(highlights, segments=segments)


def _highlights_for(video: VideoFeatures, model, model_identity: dict, seg: SegmentOptions) -> Highlights:
    step = float(video.meta.get("step_seconds", 0.2))
    scores = score_sequence(model, video.visual, _window(model), overlap=True)
    source = video.meta.get("source")
    return cut_segments(Highlights(
        # absolute: a result read back from another folder must still find its video (reels, timelines)
        source=str(Path(source).resolve()) if source else video.video_id,
        times=np.arange(video.n_steps) * step,
        scores=scores,
        segments=[],
        step=step,
        duration=float(video.meta.get("duration") or video.n_steps * step),
        has_audio=bool(video.meta.get("has_audio", video.audio is not None)),
        fps=video.meta.get("fps"),
        timecode=file_timecode(source) if source else None,
        model=model_identity,
        extractors={"visual": video.meta.get("visual_extractor"), "audio": video.meta.get("audio_extractor")},
        version=highlit.__version__,
        meta={"content_hash": video.meta["content_hash"]} if video.meta.get("content_hash") else {},
    ), seg)


def detect_many(paths: Sequence[str | os.PathLike[str]], model: str | os.PathLike[str] | None = None, *,
                visual: str | None = None, audio: str | None = None, cache_dir: str | None = None,
                segments: SegmentOptions | None = None, fit_steps: int | None = None, seed: int = 0,
                skip: Sequence[Path] = (), fit_preset: str = FIT_PRESET,
                stored_models: Mapping[Path, dict] | None = None) -> list[DetectResult]:
    """Batch detection: errors are collected per file, never raised for a single bad input.

    With no model, one network is fitted on all readable inputs together (more data, one fit) and
    then scores each of them. ``skip``: inputs already done; ``stored_models`` their results' model
    identities. When this run fits a network (some input is new or changed), a skipped input whose network
    is not this one (the folder gained or changed a video since) is scored again, so the results of one run
    come from one network.
    """
    seg = (segments or SegmentOptions()).resolved()
    if model is None:
        from highlit.model.config import ModelConfig
        from highlit.train import check_seed

        ModelConfig.preset(fit_preset)  # a bad preset name or seed fails before any extraction
        check_seed(seed)
    net, meta = load_model(model)
    visual_name, audio_name = _extractor_names(meta, visual, audio)
    results: list[DetectResult] = []
    features: list[tuple[DetectResult, VideoFeatures]] = []
    skip_set = {Path(p).resolve() for p in skip}
    stored = {Path(p).resolve(): m for p, m in (stored_models or {}).items()}
    for path in expand_inputs(paths):
        results.append(DetectResult(Path(path), skipped=Path(path).resolve() in skip_set))
    if all(r.skipped for r in results):  # all done (a repeated run, or a part of a folder done before): reused
        return results
    # Fitting on the inputs: the skipped ones (done before) belong to the corpus too, so a resumed or
    # repeated run fits the network the whole run would have (their features come from the cache).
    corpus: list[VideoFeatures] = []
    done_before: list[tuple[DetectResult, VideoFeatures]] = []
    for result in results:
        if result.skipped and net is not None:
            continue
        try:
            video = extract_video(result.path, visual=visual_name, audio=audio_name, cache_dir=cache_dir)
        except HighlitError as err:
            if not result.skipped:
                result.error = err
            continue
        corpus.append(video)
        (done_before if result.skipped else features).append((result, video))
    if net is None and corpus:
        net, identity = _fit_default_model(corpus, fit_steps, seed, fit_preset)
        for result, video in done_before:  # made by another network than this run's: scored again
            if stored and stored.get(result.path.resolve()) != identity:
                result.skipped = False
                features.append((result, video))
    if not features:
        return results
    if model is not None:
        identity = {"kind": "checkpoint", "path": str(model), **{k: meta.get(k) for k in ("step", "preset")
                                                                 if k in meta}}
        from highlit.checkpoint import check_extractors

        for result, video in features:
            try:
                check_extractors(meta, {"visual": video.meta.get("visual_extractor"),
                                        "audio": video.meta.get("audio_extractor")})
            except HighlitError as err:
                result.error = err
        features = [(r, f) for r, f in features if r.error is None]
    for result, video in features:
        try:
            result.highlights = _highlights_for(video, net, identity, seg)
        except HighlitError as err:
            result.error = err
    return results


def detect(path: str | os.PathLike[str], model: str | os.PathLike[str] | None = None, *,
           threshold: float | None = None, duration: float | None = None, ratio: float | None = None,
           min_length: float = 2.0, merge_gap: float = 1.0, **options) -> Highlights:
    """Highlights of one video; raises the typed :class:`~highlit.errors.HighlitError` on bad input.

    ``threshold`` / ``duration`` (seconds) / ``ratio`` choose how segments are cut (default: 15 % of
    the video); other options are those of :func:`detect_many`.
    """
    allowed = set(inspect.signature(detect_many).parameters) - {"paths", "model", "segments", "skip",
                                                                  "stored_models"}  # a batch's own
    for name in options:  # named here, not as detect_many's, which the caller never called
        if name not in allowed:
            raise TypeError(f"detect() got an unexpected keyword argument {name!r}; "
                            f"it takes {', '.join(sorted(allowed))} besides the segment options")
    seg = SegmentOptions(threshold=threshold, duration=duration, ratio=ratio, min_length=min_length,
                         merge_gap=merge_gap)
    results = detect_many([path], model, segments=seg, **options)
    if len(results) != 1:
        raise InputNotFoundError(f"{path}: expected one video, found {len(results)}")
    if results[0].error is not None:
        raise results[0].error
    assert results[0].highlights is not None
    return results[0].highlights
