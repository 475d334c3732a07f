"""The command line as a user meets it: one-line errors, exit codes, JSON-only stdout, batch behaviour."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from highlit.cli import _normalise_argv, build_parser, parse_duration

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "HIGHLIT_QUIET": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "highlit", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=full_env, timeout=600)


def assert_clean_failure(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    assert needle in proc.stderr, proc.stderr


@given(st.integers(0, 10_000), st.integers(0, 59))
def test_parse_duration_forms_agree(minutes: int, seconds: int) -> None:
    total = minutes * 60 + seconds
    assert parse_duration(str(total)) == total
    assert parse_duration(f"{total}s") == total
    assert parse_duration(f"{minutes}m{seconds}s") == total
    assert parse_duration(f"{minutes}:{seconds:02d}") == total


def test_parse_duration_rejects_garbage() -> None:
    import argparse

    for bad in ("", "abc", "1x", "-5s", "m"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_duration(bad)


def test_bare_paths_mean_detect() -> None:
    assert _normalise_argv(["a.mp4"]) == ["detect", "a.mp4"]
    assert _normalise_argv(["extract", "a.mp4"]) == ["extract", "a.mp4"]
    assert _normalise_argv(["--version"]) == ["--version"]


def test_help_lists_every_subcommand() -> None:
    text = build_parser().format_help()
    for name in ("detect", "extract", "pretrain", "evaluate", "model-info"):
        assert name in text


def test_missing_file_is_one_line_error(tmp_path: Path) -> None:
    proc = run_cli(str(tmp_path / "nope.mp4"))
    assert_clean_failure(proc, "nope.mp4")
    assert proc.stderr.strip().count("\n") == 0


def test_conflicting_segment_options_rejected(tmp_path: Path) -> None:
    proc = run_cli("detect", "x.mp4", "--threshold", "0.5", "--ratio", "0.2")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_unknown_fit_preset_fails_before_any_work(tmp_path: Path, media_dir: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli(str(media_dir / "chaplin.mp4"), "-o", str(out), "--fit-preset", "nope",
                   env={"HIGHLIT_CACHE": str(tmp_path / "cache")})
    assert_clean_failure(proc, "unknown model preset 'nope'")
    assert not out.exists() and not (tmp_path / "cache").exists()  # failed before extraction


def test_not_a_video_is_clean_error_and_writes_nothing(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("this is not a video")
    out = tmp_path / "out"
    proc = run_cli(str(bogus), "-o", str(out))
    assert_clean_failure(proc, "notes.mp4")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.slow
def test_batch_goes_on_after_a_bad_file_and_json_is_pure(tmp_path: Path, media_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.mp4").write_bytes(os.urandom(4096))
    good = folder / "chaplin.mp4"
    good.write_bytes((media_dir / "chaplin.mp4").read_bytes())
    out = tmp_path / "out"
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    proc = run_cli(str(folder), "-o", str(out), "--json", "--fit-steps", "20", env=env)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)  # stdout holds JSON and nothing else
    status = {Path(r["path"]).name: r["status"] for r in doc["results"]}
    assert status == {"broken.mp4": "error", "chaplin.mp4": "ok"}
    ok = next(r for r in doc["results"] if r["status"] == "ok")
    assert ok["highlights"]["model"] == {**ok["highlights"]["model"], "kind": "fit-on-input", "preset": "fit"}
    assert (out / "chaplin.highlights.json").is_file()
    assert "broken.mp4" in proc.stderr and "Traceback" not in proc.stderr

    again = run_cli(str(good), "-o", str(out), "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["results"][0]["status"] == "skipped"


@pytest.mark.slow
def test_extract_twice_is_a_cache_hit(tmp_path: Path, media_dir: Path) -> None:
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    first = run_cli("extract", str(media_dir / "chaplin.mp4"), "--json", env=env)
    assert first.returncode == 0, first.stderr
    second = run_cli("extract", str(media_dir / "chaplin.mp4"), "--json", env=env)
    a, b = json.loads(first.stdout)[0], json.loads(second.stdout)[0]
    assert not a["cache_hit"] and b["cache_hit"]
    # 9.64 s at 0.2 s steps: 48 whole steps and a last partial one
    assert a["visual_shape"] == b["visual_shape"] and a["visual_shape"][0] == 49


def test_evaluate_json_says_which_tvsum_labels_it_used(data_dir: Path) -> None:
    proc = run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--split", "val", "--baseline", "norm",
                   "--tvsum-labels", "mean", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["tvsum_labels"] == "mean" and out["n_videos"] == 10 and 0 < out["mean"] <= 1
    bad = run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--baseline", "norm", "--tvsum-labels", "x")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "--tvsum-labels" in bad.stderr


def test_evaluate_versus_a_baseline(data_dir: Path) -> None:
    """The shipped checkpoint against the norm on UMT's 10 TVSum val videos: the interval brackets the
    difference, the difference is the two figures' difference, and the baseline is the norm's figure."""
    proc = run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--split", "val", "--versus", "norm", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    vs = out["versus"]
    norm = json.loads(run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--split", "val", "--baseline", "norm",
                              "--json").stdout)
    assert vs["baseline"] == "norm" and vs["baseline_mean"] == pytest.approx(norm["mean"])
    assert vs["diff"] == pytest.approx(out["mean"] - norm["mean"])
    assert vs["ci95"][0] <= vs["diff"] <= vs["ci95"][1] and 0 <= vs["p_not_better"] <= 1
    assert len(out["per_video"]) == 10
    text = run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--split", "val", "--versus", "random")
    assert text.returncode == 0 and "minus random" in text.stdout and "95% interval" in text.stdout
    bad = run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--baseline", "norm", "--versus", "random")
    assert_clean_failure(bad, "--versus")


def test_model_info_json_counts_parameters() -> None:
    proc = run_cli("model-info", "--json", "--dim", "2048")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)["models"][0]
    assert row["dim"] == 2048 and row["parameters"] > 1_000_000 and row["flops"] > 0
