"""Pretraining (Algorithm 1): exact resume, determinism, no-audio clips, sampling, fit-on-input."""

from __future__ import annotations

import json
import math
import os
import signal
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from highlit.checkpoint import load_checkpoint, read_checkpoint
from highlit.datasets import VideoFeatures
from highlit.errors import CheckpointError, ConfigError, FeatureError
from highlit.model import ModelConfig
from highlit.sampler import Batch, WindowSampler, cyclic_window, split_clips, window_steps, windows_per_video
from highlit.train import (
    TrainConfig,
    _Stepper,
    batch_losses,
    default_threads,
    fit_on_input,
    pretrain,
    resumed_train_config,
)
from highlit.trainlog import LOG_NAME, PLOT_NAME, read_log

DIM = 12
EXTRACTORS = {"visual": {"name": "toy-visual", "dim": DIM, "version": "1"},
              "audio": {"name": "toy-audio", "dim": DIM, "version": "1"}}


def tiny_cfg(**changes) -> ModelConfig:
    """The real RASLNet at toy width: every loss term of the literal preset runs, a step takes milliseconds."""
    return ModelConfig.preset("paper", visual_dim=DIM, audio_dim=DIM, window=16, enc_channels=(8, 8, 8),
                              attn_dim=8, psi_channels=8, kpoint_dim=8, fusion_dim=8, **changes)


def make_videos(n: int = 8, seed: int = 0, audio_every: int | None = 3) -> list[VideoFeatures]:
    """Videos of mixed length (shorter and longer than a window); every ``audio_every``-th has no audio."""
    rng = np.random.default_rng(seed)
    videos = []
    for i in range(n):
        steps = int(rng.integers(5, 40))
        visual = rng.random((steps, DIM), dtype=np.float32)
        no_audio = audio_every is None or i % audio_every == 0
        audio = None if no_audio else rng.random((steps, DIM), dtype=np.float32)
        labels = rng.integers(-1, 2, steps).astype(np.float32)
        videos.append(VideoFeatures(f"vid{i:02d}", "toy", visual, audio, labels))
    return videos


def quick_cfg(**changes) -> TrainConfig:
    base = {"steps": 10, "batch_size": 4, "checkpoint_every": 4, "val_every": 5, "threads": 1,
            "val_fraction": 0.25, "seed": 3}
    return TrainConfig(**{**base, **changes})


def weights(path) -> dict[str, torch.Tensor]:
    return read_checkpoint(path)[0]


def train_losses(out_dir) -> list[tuple[int, float]]:
    return [(r["step"], r["loss"]) for r in read_log(out_dir / LOG_NAME) if r["kind"] == "train"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """One uninterrupted run that the resume and determinism tests compare against."""
    out = tmp_path_factory.mktemp("reference")
    path = pretrain(make_videos(), tiny_cfg(), quick_cfg(), out, extractors=EXTRACTORS)
    return out, path


@pytest.mark.slow  # builds the shared reference run
def test_run_writes_checkpoint_log_and_plot(reference):
    out, path = reference
    model, meta = load_checkpoint(path)
    assert meta["step"] == 10 and meta["model_config"] == tiny_cfg().to_dict()
    assert meta["extractors"] == EXTRACTORS and meta["train_config"]["lr"] == 1e-3
    assert meta["data"]["no_audio_clips"] == 3 and meta["data"]["val_clips"] == 2
    records = read_log(out / LOG_NAME)
    steps = [r["step"] for r in records if r["kind"] == "train"]
    assert steps == list(range(1, 11))
    first = next(r for r in records if r["kind"] == "train")
    assert {"e_v", "r_v", "au_v"} <= set(first["terms"])
    assert all(math.isfinite(v) for v in first["terms"].values())
    assert [r["step"] for r in records if r["kind"] == "val"] == [5, 10]
    info = next(r for r in records if r["kind"] == "info")
    assert info["no_audio_clips"] == 3
    summary = records[-1]
    assert summary["kind"] == "summary" and summary["clips_per_s"] > 0
    assert (out / PLOT_NAME).stat().st_size > 1000


@pytest.mark.slow
def test_same_seed_same_losses(reference, tmp_path):
    out, path = reference
    pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS)
    assert train_losses(tmp_path) == train_losses(out)
    a, b = weights(path), weights(tmp_path)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_other_seed_other_losses(reference, tmp_path):
    pretrain(make_videos(), tiny_cfg(), quick_cfg(seed=4, steps=3), tmp_path, extractors=EXTRACTORS)
    assert train_losses(tmp_path) != train_losses(reference[0])[:3]


class Crash(Exception):
    pass


@pytest.mark.slow
@pytest.mark.parametrize("error", [Crash, KeyboardInterrupt])
def test_resume_after_crash_matches_uninterrupted_run(reference, tmp_path, error):
    """A crash at step 7 falls back to the step-4 checkpoint; Ctrl-C saves step 7. Both end identical."""

    def crash_at_7(step, record):
        if step == 7:
            raise error

    with pytest.raises(error):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS, on_step=crash_at_7)
    saved = read_checkpoint(tmp_path)[1]["step"]
    assert saved == (7 if error is KeyboardInterrupt else 4)
    path = pretrain(make_videos(), None, quick_cfg(), tmp_path, resume=True, extractors=EXTRACTORS)
    ref, got = weights(reference[1]), weights(path)
    assert all(torch.equal(ref[k], got[k]) for k in ref)
    assert train_losses(tmp_path) == train_losses(reference[0])  # the log reads like one run
    assert len(list(tmp_path.glob("train_state-*.pt"))) == 1


def test_ctrl_c_finishes_the_step_then_saves(reference, tmp_path):
    """A real SIGINT mid-run: the handler lets the step finish, saves it, then raises KeyboardInterrupt."""

    def press_ctrl_c(step, record):
        if step == 3:
            os.kill(os.getpid(), signal.SIGINT)

    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS, on_step=press_ctrl_c)
    assert signal.getsignal(signal.SIGINT) is before
    assert read_checkpoint(tmp_path)[1]["step"] == 3
    assert train_losses(tmp_path) == train_losses(reference[0])[:3]


@pytest.mark.slow
def test_resume_extends_a_finished_run(reference, tmp_path):
    """Training 10 steps then resuming to 12 equals 12 straight steps for the first 10."""
    pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=4), tmp_path, extractors=EXTRACTORS)
    pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=6), tmp_path, resume=True, extractors=EXTRACTORS)
    assert train_losses(tmp_path) == train_losses(reference[0])[:6]


def test_resume_refuses_a_different_run(reference, tmp_path):
    pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=2), tmp_path, extractors=EXTRACTORS)
    with pytest.raises(ConfigError, match="already holds a checkpoint"):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=2), tmp_path, extractors=EXTRACTORS)
    with pytest.raises(ConfigError, match="lr"):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(lr=1e-4), tmp_path, resume=True, extractors=EXTRACTORS)
    with pytest.raises(ConfigError, match="model config differs in k"):
        pretrain(make_videos(), tiny_cfg(k=2), quick_cfg(), tmp_path, resume=True, extractors=EXTRACTORS)
    with pytest.raises(ConfigError, match="inputs differ"):
        pretrain(make_videos(seed=1), None, quick_cfg(), tmp_path, resume=True, extractors=EXTRACTORS)


def test_clips_without_audio_train_the_visual_branch(tmp_path):
    videos = make_videos(audio_every=None)  # no video has audio
    path = pretrain(videos, tiny_cfg(), quick_cfg(steps=3, val_fraction=0.0), tmp_path, extractors=EXTRACTORS)
    torch.manual_seed(3)  # pretrain seeds init with the train seed: rebuild the same initial weights
    from highlit.model import RASLNet

    init = RASLNet(tiny_cfg()).state_dict()
    trained = weights(path)
    changed = {k for k in init if not torch.equal(init[k], trained[k])}
    assert any(k.startswith("branches.visual.") for k in changed)
    assert not any(k.startswith("branches.audio.") for k in changed)
    records = read_log(tmp_path / LOG_NAME)
    assert next(r for r in records if r["kind"] == "info")["no_audio_clips"] == len(videos)
    train = [r for r in records if r["kind"] == "train"]
    assert all(r["no_audio"] == 4 and "s" not in r["terms"] and "e_a" not in r["terms"] for r in train)


def test_bad_features_are_rejected_before_training(tmp_path):
    videos = make_videos()
    bad = VideoFeatures("bad", "toy", np.zeros((20, DIM + 1), np.float32), None)
    with pytest.raises(FeatureError, match="bad: visual features have dimension 13"):
        pretrain([*videos, bad], tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS)
    wrong = {**EXTRACTORS, "visual": {**EXTRACTORS["visual"], "dim": 99}}
    with pytest.raises(FeatureError, match="99-d features"):
        pretrain(videos, tiny_cfg(), quick_cfg(), tmp_path, extractors=wrong)
    with pytest.raises(ConfigError, match="steps or epochs"):
        TrainConfig(steps=3, epochs=1.0)


def test_epochs_set_the_number_of_steps():
    videos = make_videos()
    sampler = WindowSampler(videos, 16, 4, seed=0)
    assert sampler.windows_per_epoch == sum(math.ceil(v.n_steps / 16) for v in videos)
    assert TrainConfig(epochs=2.0, batch_size=4).total_steps(sampler.windows_per_epoch) == \
        math.ceil(2 * sampler.windows_per_epoch / 4)


# --------------------------------------------------------------------------- sampler

@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), start=st.integers(0, 200), window=st.integers(1, 50))
def test_window_is_the_video_repeated_then_clipped(n, start, window):
    """The paper's padding: concatenate the video with itself until long enough, then clip."""
    video = np.arange(n)
    repeated = np.tile(video, (start + window) // n + 2)
    assert np.array_equal(video[cyclic_window(n, start, window)], repeated[start % n:start % n + window])


def test_an_epoch_covers_every_video_once_per_window():
    videos = make_videos(6)
    sampler = WindowSampler(videos, 16, 1, seed=5)
    counts: dict[int, int] = {}
    for _ in range(sampler.windows_per_epoch):
        sampler.next_batch()
    for vi, _start in sampler._epoch_plan(0):
        counts[vi] = counts.get(vi, 0) + 1
    assert counts == {i: windows_per_video(v.n_steps, 16) for i, v in enumerate(videos)}
    assert sampler.state == {"epoch": 1, "pos": 0}


def test_sampler_state_replays_the_same_batches():
    videos = make_videos()
    a = WindowSampler(videos, 16, 3, seed=1)
    for _ in range(5):
        a.next_batch()
    b = WindowSampler(videos, 16, 3, seed=1, state=a.state)
    for _ in range(6):
        x, y = a.next_batch(), b.next_batch()
        assert torch.equal(x.visual, y.visual) and torch.equal(x.has_audio, y.has_audio)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), start=st.integers(0, 200), window=st.integers(1, 50))
def test_fill_none_never_repeats_or_wraps(n, start, window):
    """fill='none': the cyclic window's steps (the whole video if shorter), cut where it would wrap round the
    end, so each piece is consecutive steps and no step comes twice."""
    pieces = window_steps(n, start, window, "none")
    steps = np.concatenate(pieces)
    assert len(steps) == len(set(steps.tolist())) == min(n, window)
    assert all(np.array_equal(p, np.arange(p[0], p[0] + len(p))) and p[-1] < n for p in pieces)
    if n > window:
        assert set(steps.tolist()) == set(cyclic_window(n, start, window).tolist())


def test_fill_none_batches_group_windows_by_length():
    videos = make_videos(8)
    sampler = WindowSampler(videos, 16, 6, seed=2, fill="none")
    batch = sampler.next_batch()
    lengths = [p.visual.shape[1] for p in batch.parts]
    assert batch.size >= 6 and len(lengths) > 1  # a window cut at a video's end counts twice
    assert all(t <= 16 for t in lengths)

    def consecutive_rows(w: np.ndarray) -> bool:
        return any(np.array_equal(v.visual[a:a + len(w)], w) for v in videos for a in range(v.n_steps))

    assert all(consecutive_rows(w.numpy()) for part in batch.parts for w in part.visual)
    short = [v for v in videos if v.n_steps < 16]
    whole = WindowSampler(short, 16, len(short), seed=2, fill="none").next_batch()
    got = sorted(w.numpy().tobytes() for part in whole.parts for w in part.visual)
    assert got == sorted(v.visual.tobytes() for v in short)  # a short video's window is the video itself, once
    with pytest.raises(ValueError, match="lengths"):
        _ = batch.visual
    with pytest.raises(ConfigError, match="fill"):
        WindowSampler(videos, 16, 6, seed=2, fill="loop")
    with pytest.raises(ConfigError, match="fill"):
        TrainConfig(fill="loop")


def test_batch_losses_are_means_over_the_windows_that_have_each_term():
    """Windows of several lengths, some without audio: each term is the mean over the windows that have it, as
    one batch of one length would give (compared with the windows padded to one length by repeating, where the
    network sees other inputs, so the check is on the per-window values the model reports)."""
    from highlit.model.network import RASLNet

    torch.manual_seed(0)
    model = RASLNet(tiny_cfg(aux_task=False, scl_negatives="time"))
    batch = WindowSampler(make_videos(8, audio_every=2), 16, 6, seed=2, fill="none").next_batch()
    assert len(batch.parts) > 1 and 0 < batch.no_audio < batch.size
    total, terms = batch_losses(model, batch, model.cfg)
    per = [model(*p) for p in batch.parts]
    for name in terms:
        have = [(losses.counts[name], losses.terms[name]) for losses in per if name in losses.terms]
        expected = sum(n * v for n, v in have) / sum(n for n, _ in have)
        assert torch.allclose(terms[name], expected), name
    audio_windows = sum(int(p.has_audio.sum()) for p in batch.parts)
    assert sum(losses.counts.get("s", 0) for losses in per) == audio_windows
    assert torch.allclose(total, model.total_loss(terms))
    one = Batch(batch.parts[:1], {}, 0.0)
    assert torch.allclose(batch_losses(model, one, model.cfg)[0], per[0].total)


@pytest.mark.slow
def test_pretrain_with_fill_none_runs_and_resumes(tmp_path):
    path = pretrain(make_videos(), tiny_cfg(), quick_cfg(fill="none", steps=6), tmp_path / "a", extractors=EXTRACTORS)
    meta = read_checkpoint(path)[1]
    assert meta["train_config"]["fill"] == "none" and meta["step"] == 6
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(fill="none", steps=6), tmp_path / "b", extractors=EXTRACTORS,
                 on_step=lambda step, record: (_ for _ in ()).throw(KeyboardInterrupt) if step == 3 else None)
    resumed = pretrain(make_videos(), None, quick_cfg(fill="none", steps=6), tmp_path / "b", resume=True,
                       extractors=EXTRACTORS)
    a, b = weights(path), weights(resumed)
    assert all(torch.equal(a[k], b[k]) for k in a)
    with pytest.raises(ConfigError, match="fill"):  # a resumed run keeps its fill
        pretrain(make_videos(), None, quick_cfg(fill="repeat", steps=8), tmp_path / "b", resume=True,
                 extractors=EXTRACTORS)


def test_split_holds_out_whole_videos_reproducibly():
    videos = make_videos(10)
    train, val = split_clips(videos, 0.2, seed=7)
    assert len(val) == 2 and len(train) == 8
    assert {v.video_id for v in train}.isdisjoint({v.video_id for v in val})
    val_again = split_clips(list(reversed(videos)), 0.2, seed=7)[1]
    assert {v.video_id for v in val_again} == {v.video_id for v in val}
    assert split_clips(videos[:1], 0.5, seed=0) == (videos[:1], [])


# --------------------------------------------------------------------------- fit on input

def test_fit_on_input_learns_without_touching_the_callers_rng():
    videos = make_videos(3)
    torch.manual_seed(123)
    before = torch.get_rng_state()
    model = fit_on_input(videos, tiny_cfg(), steps=5, seed=0, threads=1)
    assert torch.equal(torch.get_rng_state(), before)
    assert not model.training
    again = fit_on_input(videos, tiny_cfg(), steps=5, seed=0, threads=1)
    x = torch.from_numpy(videos[0].visual[None, :16])
    assert torch.equal(model.score(x), again.score(x))
    torch.manual_seed(0)
    from highlit.model import RASLNet

    untrained = RASLNet(tiny_cfg())
    assert not torch.equal(model.score(x), untrained.eval().score(x))
    sized = fit_on_input(videos, tiny_cfg(), steps=5, seed=0, threads=1, batch_size=None)  # fewer windows
    assert not torch.equal(model.score(x), sized.score(x))


def test_log_lines_are_json(reference):
    for line in (reference[0] / LOG_NAME).read_text().splitlines():
        json.loads(line)


def test_loss_plot_clips_rare_spikes_only():
    from highlit.trainlog import _clip_spikes

    smooth = [1.0 / (1 + i) for i in range(50)]
    assert _clip_spikes(smooth) is None
    low, high = _clip_spikes([*smooth[:2], 500.0, *smooth[2:]])
    assert high < 5 and low < min(smooth)


# --------------------------------------------------------------------------- resume settings, signals, failed runs

def test_resume_without_settings_continues_the_checkpoints_run(reference, tmp_path):
    """train_cfg=None on resume means the checkpoint's settings (target, lr, batch...), not the defaults."""

    def ctrl_c_at_3(step, record):
        if step == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS, on_step=ctrl_c_at_3)
    path = pretrain(make_videos(), None, None, tmp_path, resume=True, extractors=EXTRACTORS)
    meta = read_checkpoint(path)[1]
    assert meta["step"] == 10 and meta["train_config"] == quick_cfg().to_dict()
    ref, got = weights(reference[1]), weights(path)
    assert all(torch.equal(ref[k], got[k]) for k in ref)


def test_resumed_train_config_keeps_what_is_not_given():
    saved = quick_cfg(steps=30, lr=5e-4, seed=7).to_dict()
    assert resumed_train_config(saved, {}) == quick_cfg(steps=30, lr=5e-4, seed=7)
    assert resumed_train_config(saved, {"threads": 2, "lr": 0.01}) == quick_cfg(steps=30, lr=0.01, seed=7, threads=2)
    by_epochs = resumed_train_config(saved, {"epochs": 2.0})  # a new target replaces the old one, either kind
    assert by_epochs.steps is None and by_epochs.epochs == 2.0 and by_epochs.lr == 5e-4
    assert resumed_train_config({**saved, "epochs": 1.5, "steps": None}, {"steps": 4}).epochs is None
    for bad in ([1, 2], {**saved, "lr": "fast"}, {**saved, "bogus": 1}):
        with pytest.raises(CheckpointError, match="train config"):
            resumed_train_config(bad, {}, where="run/checkpoint.safetensors")


def test_sigterm_finishes_the_step_saves_and_restores_the_handlers(reference, tmp_path, capsys):
    """What `timeout` or a scheduler sends: handled like Ctrl-C, not a silent loss of every step since a save."""

    def send_sigterm(step, record):
        if step == 3:
            os.kill(os.getpid(), signal.SIGTERM)

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS, on_step=send_sigterm)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
    assert read_checkpoint(tmp_path)[1]["step"] == 3
    assert train_losses(tmp_path) == train_losses(reference[0])[:3]
    err = capsys.readouterr().err
    assert f"interrupted: checkpoint saved at step 3 in {tmp_path}; continue with --resume" in err


def test_interrupt_mid_step_says_whether_a_checkpoint_exists(tmp_path, monkeypatch, capsys):
    """A second Ctrl-C inside a step: before any checkpoint there is none to keep (and no folder is left)."""
    real_step = _Stepper.step

    def second_ctrl_c_at(n):
        def step(self, batch, step):
            if step == n:
                raise KeyboardInterrupt
            return real_step(self, batch, step)
        return step

    monkeypatch.setattr(_Stepper, "step", second_ctrl_c_at(1))
    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), out, extractors=EXTRACTORS)
    assert "interrupted mid-step: no checkpoint was saved yet" in capsys.readouterr().err
    assert not out.exists()
    monkeypatch.setattr(_Stepper, "step", second_ctrl_c_at(6))
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), out, extractors=EXTRACTORS)
    assert f"interrupted mid-step: the last checkpoint ({out}, step 4) is kept" in capsys.readouterr().err


def test_a_failed_run_leaves_no_trace_and_no_torch_warning(tmp_path):
    """Diverging at step 2 (before any checkpoint): no half-made run; a folder that existed is kept."""
    new = tmp_path / "new" / "run"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ConfigError, match="training diverged at step 2"):
            pretrain(make_videos(), tiny_cfg(), quick_cfg(lr=1e9), new, extractors=EXTRACTORS)
    assert not (tmp_path / "new").exists()
    assert [str(w.message) for w in caught] == []  # no "Converting a tensor with requires_grad=True"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(ConfigError, match="diverged"):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(lr=1e9), mine, extractors=EXTRACTORS)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("error", [MemoryError("Unable to allocate 114. GiB"),
                                   RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 9")])
def test_out_of_memory_is_one_line_and_leaves_no_folder(tmp_path, monkeypatch, error):
    def no_memory(self, batch, step):
        raise error

    monkeypatch.setattr(_Stepper, "step", no_memory)
    with pytest.raises(ConfigError, match=r"out of memory at step 1 with batch size 4 .*--batch-size"):
        pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path / "run", extractors=EXTRACTORS)
    assert not (tmp_path / "run").exists()


def test_stale_part_files_are_removed_when_a_run_resumes(tmp_path, capsys):
    """A kill during a save leaves a hidden temporary file as large as the model: the next run there removes it."""
    pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=2), tmp_path, extractors=EXTRACTORS)
    stale = [tmp_path / ".train_state-00000004.part.k2j3.pt", tmp_path / ".checkpoint.part.x1.safetensors",
             tmp_path / ".train_log.part.q.jsonl"]
    kept = [tmp_path / "notes.part.txt", tmp_path / ".other.part.x.pt"]  # not names a run writes
    for f in stale + kept:
        f.write_bytes(b"x" * 100)
    pretrain(make_videos(), None, quick_cfg(steps=3), tmp_path, resume=True, extractors=EXTRACTORS)
    assert not any(f.exists() for f in stale) and all(f.exists() for f in kept)
    assert "removed 3 temporary file(s)" in capsys.readouterr().err


def test_summary_counts_videos_without_audio(tmp_path, capsys):
    pretrain(make_videos(), tiny_cfg(), quick_cfg(steps=1), tmp_path, extractors=EXTRACTORS)
    assert "3 of 8 videos have no audio" in capsys.readouterr().err


def test_thread_settings_are_bounded(monkeypatch):
    with pytest.raises(ConfigError, match="threads=100000"):
        TrainConfig(threads=100_000)
    monkeypatch.setenv("HIGHLIT_THREADS", "100000")
    with pytest.raises(ConfigError, match="HIGHLIT_THREADS='100000'"):
        default_threads()


def test_a_stop_on_the_last_step_is_a_finished_run(tmp_path, capsys):
    """SIGTERM (or Ctrl-C) that arrives during the last step: the target is reached, so no 'continue with
    --resume' and no failure exit for a scheduler to misread."""

    def send_sigterm(step, record):
        if step == 10:
            os.kill(os.getpid(), signal.SIGTERM)

    path = pretrain(make_videos(), tiny_cfg(), quick_cfg(), tmp_path, extractors=EXTRACTORS, on_step=send_sigterm)
    assert read_checkpoint(path)[1]["step"] == 10
    assert "--resume" not in capsys.readouterr().err


def test_a_dead_kpoint_term_is_reported_once() -> None:
    """Batch means of ln 2, or 7/8 of it (one clip in eight still contrasting), for 20 steps: told once, naming the
    term; a falling term, or one that only passes near ln 2, is never reported."""
    import math

    from highlit.train import DEAD_KPOINT_STEPS, _DeadKpointWatch

    watch, ln2 = _DeadKpointWatch(), math.log(2)
    said = [watch({"e_v": 0.1, "r_v": ln2 if i % 3 else 7 / 8 * ln2, "r_a": 0.3}) for i in range(3 * DEAD_KPOINT_STEPS)]
    told = [i for i, s in enumerate(said) if s is not None]
    assert told == [DEAD_KPOINT_STEPS - 1] and "r_v" in said[told[0]] and "r_a" not in said[told[0]]
    healthy = _DeadKpointWatch()
    falling = [0.32 * 0.9 ** i for i in range(100)]
    assert all(healthy({"r_v": v}) is None for v in [ln2] * (DEAD_KPOINT_STEPS // 2) + falling)
