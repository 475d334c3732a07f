"""The teacher of kpoint_select='teacher' (highlit.teacher): what it ranks, and pretraining under it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from test_train import EXTRACTORS, make_videos, quick_cfg, tiny_cfg, weights

from highlit.checkpoint import load_checkpoint, read_checkpoint
from highlit.errors import CheckpointError, ConfigError
from highlit.model import RASLNet
from highlit.teacher import Prototype, Teacher, fit_prototype, load_teacher, window_ranks
from highlit.train import TrainConfig, fit_on_input, pretrain


def student_cfg(**changes):
    return tiny_cfg(kpoint_select="teacher", score_activation="softmax", stride=1, **changes)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=30))
def test_window_ranks_are_mean_ranks_scaled_to_unit_range(values: list[int]) -> None:
    """Ties included (a short video repeated to fill its window repeats its magnitudes): equal values share their
    mean rank, so no copy is preferred by its position; otherwise the order is the values' order."""
    r = window_ranks(torch.tensor([values], dtype=torch.float64))[0].numpy()
    n = len(values)
    want = [(sum(w < v for w in values) + (values.count(v) - 1) / 2) / max(n - 1, 1) for v in values]
    assert r == pytest.approx(want)
    assert r.min() >= 0 and r.max() <= 1 and r.mean() == pytest.approx(0.5 if n > 1 else 0.0)
    if len(set(values)) == n:
        assert np.argsort(r).tolist() == np.argsort(values).tolist()


class FixedScore(torch.nn.Module):
    """A stand-in network whose s is the given vector, whatever the input."""

    def __init__(self, s: torch.Tensor) -> None:
        super().__init__()
        self.s = s

    def score(self, visual: torch.Tensor) -> torch.Tensor:
        return self.s.expand(visual.shape[0], -1)


def test_the_mix_is_the_norm_rank_and_the_teachers_rank_by_share() -> None:
    norm = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
    visual = norm[None, :, None] * torch.ones(2, 5, 3)  # |rho| rises along the window
    s = torch.tensor([5.0, 4.0, 3.0, 2.0, 1.0])  # s falls
    alone = Teacher(FixedScore(s), share=1.0)(visual)
    assert alone.argmax(-1).tolist() == [0, 0] and alone.shape == (2, 5)
    third = Teacher(FixedScore(s), share=1 / 3)(visual)
    assert third.argmax(-1).tolist() == [4, 4]  # the norm's rank weighs twice the teacher's
    torch.testing.assert_close(third[0], (2 / 3) * torch.linspace(0, 1, 5) + (1 / 3) * torch.linspace(1, 0, 5))
    for bad in (0.0, 1.5, -0.2):
        with pytest.raises(ConfigError, match="share"):
            Teacher(FixedScore(s), share=bad)
        with pytest.raises(ConfigError, match="teacher_share"):
            TrainConfig(teacher="x", teacher_share=bad)


def test_a_teacher_draws_no_random_numbers_and_takes_no_gradient() -> None:
    torch.manual_seed(0)
    teacher = Teacher(RASLNet(tiny_cfg(stride=1)), share=0.5)
    visual = torch.rand(2, 16, tiny_cfg().visual_dim)
    state = torch.get_rng_state()
    teacher(visual)
    assert torch.equal(state, torch.get_rng_state())
    assert not any(p.requires_grad for p in teacher.model.parameters())  # the student's optimizer never moves it


@pytest.fixture(scope="module")
def teacher_ckpt(tmp_path_factory):
    out = tmp_path_factory.mktemp("teacher")
    return pretrain(make_videos(), tiny_cfg(kpoint_select="norm", score_activation="softmax", stride=1),
                    quick_cfg(steps=3, val_fraction=0.0), out, extractors=EXTRACTORS)


@pytest.mark.slow
def test_pretraining_under_a_teacher_records_it_and_resumes_exactly(teacher_ckpt, tmp_path) -> None:
    cfg = quick_cfg(steps=6, teacher=str(teacher_ckpt), teacher_share=0.5)
    path = pretrain(make_videos(), student_cfg(), cfg, tmp_path / "a", extractors=EXTRACTORS)
    meta = read_checkpoint(path)[1]
    assert meta["teacher"] == {"path": str(teacher_ckpt),
                               "weights_sha256": read_checkpoint(teacher_ckpt)[1]["weights_sha256"]}
    assert meta["train_config"]["teacher_share"] == 0.5
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), student_cfg(), cfg, tmp_path / "b", extractors=EXTRACTORS,
                 on_step=lambda step, record: (_ for _ in ()).throw(KeyboardInterrupt) if step == 3 else None)
    resumed = pretrain(make_videos(), None, None, tmp_path / "b", resume=True, extractors=EXTRACTORS)
    a, b = weights(path), weights(resumed)
    assert all(torch.equal(a[k], b[k]) for k in a)
    other = pretrain(make_videos(), student_cfg(), quick_cfg(steps=6, teacher=str(teacher_ckpt), teacher_share=1.0),
                     tmp_path / "c", extractors=EXTRACTORS)
    assert not all(torch.equal(a[k], weights(other)[k]) for k in a)  # the teacher's share reaches the training
    model, _ = load_checkpoint(path)
    assert torch.isfinite(model.score(torch.rand(1, 20, tiny_cfg().visual_dim))).all()  # scoring needs no teacher


@pytest.mark.slow
def test_pretraining_under_a_teacher_leaves_the_callers_random_numbers_alone(teacher_ckpt, tmp_path) -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    pretrain(make_videos(), student_cfg(), quick_cfg(steps=2, teacher=str(teacher_ckpt)), tmp_path / "run",
             extractors=EXTRACTORS)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.slow
def test_a_moved_teacher_resumes_by_its_new_path(teacher_ckpt, tmp_path) -> None:
    old, new = tmp_path / "old.safetensors", tmp_path / "new.safetensors"
    old.write_bytes(teacher_ckpt.read_bytes())
    pretrain(make_videos(), student_cfg(), quick_cfg(steps=2, teacher=str(old)), tmp_path / "run",
             extractors=EXTRACTORS)
    old.rename(new)
    with pytest.raises(CheckpointError, match="pass --teacher with its new path") as err:
        pretrain(make_videos(), None, quick_cfg(steps=4, teacher=str(old)), tmp_path / "run", resume=True,
                 extractors=EXTRACTORS)
    assert "\n" not in str(err.value)
    path = pretrain(make_videos(), None, quick_cfg(steps=4, teacher=str(new)), tmp_path / "run", resume=True,
                    extractors=EXTRACTORS)
    assert read_checkpoint(path)[1]["step"] == 4


@pytest.mark.slow
def test_a_changed_teacher_stops_a_resume(teacher_ckpt, tmp_path) -> None:
    copy = tmp_path / "teacher.safetensors"
    copy.write_bytes(teacher_ckpt.read_bytes())
    cfg = quick_cfg(steps=4, teacher=str(copy))
    pretrain(make_videos(), student_cfg(), cfg, tmp_path / "run", extractors=EXTRACTORS)
    pretrain(make_videos(), tiny_cfg(kpoint_select="norm", score_activation="softmax", stride=1),
             quick_cfg(steps=3, val_fraction=0.0, seed=9), tmp_path / "other", extractors=EXTRACTORS)
    copy.write_bytes((tmp_path / "other" / "checkpoint.safetensors").read_bytes())
    with pytest.raises(ConfigError, match="holds other weights"):
        pretrain(make_videos(), None, quick_cfg(steps=6, teacher=str(copy)), tmp_path / "run", resume=True,
                 extractors=EXTRACTORS)


@pytest.mark.parametrize("student, teacher, error, needle", [
    ("teacher", None, ConfigError, "give its checkpoint"),
    ("norm", "ckpt", ConfigError, "needs model config kpoint_select='teacher'"),
    ("teacher", "missing", CheckpointError, "missing.safetensors"),
])
def test_a_student_and_its_teacher_must_agree_before_any_folder_is_made(teacher_ckpt, tmp_path, student, teacher,
                                                                       error, needle) -> None:
    path = {"ckpt": str(teacher_ckpt), "missing": str(tmp_path / "missing.safetensors"), None: None}[teacher]
    cfg = tiny_cfg(kpoint_select=student, score_activation="softmax", stride=1)
    with pytest.raises(error, match=needle) as err:
        pretrain(make_videos(), cfg, quick_cfg(teacher=path), tmp_path / "run", extractors=EXTRACTORS)
    assert "\n" not in str(err.value) and not (tmp_path / "run").exists()


@pytest.mark.parametrize("changes, needle", [({"modalities": "audio"}, "its audio branch"),
                                             ({"fusion": "concat"}, "a fused branch")])
def test_a_teacher_must_score_the_visual_features_alone(tmp_path, changes, needle) -> None:
    out = pretrain(make_videos(audio_every=None if changes.get("modalities") != "audio" else 100),
                   tiny_cfg(stride=1, **changes), quick_cfg(steps=1, val_fraction=0.0), tmp_path / "t",
                   extractors=EXTRACTORS)
    with pytest.raises(CheckpointError, match=needle):
        load_teacher(out, 0.5, visual_dim=12)


def test_a_teacher_must_read_the_students_visual_features(teacher_ckpt) -> None:
    with pytest.raises(CheckpointError, match="reads 12-d visual features, the student 20-d"):
        load_teacher(teacher_ckpt, 0.5, visual_dim=20)
    other = {"visual": {**EXTRACTORS["visual"], "name": "other-visual"}}
    with pytest.raises(CheckpointError, match="trained on visual features from"):
        load_teacher(teacher_ckpt, 0.5, visual_dim=12, extractors=other)


# ----------------------------------------------------------------------------- kpoint_select='prototype' (round 25)
def test_the_prototype_points_from_small_steps_to_large_ones_and_ranks_by_direction_alone() -> None:
    """Large steps point along e0, small ones along e1: the fitted direction is e0 - e1 (unit length), and a
    step's ranking is read from its direction, so a small step along e0 outranks a large step along e1."""
    rng = np.random.default_rng(0)
    videos = []
    for n in (10, 25, 40):
        size = rng.permutation(np.linspace(1.0, 5.0, n))
        big = size > np.quantile(size, 0.5)
        rows = np.where(big[:, None], np.eye(4)[0], np.eye(4)[1]) * size[:, None]
        videos.append(rows + 0.01 * rng.random((n, 4)))
    proto = fit_prototype(videos)
    assert proto.direction.numpy() == pytest.approx(np.array([1, -1, 0, 0]) / np.sqrt(2), abs=0.02)
    steps = torch.tensor([[[0.1, 0, 0, 0], [9.0, 0, 0, 0], [0, 9.0, 0, 0], [0, 0, 3.0, 0]]])
    order = proto(steps)[0]
    assert order[0] == pytest.approx(order[1].item())  # magnitude does not count
    assert order[0] > order[3] > order[2]
    assert Prototype(proto.direction.numpy()).weights_sha256 == proto.weights_sha256


@pytest.mark.parametrize("videos, fraction, needle", [
    ([np.ones((1, 4))], 0.2, "two or more steps"),
    ([np.ones((6, 4))], 0.2, "same way"),
    ([np.random.default_rng(0).random((6, 4))], 0.7, "fraction"),
    ([np.random.default_rng(0).random((6, 4))], 0.0, "fraction"),
])
def test_a_prototype_that_cannot_be_fitted_says_why(videos, fraction, needle) -> None:
    with pytest.raises(ConfigError, match=needle):
        fit_prototype(videos, fraction)


def test_at_half_the_median_step_of_an_odd_video_is_neither_large_nor_small() -> None:
    """Five steps along e0..e4 with rising length: at fraction 0.5 the two largest minus the two smallest; the
    median step (e2) is in neither group, so the direction has no e2 component."""
    rows = np.eye(5) * np.arange(1.0, 6.0)[:, None]
    direction = fit_prototype([rows], fraction=0.5).direction.numpy()
    assert direction == pytest.approx(np.array([-1, -1, 0, 1, 1]) / 2, abs=1e-6)


def test_the_prototypes_ranking_is_what_chooses_the_k_points() -> None:
    """Given the same weights and the same ranking, 'prototype' and 'teacher' give the same Eq. (8) term, and a
    reversed ranking another one: the order passed in, not the norm or s, chooses Phi_k / Pi_k."""
    torch.manual_seed(0)
    proto = RASLNet(tiny_cfg(kpoint_select="prototype", score_activation="softmax", stride=1))
    taught = RASLNet(student_cfg())
    taught.load_state_dict(proto.state_dict())
    visual = torch.rand(2, 16, proto.cfg.visual_dim)
    order = torch.randn(2, 16)

    def r_term(model, o):
        torch.manual_seed(1)  # the auxiliary task's mask
        return model.losses(visual, order=o).terms["r_v"]

    assert torch.equal(r_term(proto, order), r_term(taught, order))
    assert not torch.equal(r_term(proto, order), r_term(proto, -order))


def test_the_prototype_is_fitted_on_the_training_split_alone(tmp_path) -> None:
    from highlit.sampler import split_clips

    videos = make_videos(12)
    cfg, train = tiny_cfg(kpoint_select="prototype", score_activation="softmax", stride=1), quick_cfg(steps=2)
    meta = read_checkpoint(pretrain(videos, cfg, train, tmp_path / "run", extractors=EXTRACTORS))[1]
    kept = sorted(split_clips(videos, train.val_fraction, train.seed)[0], key=lambda v: v.video_id)
    assert 0 < len(kept) < len(videos)
    assert meta["teacher"]["weights_sha256"] == fit_prototype([v.visual for v in kept]).weights_sha256
    assert meta["teacher"]["weights_sha256"] != fit_prototype([v.visual for v in videos]).weights_sha256


def test_changed_features_stop_a_resume_under_the_prototype(tmp_path) -> None:
    """Same ids and lengths (so the data fingerprint agrees), other values: the refitted prototype differs."""
    cfg = tiny_cfg(kpoint_select="prototype", score_activation="softmax", stride=1)
    pretrain(make_videos(), cfg, quick_cfg(steps=2), tmp_path / "run", extractors=EXTRACTORS)
    changed = make_videos()
    for v in changed:
        v.visual[:] = v.visual[:, ::-1]
    with pytest.raises(ConfigError, match="another prototype") as err:
        pretrain(changed, None, quick_cfg(steps=4), tmp_path / "run", resume=True, extractors=EXTRACTORS)
    assert "\n" not in str(err.value)


def test_pretraining_under_the_prototype_records_it_and_resumes_exactly(tmp_path) -> None:
    cfg = tiny_cfg(kpoint_select="prototype", score_activation="softmax", stride=1)
    path = pretrain(make_videos(), cfg, quick_cfg(steps=6), tmp_path / "a", extractors=EXTRACTORS)
    meta = read_checkpoint(path)[1]
    assert meta["teacher"]["prototype"] is True and meta["teacher"]["path"] is None
    with pytest.raises(KeyboardInterrupt):
        pretrain(make_videos(), cfg, quick_cfg(steps=6), tmp_path / "b", extractors=EXTRACTORS,
                 on_step=lambda step, record: (_ for _ in ()).throw(KeyboardInterrupt) if step == 3 else None)
    resumed = pretrain(make_videos(), None, None, tmp_path / "b", resume=True, extractors=EXTRACTORS)
    a, b = weights(path), weights(resumed)
    assert all(torch.equal(a[k], b[k]) for k in a)
    norm = pretrain(make_videos(), tiny_cfg(kpoint_select="norm", score_activation="softmax", stride=1),
                    quick_cfg(steps=6), tmp_path / "c", extractors=EXTRACTORS)
    assert not all(torch.equal(a[k], weights(norm)[k]) for k in a)  # the prototype, not the norm, chose the k


def test_the_prototype_fits_itself_and_refuses_a_teacher_network(teacher_ckpt, tmp_path) -> None:
    cfg = tiny_cfg(kpoint_select="prototype", score_activation="softmax", stride=1)
    with pytest.raises(ConfigError, match="drop --teacher"):
        pretrain(make_videos(), cfg, quick_cfg(steps=2, teacher=str(teacher_ckpt)), tmp_path / "run",
                 extractors=EXTRACTORS)
    assert not (tmp_path / "run").exists()
    with pytest.raises(ConfigError, match="audio-only"):
        tiny_cfg(kpoint_select="prototype", modalities="audio")
    # it ranks the raw rows' directions, which an input normalisation of what the network sees does not change
    assert tiny_cfg(kpoint_select="prototype", input_norm="l2").input_norm == "l2"
    with pytest.raises(ConfigError, match="kpoint_select='prototype' takes"):
        RASLNet(cfg).losses(torch.rand(2, 16, cfg.visual_dim))


def test_a_fit_on_input_fits_the_prototype_on_its_own_videos() -> None:
    cfg = tiny_cfg(kpoint_select="prototype", score_activation="softmax", stride=1)
    model = fit_on_input(make_videos(4), cfg, steps=2, batch_size=2, threads=1)
    assert torch.isfinite(model.score(torch.rand(1, 20, cfg.visual_dim))).all()
