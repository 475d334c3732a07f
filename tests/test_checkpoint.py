"""Checkpoints: round trip, damaged files rejected with a clear error, extractor mismatch rejected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file
from test_train import DIM, EXTRACTORS, make_videos, quick_cfg, tiny_cfg

import highlit
from highlit.checkpoint import (
    META_NAME,
    WEIGHTS_NAME,
    check_extractors,
    load_checkpoint,
    load_train_state,
    read_checkpoint,
    read_metadata,
    remove_stale_parts,
    save_checkpoint,
)
from highlit.errors import CheckpointError
from highlit.model import RASLNet
from highlit.train import pretrain


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("ckpt")
    pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=3), out, extractors=EXTRACTORS)
    return out


def copy_dir(src, dst):
    dst.mkdir(exist_ok=True)
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    return dst


def test_round_trip_gives_the_same_scores(tmp_path):
    torch.manual_seed(0)
    model = RASLNet(tiny_cfg()).eval()
    path = save_checkpoint(tmp_path, model, {"step": 0, "model_config": tiny_cfg().to_dict(),
                                             "extractors": EXTRACTORS})
    loaded, meta = load_checkpoint(path)
    x = torch.rand(2, 16, DIM)
    assert torch.equal(model.score(x), loaded.score(x))
    assert not loaded.training
    assert meta["highlit_version"] == highlit.__version__ and meta["extractors"] == EXTRACTORS
    # the folder, the JSON copy and the safetensors file all name the same checkpoint
    for p in (tmp_path, tmp_path / META_NAME, tmp_path / WEIGHTS_NAME):
        assert load_checkpoint(p)[1]["weights_sha256"] == meta["weights_sha256"]
    assert json.loads((tmp_path / META_NAME).read_text())["model_config"] == tiny_cfg().to_dict()


def test_the_safetensors_file_alone_is_a_checkpoint(trained, tmp_path):
    lone = tmp_path / "shipped.safetensors"
    lone.write_bytes((trained / WEIGHTS_NAME).read_bytes())
    model, meta = load_checkpoint(lone)
    assert meta["step"] == 3 and isinstance(model, RASLNet)
    (tmp_path / "shipped.json").write_bytes((trained / META_NAME).read_bytes())  # its readable twin
    assert load_checkpoint(tmp_path / "shipped.json")[1]["weights_sha256"] == meta["weights_sha256"]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_checkpoint_is_rejected(trained, tmp_path, damage):
    broken = copy_dir(trained, tmp_path / "broken") / WEIGHTS_NAME
    data = broken.read_bytes()
    if damage == "truncate":
        broken.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "flip":  # a byte inside the tensor data: still parses, fails the checksum
        i = len(data) - 100
        broken.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:])
    elif damage == "garbage":
        broken.write_bytes(b"not a checkpoint at all" * 10)
    else:
        broken.write_bytes(b"")
    with pytest.raises(CheckpointError, match="corrupt|truncated"):
        load_checkpoint(broken)


def test_missing_checkpoint_and_foreign_safetensors_are_rejected(tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint found"):
        load_checkpoint(tmp_path)
    with pytest.raises(CheckpointError, match="nope: no such checkpoint"):
        load_checkpoint(tmp_path / "nope")
    save_file({"w": torch.zeros(3)}, str(tmp_path / "other.safetensors"))
    with pytest.raises(CheckpointError, match="not a highlit checkpoint"):
        load_checkpoint(tmp_path / "other.safetensors")


def test_corrupt_training_state_blocks_resume(trained, tmp_path):
    copy = copy_dir(trained, tmp_path / "copy")
    meta = read_checkpoint(copy)[1]
    state = copy / meta["train_state"]["file"]
    state.write_bytes(state.read_bytes()[:-50])
    with pytest.raises(CheckpointError, match="training state"):
        load_train_state(copy, meta)
    with pytest.raises(CheckpointError, match="training state"):
        pretrain(make_videos(), None, quick_cfg(steps=5), copy, resume=True, extractors=EXTRACTORS)


def test_features_of_another_extractor_are_rejected(trained):
    other_name = {**EXTRACTORS, "visual": {"name": "efficientnet-lite0", "dim": 1280, "version": "1"}}
    with pytest.raises(CheckpointError, match="trained on visual features from 'toy-visual'.*dim, name"):
        load_checkpoint(trained, expect_extractors=other_name)
    other_dim = {**EXTRACTORS, "audio": {**EXTRACTORS["audio"], "dim": 64}}
    with pytest.raises(CheckpointError, match="audio features .*differs in dim"):
        load_checkpoint(trained, expect_extractors=other_dim)
    model, _ = load_checkpoint(trained, expect_extractors=EXTRACTORS)
    # a video with no audio track has no audio identity: only the visual one is compared
    check_extractors(read_checkpoint(trained)[1], {"visual": EXTRACTORS["visual"], "audio": None})


def test_pretrain_refuses_features_from_another_extractor_on_resume(trained, tmp_path):
    copy = copy_dir(trained, tmp_path / "copy")
    other = {**EXTRACTORS, "visual": {**EXTRACTORS["visual"], "version": "2"}}
    with pytest.raises(CheckpointError, match="differs in version"):
        pretrain(make_videos(), None, quick_cfg(steps=5), copy, resume=True, extractors=other)


def edited(trained, folder, change) -> Path:
    """A copy of ``trained`` whose header metadata was edited by ``change(meta)``: the weights (and their
    checksum) stay valid, so only the header checks can catch it."""
    copy = copy_dir(trained, folder)
    tensors, meta, path = read_checkpoint(copy)
    meta = change(meta) or meta
    save_file(tensors, str(path), metadata={"highlit": json.dumps(meta)})
    return copy


def one_line_error(folder) -> str:
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(folder)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_header_config_that_does_not_fit_the_weights_is_one_line(trained, tmp_path):
    """An edited width: torch's report is 40 lines of 'size mismatch'; ours names the first tensor."""
    def wider(meta):
        meta["model_config"]["attn_dim"] = 4

    message = one_line_error(edited(trained, tmp_path / "wide", wider))
    assert "do not fit the model config in the checkpoint's header" in message and "by the config" in message


@pytest.mark.parametrize("change, needle", [
    (lambda meta: [1, 2], "its metadata is a JSON list"),
    (lambda meta: meta["model_config"].update(enc_channels="x"), "model config is invalid"),
    (lambda meta: meta["model_config"].update(visual_dim="abc"), "model config is invalid"),
    (lambda meta: meta.pop("model_config") and None, "no model_config"),
    (lambda meta: meta.update(format_version="2"), "format version '2' is not a number"),
    (lambda meta: meta.update(extractors=["x"]), None),  # unreadable identities: nothing to compare
])
def test_malformed_header_is_a_one_line_error(trained, tmp_path, change, needle):
    folder = edited(trained, tmp_path / "edited", change)
    if needle is None:
        load_checkpoint(folder, expect_extractors=EXTRACTORS)
        return
    assert needle in one_line_error(folder)
    assert str(folder / WEIGHTS_NAME) in one_line_error(folder)


def test_train_state_entry_cannot_point_outside_the_folder(trained, tmp_path):
    folder = edited(trained, tmp_path / "edited", lambda meta: meta["train_state"].update(file="../../etc/passwd"))
    with pytest.raises(CheckpointError, match="train_state entry is malformed"):
        load_train_state(folder, read_checkpoint(folder)[1])
    with pytest.raises(CheckpointError, match="train_state entry is malformed"):
        pretrain(make_videos(), None, None, folder, resume=True, extractors=EXTRACTORS)


def test_read_metadata_reads_the_header_alone(trained, tmp_path):
    assert read_metadata(trained) == read_checkpoint(trained)[1]
    folder = edited(trained, tmp_path / "edited", lambda meta: [1])
    with pytest.raises(CheckpointError, match="JSON list"):
        read_metadata(folder)


def test_remove_stale_parts_removes_only_a_runs_own_temporary_files(tmp_path):
    ours = [".checkpoint.part.a1.safetensors", ".checkpoint.part.b2.json", ".train_state-00000002.part.c3.pt",
            ".train_log.part.d4.jsonl", ".loss_curves.part.e5.png"]
    theirs = [".reel.part.x.mp4", "checkpoint.part.x.safetensors", ".train_state.pt", "notes.txt"]
    for name in ours + theirs:
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in remove_stale_parts(tmp_path)) == sorted(ours)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs)
    assert remove_stale_parts(tmp_path / "missing") == []


def test_resuming_a_checkpoint_whose_header_does_not_fit_is_one_line(trained, tmp_path):
    """--resume builds the network from the header: an edited width must not become torch's 40-line report."""
    folder = edited(trained, tmp_path / "wide", lambda meta: meta["model_config"].update(attn_dim=4))
    with pytest.raises(CheckpointError) as info:
        pretrain(make_videos(), None, quick_cfg(steps=5), folder, resume=True, extractors=EXTRACTORS)
    assert "\n" not in str(info.value) and "do not fit" in str(info.value)


def test_a_retrained_checkpoint_is_another_request(trained, tmp_path):
    """detect reuses a stored result only under the same request: the same folder trained further
    (pretrain --resume) holds other weights, so its results must be redone, not reused."""
    import argparse

    from highlit.commands import _request

    folder = copy_dir(trained, tmp_path / "run")
    args = argparse.Namespace(model=str(folder), fit_preset="fit", fit_steps=None, seed=0, visual=None, audio=None)
    before = _request(args)
    assert before == _request(args) and before["weights"]
    pretrain(make_videos(), None, quick_cfg(steps=5), folder, resume=True, extractors=EXTRACTORS)
    assert _request(args)["weights"] != before["weights"]
