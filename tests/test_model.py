"""Unit tests of the RASL network (highlit/model): config, shapes, Eq. (6)-(10) pieces, gradients, ablations."""

from __future__ import annotations

import itertools
import json

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from highlit.errors import ConfigError, FeatureError
from highlit.model import ModelConfig, RASLNet, format_model_info, model_info
from highlit.model.config import parse_setting, with_settings
from highlit.model.masking import make_mask
from highlit.model.network import step_magnitude
from highlit.model.rasl import KPointContrast, top_bottom_k, upsample_scores
from highlit.model.scl import SymmetricContrast

D = 12
WINDOW = 64  # -> 32 -> 16 -> 8 representation steps, k = min(10, 8 // 2) = 4


pytestmark = pytest.mark.usefixtures("one_thread")


def tiny(**changes) -> ModelConfig:
    """The paper preset at toy widths, so every test runs in milliseconds."""
    base = dict(visual_dim=D, audio_dim=D, window=WINDOW, attn_dim=6, enc_channels=(8, 8, 8), psi_channels=8,
                kpoint_dim=6, fusion_dim=10, lowrank_rank=2)
    return ModelConfig.preset("paper", **{**base, **changes})


def batch(b: int = 3, t: int = WINDOW, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(b, t, D, generator=g), torch.rand(b, t, D, generator=g)


# ---------------------------------------------------------------- config
def test_presets_roundtrip_through_json():
    for name in ("paper", "default", "budget"):
        cfg = ModelConfig.preset(name)
        again = ModelConfig.from_dict(json.loads(json.dumps(cfg.to_dict())))
        assert again == cfg


@pytest.mark.parametrize(
    "changes",
    [{"score_activation": "tanh"}, {"k": -1}, {"mask_ratio": 1.0}, {"enc_channels": (8, 8)},
     {"fusion": "sum", "audio_dim": 7}, {"input_norm": "standardize"}, {"fusion": "concat", "modalities": "visual"},
     {"window": 0}, {"weight_e": -1.0}, {"kpoint_select": "loudness"}, {"kpoint_select": "norm", "kpoint": "off"},
     {"kpoint_select": "teacher", "kpoint": "off"}, {"kpoint_select": "teacher", "input_norm": "l2"},
     {"kpoint_select": "teacher", "modalities": "audio"},
     {"score_output": "rawest"}, {"kpoint_select": "norm", "input_norm": "l2"}],
)
def test_invalid_config_raises_one_line_config_error(changes):
    with pytest.raises(ConfigError) as err:
        tiny(**changes)
    assert "\n" not in str(err.value)


def test_unknown_field_and_preset_are_config_errors():
    with pytest.raises(ConfigError, match="unknown field"):
        ModelConfig.from_dict({"visual_dim": 8, "colour": 1})
    with pytest.raises(ConfigError, match="unknown model preset"):
        ModelConfig.preset("huge")


def test_settings_are_typed_by_the_field_and_applied_in_order():
    """``--set`` reaches every configuration an experiment trains: round 8's shipped one, from 'default'."""
    cfg = with_settings(ModelConfig.preset("default"), [
        "score_activation=softmax", "stride=1", "kpoint=contrast", "kpoint-select=norm", "score_output=raw",
        "weight_s=0.3", "self_attention=false", "attn_dim=none", "enc_channels=64,128,128", "stride=2"])
    got = (cfg.score_activation, cfg.kpoint_select, cfg.weight_s, cfg.self_attention)
    assert got == ("softmax", "norm", 0.3, False)
    assert (cfg.stride, cfg.attn_dim, cfg.enc_channels) == (2, None, (64, 128, 128))  # the later stride wins
    assert with_settings(cfg, None) is cfg and parse_setting("k = 4") == ("k", 4)


@pytest.mark.parametrize("text, needle", [
    ("k", "expected FIELD=VALUE"), ("=3", "expected FIELD=VALUE"), ("colour=red", "not a settable"),
    ("visual_dim=8", "not a settable"), ("extra={}", "not a settable"), ("k=ten", "expected an integer"),
    ("weight_s=lots", "expected a number"), ("aux_task=maybe", "expected true or false"),
    ("enc_channels=8,x,8", "comma-separated integers"), ("attn_dim=wide", "an integer or none"),
])
def test_bad_settings_are_one_line_config_errors(text: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle) as err:
        parse_setting(text)
    assert "\n" not in str(err.value)


def test_set_values_are_checked_with_the_whole_config() -> None:
    for setting, needle in (("weight_s=-1", "expected a finite weight"), ("budget_target=nan", "finite number"),
                            ("score_output=length", "needs decoder_scale='s'")):
        with pytest.raises(ConfigError, match=needle):
            with_settings(ModelConfig(), [setting])


def test_k_is_clipped_so_top_and_bottom_sets_never_overlap():
    cfg = ModelConfig.preset("paper")
    assert cfg.repr_length(150) == 19
    assert cfg.k_for(19) == 9 and cfg.k_for(40) == 10 and cfg.k_for(1) == 0
    assert cfg.replace(kpoint="off").k_for(40) == 0


# ---------------------------------------------------------------- shapes
@settings(max_examples=12, deadline=None)
@given(b=st.integers(1, 3), t=st.integers(1, 170), audio=st.booleans())
def test_shapes_for_any_batch_and_length(b, t, audio):
    torch.manual_seed(0)
    model = RASLNet(tiny())
    v, a = batch(b, t)
    out = model(v, a if audio else None)
    assert out.total.dim() == 0 and torch.isfinite(out.total)
    assert ("e_a" in out.terms) == audio and ("s" in out.terms) == audio
    assert model.score(v).shape == (b, t)
    assert model.representation_scores(v).shape == (b, tiny().repr_length(t))


def test_bad_features_raise_feature_error():
    model = RASLNet(tiny())
    v, a = batch()
    with pytest.raises(FeatureError, match="dimension"):
        model(torch.rand(2, WINDOW, D + 1))
    with pytest.raises(FeatureError, match="batch x steps"):
        model(v, a[:, :10])
    with pytest.raises(FeatureError, match="NaN"):
        model(v * float("nan"))
    with pytest.raises(FeatureError, match="audio-only"):
        RASLNet(tiny(modalities="audio")).score(v)


# ---------------------------------------------------------------- Eq. (6)-(8)
@settings(max_examples=30, deadline=None)
@given(length=st.integers(2, 40), seed=st.integers(0, 10_000))
def test_top_bottom_k_match_brute_force(length, seed):
    s = torch.randperm(length, generator=torch.Generator().manual_seed(seed)).float().unsqueeze(0)  # distinct
    k = length // 2
    top, bottom = top_bottom_k(s, k)
    order = sorted(range(length), key=lambda i: s[0, i].item())  # ascending in s
    assert top[0].tolist() == order[-k:]  # Eq. (6): the k largest, listed ascending
    assert bottom[0].tolist() == order[:k]  # Eq. (7): the k smallest, listed ascending
    assert not set(top[0].tolist()) & set(bottom[0].tolist())


def test_kpoint_loss_falls_when_top_and_bottom_projections_move_apart():
    torch.manual_seed(0)
    kp = KPointContrast(z_channels=5, proj_dim=4, ranks=3, per_rank=True, mode="contrast")
    with torch.no_grad():
        kp.w_check.copy_(kp.w_hat)
    s = torch.tensor([[0.9, 0.1, 0.8, 0.2, 0.7, 0.3]])
    top, bottom = top_bottom_k(s, 3)
    z = torch.randn(1, 5, 6)
    z[0][:, bottom[0]] = z[0][:, top[0]]  # bottom copies of the top vectors: similarity 1, eta 0
    same = kp(s, z, 3)
    z[0][:, bottom[0]] = -z[0][:, top[0]]  # opposite: similarity -1 after LayerNorm
    apart = kp(s, z, 3)
    assert same.item() == pytest.approx(torch.log(torch.tensor(2.0)).item(), abs=1e-5)
    assert apart.item() < same.item()
    eta = kp.eta(s, z, 3)
    assert eta.item() == pytest.approx(2 * s[0, top[0]].mean().item(), rel=1e-4)


def test_kpoint_mean_ablation_is_mean_of_top_k():
    kp = KPointContrast(z_channels=5, proj_dim=4, ranks=3, per_rank=True, mode="mean")
    s = torch.tensor([[0.9, 0.1, 0.8, 0.2, 0.7, 0.3]])
    assert kp.eta(s, torch.randn(1, 5, 6), 3).item() == pytest.approx(0.8)
    assert not list(kp.parameters())


def test_kpoint_points_can_be_chosen_by_another_ranking_than_s():
    """kpoint_select='norm': Phi_k / Pi_k follow ``order``; s_hat is still s there, so Eq. (8)'s gradient
    raises s at the order's top steps, not at s's own."""
    kp = KPointContrast(z_channels=5, proj_dim=4, ranks=3, per_rank=True, mode="mean")
    s = torch.tensor([[0.9, 0.1, 0.8, 0.2, 0.7, 0.3]], requires_grad=True)
    order = torch.tensor([[0.0, 5.0, 1.0, 4.0, 2.0, 3.0]])  # ranks the steps opposite to s
    eta = kp.eta(s, torch.randn(1, 5, 6), 3, order)
    assert eta.item() == pytest.approx(0.2)  # mean of s at steps 1, 3, 5
    eta.backward()
    assert s.grad[0].nonzero().flatten().tolist() == [1, 3, 5]


def top_kpoints(net: RASLNet, branch: str, *inputs, **kwargs) -> list[int]:
    """The steps Eq. (8) takes as its top k in one loss evaluation (sorted), read off the order it is given."""
    seen = {}
    kpoint = net.branches[branch].kpoint
    original = kpoint.eta

    def spy(s, z, k, order=None):
        seen["top"] = sorted(torch.topk(order, k).indices[0].tolist())
        return original(s, z, k, order)

    kpoint.eta = spy
    net.losses(*inputs, **kwargs)
    return seen["top"]


def test_norm_selected_kpoints_are_the_loudest_steps_of_the_input():
    torch.manual_seed(0)
    net = RASLNet(tiny(kpoint_select="norm", stride=1, score_activation="softmax", kpoint="mean", aux_task=False,
                       modalities="visual", k=4))
    rho = batch(1)[0]
    loud = [3, 17, 40, 41]
    rho[0, loud] *= 10
    assert top_kpoints(net, "visual", rho) == loud  # stride 1: one representation step per input step


@pytest.mark.parametrize("t", [64, 63, 150, 20])
def test_step_magnitude_averages_the_input_steps_centred_on_each_representation_step(t: int) -> None:
    """Stride 2: representation step l sits on input step 8 l (rasl.upsample_scores); the teacher's value for
    it must come from the steps around 8 l, so a loud input step at 8 l - 2 marks step l, at 8 l + 5 step l + 1
    (binning [8 l, 8 l + 8) instead would give l - 1 and l)."""
    cfg = tiny(window=t)
    steps = cfg.repr_length(t)
    rho = torch.ones(1, t, D)
    for loud, expect in ((8 * (steps // 2) - 2, steps // 2), (8 * (steps // 2) + 5, steps // 2 + 1)):
        if not 0 <= loud < t:
            continue
        x = rho.clone()
        x[0, loud] *= 50
        m = step_magnitude(x, steps, cfg.stride)
        assert m.shape == (1, steps) and int(m.argmax()) == expect
    torch.testing.assert_close(step_magnitude(rho, t, 1), rho.norm(dim=-1))  # stride 1: the norm itself


def test_fused_teacher_reads_the_visual_input_only():
    """A fused branch's teacher is the visual magnitude: loud audio (even on a clip marked as silent) does not move
    the k points."""
    torch.manual_seed(0)
    net = RASLNet(tiny(kpoint_select="norm", fusion="concat", stride=1, kpoint="mean", aux_task=False, k=4))
    v, a = batch(1)
    loud = [3, 17, 40, 41]
    v[0, loud] *= 10
    a[0, [5, 6, 7, 8]] *= 100
    assert top_kpoints(net, "fused", v, a, has_audio=torch.tensor([False])) == loud


def test_teacher_selected_kpoints_follow_the_given_ranking_in_the_visual_branch_only():
    """kpoint_select='teacher': the visual branch's k points are the teacher's top steps (even against the input's
    magnitude); the audio branch keeps its own magnitude, as under 'norm'."""
    torch.manual_seed(0)
    net = RASLNet(tiny(kpoint_select="teacher", stride=1, score_activation="softmax", kpoint="mean", aux_task=False,
                       k=4))
    v, a = batch(1)
    v[0, [3, 17, 40, 41]] *= 10
    a[0, [5, 6, 7, 8]] *= 10
    order = torch.zeros(1, WINDOW)
    order[0, [1, 2, 30, 50]] = 1.0
    assert top_kpoints(net, "visual", v, a, order=order) == [1, 2, 30, 50]
    assert top_kpoints(net, "audio", v, a, order=order) == [5, 6, 7, 8]
    fused = RASLNet(net.cfg.replace(fusion="concat"))
    assert top_kpoints(fused, "fused", v, a, order=order) == [1, 2, 30, 50]  # a fused branch follows it too


@pytest.mark.parametrize("stride", [1, 2])
def test_a_teacher_that_ranks_by_the_norm_trains_exactly_as_norm_selection(stride: int) -> None:
    """The teacher's ranking is pooled onto the representation steps as the norm is, so handing it |rho| gives the
    'norm' losses to the last bit (same weights, same masks)."""
    v, a = batch(2)
    torch.manual_seed(0)
    norm = RASLNet(tiny(kpoint_select="norm", stride=stride, score_activation="softmax"))
    taught = RASLNet(norm.cfg.replace(kpoint_select="teacher"))
    taught.load_state_dict(norm.state_dict())
    torch.manual_seed(1)
    want = norm.losses(v, a)
    torch.manual_seed(1)
    got = taught.losses(v, a, order=v.norm(dim=-1))
    assert set(got.terms) == set(want.terms)
    for name in want.terms:
        torch.testing.assert_close(got.terms[name], want.terms[name], rtol=0, atol=0)


def test_teacher_selection_needs_a_ranking_of_the_visual_steps() -> None:
    net = RASLNet(tiny(kpoint_select="teacher", stride=1, score_activation="softmax"))
    v, a = batch(2)
    with pytest.raises(ConfigError, match="--teacher") as err:
        net.losses(v, a)
    assert "\n" not in str(err.value)
    with pytest.raises(FeatureError, match="teacher's ranking has shape"):
        net.losses(v, a, order=torch.zeros(2, WINDOW - 1))
    assert torch.isfinite(net.score(v)).all()  # scoring needs no teacher
    RASLNet(tiny(kpoint_select="norm")).losses(v, a, order=torch.zeros(1))  # ignored unless kpoint_select='teacher'


# ---------------------------------------------------------------- Eq. (9)
def test_scl_is_symmetric_and_minimal_for_paired_inputs():
    torch.manual_seed(0)
    scl = SymmetricContrast(3.1, "exp", "time")
    assert scl.gamma.item() == pytest.approx(3.1)
    r_v, r_a = torch.randn(2, 6, 8), torch.randn(2, 6, 8)
    assert torch.allclose(scl(r_v, r_a), scl(r_a, r_v), atol=1e-6)
    paired = scl(r_v, r_v)
    for perm in itertools.islice(itertools.permutations(range(6)), 1, 60):
        assert (scl(r_v, r_v[:, list(perm)]) > paired).all()


def test_scl_batch_negatives_give_one_value():
    scl = SymmetricContrast(3.1, "direct", "batch")
    assert scl.scale().item() == pytest.approx(3.1)
    assert scl(torch.randn(2, 5, 4), torch.randn(2, 5, 4)).shape == (1,)


# ---------------------------------------------------------------- Eq. (10)
@pytest.mark.parametrize("ratio", [0.0, 0.25, 0.5, 0.7])
def test_step_mask_hides_exactly_the_requested_ratio(ratio):
    m = make_mask((4, 150, 3), ratio, "step", generator=torch.Generator().manual_seed(1))
    assert m.shape == (4, 150, 1)
    assert ((1 - m).sum(dim=(1, 2)) == round(ratio * 150)).all()
    assert not torch.equal(m[0], m[1]) or ratio == 0.0  # a fresh draw per clip


def test_element_mask_hides_the_ratio_on_average():
    m = make_mask((4, 150, 64), 0.5, "element", generator=torch.Generator().manual_seed(1))
    assert abs((1 - m).mean().item() - 0.5) < 0.01


# ---------------------------------------------------------------- gradients
def _grads(model: RASLNet, *args) -> dict[str, torch.Tensor | None]:
    model.zero_grad(set_to_none=True)
    model(*args).total.backward()
    return {n: p.grad for n, p in model.named_parameters()}


@pytest.mark.parametrize("changes", [{}, {"fusion": "concat"}, {"fusion": "lowrank"}, {"fusion": "mlp"},
                                     {"fusion": "sum"}, {"kpoint_per_rank": False}, {"scl_negatives": "batch"}])
def test_every_parameter_is_trained(changes):
    torch.manual_seed(0)
    model = RASLNet(tiny(**changes))
    grads = _grads(model, *batch())
    missing = [n for n, g in grads.items() if g is None or not g.abs().sum() > 0]
    assert not missing


def test_audio_branch_untouched_without_audio():
    torch.manual_seed(0)
    model = RASLNet(tiny())
    v, a = batch()
    grads = _grads(model, v, a, torch.zeros(3, dtype=torch.bool))
    untouched = {n for n, g in grads.items() if g is None}
    assert untouched == {n for n in grads if n.startswith("branches.audio") or n.startswith("scl")}
    assert not RASLNet(tiny(modalities="visual")).branches.keys() - {"visual"}


def test_clips_without_audio_do_not_affect_audio_terms():
    torch.manual_seed(0)
    model = RASLNet(tiny())
    v, a = batch()
    has = torch.tensor([True, True, False])
    torch.manual_seed(5)
    first = model(v, a, has).terms
    a2 = a.clone()
    a2[2] = torch.rand(WINDOW, D) * 10
    torch.manual_seed(5)
    second = model(v, a2, has).terms
    for name in ("e_a", "r_a", "au_a", "s"):
        assert torch.allclose(first[name], second[name])


# ---------------------------------------------------------------- ablation switches
ALL_TERMS = {"e_v", "r_v", "au_v", "e_a", "r_a", "au_a", "s"}


@pytest.mark.parametrize(
    "changes, terms, removed_params",
    [
        ({"kpoint": "off"}, ALL_TERMS - {"r_v", "r_a"}, ".kpoint."),  # w/o RASL
        ({"kpoint": "mean"}, ALL_TERMS, ".kpoint."),  # w/o k-point contrast
        ({"self_attention": False}, ALL_TERMS, ".attention."),  # w/o SA
        ({"aux_task": False}, ALL_TERMS - {"au_v", "au_a"}, None),  # w/o auxiliary
        ({"modalities": "visual"}, {"e_v", "r_v", "au_v"}, ("audio", "scl.")),  # w/o audio
        ({"modalities": "audio"}, {"e_a", "r_a", "au_a"}, ("visual", "scl.")),  # w/o vision
        ({"fusion": "none"}, ALL_TERMS - {"s"}, "scl."),  # two branches, no L_s
    ],
)
def test_each_ablation_changes_only_what_it_should(changes, terms, removed_params):
    torch.manual_seed(0)
    full = RASLNet(tiny())
    ablated = RASLNet(tiny(**changes))
    names_full, names_ablated = set(full.state_dict()), set(ablated.state_dict())
    assert names_ablated <= names_full
    gone = names_full - names_ablated
    patterns = (removed_params,) if isinstance(removed_params, str) else removed_params or ()
    assert all(any(p in n for p in patterns) for n in gone) and (bool(gone) == bool(patterns))
    ablated.load_state_dict({n: t for n, t in full.state_dict().items() if n in names_ablated})
    v, a = batch()
    torch.manual_seed(1)
    ref = full(v, a).terms
    torch.manual_seed(1)
    out = ablated(v, a).terms
    assert set(out) == terms
    unaffected = {"e_v", "e_a", "s"} if "self_attention" not in changes else set()
    for name in unaffected & terms:
        assert torch.allclose(out[name], ref[name]), name


def test_weights_of_eq_11_scale_their_terms():
    v, a = batch()
    torch.manual_seed(0)
    model = RASLNet(tiny(aux_task=False, weight_e=2.0, weight_s=0.0))
    out = model(v, a)
    expected = 2 * (out.terms["e_v"] + out.terms["e_a"]) + out.terms["r_v"] + out.terms["r_a"]
    assert torch.allclose(out.total, expected)


@pytest.mark.parametrize("fusion", ["sum", "concat", "mlp", "lowrank"])
def test_fusion_schemes_train_one_fused_branch(fusion):
    torch.manual_seed(0)
    model = RASLNet(tiny(fusion=fusion))
    assert set(model.branches) == {"fused"}
    v, a = batch()
    assert set(model(v, a).terms) == {"e_f", "r_f", "au_f"}
    assert model.score(v, a).shape == (3, WINDOW)
    assert not torch.equal(model.score(v, a), model.score(v))  # the fused score depends on the audio


@pytest.mark.parametrize(
    "changes",
    [{"input_norm": "l2"}, {"input_norm": "standardize", "visual_output": "none", "audio_output": "none"},
     {"recon_loss": "l2"}, {"aux_score_source": "masked"}, {"mask_unit": "element"}, {"score_activation": "none"},
     {"attn_dim": None}, {"score_upsample": "nearest"}, {"gamma_mode": "direct"}, {"budget_weight": 0.5}],
)
def test_tuning_knobs_train(changes):
    torch.manual_seed(0)
    model = RASLNet(tiny(**changes))
    out = model(*batch())
    out.total.backward()
    assert torch.isfinite(out.total)
    assert all(p.grad is None or torch.isfinite(p.grad).all() for p in model.parameters())
    assert ({"budget_v", "budget_a"} <= set(out.terms)) == ("budget_weight" in changes)


# ---------------------------------------------------------------- inference, activations
def test_score_uses_only_the_visual_branch():
    torch.manual_seed(0)
    model = RASLNet(tiny()).eval()
    v, _ = batch()
    before = model.score(v)
    with torch.no_grad():
        for p in model.branches["audio"].parameters():
            p.fill_(float("nan"))
        model.scl.gamma.fill_(float("nan"))
    after = model.score(v)
    assert torch.isfinite(after).all() and torch.equal(before, after)
    visual_only = RASLNet(tiny(modalities="visual"))
    visual_only.load_state_dict({n: t for n, t in model.state_dict().items() if n.startswith("branches.visual")})
    assert torch.equal(visual_only.score(v), before)


@pytest.mark.parametrize("activation", ["sigmoid", "softmax", "none"])
def test_score_activation_ranges(activation):
    torch.manual_seed(0)
    model = RASLNet(tiny(score_activation=activation, score_temperature=0.5))
    s = model.representation_scores(batch()[0])
    if activation == "sigmoid":
        assert ((s > 0) & (s < 1)).all()
    if activation == "softmax":  # a fixed budget: mean(s) = 1 over time
        assert torch.allclose(s.mean(-1), torch.ones(3), atol=1e-5) and (s > 0).all()


def test_upsampling_maps_representation_steps_to_input_steps():
    s = torch.tensor([[0.0, 1.0, 3.0]])
    lin = upsample_scores(s, 9, "linear")
    assert lin[0, 0] == 0 and lin[0, -1] == 3 and lin[0, 4] == 1  # align_corners: ends and centre exact
    assert torch.equal(upsample_scores(s, 9, "nearest")[0], torch.tensor([0.0] * 3 + [1.0] * 3 + [3.0] * 3))
    assert upsample_scores(s[:, :1], 5, "linear").shape == (1, 5)


def test_relu_output_reaches_nonnegative_targets_only():
    torch.manual_seed(0)
    v, _ = batch()
    for output in ("relu", "none"):
        model = RASLNet(tiny(visual_output=output, modalities="visual"))
        branch = model.branches["visual"]
        r, lengths = branch.encode(branch.attend(v))
        rec = branch.decode(branch.rasl(r)[1], r, lengths)
        assert rec.shape == v.shape
        assert bool((rec < 0).any()) == (output == "none")


# ---------------------------------------------------------------- model info
@pytest.mark.slow
def test_model_info_counts_parameters_and_flops():
    cfg = tiny()
    info = model_info(cfg, steps=WINDOW)
    assert info["parameters"] == sum(p.numel() for p in RASLNet(cfg).parameters())
    assert 0 < info["flops_inference"] < info["flops_pair"] < info["flops_train"]
    assert info["macs_pair"] == info["flops_pair"] // 2
    assert info["inference_parameters"] < info["parameters"]
    text = format_model_info(info)
    assert "parameters" in text and "FLOPs" in text
    json.dumps(info)


def test_default_config_is_near_the_papers_budget():
    info = model_info(ModelConfig.preset("default"))
    assert abs(info["parameters"] / 8.53e6 - 1) < 0.1
    assert abs(info["flops_pair"] / 0.82e9 - 1) < 0.1


@pytest.mark.parametrize("gate_norm, invariant", [("l2", True), ("none", False)])
def test_gate_norm_makes_the_decoder_blind_to_the_scale_of_r(gate_norm: str, invariant: bool) -> None:
    """With gate_norm='l2' only s can carry a step's magnitude: rescaling r per step changes nothing."""
    torch.manual_seed(0)
    net = RASLNet(tiny(gate_norm=gate_norm)).eval()
    branch = net.branches["visual"]
    rho = batch(2)[0]
    r, lengths = branch.encode(branch.attend(rho))
    s = torch.rand(r.shape[0], r.shape[2])
    factor = torch.rand(r.shape[0], 1, r.shape[2]) * 4 + 0.5
    with torch.no_grad():
        same = torch.allclose(branch.decode(s, r, lengths), branch.decode(s, r * factor, lengths), atol=1e-5)
    assert same is invariant


def test_logit_output_ranks_like_the_sigmoid_but_never_ties() -> None:
    torch.manual_seed(0)
    cfg = tiny(kpoint="off")
    net = RASLNet(cfg).eval()
    rho = batch(2)[0]
    with torch.no_grad():  # a large w saturates the sigmoid, as training does on real features
        net.branches["visual"].rasl.w.weight.mul_(1e4)
    logit_net = RASLNet(cfg.replace(score_output="logit")).eval()
    logit_net.load_state_dict(net.state_dict())
    with torch.no_grad():
        s, raw = net.representation_scores(rho), logit_net.representation_scores(rho)
    torch.testing.assert_close(torch.sigmoid(raw), s)  # same ranking: sigmoid is monotone
    assert len(torch.unique(s)) < s.numel()  # the sigmoid output has ties
    assert len(torch.unique(raw)) > len(torch.unique(s))  # saturated steps no longer tie


def test_raw_output_is_s_before_the_softmax_and_compares_windows() -> None:
    """score_output='raw': within a window it ranks as the softmax does; across windows it is not forced to
    average 1 (the stored research runs keep reading 'logit' with a softmax as the softmax itself)."""
    torch.manual_seed(0)
    cfg = tiny(score_activation="softmax", kpoint="off", score_output="logit")
    net = RASLNet(cfg).eval()
    raw_net = RASLNet(cfg.replace(score_output="raw")).eval()
    raw_net.load_state_dict(net.state_dict())
    rho = batch(2)[0]
    with torch.no_grad():
        s, raw = net.representation_scores(rho), raw_net.representation_scores(rho)
    torch.testing.assert_close(s, s.shape[-1] * torch.softmax(raw, -1))
    torch.testing.assert_close(s.mean(-1), torch.ones(2))
    assert not torch.allclose(raw.mean(-1), torch.ones(2))


@pytest.mark.parametrize("fusion", ["scl", "concat"])
@pytest.mark.parametrize("encoder_norm, blind", [("l2", True), ("none", False)])
def test_encoder_norm_hides_magnitude_from_s_but_not_from_the_target(fusion: str, encoder_norm: str,
                                                                    blind: bool) -> None:
    """encoder_norm='l2': rescaling steps leaves s unchanged (it can only predict magnitude from content),
    while the reconstruction loss still sees the rescaled target."""
    torch.manual_seed(0)
    net = RASLNet(tiny(encoder_norm=encoder_norm, fusion=fusion, kpoint="off", aux_task=False)).eval()
    v, a = batch(2)
    factor = torch.rand(2, WINDOW, 1) * 4 + 0.5
    with torch.no_grad():
        same = torch.allclose(net.score(v, a), net.score(v * factor, a * factor), atol=1e-5)
        losses = net.losses(v, a).total, net.losses(v * factor, a * factor).total
    assert same is blind
    assert not torch.isclose(*losses)


def test_decoder_scale_s_makes_s_the_length_of_each_decoded_step() -> None:
    """decoder_scale='s': |rho_tilde_i| = s_i * the clip's mean |rho|, whatever the decoder computes."""
    torch.manual_seed(0)
    net = RASLNet(tiny(decoder_scale="s", score_activation="softmax", stride=1, kpoint="off")).eval()
    branch = net.branches["visual"]
    rho = batch(2)[0]
    with torch.no_grad():
        r, lengths = branch.encode(branch.attend(rho))
        _, s = branch.rasl(r)
        magnitude = rho.norm(dim=-1).mean(1)
        out = branch.decode(s, r, lengths, magnitude)
    torch.testing.assert_close(out.norm(dim=-1), s * magnitude[:, None], rtol=1e-4, atol=1e-4)
    assert abs(float(s.mean()) - 1.0) < 1e-4  # softmax budget: the clip's lengths average its mean magnitude


def test_length_readout_is_the_decoded_length_and_compares_windows() -> None:
    """score_output='length' returns |rho_tilde_i| (s_i * the window's mean |rho|): the same order as s within a
    window, but a window of louder steps scores higher instead of averaging 1 like every softmax window."""
    torch.manual_seed(0)
    cfg = tiny(decoder_scale="s", score_activation="softmax", stride=1, kpoint="off")
    net = RASLNet(cfg).eval()
    reader = RASLNet(cfg.replace(score_output="length")).eval()
    reader.load_state_dict(net.state_dict())
    rho = batch(2)[0]
    rho = torch.cat([rho[:1], 3.0 * rho[:1]])  # the same window, three times as loud
    with torch.no_grad():
        s, length = net.score(rho), reader.score(rho)
        branch = net.branches["visual"]
        r, lengths = branch.encode(branch.attend(rho))
        decoded = branch.decode(branch.rasl(r)[1], r, lengths, rho.norm(dim=-1).mean(1))
    torch.testing.assert_close(length, decoded.norm(dim=-1), rtol=1e-4, atol=1e-4)
    assert torch.equal(torch.argsort(length[0]), torch.argsort(s[0]))
    assert float(length[1].mean()) > 2.5 * float(length[0].mean())
    with pytest.raises(ConfigError, match="length"):
        tiny(score_output="length")


def test_decoder_scale_s_needs_an_unbounded_or_budgeted_s() -> None:
    with pytest.raises(ConfigError, match="decoder_scale"):
        tiny(decoder_scale="s", score_activation="sigmoid")
    tiny(decoder_scale="s", score_activation="none")
