"""Label-free pretraining (the paper's Algorithm 1) and the brief fit-on-input behind ``detect``.

Per step: a batch of windows (8 x 30 s by default), a fresh random mask (drawn by the model from
torch's RNG, which this module seeds and checkpoints), both branches, every loss of Eq. (11), one
RMSprop update (lr 1e-3 in the paper). Labels are never read: only ``visual``/``audio`` of each
:class:`~highlit.datasets.VideoFeatures` reach the model.

Exact resume rests on three things being saved at a step boundary: the weights and optimizer, torch's
RNG state (model init and masks), and the sampler's (epoch, position), from which the sampler
replays the same batches. Training runs inside ``torch.random.fork_rng`` so callers' RNG is untouched.
A resumed run takes every setting it is not given from the checkpoint (``resumed_train_config``).

Ctrl-C and SIGTERM (what ``timeout``, ``kill`` and job schedulers send) both finish the current step,
save a checkpoint and stop. A run that fails before its first checkpoint leaves nothing behind
(``run_folder``): no log without weights, no folder it made.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import hashlib
import json
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

from highlit import checkpoint as ckpt
from highlit import progress
from highlit.atomic import remove_empty_folders, writable_dir
from highlit.datasets import VideoFeatures
from highlit.errors import SEED_MAX, CheckpointError, ConfigError, FeatureError
from highlit.sampler import (
    FILLS,
    Batch,
    Prefetcher,
    ValidationWindows,
    Windows,
    WindowSampler,
    split_clips,
    windows_per_video,
)
from highlit.teacher import DEFAULT_SHARE, KPointTeacher, Prototype, fit_prototype, load_teacher
from highlit.trainlog import LOG_NAME, PLOT_NAME, TrainLog, plot_losses, read_log

DEFAULT_STEPS = 1000
#: More torch threads than any machine has cores only spins (and torch fails on absurd counts).
MAX_THREADS = 1024
PLOT_EVERY_S = 60.0  # the loss-curve PNG is redrawn at checkpoints at most this often (and at the end)
#: TrainConfig fields that shape the trajectory: a resumed run must use the checkpoint's values.
#: (Not the teacher's path: a moved teacher is the same teacher, which its weights' hash checks, see _teacher.)
_TRAJECTORY_FIELDS = ("batch_size", "lr", "window", "seed", "val_fraction", "grad_clip", "fill", "teacher_share")


def check_seed(seed: Any) -> None:
    """Refuse a seed the generators would reject mid-run, after minutes of extraction, with a traceback."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= SEED_MAX:
        raise ConfigError(f"seed={seed!r}: expected a whole number from 0 to {SEED_MAX}")


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings; ``steps`` or ``epochs`` (passes over the training windows), not both."""

    steps: int | None = None
    epochs: float | None = None
    batch_size: int = 8
    lr: float = 1e-3
    window: int | None = None  # input steps per clip; None = the model's window (150 = 30 s of raw video)
    seed: int = 0
    val_fraction: float = 0.1  # fraction of videos held out for the validation loss
    val_every: int = 50  # steps between validation losses (and at the end)
    checkpoint_every: int = 500
    threads: int = 0  # torch intra-op threads; 0 = $HIGHLIT_THREADS, else every core this process may use
    prefetch: int = 2  # batches built ahead by the loader thread
    grad_clip: float | None = None  # not in the paper; max gradient norm when set
    # how a window is filled (highlit.sampler): 'repeat', the paper's rule (a shorter video is repeated to fill its
    # window), or 'none' (not in the paper: a shorter video is its own shorter window, nothing wraps round)
    fill: str = "repeat"
    # a trained checkpoint whose s, mixed with the norm, chooses Eq. (8)'s k points (model config
    # kpoint_select='teacher'; highlit.teacher, not in the paper); teacher_share: the s rank's share of the mix
    teacher: str | None = None
    teacher_share: float = DEFAULT_SHARE

    def __post_init__(self) -> None:
        def positive_int(name: str, value: Any, allow_none: bool = False) -> None:
            if value is None and allow_none:
                return
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"train config {name}={value!r}: expected a positive integer")

        if self.steps is not None and self.epochs is not None:
            raise ConfigError("give steps or epochs, not both")
        positive_int("steps", self.steps, allow_none=True)
        if self.epochs is not None and not (math.isfinite(self.epochs) and self.epochs > 0):
            raise ConfigError(f"train config epochs={self.epochs!r}: expected a positive number")
        for name in ("batch_size", "val_every", "checkpoint_every", "prefetch"):
            positive_int(name, getattr(self, name))
        positive_int("window", self.window, allow_none=True)
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ConfigError(f"train config lr={self.lr!r}: expected a positive learning rate")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ConfigError(f"train config val_fraction={self.val_fraction!r}: expected 0 <= fraction < 1")
        if not isinstance(self.threads, int) or isinstance(self.threads, bool) or not 0 <= self.threads <= MAX_THREADS:
            raise ConfigError(f"train config threads={self.threads!r}: expected an integer from 0 to {MAX_THREADS}")
        if self.fill not in FILLS:
            raise ConfigError(f"train config fill={self.fill!r}: expected one of {', '.join(FILLS)}")
        if self.teacher is not None and (not isinstance(self.teacher, str) or not self.teacher):
            raise ConfigError(f"train config teacher={self.teacher!r}: expected a checkpoint path")
        if not (isinstance(self.teacher_share, int | float) and 0.0 < self.teacher_share <= 1.0):
            raise ConfigError(f"train config teacher_share={self.teacher_share!r}: expected a number in (0, 1]")
        if self.grad_clip is not None and not self.grad_clip > 0:
            raise ConfigError(f"train config grad_clip={self.grad_clip!r}: expected a positive norm")
        check_seed(self.seed)

    def total_steps(self, windows_per_epoch: int) -> int:
        if self.epochs is not None:
            return max(1, math.ceil(self.epochs * windows_per_epoch / self.batch_size))
        return self.steps if self.steps is not None else DEFAULT_STEPS

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"train config has unknown field(s): {', '.join(unknown)}")
        return cls(**data)


def resumed_train_config(saved: Any, given: dict[str, Any] | None = None, where: str = "checkpoint") -> TrainConfig:
    """The TrainConfig of a resumed run: the checkpoint's ``saved`` settings, with ``given`` ones on top.

    Resuming continues *that* run, so a setting left out (lr, batch size, seed, the steps target...)
    must mean the checkpoint's value, not the default: with defaults, ``--resume`` alone would silently
    retarget a 30-step run to 1000 steps. A given trajectory setting that differs is refused later
    (``pretrain``); a given ``steps``/``epochs`` replaces the target (extending or shortening the run
    does not change its trajectory).
    """
    given = dict(given or {})
    if saved is None:
        saved = {}
    if not isinstance(saved, dict):
        raise CheckpointError(f"{where}: the checkpoint's train config is a JSON {type(saved).__name__}, not an "
                              f"object (corrupt metadata); cannot resume")
    try:
        base = TrainConfig.from_dict(saved)
    except (ConfigError, TypeError, ValueError) as err:
        raise CheckpointError(f"{where}: the checkpoint's train config is invalid ({err}); cannot resume") from None
    if "steps" in given or "epochs" in given:
        base = dataclasses.replace(base, steps=None, epochs=None)
    return dataclasses.replace(base, **given)


# --------------------------------------------------------------------------- shared pieces

def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_threads() -> int:
    """$HIGHLIT_THREADS lets a shared machine cap training (e.g. 1) without a CLI option everywhere."""
    env = os.environ.get("HIGHLIT_THREADS", "").strip()
    if env:
        if not env.isdigit() or not 1 <= int(env) <= MAX_THREADS:
            raise ConfigError(f"HIGHLIT_THREADS={env!r}: expected a whole number from 1 to {MAX_THREADS}")
        return int(env)
    return usable_cores()


@contextlib.contextmanager
def _num_threads(n: int) -> Iterator[int]:
    """torch's intra-op threads for this block only (the setting is process-wide)."""
    old = torch.get_num_threads()
    n = n or default_threads()
    torch.set_num_threads(n)
    try:
        yield n
    finally:
        torch.set_num_threads(old)


def _model_inputs(part: Windows, model_cfg: Any, teacher: KPointTeacher | None = None) -> tuple:
    """The network's arguments for one group of windows: visual, audio, has_audio, the teacher's ranking."""
    order = teacher(part.visual) if teacher is not None else None
    if getattr(model_cfg, "modalities", "both") == "visual":
        return part.visual, None, None, order  # the audio branch does not exist: skip building its input
    return part.visual, part.audio, part.has_audio, order


def batch_losses(model: torch.nn.Module, batch: Batch, model_cfg: Any,
                 teacher: KPointTeacher | None = None) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Eq. (11) over a batch. Windows of different lengths (``fill='none'``) go through the network one length at
    a time; each term is then the mean over every window of the batch that has it (a window without audio has no
    audio terms, one too short for k points no L_r), as one batch of one length would give, and Eq. (11) is
    summed from those means."""
    if len(batch.parts) == 1:
        losses = model(*_model_inputs(batch.parts[0], model_cfg, teacher))
        return losses.total, losses.terms
    sums: dict[str, torch.Tensor] = {}
    counts: dict[str, int] = {}
    for part in batch.parts:
        losses = model(*_model_inputs(part, model_cfg, teacher))
        for name, value in losses.terms.items():
            n = losses.counts.get(name, part.size)
            sums[name] = sums.get(name, 0.0) + n * value
            counts[name] = counts.get(name, 0) + n
    terms = {name: total / max(counts[name], 1) for name, total in sums.items()}
    return model.total_loss(terms), terms


class _Stepper:
    """One optimisation step of Algorithm 1 (lines 3-14), shared by pretrain and fit_on_input."""

    def __init__(self, model: torch.nn.Module, model_cfg: Any, lr: float, grad_clip: float | None,
                 teacher: KPointTeacher | None = None) -> None:
        self.model = model
        self.model_cfg = model_cfg
        self.teacher = teacher
        self.optimizer = torch.optim.RMSprop(model.parameters(), lr=lr)
        self.grad_clip = grad_clip

    def step(self, batch: Batch, step: int) -> tuple[float, dict[str, float]]:
        self.model.train()
        total, terms = batch_losses(self.model, batch, self.model_cfg, self.teacher)
        value = float(total.detach())  # detach: float() of a tensor that needs grad warns (torch >= 2.6)
        if not math.isfinite(value):
            raise ConfigError(f"training diverged at step {step} (loss {value}); try a lower learning rate (--lr)")
        self.optimizer.zero_grad(set_to_none=True)
        total.backward()
        if self.grad_clip is not None:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_clip)
        self.optimizer.step()
        return value, {k: float(v.detach()) for k, v in terms.items()}


def _note(total: float, terms: dict[str, float], clips_per_s: float) -> str:
    parts = " ".join(f"{k} {v:.3g}" for k, v in terms.items())
    return f"loss {total:.4g} | {parts} | {clips_per_s:.1f} clips/s"


#: Eq. (8)'s term counts as dead when its mean over this many steps stays at or above this share of ln 2.
DEAD_KPOINT_STEPS, DEAD_KPOINT_SHARE = 20, 0.85


class _DeadKpointWatch:
    """Eq. (8)'s term is softplus(-eta) per clip: ln 2 where eta = 0, the top-k and bottom-k projections equal, so
    L_r teaches that clip nothing. At the paper's lr 1e-3, with the norm or the prototype choosing the k points,
    most clips end there within a few steps (batch means of ln 2, or 7/8 of it when one clip of eight is alive); at
    1e-4 the term falls from about 0.3 to 0.01. Training goes on; the user is told once."""

    def __init__(self) -> None:
        self.recent: dict[str, collections.deque[float]] = {}
        self.told = False

    def __call__(self, terms: dict[str, float]) -> str | None:
        for name, value in terms.items():
            if name.startswith("r_"):
                self.recent.setdefault(name, collections.deque(maxlen=DEAD_KPOINT_STEPS)).append(float(value))
        dead = {name: sum(v) / len(v) for name, v in sorted(self.recent.items())
                if len(v) == DEAD_KPOINT_STEPS and sum(v) / len(v) >= DEAD_KPOINT_SHARE * math.log(2)}
        if not dead or self.told:
            return None
        self.told = True
        means = ", ".join(f"{name} {mean:.3f}" for name, mean in dead.items())
        return (f"Eq. (8)'s term has stayed near ln 2 = 0.693 over the last {DEAD_KPOINT_STEPS} steps ({means}): its "
                f"top-k and bottom-k projections no longer differ on most clips, so it teaches little; the shipped "
                f"benchmark checkpoint was trained at --lr 1e-4, where this term fell")


def _build(model_cfg: Any) -> torch.nn.Module:
    return ckpt.build_model(model_cfg.to_dict())


def _resolve_extractors(videos: Sequence[VideoFeatures], given: dict | None) -> dict[str, dict | None]:
    """The extractor identities every video shares; mixing features of different extractors is an error."""
    if given is not None:
        return {"visual": given.get("visual"), "audio": given.get("audio")}
    found: dict[str, dict | None] = {}
    for modality in ("visual", "audio"):
        seen = {json.dumps(v.meta.get(f"{modality}_extractor"), sort_keys=True) for v in videos
                if v.meta.get(f"{modality}_extractor") is not None}
        if len(seen) > 1:
            raise FeatureError(f"the videos' {modality} features come from different extractors "
                               f"({len(seen)} identities); train on features from one extractor")
        found[modality] = json.loads(seen.pop()) if seen else None
    return found


def _fingerprint(videos: Sequence[VideoFeatures]) -> str:
    """Which clips, how long, with or without audio: what a resumed sampler must see again."""
    h = hashlib.sha256()
    for v in sorted(videos, key=lambda v: v.video_id):
        h.update(f"{v.video_id}|{v.n_steps}|{v.visual.shape[1]}|{v.audio is not None}\n".encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- Ctrl-C and SIGTERM

class _StopFlag:
    """First Ctrl-C or SIGTERM asks to stop after the current step (then save); a second one interrupts at once.

    SIGTERM is what ``timeout``, ``kill`` and batch schedulers send before they kill: its default action
    ends the process on the spot and would lose every step since the last checkpoint, silently.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _StopFlag:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        again = "Ctrl-C" if signum == signal.SIGINT else "SIGTERM"
        progress.console().print(f"[yellow]stopping after this step and saving a checkpoint "
                                 f"({again} again to abort without saving)[/]")

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._old.items():
            # None: the old handler was not installed from Python; the default is the best restoration
            default = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
            signal.signal(sig, old if old is not None else default)
        self._old.clear()


# --------------------------------------------------------------------------- the run's folder

#: The file a run holds locked in its folder (kept after the run: removing it would race a starting run).
LOCK_NAME = ".highlit.lock"
_LOCKED: set[Path] = set()  # folders this process holds: run_folder nests (the CLI's around train's)


@contextlib.contextmanager
def _one_run_at_a_time(out: Path) -> Iterator[None]:
    """Refuse a second run in a folder that one is writing to: two `pretrain -o` on one folder (two terminals,
    a scheduler retry) would interleave their checkpoints and logs. An OS lock, so a killed run never leaves
    the folder locked; where there is no ``fcntl`` (Windows) runs are not locked."""
    key = out.resolve()
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        fcntl = None
    if key in _LOCKED or fcntl is None:
        yield
        return
    lock = out / LOCK_NAME
    created = not lock.exists()
    with open(lock, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # the other run's lock file stays, for the next one to meet
            raise ConfigError(f"{out}: another highlit run is writing to this folder; wait for it to end or "
                              "give another -o") from None
        _LOCKED.add(key)
        try:
            yield
        except BaseException:
            if created:  # a failed run leaves no trace (a run starting now makes its own lock file)
                lock.unlink(missing_ok=True)
            raise
        finally:
            _LOCKED.discard(key)


def _remove_unfinished_run(out: Path) -> None:
    """This module's files of a run that ended before its first checkpoint (log, plot, state, temporaries)."""
    if ckpt.find_checkpoint(out) is not None:
        return
    for name in (LOG_NAME, PLOT_NAME, ckpt.META_NAME):
        (out / name).unlink(missing_ok=True)
    for state in out.glob("train_state-*.pt"):
        state.unlink(missing_ok=True)
    ckpt.remove_stale_parts(out)


@contextlib.contextmanager
def run_folder(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """The checkpoint folder of a run, made (with its parents) and proved writable before any work.

    If the block fails before the folder holds a checkpoint, what the run wrote there (log, loss plot,
    training state, temporary files) is removed, and so are the folders made here: a failed run must
    not leave a half-made run that a later ``--resume`` would mistake for one. A folder that existed
    before is kept, and only this module's own file names are removed from it. Nesting is safe: an
    inner block removes its files, the outer one the folders it made.
    """
    out = Path(out_dir)
    made = writable_dir(out, "checkpoint folder")
    try:
        with _one_run_at_a_time(out):  # refused: the folder and its files are another run's, left as they are
            try:
                yield out
            except BaseException:
                _remove_unfinished_run(out)
                raise
    except BaseException:
        remove_empty_folders(made)  # the folders this run made, if it left them empty
        raise


def _out_of_memory(step: int, train_cfg: TrainConfig, window: int, dim: int) -> ConfigError:
    return ConfigError(f"out of memory at step {step} with batch size {train_cfg.batch_size} ({window}-step windows "
                       f"of {dim}-d features; validation uses at least 16); start a new run with a smaller "
                       f"--batch-size (a resumed run keeps its own)")


def _is_out_of_memory(err: BaseException) -> bool:
    """numpy raises MemoryError; torch's CPU allocator raises RuntimeError("... can't allocate memory ...")."""
    return isinstance(err, MemoryError) or (isinstance(err, RuntimeError) and "allocate memory" in str(err))


# --------------------------------------------------------------------------- pretrain

def _validate(model: torch.nn.Module, model_cfg: Any, batches: Iterator[Batch], seed: int,
              teacher: KPointTeacher | None = None) -> dict | None:
    """Mean validation losses with a fixed mask seed, so successive values are comparable and
    evaluating never changes the training RNG stream."""
    sums: dict[str, float] = {}
    total, n = 0.0, 0
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        model.eval()
        for batch in batches:
            batch_total, terms = batch_losses(model, batch, model_cfg, teacher)
            total += float(batch_total.detach()) * batch.size
            for k, v in terms.items():
                sums[k] = sums.get(k, 0.0) + float(v.detach()) * batch.size
            n += batch.size
    model.train()
    if n == 0:
        return None
    return {"loss": total / n, "terms": {k: v / n for k, v in sums.items()}, "windows": n}


def _check_resume(meta: dict, model_cfg: Any, train_cfg: TrainConfig, extractors: dict,
                  fingerprint: str, where: Path) -> Any:
    """A resumed run must be the same run: same model, trajectory settings, features and clips."""
    saved_model = ckpt.model_config(meta, where)
    if model_cfg is not None and model_cfg.to_dict() != saved_model.to_dict():
        theirs, ours = saved_model.to_dict(), model_cfg.to_dict()
        diff = sorted(k for k in set(theirs) | set(ours) if theirs.get(k) != ours.get(k))
        raise ConfigError(f"--resume: the checkpoint's model config differs in {', '.join(diff)}; "
                          f"leave out --preset (or give the same one) to continue it, or use a new output folder")
    saved_train = meta.get("train_config") or {}
    if not isinstance(saved_train, dict):
        raise CheckpointError(f"{where}: the checkpoint's train config is malformed; cannot resume")
    defaults = TrainConfig()
    for name in _TRAJECTORY_FIELDS:
        saved = saved_train.get(name, getattr(defaults, name))  # a field newer than the checkpoint: its default
        if saved != getattr(train_cfg, name):
            raise ConfigError(f"--resume: the checkpoint was trained with {name}={saved!r}, "
                              f"not {getattr(train_cfg, name)!r}; leave the option out (or pass the same value) "
                              f"to continue it exactly")
    ckpt.check_extractors(meta, extractors, where="--resume: the checkpoint")
    data = meta.get("data") if isinstance(meta.get("data"), dict) else {}
    if data.get("fingerprint") != fingerprint:
        raise ConfigError(f"--resume: the inputs differ from the ones the checkpoint was trained on "
                          f"({data.get('clips')} videos before); pass the same videos/split")
    return model_cfg if model_cfg is not None else saved_model


def check_teacher(model_cfg: Any, train_cfg: TrainConfig) -> bool:
    """Whether the run learns from a teacher network; refuses a model config and a teacher that do not go
    together."""
    select = getattr(model_cfg, "kpoint_select", "s")
    if select == "prototype" and train_cfg.teacher is not None:
        raise ConfigError("model config kpoint_select='prototype' fits its teacher on the corpus itself: drop "
                          "--teacher (or set kpoint_select=teacher)")
    uses = select == "teacher"
    if uses and train_cfg.teacher is None:
        raise ConfigError("model config kpoint_select='teacher' takes Eq. (8)'s k points from a teacher: "
                          "give its checkpoint (--teacher CKPT)")
    if not uses and train_cfg.teacher is not None:
        raise ConfigError("--teacher chooses Eq. (8)'s k points: it needs model config kpoint_select='teacher' "
                          "(--set kpoint_select=teacher)")
    return uses


def _teacher(model_cfg: Any, train_cfg: TrainConfig, extractors: dict, saved: Any,
             corpus: Sequence[VideoFeatures] = ()) -> KPointTeacher | None:
    """The run's teacher, made before any folder is: a network (``kpoint_select='teacher'``) or the prototype fitted
    on the training ``corpus`` (``'prototype'``). A resumed run must find the same weights (or direction) it started
    with (``saved``: the checkpoint's record of them), or its k points would change."""
    uses_network = check_teacher(model_cfg, train_cfg)  # refuses a config and --teacher that do not go together
    if getattr(model_cfg, "kpoint_select", "s") == "prototype":
        teacher = _prototype_of(corpus)
        _same_teacher(saved, teacher, "the training videos give another prototype than when this run started")
        return teacher
    if not uses_network:
        return None
    try:
        teacher = load_teacher(train_cfg.teacher, train_cfg.teacher_share, model_cfg.visual_dim, extractors)
    except CheckpointError as err:
        if saved is None:
            raise
        raise CheckpointError(f"--resume: {err} (if the teacher moved, pass --teacher with its new path)") from None
    _same_teacher(saved, teacher, f"the teacher {train_cfg.teacher} holds other weights than when this run started")
    return teacher


def _prototype_of(videos: Sequence[VideoFeatures]) -> Prototype:
    """The prototype of the videos a run trains on, fitted in video-id order so that a resume refits it bit for bit."""
    return fit_prototype([v.visual for v in sorted(videos, key=lambda v: v.video_id)])


def _same_teacher(saved: Any, teacher: KPointTeacher, what: str) -> None:
    before = saved.get("weights_sha256") if isinstance(saved, dict) else None
    if before is not None and before != teacher.weights_sha256:
        raise ConfigError(f"--resume: {what}; restore that checkpoint, or start a new run")


def pretrain(videos: Sequence[VideoFeatures], model_cfg: Any, train_cfg: TrainConfig | None = None,
             out_dir: str | os.PathLike[str] = "runs/pretrain", *, resume: bool = False,
             extractors: dict[str, dict | None] | None = None,
             on_step: Callable[[int, dict], None] | None = None) -> Path:
    """Algorithm 1 on ``videos`` (labels ignored); returns the final checkpoint's path.

    ``extractors`` is {"visual": identity, "audio": identity} (default: taken from the videos' meta).
    ``on_step(step, record)`` runs after every completed step (tests use it to simulate crashes).
    With ``resume`` the checkpoint in ``out_dir`` continues exactly; ``model_cfg`` may then be None (the
    checkpoint's), and so may ``train_cfg`` (the checkpoint's settings: see ``resumed_train_config``).
    Ctrl-C or SIGTERM saves a checkpoint at the last completed step, then raises KeyboardInterrupt.
    Everything is checked before ``out_dir`` is made; a run that fails before its first checkpoint
    leaves no trace there (``run_folder``), and temporary files of an earlier killed save are removed.
    """
    videos = list(videos)
    if not videos:
        raise ConfigError("no videos to train on")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"checkpoint folder {out}: is a file, not a folder")
    existing = ckpt.find_checkpoint(out)
    if existing is not None and not resume:
        raise ConfigError(f"{out} already holds a checkpoint; pass --resume to continue it, "
                          f"or choose another output folder")
    extractors = _resolve_extractors(videos, extractors)
    fingerprint = _fingerprint(videos)
    claimed = (extractors.get("visual") or {}).get("dim")
    if model_cfg is not None and claimed is not None and claimed != model_cfg.visual_dim:
        raise FeatureError(f"the visual extractor {(extractors['visual'] or {}).get('name')!r} gives "
                           f"{claimed}-d features but the model config expects visual_dim={model_cfg.visual_dim}")
    say = functools.partial(progress.console().print, markup=False, highlight=False)  # paths print as they are
    saved_tensors, state = None, None
    if resume and existing is not None:
        saved_tensors, meta, _ = ckpt.read_checkpoint(existing)
        if train_cfg is None:
            train_cfg = resumed_train_config(meta.get("train_config"), where=str(existing))
        model_cfg = _check_resume(meta, model_cfg, train_cfg, extractors, fingerprint, existing)
        state = ckpt.load_train_state(existing, meta)
    elif resume:
        say(f"no checkpoint in {out} yet: starting a new run")
    train_cfg = train_cfg or TrainConfig()
    if model_cfg is None:
        raise ConfigError("a model config is needed to start a new run")
    if not train_cfg.threads:
        default_threads()  # a bad $HIGHLIT_THREADS fails here, before the folder is made

    window = train_cfg.window or int(getattr(model_cfg, "window", 150))
    train_videos, val_videos = split_clips(videos, train_cfg.val_fraction, train_cfg.seed)
    dims = {"visual_dim": model_cfg.visual_dim, "audio_dim": model_cfg.audio_dim}
    sampler = WindowSampler(train_videos, window, train_cfg.batch_size, train_cfg.seed, **dims,
                            state=state["sampler"] if state else None, fill=train_cfg.fill)
    val_windows = ValidationWindows(val_videos, window, max(train_cfg.batch_size, 16), **dims, fill=train_cfg.fill)
    total_steps = train_cfg.total_steps(sampler.windows_per_epoch)
    no_audio = sum(v.audio is None for v in videos)
    data_info = {"clips": len(videos), "train_clips": len(train_videos), "val_clips": len(val_videos),
                 "no_audio_clips": no_audio, "windows_per_epoch": sampler.windows_per_epoch,
                 "window": window, "fingerprint": fingerprint}
    start_step = int(state["step"]) if state else 0
    teacher = _teacher(model_cfg, train_cfg, extractors, meta.get("teacher") if state else None, train_videos)
    with run_folder(out):
        stale = ckpt.remove_stale_parts(out)
        if stale:
            say(f"removed {len(stale)} temporary file(s) an interrupted save left in {out}")
        if no_audio:
            say(f"{no_audio} of {len(videos)} videos have no audio: they train the visual branch only "
                f"(their audio and SCL terms are skipped)")
        return _train(model_cfg, train_cfg, out, extractors, data_info, sampler, val_windows, bool(val_videos),
                      total_steps, start_step, state, saved_tensors, on_step, say, teacher)


def _train(model_cfg: Any, train_cfg: TrainConfig, out: Path, extractors: dict, data_info: dict,
           sampler: WindowSampler, val_windows: ValidationWindows, validate: bool, total_steps: int,
           start_step: int, state: dict | None, saved_tensors: dict | None,
           on_step: Callable[[int, dict], None] | None, say: Callable[..., None],
           teacher: KPointTeacher | None = None) -> Path:
    """The training loop of ``pretrain``, in a folder that ``run_folder`` already made."""
    window = int(data_info["window"])
    with _num_threads(train_cfg.threads) as threads, torch.random.fork_rng(devices=[]):
        torch.manual_seed(train_cfg.seed)
        model = _build(model_cfg)
        stepper = _Stepper(model, model_cfg, train_cfg.lr, train_cfg.grad_clip, teacher)
        elapsed_before = 0.0
        if state:
            ckpt.load_weights(model, saved_tensors, {}, out / ckpt.WEIGHTS_NAME)  # a bad header is one line
            stepper.optimizer.load_state_dict(state["optimizer"])
            torch.set_rng_state(state["torch_rng"])
            elapsed_before = float(state.get("elapsed_s", 0.0))
        t0 = time.perf_counter()

        plotted = [time.perf_counter()]

        def save(step: int, sampler_state: dict, epoch: float, last: dict, final: bool = False) -> Path:
            meta = {"step": step, "epoch": epoch, "model_config": model_cfg.to_dict(),
                    "train_config": train_cfg.to_dict(), "extractors": extractors, "data": data_info,
                    "loss": last.get("loss"), "val_loss": last.get("val_loss"),
                    "created": datetime.now(UTC).isoformat(timespec="seconds")}
            if teacher is not None:
                meta["teacher"] = {"path": train_cfg.teacher, "weights_sha256": teacher.weights_sha256,
                                   **({"prototype": True} if isinstance(teacher, Prototype) else {})}
            train_state = {"step": step, "optimizer": stepper.optimizer.state_dict(),
                           "torch_rng": torch.get_rng_state(), "sampler": dict(sampler_state),
                           "elapsed_s": elapsed_before + (time.perf_counter() - t0)}
            path = ckpt.save_checkpoint(out, model, meta, train_state)
            if final or time.perf_counter() - plotted[0] > PLOT_EVERY_S:  # plotting costs ~1 s
                plot_losses(read_log(out / LOG_NAME), out / PLOT_NAME, title=f"pretraining ({out.name})")
                plotted[0] = time.perf_counter()
            return path

        step, saved_step = start_step, (start_step if state else -1)
        sampler_state = sampler.state
        epoch = sampler_state["epoch"] + sampler_state["pos"] / sampler.windows_per_epoch
        last: dict[str, Any] = {}
        clips_done, in_step = 0, False
        log = TrainLog(out / LOG_NAME, resume_step=start_step if state else None)
        watch = _DeadKpointWatch()
        log.write({"kind": "info", "step": start_step, "total_steps": total_steps, "threads": threads,
                   "resumed": bool(state), **{k: v for k, v in data_info.items() if k != "fingerprint"}})
        try:
            with _StopFlag() as stop, Prefetcher(sampler, train_cfg.prefetch) as loader, \
                    progress.bar("pretraining", total=total_steps, unit="steps", start=start_step) as bar:
                while step < total_steps:
                    batch = loader.next()
                    in_step = True
                    loss, terms = stepper.step(batch, step + 1)
                    step, sampler_state, epoch = step + 1, batch.state, batch.epoch
                    in_step = False
                    clips_done += batch.size
                    rate = clips_done / max(time.perf_counter() - t0, 1e-9)
                    record = {"kind": "train", "step": step, "epoch": round(epoch, 4), "loss": loss,
                              "terms": terms, "no_audio": batch.no_audio, "clips_per_s": round(rate, 3)}
                    log.write(record)
                    last["loss"] = loss
                    if (dead := watch(terms)) is not None:
                        say(dead)
                    bar.advance(1)
                    bar.note(_note(loss, terms, rate))
                    if validate and (step % train_cfg.val_every == 0 or step == total_steps):
                        val = _validate(model, model_cfg, iter(val_windows), train_cfg.seed + 1, teacher)
                        if val is not None:
                            log.write({"kind": "val", "step": step, **val})
                            last["val_loss"] = val["loss"]
                    if step % train_cfg.checkpoint_every == 0 or step == total_steps:
                        save(step, sampler_state, epoch, last, final=step == total_steps)
                        saved_step = step
                    if on_step is not None:
                        on_step(step, record)
                    if stop.requested and step < total_steps:  # a stop on the last step: the run is done
                        raise KeyboardInterrupt
            if step != saved_step:  # a resumed run that was already at (or past) its target
                save(step, sampler_state, epoch, last, final=True)
            path = out / ckpt.WEIGHTS_NAME
            wall = time.perf_counter() - t0
            rate = clips_done / max(wall, 1e-9)
            size = path.stat().st_size / 1e6
            log.write({"kind": "summary", "step": step, "wall_s": round(wall, 2), "clips": clips_done,
                       "clips_per_s": round(rate, 3), "checkpoint_mb": round(size, 2),
                       "loss": last.get("loss"), "val_loss": last.get("val_loss")})
        except KeyboardInterrupt:
            if not in_step:
                if step != saved_step:
                    save(step, sampler_state, epoch, last, final=True)
                say(f"interrupted: checkpoint saved at step {step} in {out}; continue with --resume")
            elif saved_step >= 0:
                say(f"interrupted mid-step: the last checkpoint ({out}, step {saved_step}) is kept; "
                    f"continue with --resume")
            else:
                say("interrupted mid-step: no checkpoint was saved yet (nothing to resume)")
            raise
        except (MemoryError, RuntimeError) as err:
            if not _is_out_of_memory(err):
                raise
            raise _out_of_memory(step + 1, train_cfg, window, model_cfg.visual_dim) from None
        finally:
            log.close()
    if clips_done == 0:
        say(f"{out} is already trained to step {step} (target {total_steps}); nothing to do")
    else:
        plural = "s" * (threads != 1)
        plot = f"; loss curves {out / PLOT_NAME}" if (out / PLOT_NAME).is_file() else ""  # none without a log
        say(f"pretrained steps {start_step}->{step} in {wall:.1f} s ({rate:.2f} clips/s, {threads} thread{plural}); "
            f"checkpoint {path} ({size:.1f} MB){plot}")
    return path


# --------------------------------------------------------------------------- fit on input

def fit_on_input(videos: Sequence[VideoFeatures], model_cfg: Any, steps: int = 100, seed: int = 0, *,
                 batch_size: int | None = 8, lr: float = 1e-3, threads: int = 0) -> torch.nn.Module:
    """Fit a fresh network on the videos to be scored, unsupervised, in memory (detect's default).

    The whole input is the training set: no validation split, no checkpoint, no log file; the
    same step as pretraining, so what the paper pretrains on ActivityNet is learnt per input here.
    ``batch_size=None`` sizes the batch to the input (one window per 30 s, at most 8): a one-minute
    video has only two distinct windows, and a batch of 8 would mostly repeat them at 4x the cost.
    """
    videos = list(videos)
    if not videos:
        raise ConfigError("no videos to fit on")
    if not isinstance(steps, int) or steps < 1:
        raise ConfigError(f"fit steps must be a positive integer, got {steps!r}")
    check_seed(seed)
    window = int(getattr(model_cfg, "window", 150))
    if batch_size is None:
        batch_size = min(8, sum(windows_per_video(v.n_steps, window) for v in videos))
    sampler = WindowSampler(videos, window, batch_size, seed,
                            visual_dim=model_cfg.visual_dim, audio_dim=model_cfg.audio_dim)
    with _num_threads(threads), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = _build(model_cfg)
        # the prototype needs nothing but the videos, so a fit can take it; a teacher network it cannot (no --teacher)
        prototype = _prototype_of(videos) if getattr(model_cfg, "kpoint_select", "s") == "prototype" else None
        stepper = _Stepper(model, model_cfg, lr, None, prototype)
        t0, clips = time.perf_counter(), 0
        with Prefetcher(sampler) as loader, progress.bar("fitting", total=steps, unit="steps") as bar:
            for step in range(1, steps + 1):
                batch = loader.next()
                loss, terms = stepper.step(batch, step)
                clips += batch.size
                bar.advance(1)
                bar.note(_note(loss, terms, clips / max(time.perf_counter() - t0, 1e-9)))
    model.eval()
    return model
