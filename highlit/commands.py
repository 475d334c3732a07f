"""What each ``highlit`` subcommand does with its parsed options: call the API, print the result.

Kept apart from :mod:`highlit.cli` so the parser stays a readable table of options, and so each
command's printing (rich table for people, JSON for scripts) lives next to the call it reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from highlit.errors import ConfigError, HighlitError, OutputError

if TYPE_CHECKING:
    from highlit.batch import Destination, Outputs

#: soft_wrap: a path printed for a script or a log must not be cut at the terminal's width.
_stdout = Console(soft_wrap=True)


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, indent=2) + "\n")


# --------------------------------------------------------------------------- detect

def _check_extractor_names(args: argparse.Namespace) -> None:
    """A misspelt extractor fails at once, not once per video after the others were read."""
    from highlit.features import check_name

    if args.visual:
        check_name("visual", args.visual)
    if args.audio and args.audio.lower() != "none":
        check_name("audio", args.audio)


def _request(args: argparse.Namespace) -> dict:
    """What decides a video's scores (everything but the segment options): a stored result made under
    another request is redone, not reused."""
    weights = None
    if args.model:  # the same folder retrained (pretrain --resume) is another model: its results are redone
        from highlit.checkpoint import read_metadata

        weights = read_metadata(args.model).get("weights_sha256")
    return {"model": str(Path(args.model).resolve()) if args.model else None, "weights": weights,
            "fit_preset": None if args.model else args.fit_preset,
            "fit_steps": None if args.model else args.fit_steps,
            "seed": None if args.model else args.seed,
            "visual": args.visual, "audio": args.audio}


def run_detect(args: argparse.Namespace) -> int:
    from highlit import batch
    from highlit.atomic import remove_empty_folders
    from highlit.pipeline import expand_inputs

    extra = (["plot"] if args.plot else []) + (["html"] if args.report else [])
    out = batch.Outputs(folder=args.output_dir, formats=tuple(dict.fromkeys([*args.format, *extra])),
                        reel=args.reel, crossfade=args.crossfade, clips=args.clips)
    if args.model and (args.fit_steps is not None or args.fit_preset != "fit" or args.seed != 0):
        raise ConfigError("--fit-steps, --fit-preset and --seed set the network fitted when no --model is given; "
                          "drop them or --model")
    if args.crossfade and not args.reel:
        raise ConfigError("--crossfade applies to a --reel")
    videos = batch.leave_out_own(expand_inputs(args.paths), args.paths, out)
    if not videos:
        raise ConfigError("no video files found in the given paths")
    if args.reel and len(videos) != 1:
        raise ConfigError("--reel takes one input video; use --clips for several")
    _check_extractor_names(args)
    if args.model is None:
        from highlit.model.config import ModelConfig

        ModelConfig.preset(args.fit_preset)  # a bad preset name fails before any folder is made
    plan = batch.plan(args.paths, videos, out)
    made = batch.check_writable(plan, out)
    try:
        return _detect_planned(args, videos, plan, out)
    finally:  # a run that wrote nothing (every input failed, or an interrupt) leaves no empty folder
        remove_empty_folders(made)


def _detect_planned(args: argparse.Namespace, videos: list[Path], plan: dict[Path, Destination], out: Outputs) -> int:
    from highlit import batch
    from highlit.media import file_timecode
    from highlit.pipeline import SegmentOptions, cut_segments, detect_many

    request = _request(args)
    stored = {} if args.force else batch.stored_results(plan, request)
    seg = SegmentOptions(threshold=args.threshold, duration=args.duration, ratio=args.ratio,
                         min_length=args.min_length, merge_gap=args.merge_gap).resolved()
    started = time.perf_counter()
    results = detect_many(videos, args.model, visual=args.visual, audio=args.audio, cache_dir=args.cache_dir,
                          segments=seg, fit_steps=args.fit_steps, seed=args.seed, skip=list(stored),
                          fit_preset=args.fit_preset, stored_models={p: h.model for p, h in stored.items()})
    for result in results:
        changed = True
        if result.skipped:
            old = stored[result.path]
            result.highlights = cut_segments(old, seg)
            changed = [x.to_dict() for x in result.highlights.segments] != [x.to_dict() for x in old.segments]
            timecode = file_timecode(result.path)  # a result stored before highlit read timecodes has none
            if timecode != old.timecode:
                result.highlights.timecode, changed = timecode, True
        if result.highlights is None:
            continue
        result.highlights.meta["request"] = request
        try:
            result.outputs = batch.write(result.highlights, plan[result.path], out, everything=changed)
        except (HighlitError, OSError) as err:
            result.error = err if isinstance(err, HighlitError) else OutputError(f"{result.path}: {err}")
    elapsed = time.perf_counter() - started
    failed = [r for r in results if r.error is not None]
    if args.json:
        _print_json({"results": [_result_json(r) for r in results], "failed": len(failed),
                     "seconds": round(elapsed, 3)})
    else:
        _print_detect_summary(results, elapsed)
    for r in failed:
        print(f"highlit: error: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def _result_json(result) -> dict:
    out: dict = {"path": str(result.path)}
    if result.skipped and result.error is None and not result.outputs:
        out.update(status="skipped", highlights=result.highlights.to_dict())
    elif result.error is not None:
        out.update(status="error", error=str(result.error))
    else:
        out.update(status="updated" if result.skipped else "ok", outputs=result.outputs,
                   highlights=result.highlights.to_dict())
    return out


def _fmt_time(seconds: float) -> str:
    m, s = divmod(seconds, 60)
    h, m = divmod(int(m), 60)
    return f"{h:d}:{m:02d}:{s:04.1f}" if h else f"{m:d}:{s:04.1f}"


def _print_detect_summary(results, elapsed: float) -> None:
    table = Table(title="highlit", title_justify="left")
    for col in ("video", "length", "segments", "highlights", "top moment", "status"):
        table.add_column(col)
    names = [r.path.name for r in results]
    for r in results:
        name = escape(r.path.name if names.count(r.path.name) == 1 else str(r.path))
        if r.error is not None:
            table.add_row(name, "", "", "", "", "[red]failed")
            continue
        h = r.highlights
        total = sum(s.end - s.start for s in h.segments)
        # the step's centre, as the plot labels it (the step covers centre +- 0.1 s)
        peak = min(float(h.times[int(h.scores.argmax())] + h.step / 2), h.duration)
        spans = ", ".join(f"{_fmt_time(s.start)}-{_fmt_time(s.end)}" for s in h.segments[:4])
        if len(h.segments) > 4:
            spans += ", ..."
        status = ("[green]ok" if not r.skipped else "[green]updated" if r.outputs
                  else "[dim]done before (use --force)")
        table.add_row(name, _fmt_time(h.duration), str(len(h.segments)), f"{_fmt_time(total)}  {spans}",
                      _fmt_time(peak), status)
    _stdout.print(table)
    ok = sum(r.error is None and not r.skipped for r in results)
    bad = sum(r.error is not None for r in results)
    updated = sum(r.error is None and r.skipped and bool(r.outputs) for r in results)
    skipped = sum(r.error is None and r.skipped and not r.outputs for r in results)
    _stdout.print(f"{ok} done, {updated} updated, {bad} failed, {skipped} skipped in {elapsed:.1f} s")
    for r in results:
        for name, path in r.outputs.items():
            _stdout.print(f"  {name}: {path}", markup=False, highlight=False)


# --------------------------------------------------------------------------- extract

def run_extract(args: argparse.Namespace) -> int:
    from highlit.extract import extract_video
    from highlit.pipeline import expand_inputs

    _check_extractor_names(args)
    paths = expand_inputs(args.paths)
    if not paths:
        raise ConfigError("no video files found in the given paths")
    audio_read = args.audio != "none"
    rows, failed = [], 0
    all_started = time.perf_counter()
    for path in paths:
        try:
            started = time.perf_counter()
            video = extract_video(path, visual=args.visual or "efficientnet", audio=args.audio or "logmel",
                                  cache_dir=args.cache_dir)
            rows.append({
                "path": str(path),
                "visual_shape": list(video.visual.shape),
                "audio_shape": None if video.audio is None else list(video.audio.shape),
                "has_audio": (video.audio is not None) if audio_read else None,  # None: not looked at
                "cache_hit": bool(video.meta.get("cache_hit", False)),
                "cache_file": video.meta.get("cache_file"),
                "seconds": round(time.perf_counter() - started, 3),
            })
        except HighlitError as err:
            failed += 1
            rows.append({"path": str(path), "error": str(err)})
            print(f"highlit: error: {err}", file=sys.stderr)
    if args.json:
        _print_json({"results": rows, "failed": failed, "seconds": round(time.perf_counter() - all_started, 3)})
    else:
        for row in rows:
            if "error" in row:
                continue
            audio = ("not read (--audio none)" if not audio_read else "none (no audio stream)"
                     if row["audio_shape"] is None else tuple(row["audio_shape"]))
            hit = "cache hit" if row["cache_hit"] else "extracted"
            _stdout.print(f"{row['path']}: visual {tuple(row['visual_shape'])}, audio {audio}  "
                          f"[{hit}, {row['seconds']:.2f} s] -> {row['cache_file'] or 'not cached'}",
                          markup=False, highlight=False)
    return 1 if failed else 0


# --------------------------------------------------------------------------- pretrain

def run_pretrain(args: argparse.Namespace) -> int:
    """Everything is checked before the checkpoint folder is made; with --resume, every training option
    left out is the checkpoint's (an explicit one that differs is refused by ``pretrain``)."""
    from highlit import checkpoint as ckpt
    from highlit.datasets import align_audio_dim, load_dataset
    from highlit.errors import MediaError, warn
    from highlit.extract import extract_video
    from highlit.features import AUDIO, VISUAL
    from highlit.model.config import ModelConfig, with_settings
    from highlit.pipeline import expand_inputs
    from highlit.train import (
        DEFAULT_STEPS,
        TrainConfig,
        default_threads,
        pretrain,
        resumed_train_config,
        run_folder,
    )

    on_features = bool(args.dataset or args.root)
    if not args.videos and not on_features:
        raise ConfigError("give videos to train on, or --dataset/--root for a feature dataset")
    if args.videos and on_features:
        raise ConfigError("train on videos or on a feature dataset, not both at once (their features differ)")
    if on_features and not args.root:
        raise ConfigError("--dataset needs --root DIR (the dataset folder)")
    if args.split is not None and not args.root:
        raise ConfigError("--split picks ids from a feature dataset's splits.json: it needs --root "
                          "(video inputs have no splits)")
    if on_features:
        given_extractors = [f"--{o.replace('_', '-')}" for o in ("visual", "audio", "cache_dir")
                            if getattr(args, o) is not None]
        if given_extractors:
            raise ConfigError(f"{'/'.join(given_extractors)} apply to video inputs; the features under --root "
                              f"are already extracted")
    if args.steps is not None and args.epochs is not None:
        raise ConfigError("give --steps or --epochs, not both")
    if args.set and args.resume:
        raise ConfigError("--set changes the model; a resumed run keeps its checkpoint's (start a new folder)")
    _check_extractor_names(args)
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise ConfigError(f"checkpoint folder {args.output}: is a file, not a folder")
    given = {k: v for k, v in {"batch_size": args.batch_size, "lr": args.lr, "steps": args.steps,
                               "epochs": args.epochs, "seed": args.seed,
                               "checkpoint_every": args.checkpoint_every, "val_fraction": args.val_fraction,
                               "threads": args.threads, "fill": args.fill, "teacher_share": args.teacher_share,
                               "teacher": str(Path(args.teacher).resolve()) if args.teacher else None,
                               }.items() if v is not None}
    existing = ckpt.find_checkpoint(output)
    if existing is not None and not args.resume:  # before the videos are read, not after
        raise ConfigError(f"{output} already holds a checkpoint; pass --resume to continue it, "
                          f"or choose another output folder")
    saved = ckpt.read_metadata(existing) if existing is not None else None
    if saved is not None:  # bad values fail here, before any folder is made or video read
        train_cfg = resumed_train_config(saved.get("train_config"), given, where=str(existing))
        base = ModelConfig.preset(args.preset) if args.preset is not None else None  # None: the checkpoint's
    else:
        if "steps" not in given and "epochs" not in given:
            given["steps"] = DEFAULT_STEPS  # recorded, so a --resume knows the target
        train_cfg = TrainConfig(**given)
        base = with_settings(ModelConfig.preset(args.preset or "default"), args.set)
    if not train_cfg.threads:
        default_threads()  # a bad $HIGHLIT_THREADS fails now, not after the folder is made
    _check_teacher(args, train_cfg, base if base is not None else ckpt.model_config(saved, existing))
    trained_on = saved.get("extractors") if saved is not None else None
    trained_on = trained_on if isinstance(trained_on, dict) else {}
    visual, audio = args.visual or "efficientnet", args.audio or "logmel"  # with --resume: the checkpoint's
    def known(identity: object, names: dict) -> str | None:  # an edited header may hold anything here
        name = identity.get("name") if isinstance(identity, dict) else None
        return name if isinstance(name, str) and name in names else None

    if args.visual is None and known(trained_on.get("visual"), VISUAL):
        visual = known(trained_on["visual"], VISUAL)
    if args.audio is None and "audio" in trained_on:
        if trained_on["audio"] is None:
            audio = "none"  # trained without audio
        elif known(trained_on["audio"], AUDIO):
            audio = known(trained_on["audio"], AUDIO)
    videos = []
    if on_features:
        videos.extend(load_dataset(args.root, args.dataset, args.split))
        if not videos:
            raise ConfigError("no videos to train on in that dataset (check --root and --split)")
    else:
        inputs = expand_inputs(args.videos)  # skips hidden files in folders (stale .part files, macOS ._x)
        if not inputs:
            raise ConfigError("no videos to train on: no video files found in the given paths")
    with run_folder(output):  # SIGTERM is already Ctrl-C here: cli.main runs every command in sigterm_as_interrupt
        failed = []
        if not on_features:
            for path in inputs:
                try:
                    videos.append(extract_video(path, visual=visual, audio=audio, cache_dir=args.cache_dir))
                except HighlitError as err:  # one bad file must not waste the good ones, as in detect
                    failed.append(err)
                except OSError as err:  # unreadable file, vanished mid-run: the same, in one line
                    failed.append(MediaError(f"{path}: {err.strerror or err}"))
            if not videos:
                listed = "; ".join(str(e) for e in failed[:5]) + (f"; and {len(failed) - 5} more"
                                                                   if len(failed) > 5 else "")
                raise MediaError(f"no usable video to train on ({len(failed)} failed: {listed})")
            for err in failed:
                warn(f"{err} (left out of the training set)")
        videos = [align_audio_dim(v) for v in videos]
        dim = int(videos[0].visual.shape[1])
        model_cfg = None if base is None else ModelConfig.from_dict({**base.to_dict(), "visual_dim": dim,
                                                                     "audio_dim": dim})
        path = pretrain(videos, model_cfg, train_cfg, output, resume=args.resume)
    _stdout.print(f"checkpoint: {path}", markup=False, highlight=False)
    return 0


def _check_teacher(args: argparse.Namespace, train_cfg: object, model_cfg: object) -> None:
    """A teacher that cannot work is refused now, not after the videos are extracted (which can take hours)."""
    from highlit.teacher import teacher_config
    from highlit.train import check_teacher

    if args.teacher_share is not None and train_cfg.teacher is None:
        raise ConfigError("--teacher-share weighs a teacher's s against the norm: it needs --teacher CKPT")
    if check_teacher(model_cfg, train_cfg):
        teacher_config(train_cfg.teacher)


# --------------------------------------------------------------------------- evaluate

def run_evaluate(args: argparse.Namespace) -> int:
    from highlit import evaluate
    from highlit.datasets import detect_name

    if args.versus and args.baseline:
        raise ConfigError("--versus compares a model with a baseline; drop --baseline")
    if args.window is not None and args.baseline:
        raise ConfigError("--window sets the model's window; a baseline does not use it")
    if args.read is not None and args.baseline:
        raise ConfigError("--read says how a model's scores are read; a baseline has none")
    if args.read == "whole" and args.window is not None:
        raise ConfigError("--read whole reads each video in one window of its own length; drop --window")
    if args.tvsum_labels is not None and Path(args.root).is_dir() \
            and (args.dataset or detect_name(Path(args.root))) != "tvsum":  # a bad root is load_dataset's to report
        raise ConfigError("--tvsum-labels chooses how TVSum's annotations are read; this is not TVSum")
    args.tvsum_labels = args.tvsum_labels or "annotators"
    if args.baseline:
        result = evaluate.baselines(args.root, args.dataset, args.split, names=[args.baseline],
                                    tvsum_labels=args.tvsum_labels)[args.baseline]
        title = f"baseline: {args.baseline}"
    else:
        result = evaluate.evaluate_model(args.model, args.root, args.dataset, args.split, window=args.window,
                                         tvsum_labels=args.tvsum_labels, read=args.read)
        how = "each video whole" if result.get("read") == "whole" else \
            f"window {result.get('window')}" + (", overlapped" if result.get("read") == "overlap" else "")
        title = f"model: {result.get('checkpoint', args.model)} ({how})"
    if args.versus:
        result["versus"] = evaluate.versus_baseline(result, args.root, args.versus, args.dataset, args.split,
                                                    tvsum_labels=args.tvsum_labels)
    if args.json:
        _print_json(result)
        return 0
    _stdout.print(evaluate.format_table(result, title=f"{result['dataset']}, {title}"), markup=False, highlight=False)
    if "versus" in result:
        vs = result["versus"]
        _stdout.print(f"minus {vs['baseline']} ({vs['baseline_mean']:.3f}): {vs['diff']:+.3f}, 95% interval "
                      f"[{vs['ci95'][0]:+.3f}, {vs['ci95'][1]:+.3f}] over {result['n_videos']} videos "
                      f"(paired bootstrap, {vs['draws']} draws)", markup=False, highlight=False, soft_wrap=True)
    return 0


# --------------------------------------------------------------------------- model-info

def run_model_info(args: argparse.Namespace) -> int:
    from highlit.model.config import ModelConfig, with_settings
    from highlit.model.info import format_model_info, model_info

    base = with_settings(ModelConfig.preset(args.preset), args.set)
    rows = []
    for dim in args.dim or [1280, 2048]:
        cfg = ModelConfig.from_dict({**base.to_dict(), "visual_dim": dim, "audio_dim": dim})
        rows.append({"preset": args.preset, "dim": dim, **model_info(cfg, steps=args.steps)})
    if args.json:
        _print_json({"models": rows, "paper": {"parameters": 8_530_000, "flops": 820_000_000}})
    else:
        for row in rows:
            _stdout.print(f"[bold]{row['preset']} preset, {row['dim']}-d inputs[/bold]", highlight=False)
            _stdout.print(format_model_info(row), markup=False, highlight=False)
        _stdout.print("paper (Table VI): 8.53 M parameters, 0.82 GFLOPs", highlight=False)
    return 0
