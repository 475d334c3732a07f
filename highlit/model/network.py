"""RASLNet: the two-branch network of Fig. 3 with the losses of Eq. (5), (8), (9), (10), (11).

Pretraining (Algorithm 1), per modality m in {v, a}:
  rho_bar = F^m(rho)                      Eq. (1)-(2)  attention.SelfAttention
  r = E^m(rho_bar)                        Eq. (3)      autoencoder.Encoder
  z, s = psi(r), w . z                    Eq. (4)      rasl.RASL
  L_e = |rho - D^m(s * r)|                Eq. (5)      autoencoder.Decoder
  L_r = -log sigmoid(eta)                 Eq. (6)-(8)  rasl.KPointContrast
  L_au = |rho - D^m(s * E^m(F^m(M rho)))|   Eq. (10)     masking.make_mask
then L_s = SCL(r^v, r^a)                  Eq. (9)      scl.SymmetricContrast
and  L_total = sum_m w_e L_e + w_r L_r + w_au L_au  +  w_s L_s   Eq. (11) (all weights 1 in the paper).

Inference (``score``) runs only the visual branch F^v, E^v, psi^v, w^v: the audio weights are never
touched, so a visual-only checkpoint subset is enough. s lives on the L representation steps and is
mapped back to the T input steps by ``rasl.upsample_scores`` (config ``score_upsample``).

Clips whose ``has_audio`` is False contribute nothing to the audio terms or to L_s (their audio rows
are still computed, so batch shapes stay fixed, but masked out of every mean). If no clip of a batch has
audio, the audio terms and L_s are absent from ``terms``.

Ablations are config values: ``kpoint='off'`` ("w/o RASL": k = 0, no L_r, s is a plain reweighting),
``self_attention=False``, ``aux_task=False``, ``modalities='visual'|'audio'``, ``kpoint='mean'``
("w/o k-point contrast"), ``fusion='sum'|'concat'|'mlp'|'lowrank'`` (Table IV: one fused branch, terms
``e_f``, ``r_f``, ``au_f``) and ``fusion='none'`` (two branches without L_s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from highlit.errors import ConfigError, FeatureError
from highlit.model.attention import SelfAttention
from highlit.model.autoencoder import Decoder, Encoder
from highlit.model.config import ModelConfig
from highlit.model.fusion import Fusion
from highlit.model.masking import make_mask
from highlit.model.rasl import RASL, KPointContrast, upsample_scores
from highlit.model.scl import SymmetricContrast

_SHORT = {"visual": "v", "audio": "a", "fused": "f"}


@dataclass
class Losses:
    """Eq. (11) total and its unweighted terms (e.g. 'e_v', 'r_v', 'au_v', 'e_a', 'r_a', 'au_a', 's'); ``counts``:
    how many clips each term is a mean over (clips without audio have no audio terms), so that losses of several
    batches can be merged into one mean (highlit.train.batch_losses)."""

    total: torch.Tensor
    terms: dict[str, torch.Tensor]
    counts: dict[str, int] = field(default_factory=dict)


class Branch(nn.Module):
    """One branch of Fig. 3: [F^m], E^m, RASL (psi, w, k-point projections), D^m."""

    def __init__(self, in_dim: int, out_dim: int, output: str, cfg: ModelConfig, attention: bool) -> None:
        super().__init__()
        self.gate_norm = cfg.gate_norm
        self.decoder_scale = cfg.decoder_scale
        self.score_upsample = cfg.score_upsample
        self.attention = SelfAttention(in_dim, cfg.attn_dim) if attention else None
        self.encoder = Encoder(in_dim, cfg.enc_channels, cfg.kernel_size, cfg.stride)
        self.rasl = RASL(cfg.enc_channels[-1], cfg.psi_channels, cfg.psi_kernel, cfg.score_activation,
                         cfg.score_temperature)
        ranks = cfg.k_for(cfg.repr_length(cfg.window))  # projections exist only for ranks that can be used
        self.kpoint = (
            KPointContrast(cfg.psi_channels, cfg.kpoint_dim, ranks, cfg.kpoint_per_rank, cfg.kpoint)
            if ranks > 0 else None
        )
        self.decoder = Decoder(out_dim, cfg.enc_channels, cfg.kernel_size, cfg.stride, output)

    def attend(self, rho: torch.Tensor) -> torch.Tensor:
        """rho_bar = F^m(rho), Eq. (2); identity in the "w/o SA" ablation."""
        return rho if self.attention is None else self.attention(rho)

    def encode(self, rho_bar: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
        """r = E^m(rho_bar), Eq. (3): [B, T, d] -> [B, C, L]."""
        return self.encoder(rho_bar.transpose(1, 2))

    def decode(self, s: torch.Tensor, r: torch.Tensor, lengths: list[int],
               magnitude: torch.Tensor | None = None) -> torch.Tensor:
        """rho_tilde = D^m(s * r), Eq. (5): -> [B, T, d_out] (config ``gate_norm``: r / |r| per step;
        ``decoder_scale='s'``: each step's length is s_i times ``magnitude`` [B], the clip's mean |rho|)."""
        if self.gate_norm == "l2":
            r = torch.nn.functional.normalize(r, dim=1, eps=1e-6)
        out = self.decoder(s.unsqueeze(1) * r, lengths).transpose(1, 2)
        if self.decoder_scale == "s":
            if magnitude is None:
                raise ValueError("decoder_scale='s' needs the clip magnitude")
            length = upsample_scores(s, out.shape[1], self.score_upsample) * magnitude.unsqueeze(-1)
            out = torch.nn.functional.normalize(out, dim=-1, eps=1e-6) * length.unsqueeze(-1)
        return out


def normalise_input(x: torch.Tensor, mode: str) -> torch.Tensor:
    """Config ``input_norm``: none | l2 (per step) | standardize (per clip and channel, over time)."""
    if mode == "l2":
        return torch.nn.functional.normalize(x, dim=-1, eps=1e-6)
    if mode == "standardize":
        return (x - x.mean(1, keepdim=True)) / (x.std(1, keepdim=True, unbiased=False) + 1e-6)
    return x


def encoder_input(x: torch.Tensor, cfg: ModelConfig) -> torch.Tensor:
    """What F^m and E^m see: rho after config ``encoder_norm`` (the reconstruction target is rho itself)."""
    return normalise_input(x, cfg.encoder_norm)


def clip_magnitude(inputs: list[torch.Tensor]) -> torch.Tensor:
    """The clip's mean |rho| [B] over its steps (all of a branch's inputs together): the unit in which
    ``decoder_scale='s'`` decodes a step's length, so that a softmax s (mean 1) spreads the clip's magnitude."""
    return torch.cat(inputs, -1).norm(dim=-1).mean(1)


def step_magnitude(rho: torch.Tensor, steps: int, stride: int) -> torch.Tensor:
    """|rho_i| averaged onto the ``steps`` representation steps [B, steps]: the teacher's ranking for
    ``kpoint_select='norm'``. ``rho`` is what Eq. (5) reconstructs, whatever encoder_norm hides from the
    encoder; a fused branch passes its visual half only, the modality that scores (and the one every clip has)."""
    return pool_to_steps(rho.norm(dim=-1), steps, stride)


def pool_to_steps(values: torch.Tensor, steps: int, stride: int) -> torch.Tensor:
    """A per-input-step ranking [B, T] averaged onto the ``steps`` representation steps [B, steps]. With padding
    kernel // 2, representation step l is centred on input step f * l (f = stride^3, see rasl.upsample_scores),
    so each step averages the f input steps around f * l, not those after it."""
    f = stride ** 3
    pooled = torch.nn.functional.avg_pool1d(values.unsqueeze(1), f, f, f // 2, count_include_pad=False)
    return pooled[..., :steps].squeeze(1)


def _masked_mean(per_clip: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    w = valid.to(per_clip.dtype)
    return (per_clip * w).sum() / w.sum().clamp(min=1.0)


class RASLNet(nn.Module):
    """See the module docstring. ``forward`` returns Losses; ``score`` returns s per input step."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        dims = {"visual": cfg.visual_dim, "audio": cfg.audio_dim}
        outputs = {"visual": cfg.visual_output, "audio": cfg.audio_output}
        self.fusion: Fusion | None = None
        self.scl: SymmetricContrast | None = None
        if cfg.fused:
            # Table IV: SA per modality, fuse rho_bar^v and rho_bar^a, ONE branch of the same architecture.
            self.fused_attention = nn.ModuleDict(
                {m: SelfAttention(dims[m], cfg.attn_dim) for m in dims} if cfg.self_attention else {}
            )
            self.fusion = Fusion(cfg.fusion, cfg.visual_dim, cfg.audio_dim, cfg.fusion_dim, cfg.lowrank_rank)
            out = "relu" if cfg.visual_output == cfg.audio_output == "relu" else "none"
            self.branches = nn.ModuleDict(
                {"fused": Branch(self.fusion.out_dim, cfg.visual_dim + cfg.audio_dim, out, cfg, attention=False)}
            )
        else:
            self.branches = nn.ModuleDict(
                {m: Branch(dims[m], dims[m], outputs[m], cfg, cfg.self_attention) for m in cfg.active_modalities}
            )
            if cfg.fusion == "scl" and cfg.modalities == "both":
                self.scl = SymmetricContrast(cfg.gamma_init, cfg.gamma_mode, cfg.scl_negatives)

    # ------------------------------------------------------------------ input checks
    def _check(self, name: str, x: torch.Tensor, dim: int, like: torch.Tensor | None = None) -> None:
        if not isinstance(x, torch.Tensor) or x.dim() != 3:
            raise FeatureError(f"{name} features must be a [batch, steps, dim] tensor")
        if x.shape[-1] != dim:
            raise FeatureError(f"{name} features have dimension {x.shape[-1]}, the model expects {dim}")
        if x.shape[1] < 1 or x.shape[0] < 1:
            raise FeatureError(f"{name} features are empty (shape {tuple(x.shape)})")
        if like is not None and x.shape[:2] != like.shape[:2]:
            raise FeatureError(
                f"{name} features have {tuple(x.shape[:2])} batch x steps, visual has {tuple(like.shape[:2])}"
            )
        if not torch.isfinite(x).all():
            raise FeatureError(f"{name} features contain NaN or infinite values")

    def _inputs(self, visual, audio, has_audio) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]:
        self._check("visual", visual, self.cfg.visual_dim)
        b = visual.shape[0]
        if audio is None:
            if self.cfg.modalities == "audio":
                raise FeatureError("this model was configured audio-only: audio features are required")
            return visual, None, torch.zeros(b, dtype=torch.bool, device=visual.device)
        self._check("audio", audio, self.cfg.audio_dim, like=visual)
        if has_audio is None:
            has_audio = torch.ones(b, dtype=torch.bool, device=visual.device)
        has_audio = torch.as_tensor(has_audio, dtype=torch.bool, device=visual.device)
        if has_audio.shape != (b,):
            raise FeatureError(f"has_audio must have shape ({b},), got {tuple(has_audio.shape)}")
        return visual, audio, has_audio

    # ------------------------------------------------------------------ training losses
    def _recon(self, rec: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """|rho - rho_tilde| of Eq. (5)/(10) per clip [B] (mean absolute error; or squared, config)."""
        diff = rec - target
        err = diff.abs() if self.cfg.recon_loss == "l1" else diff.square()
        return err.mean(dim=(1, 2))

    def _branch_terms(
        self, branch: Branch, prepare: Callable[[list[torch.Tensor]], torch.Tensor], inputs: list[torch.Tensor],
        recon: Callable[[torch.Tensor], torch.Tensor], aux: bool, teacher: torch.Tensor | None = None,
    ) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
        """Per-clip L_e, L_r, L_au (and the s budget) for one branch; also returns r [B, C, L]. ``teacher``: the
        per-input-step ranking that chooses this branch's k points (``kpoint_select`` 'teacher' or 'prototype')."""
        cfg = self.cfg
        r, lengths = branch.encode(prepare(inputs))  # Eq. (1)-(3)
        z, s = branch.rasl(r)  # Eq. (4)
        # the clip's mean |rho|, the unit of decoder_scale='s' (not computed otherwise: this is the training step)
        magnitude = clip_magnitude(inputs) if cfg.decoder_scale == "s" else None
        per = {"e": recon(branch.decode(s, r, lengths, magnitude))}  # Eq. (5)
        k = cfg.k_for(r.shape[-1])
        if branch.kpoint is not None and k > 0:
            order = None
            if teacher is not None:
                order = pool_to_steps(teacher, s.shape[-1], cfg.stride)
            elif cfg.kpoint_select != "s":
                order = step_magnitude(inputs[0], s.shape[-1], cfg.stride)
            per["r"] = branch.kpoint(s, z, k, order)  # Eq. (6)-(8)
        if cfg.budget_weight > 0:
            per["budget"] = (s.mean(-1) - cfg.budget_target).square()
        if aux:  # Eq. (10): the same F, E, D on M * rho, target the unmasked rho
            masked = self._mask(inputs)
            r_dot, lengths_dot = branch.encode(prepare(masked))
            s_dot = s if cfg.aux_score_source == "main" else branch.rasl(r_dot)[1]
            per["au"] = recon(branch.decode(s_dot, r_dot, lengths_dot, magnitude))
        return per, r

    def losses(self, visual: torch.Tensor, audio: torch.Tensor | None = None,
               has_audio: torch.Tensor | None = None, aux: bool | None = None,
               order: torch.Tensor | None = None) -> Losses:
        """Eq. (11). ``aux`` overrides cfg.aux_task (model_info counts the pair without it). ``order`` [B, T]: the
        teacher's per-step ranking that ``kpoint_select`` 'teacher' and 'prototype' need (highlit.teacher), ignored
        otherwise."""
        cfg = self.cfg
        aux = cfg.aux_task if aux is None else aux
        visual, audio, has_audio = self._inputs(visual, audio, has_audio)
        order = self._teacher_order(order, visual)
        rho = {"visual": normalise_input(visual, cfg.input_norm)}
        if audio is not None:
            rho["audio"] = normalise_input(audio, cfg.input_norm)
        ones = torch.ones_like(has_audio)
        per_clip: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}  # name -> (values [B], valid [B])
        reprs: dict[str, torch.Tensor] = {}

        if self.fusion is not None:
            a = rho.get("audio", torch.zeros(*visual.shape[:2], cfg.audio_dim, device=visual.device))
            branch = self.branches["fused"]
            per, _ = self._branch_terms(branch, self._fuse, [rho["visual"], a],
                                        lambda rec: self._fused_recon(rec, rho["visual"], a, has_audio), aux, order)
            per_clip.update({f"{n}_f": (v, ones) for n, v in per.items()})
        else:
            for m, branch in self.branches.items():
                valid = has_audio if m == "audio" else ones
                if m not in rho or not bool(valid.any()):
                    continue
                target = rho[m]
                per, reprs[m] = self._branch_terms(
                    branch,
                    lambda xs, br=branch: br.attend(encoder_input(xs[0], cfg)), [target],
                    lambda rec, tg=target: self._recon(rec, tg), aux, order if m == "visual" else None)
                per_clip.update({f"{n}_{_SHORT[m]}": (v, valid) for n, v in per.items()})
            if self.scl is not None and "audio" in reprs:
                r_v, r_a = reprs["visual"].transpose(1, 2), reprs["audio"].transpose(1, 2)
                if cfg.scl_negatives == "batch":
                    per_clip["s"] = (self.scl(r_v[has_audio], r_a[has_audio]), torch.ones(1, dtype=torch.bool))
                else:
                    per_clip["s"] = (self.scl(r_v, r_a), has_audio)  # Eq. (9)

        terms = {name: _masked_mean(v, valid.to(v.device)) for name, (v, valid) in per_clip.items()}
        counts = {name: int(valid.sum()) for name, (_, valid) in per_clip.items()}
        return Losses(total=self.total_loss(terms).to(visual.device), terms=terms, counts=counts)

    def total_loss(self, terms: dict[str, torch.Tensor]) -> torch.Tensor:
        """Eq. (11): the weighted sum of the terms (weights 1 in the paper; config values here)."""
        cfg = self.cfg
        weights = {"e": cfg.weight_e, "r": cfg.weight_r, "au": cfg.weight_au, "s": cfg.weight_s,
                   "budget": cfg.budget_weight}
        return torch.as_tensor(sum(weights[name.split("_")[0]] * value for name, value in terms.items()))

    def forward(self, visual: torch.Tensor, audio: torch.Tensor | None = None,
                has_audio: torch.Tensor | None = None, order: torch.Tensor | None = None) -> Losses:
        return self.losses(visual, audio, has_audio, order=order)

    def _teacher_order(self, order: torch.Tensor | None, visual: torch.Tensor) -> torch.Tensor | None:
        """The teacher's ranking if this config uses one (and it fits the visual steps), else None."""
        if self.cfg.kpoint_select not in ("teacher", "prototype"):
            return None
        if order is None:
            raise ConfigError(f"model config kpoint_select={self.cfg.kpoint_select!r} takes Eq. (8)'s k points from "
                              f"a ranking pretraining passes in (highlit pretrain; --teacher CKPT for 'teacher')")
        if tuple(order.shape) != tuple(visual.shape[:2]):
            raise FeatureError(f"the teacher's ranking has shape {tuple(order.shape)}, the visual features "
                               f"{tuple(visual.shape[:2])} batch x steps")
        return order.to(visual.device, visual.dtype)

    def _mask(self, inputs: list[torch.Tensor]) -> list[torch.Tensor]:
        """rho_dot = M * rho, Eq. (10). One step mask M per clip is shared by the inputs of a branch, so a fused
        model cannot read a hidden visual step off the audio; the two SCL branches draw their own M."""
        cfg = self.cfg
        if cfg.mask_unit == "step":
            b, t = inputs[0].shape[:2]
            mask = make_mask((b, t, 1), cfg.mask_ratio, "step", device=inputs[0].device)
            return [x * mask for x in inputs]
        return [x * make_mask(tuple(x.shape), cfg.mask_ratio, "element", device=x.device) for x in inputs]

    def _fuse(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        """Table IV: fuse rho_bar^v = F^v(rho^v) and rho_bar^a = F^a(rho^a)."""
        v, a = (encoder_input(x, self.cfg) for x in inputs)
        if "visual" in self.fused_attention:
            v, a = self.fused_attention["visual"](v), self.fused_attention["audio"](a)
        return self.fusion(v, a)

    def _fused_recon(self, rec: torch.Tensor, v: torch.Tensor, a: torch.Tensor, has_audio: torch.Tensor):
        """|[rho^v; rho^a] - rho_tilde| per clip; the audio half counts only for clips with audio."""
        dv = v.shape[-1]
        diff = rec - torch.cat([v, a], -1)
        err = diff.abs() if self.cfg.recon_loss == "l1" else diff.square()
        h = has_audio.to(err.dtype)
        total = err[..., :dv].sum(dim=(1, 2)) + h * err[..., dv:].sum(dim=(1, 2))
        return total / (err.shape[1] * (dv + h * a.shape[-1]))

    # ------------------------------------------------------------------ inference
    def _inference_inputs(self, visual: torch.Tensor, audio: torch.Tensor | None) -> tuple[Branch, list[torch.Tensor]]:
        """The branch that scores and the rho it reads (visual only, as the paper infers, unless the network
        has no visual branch or fuses the two)."""
        cfg = self.cfg
        if self.fusion is not None:
            self._check("visual", visual, cfg.visual_dim)
            if audio is None:  # a fused model needs audio; silence stands in for a missing track
                audio = torch.zeros(*visual.shape[:2], cfg.audio_dim, device=visual.device)
            self._check("audio", audio, cfg.audio_dim, like=visual)
            return self.branches["fused"], [normalise_input(visual, cfg.input_norm),
                                            normalise_input(audio, cfg.input_norm)]
        if cfg.modalities == "audio":
            if audio is None:
                raise FeatureError("this model was trained audio-only: pass audio features to score")
            self._check("audio", audio, cfg.audio_dim)
            return self.branches["audio"], [normalise_input(audio, cfg.input_norm)]
        self._check("visual", visual, cfg.visual_dim)
        return self.branches["visual"], [normalise_input(visual, cfg.input_norm)]

    def representation_scores(self, visual: torch.Tensor, audio: torch.Tensor | None = None) -> torch.Tensor:
        """s [B, L] on the representation steps (before mapping back to input steps)."""
        branch, inputs = self._inference_inputs(visual, audio)
        return self._scores(branch, inputs)

    def _scores(self, branch: Branch, inputs: list[torch.Tensor]) -> torch.Tensor:
        cfg = self.cfg
        x = self._fuse(inputs) if self.fusion is not None else branch.attend(encoder_input(inputs[0], cfg))
        r, _ = branch.encode(x)
        if cfg.score_output == "raw" or (cfg.score_output == "logit" and cfg.score_activation == "sigmoid"):
            return branch.rasl.logits(r)[1]
        return branch.rasl(r)[1]

    def score(self, visual: torch.Tensor, audio: torch.Tensor | None = None) -> torch.Tensor:
        """Highlight score s [B, T], one per input step (``score_upsample`` maps L -> T); with
        ``score_output='length'``, the decoded length s_i * mean |rho| (config.py says why)."""
        branch, inputs = self._inference_inputs(visual, audio)
        s = upsample_scores(self._scores(branch, inputs), inputs[0].shape[1], self.cfg.score_upsample)
        if self.cfg.score_output == "length":
            s = s * clip_magnitude(inputs).unsqueeze(-1)
        return s
