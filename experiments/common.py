"""Shared machinery of the benchmark experiments: pretrain a variant over seeds, evaluate, store JSON.

Every experiment script is a list of variants (a ModelConfig preset plus changes, a TrainConfig) run
through :func:`run_variant`. Each (variant, seed) is stored in ``experiments/results/<group>.json``
as soon as it finishes, so a script can be stopped and re-run: finished seeds are skipped.
``experiments/make_results.py`` turns those JSON files into ``docs/results.md``.

Protocol (the paper's "w/o using TVSum data"): pretrain without labels on the YouTube Highlights
train features; evaluate TVSum top-5 mAP on all 50 videos (never seen) and YouTube mAP on the same
train split (seen during pretraining, but its labels never are). Labels are read only by
:mod:`highlit.evaluate`.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from highlit import evaluate as ev  # noqa: E402
from highlit.atomic import atomic_write_text  # noqa: E402
from highlit.checkpoint import load_checkpoint  # noqa: E402
from highlit.datasets import VideoFeatures, load_dataset  # noqa: E402
from highlit.model.config import ModelConfig  # noqa: E402
from highlit.train import TrainConfig, fit_on_input, pretrain  # noqa: E402

DATA = Path(os.environ.get("HIGHLIT_DATA", ROOT.parent / "shared" / "data"))
RESULTS = ROOT / "experiments" / "results"
RUNS = ROOT / "runs" / "experiments"
#: Clip steps per model window on the benchmark grids (about 2 s per clip: 64 clips ~ 2 min).
WINDOW = 64
STEPS = 200
LR = 1e-4
SEEDS = (0, 1, 2)
#: What experiments/research.py found to work best, as changes to the literal 'paper' preset; the
#: 'default' ModelConfig preset is meant to equal paper + BEST (checked by ``best_matches_default``).
BEST: dict[str, Any] = {"kpoint": "off", "gate_norm": "l2"}
#: The previous best (softmax budget on s as well): the base of the ablation, fusion and k-sweep runs,
#: which were run before the 3-seed comparison showed the sigmoid variant (its "w/o RASL") ahead.
SOFTMAX_L2: dict[str, Any] = {"score_activation": "softmax", "kpoint": "off", "gate_norm": "l2"}
BEST_LR = 1e-4
PAPER_LR = 1e-3


def best_matches_default() -> bool:
    keys = set(BEST) | {k for k, v in ModelConfig.preset("default").to_dict().items()
                        if v != ModelConfig.preset("paper").to_dict()[k]}
    return all(getattr(ModelConfig.preset("default"), k) == getattr(ModelConfig.preset("paper", **BEST), k)
               for k in keys)


@cache
def videos(name: str) -> tuple[VideoFeatures, ...]:
    return tuple(load_dataset(DATA / name))


def evaluate_scorer(scorer: ev.Scorer) -> dict[str, dict]:
    """TVSum (all 50) and YouTube (train split) results for one scorer."""
    return {ds: ev.evaluate_model(scorer, None, videos=videos(ds)) for ds in ("tvsum", "youtube")}


def load_group(group: str) -> dict:
    """A results group's JSON (experiments/results/<group>.json), empty if none yet."""
    path = RESULTS / f"{group}.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _store_seed(group: str, name: str, entry: dict, seed: int) -> None:
    """Store one finished seed: only that seed's record is merged, so a process never overwrites seeds that
    another process finished after this one loaded the file."""
    _store(group, {name: {**entry, "seeds": {str(seed): entry["seeds"][str(seed)]}}})


def forget(group: str, name: str) -> None:
    """Drop a variant's stored record and trained networks, so that it runs again from scratch."""
    with _edit_group(group) as current:
        current.pop(name, None)
    shutil.rmtree(RUNS / group / name, ignore_errors=True)


@contextmanager
def _edit_group(group: str) -> Iterator[dict]:
    """Read, change and write back a group's JSON under a lock: several scripts may share a group."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    with open(RUNS / f".{group}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = load_group(group)
        yield current
        atomic_write_text(RESULTS / f"{group}.json", json.dumps(current, indent=1, sort_keys=True) + "\n")


def _store(group: str, data: dict) -> None:
    """Merge ``data``'s entries into the group's file (seeds merged with the stored ones)."""
    with _edit_group(group) as current:
        for name, entry in data.items():
            old = current.get(name, {})
            merged = {**old, **entry}
            if "seeds" in old and "seeds" in entry:
                merged["seeds"] = {**old["seeds"], **entry["seeds"]}
            current[name] = merged


def model_config(preset: str, window: int = WINDOW, **changes: Any) -> ModelConfig:
    return ModelConfig.preset(preset, window=window, **changes)


#: Config fields that change only how a trained network is read at inference, not how it is trained.
READOUT_FIELDS = ("score_output",)


def load_with_readout(path: Path, cfg: ModelConfig) -> Any:
    """Load a trained network and read it as ``cfg`` says; refuses if ``cfg`` differs in anything but the
    read-out fields, so a reused model is always the one this variant would have trained."""
    model, _ = load_checkpoint(path)
    same = {f: getattr(model.cfg, f) for f in READOUT_FIELDS}
    if cfg.replace(**same) != model.cfg:
        raise SystemExit(f"{path}: trained with another config than this variant's (beyond {READOUT_FIELDS})")
    model.cfg = cfg
    return model


def read_scorer(model: Any, window: int, read: dict | None = None) -> ev.Scorer:
    """How a stored network is read on the benchmark (a variant's ``read``; :func:`highlit.evaluate.model_scorer`):
    by default (None) as the paper reads it, plain windows of the training length; ``{"window": N}`` plain windows
    of N clips, ``{"window": None}`` each video whole, ``{"overlap": True}`` the product's two window grids,
    ``{"blend": [READ, ...]}`` the mean of those readings (:data:`highlit.evaluate.READS`), each standardised."""
    read = read or {}
    if read.get("blend"):  # round 20: the mean of several readings, each network's s standardised per video
        parts = [ev.model_scorer(model, window, name) for name in read["blend"]]
        return lambda v: np.mean([standardised(part(v)) for part in parts], axis=0)
    if read.get("overlap"):
        return ev.model_scorer(model, window, "overlap")
    if "window" in read and read["window"] is None:
        return ev.model_scorer(model, window, "whole")
    return ev.model_scorer(model, read.get("window", window))


def standardised(s: np.ndarray) -> np.ndarray:
    """s within one video, zero mean and unit spread (a constant s stays all zero): how the scores of several
    networks or readings are put on one scale before they are averaged."""
    sd = float(s.std())
    return (s - s.mean()) / sd if sd > 0 else np.zeros_like(s)


def stored_scores(ds: str, group: str, name: str) -> Iterator[tuple[str, dict[str, np.ndarray]]]:
    """(seed, scores per video) of each stored network of a results row, read on ``ds`` as that row reads it."""
    entry = load_group(group)[name]
    cfg = ModelConfig.from_dict(entry["config"])
    vids = list(videos(ds))
    for seed, run in sorted(entry["seeds"].items()):
        model = load_with_readout(ROOT / run["checkpoint"], cfg)
        yield seed, ev.score_videos(vids, read_scorer(model, entry["window"], entry.get("read")))


def _pretrain(corpus: list[VideoFeatures], cfg: ModelConfig, steps: int, lr: float, seed: int, out: Path,
              fill: str = "repeat", teacher: dict | None = None) -> Path:
    """The experiments' pretraining call: one thread, no validation split, one checkpoint at the end.
    ``teacher``: TrainConfig's teacher and teacher_share (``kpoint_select='teacher'``)."""
    return pretrain(corpus, cfg, TrainConfig(steps=steps, lr=lr, seed=seed, val_fraction=0.0, threads=1,
                                             checkpoint_every=10**9, val_every=10**9, fill=fill,
                                             **(teacher or {})), out)


def teacher_of(variant: str, seed: int) -> Path:
    """The network that teaches a student of this seed: seed ``seed`` of another variant ('group/name'), so that
    each seed's student learns from its own generation and the seeds stay independent."""
    path = RUNS / variant / f"seed{seed}" / "checkpoint.safetensors"
    if not path.is_file():
        raise SystemExit(f"{path}: the teacher is not trained (run its variant first)")
    return path


def _finished(out: Path) -> bool:
    """A model whose training log has its summary line finished training and is reused, not retrained."""
    log = out / "train_log.jsonl"
    return log.is_file() and '"kind":"summary"' in log.read_text()


def run_variant(group: str, name: str, preset: str, changes: dict | None = None, *,
                seeds: tuple[int, ...] = SEEDS, steps: int = STEPS, lr: float = LR, window: int = WINDOW,
                train_on: tuple[str, ...] = ("youtube",), label: str | None = None,
                note: str = "", models_of: str | None = None, read: dict | None = None,
                fill: str = "repeat", teacher: dict | None = None) -> dict:
    """Pretrain ``preset`` + ``changes`` once per seed, evaluate, and record; returns the group record.
    ``models_of``: read the networks variant ``models_of`` trained (same training, another read-out; 'group/name'
    for another group's variant). ``read``: how the networks are read (:func:`read_scorer`); ``fill``: how
    training windows are filled (TrainConfig.fill); ``teacher``: {"of": 'group/name', "share": x}, the variant whose
    network of the same seed chooses Eq. (8)'s k points (``kpoint_select='teacher'``)."""
    changes = dict(changes or {})
    window = int(changes.pop("window", window))
    cfg = model_config(preset, window, **changes)
    data = load_group(group)
    entry = data.setdefault(name, {"label": label or name, "preset": preset, "changes": changes,
                                   "steps": steps, "lr": lr, "window": window, "train_on": list(train_on),
                                   "note": note, "seeds": {}})
    entry["config"] = cfg.to_dict()
    if models_of:
        entry["models_of"] = models_of
    if read:
        entry["read"] = read
    if fill != "repeat":
        entry["fill"] = fill
    if teacher:
        entry["teacher"] = teacher
    corpus = [v for ds in train_on for v in videos(ds)]
    for seed in seeds:
        if str(seed) in entry["seeds"]:
            continue
        out = RUNS / (models_of if models_of and "/" in models_of else f"{group}/{models_of or name}") / f"seed{seed}"
        path = out / "checkpoint.safetensors"
        t0 = time.perf_counter()
        if not (models_of and path.is_file()):
            if path.exists():
                for f in out.iterdir():
                    f.unlink()
            taught = {"teacher": str(teacher_of(teacher["of"], seed)), "teacher_share": teacher["share"]} \
                if teacher else None
            path = _pretrain(corpus, cfg, steps, lr, seed, out, fill, taught)
        train_s = time.perf_counter() - t0
        model = load_with_readout(path, cfg)
        res = evaluate_scorer(read_scorer(model, window, read))
        entry["seeds"][str(seed)] = {"train_s": round(train_s, 1), "checkpoint": str(path.relative_to(ROOT)),
                                     **{ds: {"mean": r["mean"], "per_category": r["per_category"]}
                                        for ds, r in res.items()}}
        _store_seed(group, name, entry, seed)
        print(f"[{group}] {name} seed {seed}: TVSum {res['tvsum']['mean']:.3f}  "
              f"YouTube {res['youtube']['mean']:.3f}  ({train_s:.0f} s)", flush=True)
    return entry


def run_fit_on_input(group: str, name: str, preset: str, changes: dict | None = None, *,
                     seeds: tuple[int, ...] = (0,), steps: int = 30, lr: float = LR, batch_size: int = 4,
                     window: int = WINDOW, label: str | None = None,
                     datasets: tuple[str, ...] = ("tvsum",)) -> dict:
    """The detect default: a fresh network fitted (no labels) on each test video alone, then scored.

    CPU-bound (one network per video), so by default TVSum only, few steps, small batches.
    """
    changes = dict(changes or {})
    cfg = model_config(preset, window, **changes)
    data = load_group(group)
    entry = data.setdefault(name, {"label": label or name, "preset": preset, "changes": changes,
                                   "steps": steps, "lr": lr, "window": window, "train_on": ["each test video"],
                                   "note": f"fit on input, batch {batch_size}", "seeds": {}})
    entry["config"] = cfg.to_dict()
    for seed in seeds:
        if str(seed) in entry["seeds"]:
            continue
        record: dict[str, Any] = {}
        t0 = time.perf_counter()
        for ds in datasets:
            r = ev.evaluate_scores(videos(ds), fit_scores(ds, cfg, seed, steps, lr, batch_size, window))
            record[ds] = {"mean": r["mean"], "per_category": r["per_category"]}
        record["train_s"] = round(time.perf_counter() - t0, 1)
        record["per_video_s"] = round(record["train_s"] / sum(len(videos(ds)) for ds in datasets), 2)
        entry["seeds"][str(seed)] = record
        _store_seed(group, name, entry, seed)
        print(f"[{group}] {name} seed {seed}: " + "  ".join(f"{ds} {record[ds]['mean']:.3f}" for ds in datasets),
              flush=True)
    return entry


def fit_scores(ds: str, cfg: ModelConfig, seed: int, steps: int, lr: float, batch_size: int,
               window: int) -> dict[str, Any]:
    """Scores of a fresh network fitted on each of ``ds``'s videos alone (deterministic per seed)."""
    scores = {}
    for v in videos(ds):
        model = fit_on_input([v], cfg, steps=steps, seed=seed, lr=lr, threads=1, batch_size=batch_size)
        scores[v.video_id] = ev.model_scorer(model, window)(v)
    return scores


def category_folds(ds: str, domain: str, folds: int) -> list[list[VideoFeatures]]:
    """A category's videos, sorted by id and dealt into ``folds`` folds (the inductive per-category split)."""
    members = sorted((v for v in videos(ds) if v.domain == domain), key=lambda v: v.video_id)
    return [members[k::folds] for k in range(folds)]


def run_per_domain(group: str, name: str, preset: str, changes: dict | None = None, *,
                   seeds: tuple[int, ...] = (0,), steps: int = STEPS, lr: float = LR, window: int = WINDOW,
                   datasets: tuple[str, ...] = ("youtube", "tvsum"), label: str | None = None,
                   note: str = "", models_of: str | None = None, folds: int = 0) -> dict:
    """One network per category (YouTube domain, TVSum category), pretrained without labels on that
    category's videos and scoring them: transductive (it sees the test videos' features), like fit on input
    but with the category's other videos as the corpus. The grouping is the dataset's, not a label.
    ``models_of``: read the category networks variant ``models_of`` trained (same training, another read-out).
    ``folds`` K > 1: inductive instead; a category's videos (sorted by id) are dealt into K folds and each
    fold is scored by a network pretrained on the other K - 1 folds only, so no network sees its test videos."""
    changes = dict(changes or {})
    cfg = model_config(preset, window, **changes)
    data = load_group(group)
    entry = data.setdefault(name, {"label": label or name, "preset": preset, "changes": changes, "steps": steps,
                                   "lr": lr, "window": window, "note": note, "seeds": {},
                                   "train_on": [f"the other {folds - 1} of {folds} folds of each category's videos"
                                                if folds > 1 else "each category's videos"]})
    entry["config"] = cfg.to_dict()
    if models_of:
        entry["models_of"] = models_of
    for seed in seeds:
        record: dict[str, Any] = dict(entry["seeds"].get(str(seed), {}))
        todo = [ds for ds in datasets if ds not in record]  # a dataset at a time: each is its own set of models
        if not todo:
            continue
        t0 = time.perf_counter()
        for ds in todo:
            r = ev.evaluate_scores(videos(ds), per_domain_scores(RUNS / group / (models_of or name) / f"seed{seed}",
                                                                 ds, cfg, seed, steps, lr, window, folds))
            record[ds] = {"mean": r["mean"], "per_category": r["per_category"]}
        record["train_s"] = round(record.get("train_s", 0) + time.perf_counter() - t0, 1)
        entry["seeds"][str(seed)] = record
        _store_seed(group, name, entry, seed)
        print(f"[{group}] {name} seed {seed}: " + "  ".join(f"{ds} {record[ds]['mean']:.3f}" for ds in todo),
              flush=True)
    return entry


def per_domain_scores(runs: Path, ds: str, cfg: ModelConfig, seed: int, steps: int, lr: float, window: int,
                      folds: int) -> dict[str, Any]:
    """Scores of ``ds``'s videos by their category's network (see :func:`run_per_domain`), pretraining
    each network under ``runs`` unless it finished there before."""
    scores = {}
    for domain in sorted({v.domain for v in videos(ds)}):
        members = category_folds(ds, domain, 1)[0]
        parts = category_folds(ds, domain, folds) if folds > 1 else [members]
        for k, test in enumerate(parts):
            held = {v.video_id for v in test}
            corpus = [v for v in members if v.video_id not in held] if folds > 1 else members
            out = runs / ds / domain / f"fold{k}" if folds > 1 else runs / ds / domain
            path = out / "checkpoint.safetensors"
            if not _finished(out):
                path = _pretrain(corpus, cfg, steps, lr, seed, out)
            scorer = ev.model_scorer(load_with_readout(path, cfg), window)
            scores.update({v.video_id: scorer(v) for v in test})
    return scores


def store_static(group: str, name: str, record: dict) -> None:
    """Store one entry (its seeds merged with any stored ones, see :func:`_store`)."""
    _store(group, {name: record})


torch.set_num_threads(1)


def variant_setting(variants: dict[str, tuple[str, dict, str]], name: str) -> tuple[str, dict, float, str]:
    """(preset, config changes, lr, note) of a script's variant table entry: an entry may name its own lr
    among its changes (a TrainConfig value, not a ModelConfig one), else BEST_LR."""
    preset, changes, note = variants[name]
    changes = dict(changes)
    return preset, changes, changes.pop("lr", BEST_LR), note


def train_changes(changes: dict) -> tuple[dict, dict]:
    """Split a variant's changes into ModelConfig changes and :func:`run_variant`'s training keywords: ``fill``
    (default the paper's), ``teacher`` ({"of": 'group/name', "share": x}) and ``train_on`` (the corpora, default
    the YouTube train split; a tuple with "tvsum" in it makes the row transductive)."""
    changes = dict(changes)
    return changes, {"fill": changes.pop("fill", "repeat"), "teacher": changes.pop("teacher", None),
                     "train_on": tuple(changes.pop("train_on", ("youtube",)))}


def run_variants(script: str, variants: dict[str, tuple[str, dict, str]], args: argparse.Namespace, *,
                 screens: frozenset[str] | set[str] = frozenset(), models_of: dict[str, str] | None = None,
                 reads: dict[str, dict] | None = None) -> None:
    """The loop every variant script runs: the variants named by --only, else all but the one-seed screens,
    into the group ``<script>_<steps>steps``."""
    group = f"{script}_{args.steps}steps"
    for name in args.only or [name for name in variants if name not in screens]:
        if args.redo:
            forget(group, name)
        preset, changes, lr, what = variant_setting(variants, name)
        changes, training = train_changes(changes)
        run_variant(group, name, preset, changes, seeds=tuple(args.seeds), steps=args.steps, lr=lr, note=what,
                    models_of=(models_of or {}).get(name), read=(reads or {}).get(name), **training)


def variant_parser(seeds: list[int]) -> argparse.ArgumentParser:
    """--seeds / --steps / --only, the options every variant script takes."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", nargs="*", type=int, default=seeds)
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--redo", action="store_true",
                    help="forget the stored seeds and networks of the variants run (after a change to the code)")
    return ap
