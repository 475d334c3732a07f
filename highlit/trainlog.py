"""The training log: one JSON line per step (every loss term), plus validation and info records.

JSONL because it is appended during the run (a crash loses at most the line being written) and
read back by anything. A resumed run first rewrites the log (atomically) without the records past
the checkpoint's step, so the log of a resumed run reads like the log of an uninterrupted one.
The PNG loss curves are regenerated from the log at every checkpoint.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import IO

from highlit.atomic import atomic_path, atomic_write_text

LOG_NAME = "train_log.jsonl"
PLOT_NAME = "loss_curves.png"


def read_log(path: str | os.PathLike[str]) -> list[dict]:
    """All complete records; a torn last line (the process died mid-write) is ignored."""
    path = Path(path)
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


class TrainLog:
    """Append-only JSONL writer that flushes each record."""

    def __init__(self, path: str | os.PathLike[str], resume_step: int | None = None) -> None:
        self.path = Path(path)
        kept: list[dict] = []
        if resume_step is not None:
            kept = [r for r in read_log(self.path) if int(r.get("step", 0)) <= resume_step]
        atomic_write_text(self.path, "".join(_line(r) for r in kept))
        self._fh: IO[str] | None = open(self.path, "a", encoding="utf-8")

    def write(self, record: dict) -> None:
        if self._fh is None:
            raise ValueError("log is closed")
        self._fh.write(_line(record))
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> TrainLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _line(record: dict) -> str:
    return json.dumps(record, separators=(",", ":"), allow_nan=True) + "\n"


def _smooth(values: list[float], span: int) -> list[float]:
    """Exponential moving average, so per-step noise of batch 8 does not hide the trend."""
    if span <= 1:
        return values
    alpha, out, acc = 2.0 / (span + 1), [], None
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        acc = v if acc is None else alpha * v + (1 - alpha) * acc
        out.append(acc)
    return out


def _clip_spikes(values: list[float]) -> tuple[float, float] | None:
    """Y limits that leave out rare huge values (RMSprop's first steps), or None when there are none."""
    finite = sorted(v for v in values if math.isfinite(v))
    if len(finite) < 20:
        return None
    top = finite[int(0.98 * (len(finite) - 1))]
    if finite[-1] <= 3 * abs(top) + 1e-12:
        return None
    span = top - finite[0]
    return finite[0] - 0.05 * span, top + 0.15 * span


def plot_losses(records: list[dict], path: str | os.PathLike[str], title: str = "pretraining") -> Path | None:
    """One panel per loss term (train: raw and smoothed; validation: markers); None if no steps yet."""
    train = [r for r in records if r.get("kind") == "train"]
    if not train:
        return None
    val = [r for r in records if r.get("kind") == "val"]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    terms = ["loss"] + list(dict.fromkeys(k for r in train for k in r.get("terms", {})))  # model order
    cols = min(3, len(terms))
    rows = math.ceil(len(terms) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    steps = [r["step"] for r in train]
    span = max(1, len(train) // 50)
    for ax, term in zip(axes.flat, terms, strict=False):
        ys = [float(r["loss"] if term == "loss" else r.get("terms", {}).get(term, math.nan)) for r in train]
        ax.plot(steps, ys, color="tab:blue", alpha=0.25, linewidth=0.8)
        ax.plot(steps, _smooth(ys, span), color="tab:blue", linewidth=1.4, label="train")
        vs = [(r["step"], float(r["loss"] if term == "loss" else r.get("terms", {}).get(term, math.nan)))
              for r in val]
        if vs:
            ax.plot([s for s, _ in vs], [y for _, y in vs], "o-", color="tab:orange", markersize=3,
                    linewidth=1.0, label="validation")
        limits = _clip_spikes(ys + [y for _, y in vs])
        if limits is not None:
            ax.set_ylim(*limits)
        ax.set_title(term + (" (spikes clipped)" if limits is not None else ""), fontsize=10)
        ax.set_xlabel("step", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(terms):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(title, fontsize=11)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.1, top=0.88, hspace=0.55, wspace=0.28)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110)
    plt.close(fig)
    return Path(path)
