"""The ``highlit`` command. Thin by design: parse, call the API, print.

Every failure a user can cause arrives here as a :class:`~highlit.errors.HighlitError` and is printed
as one line on stderr with a non-zero exit; warnings are one line each. ``--json`` modes print only
JSON on stdout, so scripts can pipe them.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Callable, Sequence

import highlit
from highlit.errors import SEED_MAX, HighlitError, HighlitWarning
from highlit.interrupts import sigterm_as_interrupt

COMMANDS = ("detect", "extract", "pretrain", "evaluate", "model-info")
OUTPUT_FORMATS = ("json", "csv", "edl", "otio", "plot", "html")
#: Longest window (steps) an option may ask for: self-attention is quadratic in it, and 4096 steps of
#: 0.2 s is 13 min, far beyond the paper's 150.
MAX_STEPS = 4096
DEFAULT_FORMATS = ("json", "csv", "edl", "otio")


def parse_duration(text: str) -> float:
    """'90', '90s', '1m30s', '1:30', '0.5h' -> seconds; used for --duration and friends."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}(\.\d+)?", value):
        total = 0.0
        for part in value.split(":"):
            total = total * 60 + float(part)
        return total
    match = re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?", value)
    if match and any(match.groups()):
        h, m, s, ms = (float(g) if g else 0.0 for g in match.groups())
        return h * 3600 + m * 60 + s + ms / 1000
    raise argparse.ArgumentTypeError(f"not a duration: {text!r} (try 60s, 1m30s or 1:30)")


def _ratio(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number or a percentage: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"ratio must be in (0, 1] or a percentage, got {text!r}")
    return value


def _positive_duration(text: str) -> float:
    value = parse_duration(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be longer than 0, got {text!r}")
    return value


def _unit_interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be in [0, 1] (scores are), got {text!r}")
    return value


def _int_in(low: int, high: int) -> Callable[[str], int]:
    """An integer option with bounds: a huge window or sequence would only fail later, out of memory."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {value}")
        return value
    return parse


def _formats(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"no format named in {text!r}; choose from {', '.join(OUTPUT_FORMATS)}")
    bad = [n for n in names if n not in OUTPUT_FORMATS]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(OUTPUT_FORMATS)}")
    return names


class _Parser(argparse.ArgumentParser):
    """argparse prints its whole usage block before the message (a dozen lines for detect); every other error here
    is one line, so a usage error is too: the message and where the usage is. Exit status 2, as argparse's."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"highlit: error: {message}; see `{self.prog} --help`", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="highlit",
        description="Find the highlight moments of raw videos, without labels. "
                    "`highlit VIDEO...` is short for `highlit detect VIDEO...`.",
    )
    parser.add_argument("--version", action="version", version=f"highlit {highlit.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    d = sub.add_parser("detect", help="score videos and write highlight segments, timelines, reels")
    d.add_argument("paths", nargs="+", metavar="PATH", help="video files, folders (recursive) or globs")
    d.add_argument("--model", metavar="CKPT", help="pretrained checkpoint (default: fit on the inputs themselves)")
    d.add_argument("-o", "--output-dir", metavar="DIR", help="write outputs here (default: next to each video)")
    g = d.add_mutually_exclusive_group()
    g.add_argument("--threshold", type=_unit_interval,
                   help="segments around the steps whose [0,1] score is at least this (each grown to --min-length "
                        "at least, so a segment's mean score can be lower)")
    g.add_argument("--duration", type=_positive_duration, metavar="LEN",
                   help="target total highlight length, e.g. 60s (the closest the --min-length/--merge-gap "
                        "clean-up allows: it may be over or under by up to about --min-length)")
    g.add_argument("--ratio", type=_ratio, help="target fraction of the video, e.g. 0.15 or 15%% (default 0.15)")
    d.add_argument("--min-length", type=parse_duration, default=2.0, metavar="LEN", help="shortest segment (2s)")
    d.add_argument("--merge-gap", type=parse_duration, default=1.0, metavar="LEN",
                   help="join segments closer than this (1s)")
    d.add_argument("--format", type=_formats, default=list(DEFAULT_FORMATS), metavar="LIST",
                   help=f"comma-separated outputs from {','.join(OUTPUT_FORMATS)} "
                        f"(default {','.join(DEFAULT_FORMATS)})")
    d.add_argument("--plot", action="store_true", help="also write a PNG of the score curve")
    d.add_argument("--report", action="store_true", help="also write a self-contained HTML report")
    d.add_argument("--reel", metavar="FILE", help="cut the highlights into one video (one input only; .mp4, .mov, "
                                                   ".mkv, .m4v: H.264/AAC, .webm: VP9/Opus)")
    d.add_argument("--crossfade", type=parse_duration, default=0.0, metavar="LEN",
                   help="cross-fade between the reel's segments (default 0: hard cuts; at most half the shortest "
                        "segment); needs --reel")
    d.add_argument("--clips", metavar="DIR", help="write one video file per highlight segment")
    d.add_argument("--json", action="store_true", help="print only JSON results on stdout")
    d.add_argument("--force", action="store_true",
                   help="redo videos whose results already exist (features still come from the cache)")
    _extractor_options(d)
    d.add_argument("--fit-steps", type=_int_in(1, 100_000),
                   help="training steps of the network fitted on the inputs when no --model is given (default "
                        "200; fewer is faster, but ranks a short clip far less alike across --seed values, see the "
                        "README)")
    d.add_argument("--fit-preset", default="fit", metavar="NAME",
                   help="model preset fitted when no --model is given (default fit; the others: default, paper "
                        "(the literal Section III), budget)")
    d.add_argument("--seed", type=_int_in(0, SEED_MAX), default=0,
                   help="seed of the fitted network (default 0); on short clips the highlights can move with it")

    e = sub.add_parser("extract", help="extract and cache the visual and audio feature sequences")
    e.add_argument("paths", nargs="+", metavar="PATH", help="video files, folders (recursive) or globs")
    _extractor_options(e)
    e.add_argument("--json", action="store_true", help="print only JSON on stdout")

    p = sub.add_parser("pretrain", help="pretrain the network without labels (Algorithm 1)")
    p.add_argument("videos", nargs="*", metavar="VIDEO", help="video files or folders")
    p.add_argument("--dataset", choices=("youtube", "tvsum"), help="a feature dataset in the UMT layout")
    p.add_argument("--root", metavar="DIR", help="the dataset folder (e.g. ../shared/data/youtube)")
    p.add_argument("--split", help="only the ids under this split in splits.json (e.g. train; needs --root)")
    # The training options default to None so that run_pretrain knows which ones were given: with --resume,
    # an option left out means the checkpoint's value (see highlit.train.resumed_train_config). The real
    # defaults, named in the help, are TrainConfig's (tests/test_pretrain_cli.py checks that they agree).
    resumed = "; with --resume: the checkpoint's"
    p.add_argument("--steps", type=_int_in(1, 100_000_000),
                   help=f"optimizer steps (default 1000{resumed}; a larger value extends a finished run)")
    p.add_argument("--epochs", type=float, help="passes over the training clips (instead of --steps)")
    p.add_argument("-o", "--output", required=True, metavar="CKPT_DIR", help="checkpoint folder")
    p.add_argument("--resume", action="store_true",
                   help="continue exactly from the checkpoint in CKPT_DIR, with its settings")
    p.add_argument("--seed", type=_int_in(0, SEED_MAX), help=f"random seed (default 0{resumed})")
    p.add_argument("--preset", help=f"model preset: default, paper (the literal reading), budget or fit "
                                    f"(default: default{resumed})")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="change one model config field of the preset (repeatable; e.g. --set kpoint_select=norm; "
                        "an unknown FIELD lists them all; not with --resume)")
    # 256 windows already take ~9 GB (about 32 MB each at 150 steps of 2048-d features; the paper uses 8)
    p.add_argument("--batch-size", type=_int_in(1, 256), help=f"windows per step (default 8{resumed})")
    p.add_argument("--lr", type=float, help=f"RMSprop learning rate (default 1e-3{resumed})")
    p.add_argument("--checkpoint-every", type=_int_in(1, 100_000_000), metavar="N",
                   help=f"steps between checkpoints (default 500{resumed})")
    p.add_argument("--val-fraction", type=float,
                   help=f"fraction of videos held out for the validation loss (default 0.1{resumed})")
    p.add_argument("--threads", type=_int_in(1, 1024),
                   help=f"torch threads (default: $HIGHLIT_THREADS or every core{resumed})")
    p.add_argument("--fill", choices=("repeat", "none"),
                   help=f"a video shorter than the window: repeated to fill it (the paper) or its own shorter window, "
                        f"nothing repeated or wrapped round (default repeat{resumed})")
    p.add_argument("--teacher", metavar="CKPT",
                   help=f"a trained checkpoint whose s, mixed with the feature norm, chooses Eq. (8)'s k points of "
                        f"a new run started with --set kpoint_select=teacher (not in the paper; default none{resumed}, "
                        f"or pass its new path if it moved)")
    p.add_argument("--teacher-share", type=float, metavar="X",
                   help=f"with --teacher: the teacher's s in that mix, 0 < X <= 1, the norm taking the rest "
                        f"(default 1/3 = 0.333{resumed})")
    _extractor_options(p)

    v = sub.add_parser("evaluate", help="benchmark on TVSum / YouTube Highlights features (UMT layout)")
    v.add_argument("--dataset", choices=("tvsum", "youtube"), help="default: inferred from --root")
    v.add_argument("--root", required=True, metavar="DIR",
                   help="dataset folder in the UMT layout (holding tvsum_anno.json or youtube_anno.json)")
    v.add_argument("--split", help="only the ids under this split in splits.json")
    src = v.add_mutually_exclusive_group()
    src.add_argument("--model", metavar="CKPT", help="checkpoint (default: the shipped benchmark checkpoint)")
    src.add_argument("--baseline", choices=("random", "norm", "distinct"), help="score with a baseline instead")
    v.add_argument("--window", type=_int_in(1, MAX_STEPS), help="window length in clip steps (default: the model's)")
    v.add_argument("--read", choices=("windows", "whole", "overlap"),
                   help="how the model's scores are read: windows (the paper: plain windows, a short video repeated "
                        "to fill one), whole (each video in one window of its own length), overlap (two window grids "
                        "half a window apart, as detect reads); default: as the checkpoint was benchmarked (the "
                        "shipped one: whole), else windows, and windows whenever --window is given")
    v.add_argument("--versus", choices=("random", "norm", "distinct"), metavar="BASELINE",
                   help="also compare with a baseline video by video: difference and 95%% interval (paired bootstrap "
                        "over videos; random, norm or distinct)")
    v.add_argument("--tvsum-labels", choices=("annotators", "mean"),
                   help="TVSum labels: each annotator at their own median, APs averaged (UMT's code, default), or "
                        "the annotator mean per clip (the seed paper's Section IV-A); not comparable with each other")
    v.add_argument("--json", action="store_true", help="print only JSON on stdout")

    m = sub.add_parser("model-info", help="parameters and FLOPs of the network")
    m.add_argument("--preset", default="default", help="model preset (default default; detect fits 'fit')")
    m.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="change one model config field of the preset (repeatable), as pretrain's --set")
    m.add_argument("--dim", type=_int_in(1, 16_384), action="append",
                   help="input feature dimension(s) to report (default: 1280 raw video and 2048 benchmark)")
    m.add_argument("--steps", type=_int_in(1, MAX_STEPS), default=150,
                   help="sequence length for FLOPs (150 = 30 s)")
    m.add_argument("--json", action="store_true", help="print only JSON on stdout")
    return parser


def _extractor_options(p: argparse.ArgumentParser) -> None:
    from highlit.features import AUDIO, VISUAL

    p.add_argument("--visual", metavar="NAME",
                   help=f"visual feature extractor ({', '.join(VISUAL)}; default efficientnet)")
    p.add_argument("--audio", metavar="NAME",
                   help=f"audio feature extractor ({', '.join(AUDIO)}, or none to ignore the audio; default logmel)")
    p.add_argument("--cache-dir", metavar="DIR", help="feature cache (default $HIGHLIT_CACHE or ~/.cache/highlit)")


def _normalise_argv(argv: Sequence[str]) -> list[str]:
    """``highlit [detect options] VIDEO...`` means ``highlit detect ...``, whatever comes first."""
    args = list(argv)
    if args and args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version"):
        args.insert(0, "detect")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_normalise_argv(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        build_parser().print_help()
        return 2
    warnings.simplefilter("default", HighlitWarning)
    warnings.showwarning = _show_warning
    from highlit import commands

    handler = {
        "detect": commands.run_detect,
        "extract": commands.run_extract,
        "pretrain": commands.run_pretrain,
        "evaluate": commands.run_evaluate,
        "model-info": commands.run_model_info,
    }[args.command]
    try:
        with sigterm_as_interrupt():  # `timeout`, `kill`, a scheduler: saved and reported like Ctrl-C
            return handler(args)
    except HighlitError as err:
        print(f"highlit: error: {err}", file=sys.stderr)
        return err.exit_code
    except OSError as err:
        # the system refused a read or a write the checks before could not foresee (disk full, permissions)
        where = f"{err.filename}: " if err.filename else ""
        print(f"highlit: error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("highlit: interrupted", file=sys.stderr)
        return 130


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    if issubclass(category, HighlitWarning):
        print(f"highlit: warning: {message}", file=sys.stderr)
    else:
        print(warnings.formatwarning(message, category, filename, lineno, line), file=sys.stderr, end="")

