"""Benchmark evaluation on UMT-layout feature datasets: baselines, models, per-category tables.

Everything scores on the dataset's own clip grid (a 2 s clip for TVSum, a 100-frame window for
YouTube Highlights), so a model sees windows of ``window`` clip steps rather than 0.2 s steps.
Labels are read only here, to score rankings; nothing in this module trains.

A "scorer" is any callable ``VideoFeatures -> scores[n_steps]``; models, checkpoints and the
baselines are all turned into scorers, so the metric code path is identical for every row of a table.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from highlit.datasets import VideoFeatures, load_dataset
from highlit.errors import CheckpointError, ConfigError, FeatureError
from highlit.metrics import TVSUM_LABELS, dataset_map, paired_bootstrap
from highlit.progress import bar

Scorer = Callable[[VideoFeatures], np.ndarray]

BASELINES = ("random", "norm", "distinct")
METRIC_NAMES = {"tvsum": "top-5 mAP", "youtube": "mAP"}
#: The paper's reference figures (Tables I and II, "Ours"), quoted beside ours in tables.
PAPER = {"tvsum": 0.783, "youtube": 0.651}
ASSETS = Path(__file__).resolve().parent / "assets"
SHIPPED_CHECKPOINT = ASSETS / "benchmark_i3d.safetensors"
#: Clip steps per model window when a checkpoint does not say otherwise.
DEFAULT_WINDOW = 64
#: How a network's scores are read on a benchmark video (see :func:`model_scorer`).
READS = ("windows", "whole", "overlap")
#: Longest video the 'whole' reading passes in one window: self-attention is quadratic in it (4096 clips is
#: over two hours on either benchmark grid).
WHOLE_MAX_STEPS = 4096
#: Fig. 1 uses a 30 s window; both benchmark grids step about 2 s per clip.
DISTINCT_WINDOW = 15


# ---------------------------------------------------------------- baselines


def _video_seed(video_id: str, seed: int) -> int:
    """Stable across processes (unlike ``hash``), so random baselines are reproducible."""
    return zlib.crc32(video_id.encode()) ^ (seed * 0x9E3779B1 & 0xFFFFFFFF)


def random_scores(video: VideoFeatures, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(_video_seed(video.video_id, seed)).random(video.n_steps)


def norm_scores(video: VideoFeatures, dims: slice = slice(0, 1024)) -> np.ndarray:
    """L2 norm of the I3D RGB half of the visual feature: the reference 'learned nothing' bar."""
    return np.linalg.norm(video.visual[:, dims].astype(np.float64), axis=1)


def distinct_scores(visual: np.ndarray, window: int = DISTINCT_WINDOW, quantile: float = 0.5) -> np.ndarray:
    """The paper's Fig. 1 heuristic: fewer similar vectors nearby means more of a highlight.

    Two steps are "similar" when their mean squared difference is at most a threshold; the paper gives
    no threshold, so it is the ``quantile`` of all pairwise MSEs of the video (scale free; "at most" so
    that exact repeats count as similar even when they make up most pairs). The count
    runs over steps within ``window // 2`` on either side (the paper's 30 s window) and is divided by
    the number of neighbours actually available, so steps near the ends are not favoured.
    """
    x = np.asarray(visual, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        raise FeatureError(f"distinctiveness needs a non-empty [steps, dim] array, got shape {x.shape}")
    if window < 1 or not 0.0 < quantile < 1.0:
        raise ConfigError(f"distinctiveness needs window >= 1 and 0 < quantile < 1 "
                          f"(got {window}, {quantile})")
    sq = (x * x).sum(1)
    mse = np.maximum(sq[:, None] + sq[None, :] - 2.0 * x @ x.T, 0.0) / x.shape[1]
    n = len(x)
    idx = np.arange(n)
    near = (np.abs(idx[:, None] - idx[None, :]) <= window // 2) & (idx[:, None] != idx[None, :])
    off_diag = mse[~np.eye(n, dtype=bool)]
    threshold = np.quantile(off_diag, quantile) if off_diag.size else 0.0
    similar = ((mse <= threshold) & near).sum(1)
    return -similar / np.maximum(near.sum(1), 1)


def baseline_scorer(name: str, seed: int = 0, window: int = DISTINCT_WINDOW) -> Scorer:
    if name == "random":
        return lambda v: random_scores(v, seed)
    if name == "norm":
        return norm_scores
    if name == "distinct":
        return lambda v: distinct_scores(v.visual, window)
    raise ConfigError(f"unknown baseline {name!r}; choose one of {', '.join(BASELINES)}")


# ---------------------------------------------------------------- models as scorers


def model_scorer(model: Any, window: int = DEFAULT_WINDOW, read: str = "windows") -> Scorer:
    """Score each video's visual sequence with a RASL model, read as ``read`` says (:data:`READS`).

    'windows' is the paper's reading: plain windows of ``window`` clip steps, a video or remainder shorter than a
    window repeated to fill it, each step from its first occurrence. 'whole' passes each video in one window of
    its own length, so nothing is cut or repeated (a video longer than :data:`WHOLE_MAX_STEPS` in the fewest
    near-equal windows within it): round 13 (docs/results.md, item 26) found it above the paper's reading on both
    benchmarks, on average over the shipped configuration's three networks, and the shipped checkpoint's
    metadata asks for it. 'overlap' is how ``highlit detect`` reads raw video
    (:func:`highlit.infer.overlapped_raw_scores`).
    """
    from highlit.infer import score_sequence  # the model stack is optional for baseline-only use

    if read not in READS:
        raise ConfigError(f"unknown reading {read!r}; choose from {', '.join(READS)}")
    model.eval()
    branch = _AudioScorer(model) if _audio_only(model) else model  # Table III "w/o vision" reads audio only

    def score(v: VideoFeatures) -> np.ndarray:
        seq = v.visual if branch is model else v.audio
        if seq is None:
            raise FeatureError(f"{v.video_id}: an audio-only model needs audio features")
        length = -(-len(seq) // -(-len(seq) // WHOLE_MAX_STEPS)) if read == "whole" else window
        return np.asarray(score_sequence(branch, seq, length, overlap=read == "overlap"), dtype=np.float64)

    return score


def _audio_only(model: Any) -> bool:
    return getattr(getattr(model, "cfg", None), "modalities", "both") == "audio"


class _AudioScorer:
    """Presents an audio-only network through the visual-only ``score`` interface that infer uses."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.cfg = None  # infer checks the visual width against cfg; the audio branch checks its own

    def eval(self) -> _AudioScorer:
        self.model.eval()
        return self

    def score(self, x: Any) -> Any:
        return self.model.score(x, x)


def checkpoint_scorer(path: str | Path | None = None, window: int | None = None,
                      read: str | None = None) -> tuple[Scorer, dict]:
    """Load a checkpoint (the shipped benchmark one by default) as a scorer, plus what was used.

    Unless told otherwise it is read as it was benchmarked (its metadata's window and reading), else in plain
    windows of its training length; a ``window`` given without a ``read`` means plain windows of that length.
    """
    from highlit.checkpoint import load_checkpoint

    model, meta = load_checkpoint(Path(path) if path is not None else SHIPPED_CHECKPOINT)
    benchmark = meta.get("benchmark") or {}
    if read is None:
        read = "windows" if window is not None else benchmark.get("read", "windows")
        if read not in READS:
            raise CheckpointError(f"{path or SHIPPED_CHECKPOINT}: its metadata asks for an unknown reading {read!r}")
    if window is None:  # the window it was benchmarked with, else the one it was trained with
        trained = getattr(getattr(model, "cfg", None), "window", DEFAULT_WINDOW)
        window = int(benchmark.get("window", trained))
    return model_scorer(model, window, read), {"checkpoint": str(path or SHIPPED_CHECKPOINT), "window": window,
                                               "read": read, "audio_only": _audio_only(model),
                                               "extractors": meta.get("extractors")}


def _as_scorer(model_or_scores_fn: Any, window: int | None, read: str | None) -> tuple[Scorer, dict]:
    if model_or_scores_fn is None or isinstance(model_or_scores_fn, (str, Path)):
        return checkpoint_scorer(model_or_scores_fn, window, read)
    if hasattr(model_or_scores_fn, "score") and hasattr(model_or_scores_fn, "parameters"):
        w = window or int(getattr(getattr(model_or_scores_fn, "cfg", None), "window", DEFAULT_WINDOW))
        return model_scorer(model_or_scores_fn, w, read or "windows"), {
            "window": w, "read": read or "windows", "audio_only": _audio_only(model_or_scores_fn)}
    if callable(model_or_scores_fn):
        return model_or_scores_fn, {}
    raise ConfigError(f"cannot evaluate {type(model_or_scores_fn).__name__}: "
                      "pass a checkpoint path, a RASL model or a scores function")


# ---------------------------------------------------------------- evaluation


def evaluate_scores(videos: Sequence[VideoFeatures], scores: Mapping[str, np.ndarray],
                    tie_seed: int = 0, tvsum_labels: str = "annotators") -> dict:
    """The benchmark figure for precomputed scores; every video must have one score per clip.
    ``tvsum_labels``: how TVSum's annotations become labels (:data:`highlit.metrics.TVSUM_LABELS`)."""
    if tvsum_labels not in TVSUM_LABELS:
        raise ConfigError(f"unknown TVSum label reading {tvsum_labels!r}; choose from {', '.join(TVSUM_LABELS)}")
    if not videos:
        raise ConfigError("nothing to evaluate: no videos")
    dataset = videos[0].meta.get("dataset")
    if dataset not in METRIC_NAMES:
        raise ConfigError(f"videos carry no known dataset name (got {dataset!r})")
    for v in videos:
        if v.video_id not in scores:
            raise FeatureError(f"no scores for video {v.video_id}")
        s = np.asarray(scores[v.video_id])
        if s.shape != (v.n_steps,):
            raise FeatureError(f"{v.video_id}: expected {v.n_steps} scores (one per clip), got shape {s.shape}")
        if s.dtype.kind not in "biuf":
            raise FeatureError(f"{v.video_id}: scores must be numbers, got dtype {s.dtype}")
        bad = s.size - int(np.count_nonzero(np.isfinite(s)))
        if bad:
            raise FeatureError(f"{v.video_id}: {bad} of {v.n_steps} scores are NaN or inf")
    result = dataset_map(dataset, {v.video_id: np.asarray(scores[v.video_id]) for v in videos},
                         {v.video_id: v.labels for v in videos}, {v.video_id: v.domain for v in videos},
                         tie_seed=tie_seed, tvsum_labels=tvsum_labels)
    reading = {"tvsum_labels": tvsum_labels} if dataset == "tvsum" else {}
    metric = METRIC_NAMES[dataset] + (" vs the annotator mean" if reading and tvsum_labels == "mean" else "")
    return {"dataset": dataset, "metric": metric, **reading, **result}


def score_videos(videos: Sequence[VideoFeatures], scorer: Scorer, label: str | None = None) -> dict[str, np.ndarray]:
    """Scores of every video; with ``label``, a progress bar, for the scorers that take minutes (a model over a
    benchmark, the distinct count with a long window)."""
    if label is None:
        return {v.video_id: np.asarray(scorer(v), dtype=np.float64) for v in videos}
    scores = {}
    with bar(label, total=len(videos), unit="videos") as progress:
        for v in videos:
            scores[v.video_id] = np.asarray(scorer(v), dtype=np.float64)
            progress.advance()
    return scores


def evaluate_model(model_or_scores_fn: Any, root: str | Path, dataset: str | None = None,
                   split: str | None = None, window: int | None = None,
                   videos: Sequence[VideoFeatures] | None = None, tvsum_labels: str = "annotators",
                   read: str | None = None) -> dict:
    """Evaluate a checkpoint path (None: the shipped one), a RASL model or a scores function.

    ``videos`` lets callers that evaluate many scorers load the dataset once; ``read``: see :func:`model_scorer`.
    """
    scorer, info = _as_scorer(model_or_scores_fn, window, read)
    trained = info.pop("extractors", None)
    if videos is None:
        videos = load_dataset(root, dataset, split, with_audio=bool(info.get("audio_only")))
    if trained and videos:  # a checkpoint of raw-video features names its extractor, not just a width mismatch
        from highlit.checkpoint import check_extractors

        given = {m: videos[0].meta.get(f"{m}_extractor") for m in ("visual", "audio")}
        check_extractors({"extractors": trained}, given, where=f"checkpoint {info['checkpoint']}")
    result = evaluate_scores(list(videos), score_videos(videos, scorer, "scoring"), tvsum_labels=tvsum_labels)
    return {**result, "split": split, "scorer": info.get("checkpoint", "model" if info else "scores"), **info}


def baselines(root: str | Path, dataset: str | None = None, split: str | None = None,
              names: Sequence[str] = BASELINES, seeds: int = 10,
              videos: Sequence[VideoFeatures] | None = None, tvsum_labels: str = "annotators") -> dict[str, dict]:
    """One result per baseline; ``random`` is averaged over ``seeds`` draws (mean +- std)."""
    videos = list(videos) if videos is not None else load_dataset(root, dataset, split, with_audio=False)
    return {name: {**aggregate(_baseline_runs(videos, name, seeds, tvsum_labels)), "split": split,
                   "scorer": f"baseline:{name}"} for name in names}


def _baseline_runs(videos: Sequence[VideoFeatures], name: str, seeds: int, tvsum_labels: str) -> list[dict]:
    """One result per draw: ``seeds`` for random, one for the deterministic baselines."""
    label = f"baseline {name}" if name == "distinct" else None  # the one baseline slow enough to need a bar
    return [evaluate_scores(videos, score_videos(videos, baseline_scorer(name, seed), label),
                            tvsum_labels=tvsum_labels)
            for seed in range(seeds if name == "random" else 1)]


def versus_baseline(result: Mapping, root: str | Path, baseline: str, dataset: str | None = None,
                    split: str | None = None, tvsum_labels: str = "annotators", seeds: int = 10) -> dict:
    """Is ``result`` (from :func:`evaluate_model`) really above ``baseline`` on these videos? A paired bootstrap
    over the same videos (``highlit.metrics.paired_bootstrap``); ``random`` averages its seeds per video first."""
    if baseline not in BASELINES:
        raise ConfigError(f"unknown baseline {baseline!r}; choose from {', '.join(BASELINES)}")
    videos = load_dataset(root, dataset, split, with_audio=False)
    if {v.video_id for v in videos} != set(result["per_video"]):
        raise ConfigError("the result and the baseline were not scored on the same videos")
    if len(videos) < 2:
        raise ConfigError(f"--versus resamples the videos and needs at least 2; this set has {len(videos)}")
    runs = _baseline_runs(videos, baseline, seeds, tvsum_labels)
    base = {vid: float(np.mean([r["per_video"][vid] for r in runs])) for vid in result["per_video"]}
    return {"baseline": baseline, "baseline_mean": float(np.mean([r["mean"] for r in runs])),
            **paired_bootstrap(result["per_video"], base, {v.video_id: v.domain for v in videos})}


def aggregate(runs: Sequence[Mapping]) -> dict:
    """Mean and (population) std over repeated runs (seeds), per category and overall."""
    if not runs:
        raise ConfigError("nothing to aggregate")
    cats = list(runs[0]["per_category"])
    means = np.array([r["mean"] for r in runs])
    per = {c: np.array([r["per_category"][c] for r in runs]) for c in cats}
    out = {k: v for k, v in runs[0].items() if k not in ("mean", "per_category", "per_video")}
    out.update({
        "mean": float(means.mean()), "std": float(means.std()), "runs": [float(m) for m in means],
        "per_category": {c: float(p.mean()) for c, p in per.items()},
        "per_category_std": {c: float(p.std()) for c, p in per.items()},
    })
    return out


# ---------------------------------------------------------------- tables


def _cell(result: Mapping, category: str | None) -> str:
    if category is None:
        value, std = result["mean"], result.get("std")
    else:
        value = result["per_category"].get(category)
        std = (result.get("per_category_std") or {}).get(category)
        if value is None:
            return "-"
    return f"{value:.3f}" if not std else f"{value:.3f} ± {std:.3f}"


def format_table(result: Mapping, title: str | None = None) -> str:
    """Markdown table, one row per category plus the mean, like the paper's Tables I and II.

    ``result`` is one evaluation result, or a mapping of column name -> result to compare methods.
    """
    columns = {"score": result} if "per_category" in result else dict(result)
    if not columns:
        raise ConfigError("nothing to tabulate")
    first = next(iter(columns.values()))
    cats: list[str] = []
    for r in columns.values():
        cats += [c for c in r["per_category"] if c not in cats]
    metric = first.get("metric", "score")
    counts = {r["n_videos"] for r in columns.values() if "n_videos" in r}
    if len(counts) == 1:  # a missing feature file changes the figure: say over how many videos it was taken
        metric += f", {counts.pop()} videos"
    lines = []
    if title:
        lines += [f"**{title}** ({metric})", ""]
    lines.append("| category | " + " | ".join(columns) + " |")
    lines.append("|---|" + "---|" * len(columns))
    for c in cats:
        lines.append(f"| {c} | " + " | ".join(_cell(r, c) for r in columns.values()) + " |")
    lines.append("| **mean** | " + " | ".join(f"**{_cell(r, None)}**" for r in columns.values()) + " |")
    return "\n".join(lines) + "\n"
