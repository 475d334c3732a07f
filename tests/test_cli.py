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

    again = run_cli(str(good), "-o", str(out), "--json", "--fit-steps", "20", env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["results"][0]["status"] == "skipped"


@pytest.mark.slow
def test_extract_twice_is_a_cache_hit(tmp_path: Path, media_dir: Path) -> None:
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    first = run_cli("extract", str(media_dir / "chaplin.mp4"), "--json", env=env)
    assert first.returncode == 0, first.stderr
    second = run_cli("extract", str(media_dir / "chaplin.mp4"), "--json", env=env)
    assert json.loads(second.stdout)["failed"] == 0
    a, b = json.loads(first.stdout)["results"][0], json.loads(second.stdout)["results"][0]
    assert not a["cache_hit"] and b["cache_hit"] and a["has_audio"] is True
    # 9.64 s at 0.2 s steps: 48 whole steps and a last partial one
    assert a["visual_shape"] == b["visual_shape"] and a["visual_shape"][0] == 49
    skipped = run_cli("extract", str(media_dir / "chaplin.mp4"), "--audio", "none", env=env)
    assert "audio not read (--audio none)" in skipped.stdout  # the file has sound: not "no audio stream"
    (tmp_path / "empty").mkdir()
    assert_clean_failure(run_cli("extract", str(tmp_path / "empty"), env=env), "no video files found")


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
    proc = run_cli("evaluate", "--root", str(data_dir / "tvsum"), "--split", "val", "--versus", "norm", "--json",
                   env={"HIGHLIT_QUIET": "0", "HIGHLIT_PROGRESS": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "scoring: 10/10 videos" in proc.stderr  # progress in a log, stdout left to the JSON
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


def test_evaluate_refuses_options_it_would_ignore(data_dir: Path, tmp_path: Path) -> None:
    yt, tv = str(data_dir / "youtube"), str(data_dir / "tvsum")
    assert_clean_failure(run_cli("evaluate", "--root", yt, "--baseline", "norm", "--tvsum-labels", "mean"),
                         "this is not TVSum")
    assert_clean_failure(run_cli("evaluate", "--root", tv, "--baseline", "norm", "--window", "3"),
                         "a baseline does not use it")
    assert_clean_failure(run_cli("evaluate", "--root", tv, "--baseline", "norm", "--read", "whole"),
                         "a baseline has none")
    assert_clean_failure(run_cli("evaluate", "--root", tv, "--read", "whole", "--window", "64"), "drop --window")
    assert_clean_failure(run_cli("evaluate", "--root", tv, "--baseline", "norm", "--split", ""), "split name is empty")
    splits = tmp_path / "one"
    splits.mkdir()
    for name in ("tvsum_anno.json",):
        (splits / name).symlink_to(data_dir / "tvsum" / name)
    (splits / "video_features").symlink_to(data_dir / "tvsum" / "video_features")
    first = json.loads((data_dir / "tvsum" / "splits.json").read_text())
    one = next(iter(first.values()))["val"][:1]
    (splits / "splits.json").write_text(json.dumps({"x": {"one": one}}))
    assert_clean_failure(run_cli("evaluate", "--root", str(splits), "--split", "one", "--versus", "norm"),
                         "needs at least 2")


def test_model_info_json_counts_parameters() -> None:
    proc = run_cli("model-info", "--json", "--dim", "2048")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)["models"][0]
    assert row["dim"] == 2048 and row["parameters"] > 1_000_000 and row["flops"] > 0


# ----------------------------------------------------------------------------- outputs and re-runs

def test_output_folder_that_is_a_file_fails_before_any_work(tmp_path: Path, media_dir: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    for extra in (["-o", str(afile / "out")], ["-o", str(afile)], ["--clips", str(afile)]):
        proc = run_cli(str(media_dir / "chaplin.mp4"), *extra, env=env)
        assert_clean_failure(proc, str(afile))
        assert proc.stderr.strip().count("\n") == 0
    assert not (tmp_path / "cache").exists()  # refused before extraction
    proc = run_cli("pretrain", "--dataset", "tvsum", "--root", "nowhere", "-o", str(afile))
    assert_clean_failure(proc, "checkpoint folder")


def test_reel_never_overwrites_the_input_or_a_folder(tmp_path: Path, media_dir: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes((media_dir / "chaplin.mp4").read_bytes())
    before = video.read_bytes()
    proc = run_cli(str(video), "-o", str(tmp_path / "out"), "--reel", str(video))
    assert_clean_failure(proc, "would overwrite it")
    assert video.read_bytes() == before
    proc = run_cli(str(video), "-o", str(tmp_path / "out"), "--reel", str(tmp_path))
    assert_clean_failure(proc, "is a folder")
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    proc = run_cli(str(video), "-o", str(tmp_path / "out"), "--reel", str(tmp_path / "reel.avi"), env=env)
    assert_clean_failure(proc, ".avi")
    assert not (tmp_path / "cache").exists()  # refused before extraction


def test_segment_options_are_checked_when_parsed() -> None:
    for bad in (["--threshold", "1.5"], ["--threshold", "nan"], ["--duration", "0"], ["--format", ","],
                ["--fit-steps", "0"], ["--ratio", "abc"], ["--seed", "-1"], ["--seed", str(2**64)]):
        proc = run_cli("x.mp4", *bad)
        assert proc.returncode == 2, (bad, proc.stderr)
        assert "Traceback" not in proc.stderr and "highlit: error:" in proc.stderr
        assert "_ratio" not in proc.stderr  # argparse names a type function that lets a ValueError through
        # one line, like every other error, pointing at the usage instead of printing it
        assert proc.stderr.strip().count("\n") == 0 and "see `highlit detect --help`" in proc.stderr, proc.stderr


def test_a_seed_the_generators_refuse_fails_before_any_work(tmp_path: Path, media_dir: Path) -> None:
    proc = run_cli("pretrain", "--dataset", "tvsum", "--root", str(tmp_path), "--seed", "-1", "-o", str(tmp_path / "m"))
    assert proc.returncode == 2 and "--seed: must be between 0 and" in proc.stderr
    from highlit.errors import ConfigError
    from highlit.pipeline import detect_many

    with pytest.raises(ConfigError, match="seed=-1"):  # the library checks it too, before extracting anything
        detect_many([media_dir / "chaplin.mp4"], seed=-1, cache_dir=str(tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


def test_unknown_extractor_fails_once_before_any_work(tmp_path: Path, media_dir: Path) -> None:
    proc = run_cli(str(media_dir / "chaplin.mp4"), "--visual", "clip", "-o", str(tmp_path / "out"))
    assert_clean_failure(proc, "unknown visual extractor 'clip'")
    assert proc.stderr.strip().count("\n") == 0 and not (tmp_path / "out").exists()


def test_bounded_numbers_are_refused_when_parsed(data_dir: Path) -> None:
    for args in (["model-info", "--steps", "-1"], ["model-info", "--dim", "100000000"],
                 ["evaluate", "--root", str(data_dir / "tvsum"), "--window", "100000"]):
        proc = run_cli(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "must be between" in proc.stderr and "Traceback" not in proc.stderr


def test_options_before_the_video_still_mean_detect() -> None:
    assert _normalise_argv(["-o", "out", "a.mp4"]) == ["detect", "-o", "out", "a.mp4"]
    assert _normalise_argv(["--json", "a.mp4"]) == ["detect", "--json", "a.mp4"]
    assert _normalise_argv(["--help"]) == ["--help"]


def test_pretrain_on_a_folder_without_videos(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    proc = run_cli("pretrain", str(tmp_path / "empty"), "-o", str(tmp_path / "run"))
    assert_clean_failure(proc, "no video files found")


def test_a_system_error_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    import warnings

    from highlit import cli, commands

    def refuse(args):  # noqa: ANN001, ANN202
        raise PermissionError(13, "Permission denied", "/some/out.json")

    monkeypatch.setattr(commands, "run_model_info", refuse)
    shown = warnings.showwarning
    try:
        assert cli.main(["model-info"]) == 1
    finally:
        warnings.showwarning = shown
    assert capsys.readouterr().err.strip() == "highlit: error: /some/out.json: Permission denied"


@pytest.mark.slow
def test_same_names_never_collide_and_reruns_complete_the_outputs(tmp_path: Path, media_dir: Path) -> None:
    src = (media_dir / "chaplin.mp4").read_bytes()
    footage = tmp_path / "footage"
    for rel in ("a/clip.mp4", "b/clip.mp4", "clip.mp4", "clip.mov", "odd [final].mp4"):
        (footage / rel).parent.mkdir(parents=True, exist_ok=True)
        (footage / rel).write_bytes(src)
    out = tmp_path / "out"
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    first = run_cli(str(footage), "-o", str(out), "--fit-steps", "5", "--format", "json,csv", env=env)
    assert first.returncode == 0, first.stderr
    results = sorted(str(p.relative_to(out)) for p in out.rglob("*.highlights.json"))
    assert results == ["a/clip.highlights.json", "b/clip.highlights.json", "clip.mov.highlights.json",
                       "clip.mp4.highlights.json", "odd [final].highlights.json"]
    assert str(out / "odd [final].highlights.json") in first.stdout  # printed as is, not as rich markup
    sources = {json.loads(p.read_text())["source"] for p in out.rglob("*.highlights.json")}
    assert len(sources) == 5

    # the same command again: nothing to do; asking for a plot or other segments completes the results
    odd = footage / "odd [final].mp4"
    fit = ["--fit-steps", "5"]
    again = run_cli(str(odd), "-o", str(out), "--json", "--format", "json,csv", *fit, env=env)
    assert json.loads(again.stdout)["results"][0]["status"] == "skipped"
    plot = run_cli(str(odd), "-o", str(out), "--json", "--plot", *fit, env=env)
    doc = json.loads(plot.stdout)["results"][0]
    assert doc["status"] == "updated" and set(doc["outputs"]) == {"plot", "edl", "otio"}
    assert (out / "odd [final].plot.png").is_file()
    stored = json.loads((out / "odd [final].highlights.json").read_text())
    longer = run_cli(str(odd), "-o", str(out), "--json", "--duration", "8s", *fit, env=env)
    doc = json.loads(longer.stdout)["results"][0]
    assert doc["status"] == "updated" and {"json", "plot"} <= set(doc["outputs"])  # no stale plot left
    recut = json.loads((out / "odd [final].highlights.json").read_text())
    assert recut["scores"] == stored["scores"] and recut["segments"] != stored["segments"]
    assert sum(s["end"] - s["start"] for s in recut["segments"]) == pytest.approx(8.0, abs=2.0)

    # what decides the scores changed: redone, not reused
    reseeded = run_cli(str(odd), "-o", str(out), "--json", "--seed", "1", *fit, env=env)
    assert json.loads(reseeded.stdout)["results"][0]["status"] == "ok"
    odd.write_bytes((media_dir / "bigbuckbunny_5s.mp4").read_bytes())
    replaced = run_cli(str(odd), "-o", str(out), "--json", "--seed", "1", *fit, env=env)
    doc = json.loads(replaced.stdout)["results"][0]
    assert doc["status"] == "ok" and doc["highlights"]["duration"] < 6


@pytest.mark.slow
def test_reruns_never_take_another_videos_results_or_their_own_clips(tmp_path: Path, media_dir: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "clip.mp4").write_bytes((media_dir / "chaplin.mp4").read_bytes())
    (folder / "other.mp4").write_bytes((media_dir / "bigbuckbunny_5s.mp4").read_bytes())
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    fit = ["--fit-steps", "5", "--json", "--clips", str(folder / "clips")]
    whole = json.loads(run_cli(str(folder), *fit, env=env).stdout)
    assert [r["status"] for r in whole["results"]] == ["ok", "ok"]
    # the clips written inside the input folder are not read back as inputs
    again = json.loads(run_cli(str(folder), *fit, env=env).stdout)
    assert [r["status"] for r in again["results"]] == ["skipped", "skipped"]
    # nor by a later run that does not name that folder: the clips carry highlit's mark
    plain = run_cli(str(folder), "--fit-steps", "5", "--json", env=env)
    assert [r["status"] for r in json.loads(plain.stdout)["results"]] == ["skipped", "skipped"]
    assert "left out" in plain.stderr and "that highlit cut" in plain.stderr
    # a resumed run fits on the whole folder, done videos included: the same network, the same scores
    before = json.loads((folder / "other.highlights.json").read_text())
    (folder / "other.highlights.json").unlink()
    resumed = json.loads(run_cli(str(folder), *fit, env=env).stdout)
    assert [r["status"] for r in resumed["results"]] == ["skipped", "ok"]
    after = json.loads((folder / "other.highlights.json").read_text())
    assert after["scores"] == before["scores"] and after["model"] == before["model"]
    # another video of the same name in a later run: neither reused nor overwritten
    (folder / "clip.mov").write_bytes((media_dir / "bigbuckbunny_5s.mp4").read_bytes())
    mov = json.loads(run_cli(str(folder / "clip.mov"), *fit, env=env).stdout)["results"][0]
    assert mov["status"] == "ok" and mov["outputs"]["json"].endswith("clip.mov.highlights.json")
    assert json.loads((folder / "clip.highlights.json").read_text())["source"] == str((folder / "clip.mp4").resolve())


@pytest.mark.slow
def test_sigterm_keeps_an_extractions_finished_rows(tmp_path: Path, media_dir: Path) -> None:
    """What `timeout` sends is handled like Ctrl-C: one line, exit 130, and the finished rows kept for the next
    run (a 30 s clip extracted one batch at a time, stopped after its first batches)."""
    import signal

    env = {**os.environ, "HIGHLIT_CACHE": str(tmp_path / "cache"), "HIGHLIT_QUIET": "1"}
    proc = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, highlit.extract as e\n"
        "e.PARTIAL_EVERY = 8\n"
        "from highlit.cli import main\n"
        "import highlit.features.base as b\n"
        "orig = b.VisualExtractor.__call__\n"
        "def slow(self, frames):\n"
        "    print('batch', flush=True); time.sleep(0.3); return orig(self, frames)\n"
        "b.VisualExtractor.__call__ = slow\n"
        f"sys.exit(main(['extract', {str(media_dir / 'big_buck_bunny_0_30.webm')!r}, '--visual', 'pixels']))\n")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for _ in range(4):  # a few batches done
        assert proc.stdout.readline().strip() == "batch"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "highlit: interrupted" in err and "Traceback" not in err
    assert list((tmp_path / "cache").rglob("*.partial/[0-9]*.npy"))


@pytest.mark.slow
def test_a_changed_folder_is_scored_by_one_network(tmp_path: Path, media_dir: Path) -> None:
    """After a video is replaced or added, the videos done before are scored again by the network this run
    fits (their features come from the cache): one folder's results never mix networks."""
    folder = tmp_path / "f"
    folder.mkdir()
    for name, src in (("a.mp4", "chaplin.mp4"), ("b.mp4", "bigbuckbunny_5s.mp4")):
        (folder / name).write_bytes((media_dir / src).read_bytes())
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}

    def run() -> dict[str, str]:
        doc = json.loads(run_cli(str(folder), "--fit-steps", "5", "--json", env=env).stdout)
        return {Path(r["path"]).name: r["status"] for r in doc["results"]}

    def networks(*names: str) -> set[str]:
        return {json.dumps(json.loads((folder / f"{n}.highlights.json").read_text())["model"], sort_keys=True)
                for n in names}

    assert run() == {"a.mp4": "ok", "b.mp4": "ok"}
    assert run() == {"a.mp4": "skipped", "b.mp4": "skipped"}  # nothing changed: nothing redone
    (folder / "c.mp4").write_bytes((media_dir / "smpte-2997.mp4").read_bytes())
    assert run() == {"a.mp4": "ok", "b.mp4": "ok", "c.mp4": "ok"}
    assert len(networks("a", "b", "c")) == 1
    (folder / "c.mp4").write_bytes((media_dir / "chaplin.mp4").read_bytes() + b"\0")  # changed bytes
    assert run() == {"a.mp4": "ok", "b.mp4": "ok", "c.mp4": "ok"} and len(networks("a", "b", "c")) == 1
    # a part of the folder alone reuses what the folder's run made (nothing new to fit)
    doc = json.loads(run_cli(str(folder / "a.mp4"), "--fit-steps", "5", "--json", env=env).stdout)
    assert doc["results"][0]["status"] == "skipped"


def test_detect_refuses_options_it_would_ignore(tmp_path: Path) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"not read: refused before")
    for extra in (["--fit-steps", "5"], ["--fit-preset", "paper"], ["--seed", "2"]):
        assert_clean_failure(run_cli(str(video), "--model", str(tmp_path), *extra), "drop them or --model")
    assert_clean_failure(run_cli(str(video), "--crossfade", "0.5s"), "--crossfade applies to a --reel")


@pytest.mark.slow
def test_a_result_stored_before_timecodes_gets_the_cameras_on_the_next_run(tmp_path: Path) -> None:
    """A folder run reuses a stored result of the same bytes; one written before highlit read start timecodes
    has none, and its timelines are rewritten from the file's, not left counting from 00:00:00:00."""
    from media_factory import make_video

    from highlit.highlights import Highlights
    from highlit.writers import edl

    video = make_video(tmp_path / "cam.mov", seconds=3.0, fps=25, timecode="10:23:11:05")
    env = {"HIGHLIT_CACHE": str(tmp_path / "cache")}
    assert run_cli(str(video), "--fit-steps", "3", env=env).returncode == 0
    stored, timeline = tmp_path / "cam.highlights.json", tmp_path / "cam.edl"
    doc = json.loads(stored.read_text())
    assert doc["start_timecode"] == "10:23:11:05"
    first = edl.render(Highlights.from_dict(doc))
    assert timeline.read_text() == first and " 10:23:1" in first
    del doc["start_timecode"]  # as the older version wrote them
    stored.write_text(json.dumps(doc))
    timeline.write_text(edl.render(Highlights.from_dict(doc)))
    assert " 10:23:1" not in timeline.read_text()
    assert run_cli(str(video), "--fit-steps", "3", env=env).returncode == 0
    assert json.loads(stored.read_text())["start_timecode"] == "10:23:11:05"
    assert timeline.read_text() == first


def test_a_run_that_writes_nothing_leaves_no_empty_output_folder(tmp_path: Path, media_dir: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    proc = run_cli(str(text), "-o", str(tmp_path / "new" / "out"), env={"HIGHLIT_CACHE": str(tmp_path / "c")})
    assert proc.returncode == 1 and "not a media file" in proc.stderr
    assert not (tmp_path / "new").exists()
    proc = run_cli(str(media_dir / "chaplin.mp4"), "-o", str(tmp_path / "new"), "--reel", str(tmp_path / "reel"))
    assert_clean_failure(proc, "suffix-less")  # -o was made and proved writable before --reel was refused
    assert not (tmp_path / "new").exists()
    (tmp_path / "kept").mkdir()
    run_cli(str(text), "-o", str(tmp_path / "kept"), env={"HIGHLIT_CACHE": str(tmp_path / "c")})
    assert (tmp_path / "kept").is_dir()  # a folder that was there before is never removed
