"""`highlit pretrain` as a user meets it: --resume keeps the run's settings, bad input is one line before any
folder is made, a bad video is reported and left out, SIGTERM saves the work.

Runs in process where it can (a subprocess costs seconds of imports); the feature datasets are the tiny
synthetic UMT folders of test_datasets, the videos the generated ones of media_factory.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from media_factory import make_audio_only, make_not_media, make_video
from test_datasets import make_dataset

from highlit.checkpoint import read_checkpoint
from highlit.cli import build_parser, main
from highlit.train import DEFAULT_STEPS, TrainConfig
from highlit.trainlog import LOG_NAME, read_log

ROOT = Path(__file__).resolve().parents[1]
#: small and fast: one window a step, one thread (the CI cores are shared)
QUICK = ("--batch-size", "1", "--threads", "1")


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Callable[..., tuple[int, list[str]]]:
    """``highlit ARGS`` in process -> (exit code, stderr lines)."""
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # main() replaces it
    monkeypatch.setenv("HIGHLIT_QUIET", "1")

    def run(*args: str) -> tuple[int, list[str]]:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse refusals
            code = exit_.code
        return code, capsys.readouterr().err.strip().splitlines()

    return run


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("data") / "tvsum")


def saved(run: Path) -> dict:
    return read_checkpoint(run)[1]


def test_help_names_the_real_defaults() -> None:
    """The options default to None (so --resume knows what was given); the help still names TrainConfig's."""
    pretrain = build_parser()._subparsers._group_actions[0].choices["pretrain"]
    text = " ".join(pretrain.format_help().split())
    cfg = TrainConfig()
    found = {opt: re.search(rf"{opt} \S+ [^(]*\(default ([\d.e-]+)", text) for opt in
             ("--steps", "--lr", "--batch-size", "--checkpoint-every", "--val-fraction", "--seed")}
    assert {k: float(m.group(1)) for k, m in found.items() if m} == {
        "--steps": DEFAULT_STEPS, "--lr": cfg.lr, "--batch-size": cfg.batch_size,
        "--checkpoint-every": cfg.checkpoint_every, "--val-fraction": cfg.val_fraction, "--seed": cfg.seed}
    assert re.search(r"--fill \{repeat,none\} a video.*?\(default (\w+)", text).group(1) == cfg.fill
    share = re.search(r"--teacher-share X .*?\(default 1/3 = ([\d.]+)", text).group(1)
    assert share == f"{cfg.teacher_share:.3f}"
    args = build_parser().parse_args(["pretrain", "-o", "x"])
    assert all(getattr(args, name) is None for name in ("steps", "lr", "batch_size", "seed", "preset",
                                                        "checkpoint_every", "val_fraction", "threads", "fill",
                                                        "teacher", "teacher_share"))


def test_resume_takes_every_setting_it_is_not_given(cli, dataset: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    code, err = cli("pretrain", "--root", dataset, "-o", run, "--steps", "2", "--lr", "5e-4", "--seed", "7",
                    "--preset", "paper", *QUICK)
    assert code == 0, err
    first = saved(run)
    assert first["train_config"]["steps"] == 2
    code, err = cli("pretrain", "--root", dataset, "-o", run, "--resume")  # not 1000 steps, not lr 1e-3
    assert code == 0, err
    assert any("already trained to step 2 (target 2); nothing to do" in line for line in err)
    assert saved(run)["train_config"] == first["train_config"]
    assert saved(run)["model_config"] == first["model_config"]
    for option, needle in ((["--lr", "0.01"], "trained with lr=0.0005, not 0.01"),
                           (["--preset", "default"], "model config differs in"),
                           (["--batch-size", "2"], "trained with batch_size=1, not 2")):
        code, err = cli("pretrain", "--root", dataset, "-o", run, "--resume", *option)
        assert code == 1 and len(err) == 1 and needle in err[0], err
    code, err = cli("pretrain", "--root", dataset, "-o", run, "--resume", "--steps", "3")  # extends the run
    assert code == 0, err
    meta = saved(run)
    assert meta["step"] == 3 and meta["train_config"] == {**first["train_config"], "steps": 3}
    assert meta["model_config"] == first["model_config"]
    code, err = cli("pretrain", "--root", dataset, "-o", run, "--steps", "3")
    assert code == 1 and "already holds a checkpoint; pass --resume" in err[0]


def test_set_changes_the_trained_model_config_and_is_refused_when_it_cannot_apply(cli, dataset: Path,
                                                                                   tmp_path: Path) -> None:
    run = tmp_path / "run"
    code, err = cli("pretrain", "--root", dataset, "-o", run, "--steps", "1", "--set", "score_activation=softmax",
                    "--set", "kpoint=contrast", "--set", "kpoint_select=norm", "--set", "weight_s=0.3", *QUICK)
    assert code == 0, err
    model = saved(run)["model_config"]
    assert (model["score_activation"], model["kpoint_select"], model["weight_s"]) == ("softmax", "norm", 0.3)
    code, err = cli("pretrain", "--root", dataset, "-o", run, "--resume", "--set", "weight_s=1")
    assert code == 1 and len(err) == 1 and "--set changes the model" in err[0], err
    for setting, needle in (("kpoint_select=norm", "needs kpoint 'contrast' or 'mean'"),
                            ("visual_dim=8", "not a settable model config field"), ("k=ten", "expected an integer")):
        code, err = cli("pretrain", "--root", dataset, "-o", tmp_path / "bad", "--steps", "1", "--set", setting)
        assert code == 1 and len(err) == 1 and needle in err[0], err
        assert not (tmp_path / "bad").exists()


def test_a_trained_checkpoint_teaches_a_new_run(cli, dataset: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """--teacher (with --set kpoint_select=teacher) is stored as an absolute path, so --resume finds it from
    any folder; a missing teacher or a teacher without the setting is one line, before any folder is made."""
    taught = ("--set", "score_activation=softmax", "--set", "kpoint=contrast", "--set", "stride=1")
    code, err = cli("pretrain", "--root", dataset, "-o", tmp_path / "gen1", "--steps", "1", *taught,
                    "--set", "kpoint_select=norm", *QUICK)
    assert code == 0, err
    monkeypatch.chdir(tmp_path)
    code, err = cli("pretrain", "--root", dataset, "-o", "gen2", "--steps", "1", *taught,
                    "--set", "kpoint_select=teacher", "--teacher", "gen1/checkpoint.safetensors",
                    "--teacher-share", "0.5", *QUICK)
    assert code == 0, err
    meta = saved(tmp_path / "gen2")
    assert meta["train_config"]["teacher"] == str(tmp_path / "gen1" / "checkpoint.safetensors")
    assert meta["train_config"]["teacher_share"] == 0.5 and meta["model_config"]["kpoint_select"] == "teacher"
    monkeypatch.chdir(ROOT)
    code, err = cli("pretrain", "--root", dataset, "-o", tmp_path / "gen2", "--resume", "--steps", "2")
    assert code == 0, err
    assert saved(tmp_path / "gen2")["step"] == 2
    for extra, needle in ((["--set", "kpoint_select=teacher", "--teacher", tmp_path / "none.safetensors"],
                           "none.safetensors"),
                          (["--set", "kpoint_select=norm", "--teacher", tmp_path / "gen1"],
                           "needs model config kpoint_select='teacher'"),
                          (["--set", "kpoint_select=teacher"], "give its checkpoint (--teacher CKPT)")):
        code, err = cli("pretrain", "--root", dataset, "-o", tmp_path / "bad", "--steps", "1", *taught, *extra)
        assert code == 1 and len(err) == 1 and needle in err[0], err
        assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("args, needle", [
    (["--batch-size", "100000"], "must be between 1 and 256"),
    (["--threads", "100000"], "must be between 1 and 1024"),
    (["--steps", "0"], "must be between 1 and"),
])
def test_out_of_range_numbers_are_refused_when_parsed(cli, dataset: Path, tmp_path: Path, args, needle) -> None:
    code, err = cli("pretrain", "--root", dataset, "-o", tmp_path / "run", *args)
    assert code == 2 and needle in err[-1] and not (tmp_path / "run").exists()


@pytest.mark.parametrize("args, env, needle", [
    (["--root", "{data}"], {"HIGHLIT_THREADS": "abc"}, "HIGHLIT_THREADS='abc'"),
    (["{video}", "--split", "train"], {}, "--split picks ids from a feature dataset's splits.json: it needs --root"),
    (["--root", "{data}", "--visual", "pixels", "--audio", "yamnet"], {},
     "--visual/--audio apply to video inputs; the features under --root are already extracted"),
    (["--root", "{data}", "--cache-dir", "{tmp}"], {}, "--cache-dir apply to video inputs"),
    (["{video}", "--set", "kpoint=contrast", "--set", "kpoint_select=teacher", "--teacher", "{tmp}/none.safetensors"],
     {}, "none.safetensors"),  # refused before the video is extracted, not after
    (["{video}", "--set", "kpoint=contrast", "--set", "kpoint_select=teacher"], {}, "give its checkpoint"),
    (["--root", "{data}", "--teacher-share", "0.5"], {}, "--teacher-share weighs a teacher's s against the norm"),
])
def test_bad_combinations_fail_before_any_folder_is_made(cli, dataset: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, args, env, needle) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    video = tmp_path / "v.mp4"
    video.write_bytes(b"")  # never read: the options are refused first
    filled = [a.format(data=dataset, video=video, tmp=tmp_path) for a in args]
    code, err = cli("pretrain", *filled, "-o", tmp_path / "out" / "run", "--steps", "1")
    assert code == 1 and len(err) == 1 and needle in err[0], err
    assert not (tmp_path / "out").exists()


def test_bad_videos_are_reported_and_the_good_ones_train(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in detect: one warning per bad file, training on the rest; hidden files are never inputs."""
    import highlit.train

    folder = tmp_path / "footage"
    folder.mkdir()
    make_video(folder / "good1.mp4", seconds=2.0)
    make_video(folder / "good2.mp4", seconds=2.0, audio=False)
    make_audio_only(folder / "voice.mp4")
    make_not_media(folder / ".reel.part.x.mp4")  # a killed writer's temporary file
    make_not_media(folder / "._good1.mp4")  # a macOS fork
    trained: list[str] = []

    def fake_pretrain(videos, model_cfg, train_cfg, out_dir, **kw):  # noqa: ANN001, ANN003, ANN202
        trained.extend(sorted(v.video_id for v in videos))
        return Path(out_dir) / "checkpoint.safetensors"

    monkeypatch.setattr(highlit.train, "pretrain", fake_pretrain)
    code, err = cli("pretrain", folder, "-o", tmp_path / "run", "--visual", "pixels")
    assert code == 0, err
    assert trained == ["good1", "good2"]
    assert len(err) == 1 and err[0].startswith("highlit: warning: ") and "voice.mp4: no video stream" in err[0]

    bad = tmp_path / "bad"
    bad.mkdir()
    make_audio_only(bad / "voice.mp4")
    make_not_media(bad / "notes.mp4")
    code, err = cli("pretrain", bad, "-o", tmp_path / "run2", "--visual", "pixels")
    assert code == 1 and len(err) == 1, err
    assert "no usable video to train on (2 failed: " in err[0] and "voice.mp4" in err[0] and "notes.mp4" in err[0]
    assert not (tmp_path / "run2").exists()


def test_sigterm_saves_a_checkpoint_and_says_so(dataset: Path, tmp_path: Path) -> None:
    """`timeout -s TERM` on a real run: the step finishes, a checkpoint is saved, one line says how to go on."""
    run = tmp_path / "run"
    env = {**os.environ, "HIGHLIT_QUIET": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "highlit", "pretrain", "--root", str(dataset), "-o", str(run),
                             "--steps", "100000", *QUICK], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not any(r.get("kind") == "train" for r in read_log(run / LOG_NAME)):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode != 0 and "Traceback" not in stderr, stderr
    step = saved(run)["step"]
    assert step >= 1
    assert f"interrupted: checkpoint saved at step {step} in {run}; continue with --resume" in stderr
    assert json.loads((run / "checkpoint.json").read_text())["train_config"]["steps"] == 100000


def test_a_second_run_in_a_folder_in_use_is_refused(cli, dataset: Path, tmp_path: Path) -> None:
    import fcntl

    from highlit.train import LOCK_NAME

    run = tmp_path / "run"
    run.mkdir()
    (run / LOG_NAME).write_text("{}\n")  # the other run's log, before its first checkpoint
    with open(run / LOCK_NAME, "a") as held:  # what a run in another process holds while it trains
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, err = cli("pretrain", "--root", str(dataset), "-o", str(run), "--steps", "2", *QUICK)
        assert code == 1 and err == [f"highlit: error: {run}: another highlit run is writing to this folder; wait "
                                     "for it to end or give another -o"]
        # the refused run touches nothing of the other's: its log stays, and so does the lock a third run would meet
        assert sorted(p.name for p in run.iterdir()) == sorted([LOCK_NAME, LOG_NAME])
        code, err = cli("pretrain", "--root", str(dataset), "-o", str(run), "--steps", "2", *QUICK)
        assert code == 1 and "another highlit run" in err[0]
    (run / LOG_NAME).unlink()
    code, err = cli("pretrain", "--root", str(dataset), "-o", str(run), "--steps", "2", *QUICK)
    assert code == 0, err  # released: a killed run never leaves the folder locked either (the OS drops the lock)
