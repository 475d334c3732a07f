"""Checkpoints: one self-contained safetensors file, plus a training-state file for ``--resume``.

``checkpoint.safetensors`` holds the weights and, in its header, the JSON metadata: the full
ModelConfig, the TrainConfig, the step, the identity of the feature extractors the model was trained
on, the highlit version and a SHA-256 of the tensor bytes. That one file is what ships and what
``load_checkpoint`` reads; ``checkpoint.json`` beside it is a readable copy of the same metadata.

Resuming also needs the optimizer, RNG and sampler state. It lives in ``train_state-<step>.pt``, named
by the metadata together with its SHA-256. Writes go state first, weights second (each atomic), and
the weights file is the commit point: a crash between the two leaves the previous, consistent pair.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save_file

import highlit
from highlit.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from highlit.errors import CheckpointError, ConfigError

FORMAT = "highlit-checkpoint"
FORMAT_VERSION = 1
WEIGHTS_NAME = "checkpoint.safetensors"
META_NAME = "checkpoint.json"
_STATE_RE = re.compile(r"^train_state-(\d+)\.pt$")
#: Temporary files that an interrupted atomic write of this folder's own files leaves (see highlit/atomic.py).
_PART_RE = re.compile(r"^\.(checkpoint|train_state-\d+|train_log|loss_curves)\.part\.")
#: Identity fields that describe where or how fast an extractor ran, not what it computes.
_IGNORED_IDENTITY_KEYS = {"device", "threads", "path", "batch_size"}


def _digest(tensors: dict[str, torch.Tensor]) -> str:
    """SHA-256 over names, dtypes, shapes and bytes: catches bit rot that still parses as safetensors."""
    h = hashlib.sha256()
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        h.update(f"{name}|{t.dtype}|{tuple(t.shape)}|".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


def _weights(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    # clone() so tied parameters do not share storage (safetensors refuses shared tensors)
    return {k: v.detach().cpu().contiguous().clone() for k, v in model.state_dict().items()}


def state_file_name(step: int) -> str:
    return f"train_state-{step:08d}.pt"


def save_checkpoint(out_dir: str | os.PathLike[str], model: torch.nn.Module, meta: dict[str, Any],
                    train_state: dict[str, Any] | None = None) -> Path:
    """Write ``out_dir/checkpoint.safetensors`` (+ state and JSON copy) atomically; return its path.

    ``meta`` must carry at least ``model_config`` and ``extractors``; format, version and digests are
    added here. Older training-state files are removed once the new checkpoint is committed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tensors = _weights(model)
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "highlit_version": highlit.__version__,
        "torch_version": torch.__version__,
        **meta,
        "weights_sha256": _digest(tensors),
    }
    if train_state is not None:
        buf = io.BytesIO()
        torch.save(train_state, buf)
        data = buf.getvalue()
        name = state_file_name(int(meta.get("step", 0)))
        atomic_write_bytes(out / name, data)
        meta["train_state"] = {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    else:
        meta["train_state"] = None
    text = json.dumps(meta, indent=2, sort_keys=True)
    with atomic_path(out / WEIGHTS_NAME) as tmp:
        save_file(tensors, str(tmp), metadata={"highlit": json.dumps(meta, sort_keys=True)})
    atomic_write_text(out / META_NAME, text + "\n")
    keep = meta["train_state"]["file"] if meta["train_state"] else None
    for old in out.iterdir():
        if _STATE_RE.match(old.name) and old.name != keep:
            old.unlink(missing_ok=True)
    return out / WEIGHTS_NAME


def resolve(path: str | os.PathLike[str]) -> Path:
    """A checkpoint folder, its JSON copy or the safetensors file -> the safetensors file.

    A JSON copy names the safetensors file with the same stem (``x.json`` -> ``x.safetensors``), or
    ``checkpoint.safetensors`` in its folder (the layout ``save_checkpoint`` writes).
    """
    p = Path(path)
    if p.is_dir():
        p = p / WEIGHTS_NAME
    elif p.suffix == ".json":
        twin = p.with_suffix(".safetensors")
        p = twin if twin.is_file() else p.with_name(WEIGHTS_NAME)
    if not p.is_file():
        if not Path(path).exists():
            raise CheckpointError(f"{path}: no such checkpoint (give a checkpoint folder or its {WEIGHTS_NAME})")
        raise CheckpointError(f"{path}: no checkpoint found (expected {p})")
    return p


def _open_error(p: Path, err: Exception) -> CheckpointError:
    return CheckpointError(f"{p}: unreadable checkpoint, truncated or corrupt ({err})")


def _parse_header(p: Path, header: dict[str, str]) -> dict[str, Any]:
    """The highlit metadata of a safetensors header, or the one-line CheckpointError saying what is wrong.

    The header is free text anyone can edit: every check here must itself be unable to fail on a
    value of the wrong type (a list where an object belongs), or the user would get a traceback.
    """
    if "highlit" not in header:
        raise CheckpointError(f"{p}: a safetensors file without highlit metadata, not a highlit checkpoint")
    try:
        meta = json.loads(header["highlit"])
    except json.JSONDecodeError:
        raise CheckpointError(f"{p}: checkpoint metadata is not valid JSON (corrupt file)") from None
    if not isinstance(meta, dict):
        raise CheckpointError(f"{p}: not a highlit checkpoint (its metadata is a JSON {type(meta).__name__}, "
                              f"not an object)")
    if meta.get("format") != FORMAT:
        raise CheckpointError(f"{p}: not a highlit checkpoint (format {meta.get('format')!r})")
    version = meta.get("format_version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise CheckpointError(f"{p}: checkpoint format version {version!r} is not a number (corrupt metadata)")
    if version > FORMAT_VERSION:
        raise CheckpointError(f"{p}: checkpoint format {version} is newer than this highlit "
                              f"({highlit.__version__}) reads; upgrade highlit")
    return meta


def read_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The checkpoint's metadata from the header alone (no tensors read, no checksum): what ``--resume``
    needs to know before any video is read. ``read_checkpoint`` verifies the weights later."""
    p = resolve(path)
    try:
        with safe_open(str(p), framework="pt") as fh:
            header = fh.metadata() or {}
    except (SafetensorError, OSError, ValueError, RuntimeError) as err:
        raise _open_error(p, err) from None
    return _parse_header(p, header)


def read_checkpoint(path: str | os.PathLike[str]) -> tuple[dict[str, torch.Tensor], dict[str, Any], Path]:
    """Verified tensors and metadata; every way a file can be damaged becomes one CheckpointError."""
    p = resolve(path)
    try:
        with safe_open(str(p), framework="pt") as fh:
            header = fh.metadata() or {}
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}
    except (SafetensorError, OSError, ValueError, RuntimeError) as err:
        raise _open_error(p, err) from None
    meta = _parse_header(p, header)
    if meta.get("weights_sha256") != _digest(tensors):
        raise CheckpointError(f"{p}: weights do not match their recorded checksum (corrupt checkpoint)")
    return tensors, meta, p


def model_config(meta: dict[str, Any], where: str | os.PathLike[str]) -> Any:
    """The checkpoint's ModelConfig; a missing or malformed one is a CheckpointError naming ``where``.

    The weights' checksum does not cover the header, so an edited config (a string where a width
    belongs) must fail here, as one line, not deep inside the network's constructor.
    """
    from highlit.model.config import ModelConfig

    if "model_config" not in meta:
        raise CheckpointError(f"{where}: checkpoint metadata has no model_config")
    try:
        return ModelConfig.from_dict(meta["model_config"])
    except (ConfigError, ValueError, TypeError) as err:
        raise CheckpointError(f"{where}: the checkpoint's model config is invalid ({err})") from None


def build_model(model_config: dict[str, Any]) -> torch.nn.Module:
    """RASLNet from a config dict; a separate function so tools and tests can build other nets."""
    from highlit.model.config import ModelConfig
    from highlit.model.network import RASLNet

    return RASLNet(ModelConfig.from_dict(model_config))


def load_checkpoint(path: str | os.PathLike[str],
                    expect_extractors: dict[str, dict | None] | None = None) -> tuple[torch.nn.Module, dict]:
    """The trained network (eval mode) and its metadata; refuses features from other extractors."""
    tensors, meta, p = read_checkpoint(path)
    if expect_extractors:
        check_extractors(meta, expect_extractors, where=str(p))
    model = load_weights(build_model(model_config(meta, p).to_dict()), tensors, meta, p)
    model.eval()
    return model, meta


def load_weights(model: torch.nn.Module, tensors: dict[str, torch.Tensor], meta: dict[str, Any],
                  p: Path) -> torch.nn.Module:
    """``tensors`` into ``model``, or one line saying why they do not fit (never torch's many-line report).

    Names that differ mean another highlit version's network; shapes that differ mean the header's
    model config does not describe these weights (an edited or mixed-up file).
    """
    expected = model.state_dict()
    wrong = [k for k in sorted(tensors) if k in expected and tuple(tensors[k].shape) != tuple(expected[k].shape)]
    if wrong:
        first = wrong[0]
        more = f", and {len(wrong) - 1} more" if len(wrong) > 1 else ""
        raise CheckpointError(f"{p}: the weights do not fit the model config in the checkpoint's header "
                              f"({first} is {list(tensors[first].shape)} in the file, "
                              f"{list(expected[first].shape)} by the config{more}); edited or corrupt checkpoint")
    try:
        result = model.load_state_dict(tensors, strict=False)
    except RuntimeError as err:  # anything else torch refuses (dtype, ...): keep its first line only
        detail = str(err).strip().splitlines()[0]
        raise CheckpointError(f"{p}: the weights do not fit this network ({detail})") from None
    if result.missing_keys or result.unexpected_keys:
        detail = ", ".join([*(f"missing {k}" for k in result.missing_keys[:3]),
                            *(f"unexpected {k}" for k in result.unexpected_keys[:3])])
        raise CheckpointError(f"{p}: weights do not fit this version's network ({detail}); "
                              f"the checkpoint was made by highlit {meta.get('highlit_version')}")
    return model


def load_train_state(path: str | os.PathLike[str], meta: dict[str, Any]) -> dict[str, Any]:
    """The optimizer/RNG/sampler state that ``meta`` names, verified against its checksum."""
    info = meta.get("train_state")
    p = resolve(path)
    if not info:
        raise CheckpointError(f"{p}: this checkpoint has no training state to resume from")
    if not isinstance(info, dict) or not _STATE_RE.match(str(info.get("file"))):
        # only a train_state-<step>.pt beside the weights: an edited header must not point elsewhere
        raise CheckpointError(f"{p}: the checkpoint's train_state entry is malformed; cannot resume")
    state_path = p.parent / info["file"]
    try:
        data = state_path.read_bytes()
    except OSError:
        raise CheckpointError(f"{state_path}: training state missing; cannot resume exactly") from None
    if hashlib.sha256(data).hexdigest() != info.get("sha256"):
        raise CheckpointError(f"{state_path}: training state does not match its checksum "
                              f"(truncated or corrupt); cannot resume")
    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as err:  # pickle/zip errors come in many types
        raise CheckpointError(f"{state_path}: unreadable training state ({err})") from None


def _describe(identity: dict) -> str:
    extra = ", ".join(f"{k} {identity[k]}" for k in ("dim", "version") if k in identity)
    return f"{identity.get('name', '?')!r}" + (f" ({extra})" if extra else "")


def check_extractors(meta: dict[str, Any], expected: dict[str, dict | None],
                     where: str = "checkpoint") -> None:
    """Raise CheckpointError unless features from ``expected`` extractors fit this checkpoint.

    Every identity field present on both sides must agree (name, dim, version, frame size, ...);
    a side that is None (no audio track, or a checkpoint trained without audio) is not compared.
    """
    trained = meta.get("extractors")
    trained = trained if isinstance(trained, dict) else {}  # an edited header: nothing to compare
    for modality in ("visual", "audio"):
        need, have = trained.get(modality), (expected or {}).get(modality)
        if not isinstance(need, dict) or not isinstance(have, dict) or not need or not have:
            continue
        diff = sorted(k for k in set(need) & set(have)
                      if k not in _IGNORED_IDENTITY_KEYS and need[k] != have[k])
        if diff:
            raise CheckpointError(
                f"{where} was trained on {modality} features from {_describe(need)}, but these come from "
                f"{_describe(have)} (differs in {', '.join(diff)}); extract {modality} features with "
                f"{need.get('name', 'that extractor')!r} or use a checkpoint trained on {have.get('name', 'them')!r}")


def find_checkpoint(out_dir: str | os.PathLike[str]) -> Path | None:
    p = Path(out_dir) / WEIGHTS_NAME
    return p if p.is_file() else None


def remove_stale_parts(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files that a killed save left in a run's checkpoint folder; return them.

    An atomic write (highlit/atomic.py) can only clean up after itself if the process survives; a kill
    during a save leaves a hidden ``.train_state-<step>.part.<random>.pt`` as large as the model. The run
    owns its folder, so the next run there removes them. Only the names this module and the training
    log write are touched: a user's other files in the folder are never removed.
    """
    removed = []
    folder = Path(out_dir)
    if not folder.is_dir():
        return removed
    for f in folder.iterdir():
        if _PART_RE.match(f.name) and f.is_file():
            f.unlink(missing_ok=True)
            removed.append(f)
    return removed
