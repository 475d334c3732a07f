"""ModelConfig: every width, kernel, switch and ablation of the RASL network as one JSON-able value.

Why one flat dataclass: experiments (Table III/IV ablations, tuning) must be config changes, and a
checkpoint must carry the exact architecture it was trained with (``to_dict``/``from_dict``).

Choices the paper leaves open, and the value taken (see also docs in each module):
- Widths/kernels: encoder channels (128, 512, 512), kernel 3, stride 2, padding k//2, so a 150-step
  window gives 75 -> 38 -> 19 representation steps; attention inner width 32 instead of the literal
  d x d (four 2048 x 2048 matrices per modality are 33.5 M parameters against the paper's 8.53 M in
  Table VI, and ~5 s per training step on 2 cores). Layers that touch the d-wide FVS cost ~75-150 FLOPs
  per parameter, layers on the 19/38-step representation ~20-40, so the width sits in the deep layers:
  at d = 2048 this gives 8.59 M parameters and 0.83 GFLOPs (FlopCounterMode) for a pair of 150-step
  sequences, against Table VI's 8.53 M / 0.82 G. ``attn_dim=None`` restores the literal full width.
- The last decoder layer: ReLU (literal: "ReLU follows each deconvolutional layer"); this reproduces
  non-negative targets (I3D / EfficientNet / PANNs features) but not negative ones (log-mel, standardised
  inputs), hence the per-modality ``visual_output`` / ``audio_output`` switch and the validation below.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from highlit.errors import ConfigError

_CHOICES: dict[str, tuple[str, ...]] = {
    "score_activation": ("sigmoid", "none", "softmax"),
    "score_upsample": ("linear", "nearest"),
    "kpoint": ("contrast", "mean", "off"),
    "kpoint_select": ("s", "norm", "teacher", "prototype"),
    "fusion": ("scl", "none", "sum", "concat", "mlp", "lowrank"),
    "modalities": ("both", "visual", "audio"),
    "scl_negatives": ("time", "batch"),
    "gamma_mode": ("exp", "direct"),
    "mask_unit": ("step", "element"),
    "aux_score_source": ("main", "masked"),
    "recon_loss": ("l1", "l2"),
    "visual_output": ("relu", "none"),
    "audio_output": ("relu", "none"),
    "input_norm": ("none", "l2", "standardize"),
    "encoder_norm": ("none", "l2"),
    "decoder_scale": ("free", "s"),
    "gate_norm": ("none", "l2"),
    "score_output": ("activation", "logit", "length", "raw"),
}


@dataclass(frozen=True)
class ModelConfig:
    """Architecture + loss definition of RASLNet. Field comments name the paper's symbol."""

    # --- inputs (rho^v, rho^a) ---
    visual_dim: int = 2048  # d_rho^v: I3D RGB+flow on the benchmarks; 1280 (EfficientNet-Lite0) for raw video
    audio_dim: int = 2048  # d_rho^a (audio is interpolated to the visual dim for raw video)
    window: int = 150  # input steps per clip (30 s at 0.2 s)
    input_norm: str = "none"  # applied to rho before SA; the reconstruction target is the normalised rho
    # "l2": F and E see rho / |rho| per step while Eq. (5)/(10) still reconstruct rho itself. Nothing the
    # encoder computes then knows a step's magnitude, so r cannot carry it and the decoder can only get it
    # from s: s must learn to predict |rho_i| from what the step and its context look like (not in the paper).
    encoder_norm: str = "none"
    # "s": Eq. (5) keeps only the direction of each decoded step and takes its length from s:
    # rho_tilde_i = s_i * mean_j |rho_j| * D(s * r)_i / |D(s * r)_i| (s upsampled to input steps; the clip's
    # mean magnitude sets the unit, so a softmax s with mean 1 spreads it over the steps). Then s is
    # exactly the reconstructed magnitude and cannot be absorbed by the decoder (not in the paper).
    decoder_scale: str = "free"
    # --- Eq. (1)-(2) self-attention ---
    self_attention: bool = True  # False = "w/o SA" ablation (Table III)
    attn_dim: int | None = 32  # inner width of W_Q, W_K, W_V (W_O maps back); None = literal d x d
    # --- Eq. (3) encoder E / decoder D ---
    enc_channels: tuple[int, ...] = (128, 512, 512)  # 3 conv layers; decoder mirrors them
    kernel_size: int = 3
    stride: int = 2
    visual_output: str = "relu"  # activation after the last deconv of the visual decoder
    audio_output: str = "relu"
    # --- Eq. (4) RASL module: z = psi(r), s_i = sum_c w_c z_i[c] ---
    psi_channels: int = 128
    psi_kernel: int = 3
    score_activation: str = "sigmoid"  # sigmoid | none | softmax (over time, times L so mean(s)=1)
    score_temperature: float = 1.0  # softmax temperature tau (softmax only)
    score_upsample: str = "linear"  # how s (repr steps) maps back to input steps, see rasl.upsample_scores
    # What inference ranks by: the bounded s itself, or (sigmoid only) its pre-activation w . z, which is
    # monotone in s, so rankings agree wherever s is not saturated, and saturated steps stop tying.
    # "length" (decoder_scale='s' only): s times the window's mean |rho|, the length Eq. (5) decodes for the
    # step. Within a window it ranks as s does; across windows it undoes the softmax's mean-1 per window,
    # which otherwise gives a dull 30 s window as many high steps as an eventful one (not in the paper).
    # "raw": w . z before ANY activation (for a sigmoid the same as "logit"; "logit" keeps meaning the
    # softmax itself for a softmax s, as the stored research runs read it): a softmax ranks a window's steps
    # as its raw s does, but raw s also compares steps of different windows (not in the paper).
    score_output: str = "activation"
    # Eq. (5) decodes s * r; any s_i can be absorbed by the scale of r_i, so s need not carry anything.
    # "l2" decodes s * r / |r| (per step, over channels): s is then the only per-step magnitude.
    gate_norm: str = "none"
    # --- Eq. (6)-(8) k-point contrastive learning ---
    k: int = 10
    kpoint: str = "contrast"  # contrast = Eq. (8); mean = eta = mean top-k s ("w/o k-point"); off = no L_r
    # Which steps are Phi_k / Pi_k of Eq. (6)/(7): "s" = the k largest / smallest s (the paper); "norm" = the
    # k steps of largest / smallest input magnitude |rho_i| (averaged onto the representation steps; the visual
    # rho in a fused branch; input_norm must be 'none', which keeps the magnitude). Chosen
    # by s itself, Eq. (8) only ever raises the steps s already ranks first, the collapse of docs/results.md
    # item 2; chosen by the norm, the one label-free cue these features carry (item 1), it is a teacher
    # outside s: Eq. (8) then raises s where the magnitude is large, and with encoder_norm='l2' s must learn
    # which content comes with a large magnitude (the network analogue of item 19; not in the paper).
    # "teacher" (round 18, not in the paper): the visual (or fused) branch takes them from a per-step ranking that
    # pretraining passes in, a trained network's s mixed with the norm (highlit.teacher; `pretrain --teacher`);
    # an audio branch keeps its own norm as under "norm". "prototype" (round 25, not in the paper): the same, the
    # ranking being the step's direction rho_i/|rho_i| projected on the corpus's direction of large steps, fitted
    # by pretraining on its own corpus before the first step (highlit.teacher.fit_prototype; item 19 in numpy).
    kpoint_select: str = "s"
    kpoint_per_rank: bool = True  # literal W_hat_i / W_check_i per rank i; False = one shared pair
    kpoint_dim: int = 128  # output width of W_hat / W_check
    # --- Eq. (9) SCL / Table IV fusion ---
    fusion: str = "scl"  # scl | none (two branches, no L_s) | sum | concat | mlp | lowrank (one fused branch)
    modalities: str = "both"  # both | visual ("w/o audio") | audio ("w/o vision")
    scl_negatives: str = "time"  # negatives: other time steps of the same clip, or of the whole batch
    gamma_init: float = 3.1  # Gamma of Eq. (9)
    gamma_mode: str = "exp"  # exp: logits * exp(Gamma) (CLIP logit_scale); direct: logits * Gamma
    fusion_dim: int = 256  # output width of the mlp / lowrank fusion
    lowrank_rank: int = 4  # rank R of low-rank fusion [9]
    # --- Eq. (10) auxiliary masked FVS reconstruction ---
    aux_task: bool = True  # False = "w/o auxiliary" ablation
    mask_ratio: float = 0.5
    mask_unit: str = "step"  # step: hide whole feature vectors (exact count); element: Bernoulli per entry
    aux_score_source: str = "main"  # s in Eq. (10): the main path's s (literal symbol) or the masked path's
    # --- Eq. (5), (11) losses ---
    recon_loss: str = "l1"  # |.| of Eq. (5)/(10) as mean absolute error; l2 = mean squared error
    weight_e: float = 1.0
    weight_r: float = 1.0
    weight_au: float = 1.0
    weight_s: float = 1.0
    budget_weight: float = 0.0  # extra regulariser (mean_t s - budget_target)^2, not in the paper
    budget_target: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)  # free-form notes kept in checkpoints

    def __post_init__(self) -> None:
        object.__setattr__(self, "enc_channels", tuple(int(c) for c in self.enc_channels))
        self.validate()

    # ------------------------------------------------------------------ validation
    def validate(self) -> None:
        """Raise ConfigError (one line) for any value the network cannot be built or trained with."""
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ConfigError(f"model config {name}={value!r}: expected one of {', '.join(allowed)}")
        for name in ("visual_dim", "audio_dim", "window", "kernel_size", "stride", "psi_channels",
                     "psi_kernel", "kpoint_dim", "fusion_dim", "lowrank_rank"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"model config {name}={value!r}: expected a positive integer")
        if self.attn_dim is not None and (not isinstance(self.attn_dim, int) or self.attn_dim < 1):
            raise ConfigError(f"model config attn_dim={self.attn_dim!r}: expected a positive integer or null")
        if len(self.enc_channels) != 3 or any(c < 1 for c in self.enc_channels):
            raise ConfigError(f"model config enc_channels={self.enc_channels!r}: expected 3 positive widths")
        if not isinstance(self.k, int) or self.k < 0:
            raise ConfigError(f"model config k={self.k!r}: expected an integer >= 0")
        if not 0.0 <= self.mask_ratio < 1.0:
            raise ConfigError(f"model config mask_ratio={self.mask_ratio}: expected 0 <= ratio < 1")
        if not (math.isfinite(self.score_temperature) and self.score_temperature > 0):
            raise ConfigError(f"model config score_temperature={self.score_temperature}: expected > 0")
        for name in ("weight_e", "weight_r", "weight_au", "weight_s", "budget_weight"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ConfigError(f"model config {name}={value}: expected a finite weight >= 0")
        if not math.isfinite(self.budget_target):
            raise ConfigError(f"model config budget_target={self.budget_target}: expected a finite number")
        if not math.isfinite(self.gamma_init):
            raise ConfigError(f"model config gamma_init={self.gamma_init}: expected a finite number")
        if self.fusion in ("sum", "lowrank", "mlp", "concat") and self.modalities != "both":
            raise ConfigError(f"model config fusion={self.fusion!r} fuses two modalities: needs modalities='both'")
        if self.fusion == "sum" and self.visual_dim != self.audio_dim:
            raise ConfigError(
                f"model config fusion='sum' needs visual_dim == audio_dim (got {self.visual_dim}, {self.audio_dim})"
            )
        if self.input_norm == "standardize":
            for name in ("visual_output", "audio_output"):
                if getattr(self, name) == "relu":
                    raise ConfigError(
                        f"model config input_norm='standardize' makes negative targets: set {name}='none'"
                    )
        if self.decoder_scale == "s" and self.score_activation == "sigmoid":
            raise ConfigError("model config decoder_scale='s' needs score_activation 'softmax' or 'none' "
                              "(a sigmoid s cannot exceed the clip's mean magnitude)")
        if self.kpoint_select != "s" and self.kpoint == "off":
            raise ConfigError(f"model config kpoint_select={self.kpoint_select!r} chooses Eq. (8)'s k points: needs "
                              f"kpoint 'contrast' or 'mean'")
        if self.kpoint_select in ("teacher", "prototype") and self.modalities == "audio":
            raise ConfigError(f"model config kpoint_select={self.kpoint_select!r} ranks the visual steps: an "
                              f"audio-only model has none (use 'norm')")
        if self.kpoint_select in ("norm", "teacher") and self.input_norm != "none":
            raise ConfigError(f"model config kpoint_select={self.kpoint_select!r} ranks steps by their magnitude, "
                              f"which input_norm={self.input_norm!r} removes: needs input_norm='none'")
        if self.score_output == "length" and self.decoder_scale != "s":
            raise ConfigError("model config score_output='length' reads the decoded length: needs decoder_scale='s'")
        if self.repr_length(self.window) < 1:
            raise ConfigError(f"model config window={self.window} is too short for three stride-{self.stride} layers")

    # ------------------------------------------------------------------ derived sizes
    def repr_length(self, steps: int) -> int:
        """Length of r for an input of ``steps`` steps (three convs, padding kernel//2)."""
        n = steps
        pad = self.kernel_size // 2
        for _ in range(3):
            n = (n + 2 * pad - self.kernel_size) // self.stride + 1
        return n

    def k_for(self, repr_steps: int) -> int:
        """k clipped to floor(L/2) so the top-k (Eq. 6) and bottom-k (Eq. 7) sets never overlap.

        With the default window (150 -> 19 representation steps) the paper's k = 10 becomes 9.
        """
        if self.kpoint == "off":
            return 0
        return min(self.k, repr_steps // 2)

    @property
    def active_modalities(self) -> tuple[str, ...]:
        return {"both": ("visual", "audio"), "visual": ("visual",), "audio": ("audio",)}[self.modalities]

    @property
    def fused(self) -> bool:
        """Table IV schemes: fuse the self-attended FVSs and train ONE branch on the fused FVS."""
        return self.fusion in ("sum", "concat", "mlp", "lowrank")

    # ------------------------------------------------------------------ (de)serialisation
    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["enc_channels"] = list(self.enc_channels)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        if not isinstance(data, dict):
            raise ConfigError(f"model config must be a JSON object, got {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"model config has unknown field(s): {', '.join(unknown)}")
        try:
            return cls(**data)
        except TypeError as err:  # e.g. a list where an int belongs
            raise ConfigError(f"model config is malformed: {err}") from None

    def replace(self, **changes: Any) -> ModelConfig:
        """A validated copy with some fields changed (ablations are one call)."""
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ConfigError(f"model config has unknown field(s): {', '.join(unknown)}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def preset(cls, name: str, **changes: Any) -> ModelConfig:
        """Named configurations; ``changes`` override fields (e.g. ``visual_dim=1280``)."""
        if name not in PRESETS:
            raise ConfigError(f"unknown model preset {name!r}: expected one of {', '.join(PRESETS)}")
        return cls(**{**PRESETS[name], **changes})


#: Fields a ``--set`` may not change: the feature widths come from the features themselves, and ``extra``
#: is free-form (a JSON object, not one value).
_NOT_SETTABLE = ("visual_dim", "audio_dim", "extra")
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def parse_setting(text: str) -> tuple[str, Any]:
    """One ``FIELD=VALUE`` of the command line, typed by the field's default, so that any configuration an
    experiment trains (e.g. round 8's ``kpoint_select=norm``) is reachable from the CLI without a preset per
    experiment. Values are checked later, with every other field, by ``ModelConfig.validate``."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip().replace("-", "_"), raw.strip()
    fields = {f.name: f for f in dataclasses.fields(ModelConfig)}
    if not sep or not name:
        raise ConfigError(f"--set {text!r}: expected FIELD=VALUE (e.g. kpoint_select=norm)")
    if name not in fields or name in _NOT_SETTABLE:
        settable = ", ".join(n for n in fields if n not in _NOT_SETTABLE)
        raise ConfigError(f"--set {name}: not a settable model config field (one of: {settable})")
    default = fields[name].default
    nullable = "None" in str(fields[name].type)  # attn_dim: None is the literal full width
    if nullable and raw.lower() in ("none", "null"):
        return name, None
    kinds = {bool: "true or false", int: "an integer", float: "a number", tuple: "comma-separated integers"}
    kind = kinds.get(type(default), "a value") + (" or none" if nullable else "")
    try:
        if isinstance(default, bool):
            if raw.lower() not in _TRUE + _FALSE:
                raise ValueError
            return name, raw.lower() in _TRUE
        if isinstance(default, tuple):
            return name, tuple(int(c) for c in raw.split(","))
        return name, type(default)(raw)  # int, float or str, like the default
    except ValueError:
        raise ConfigError(f"--set {name}={raw!r}: expected {kind}") from None


def with_settings(cfg: ModelConfig, settings: list[str] | None) -> ModelConfig:
    """``cfg`` with each ``FIELD=VALUE`` applied in order (a later one wins), validated as a whole."""
    changes = dict(parse_setting(text) for text in settings or ())
    return cfg.replace(**changes) if changes else cfg


# "paper": the literal reading of Section III (sigmoid s, k-point on, SCL, masked auxiliary task, L1,
# ReLU everywhere, no input normalisation); only the widths are ours, chosen for Table VI's budget.
# "default": see below and docs/results.md.
# "budget": the variant that a short fit shows to rank a distinct segment (softmax budget on s, no
# k-point); see tests/test_model_training.py and docs/notes on the s collapse.
PRESETS: dict[str, dict[str, Any]] = {
    "paper": {},
    # chosen by experiments (docs/results.md): no Eq. (8) (with or without a budget it does not help on the
    # benchmark features) and s * r / |r| so s has to carry each step's magnitude; sigmoid s, lr 1e-4.
    # Best of the variants tried on YouTube mAP (3 seeds) and on TVSum, but still below the RGB-norm baseline.
    "default": {"kpoint": "off", "gate_norm": "l2", "score_output": "logit"},
    "budget": {"score_activation": "softmax", "kpoint": "off"},
    # for fitting one network on the videos it will score (a folder of same-kind footage, the detect default):
    # s is each decoded step's length under squared error, read as the decoded length. Fitted per category on
    # the benchmark features (no labels) it is the one configuration that reaches the RGB-norm baseline on TVSum
    # and passes it on YouTube (level with it on held-out videos; docs/results.md, items 12-14). Stride 2 on the
    # 0.2 s grid puts one s on every 1.6 s; the benchmarks' 2 s clip grid needs stride=1 for one s per clip.
    "fit": {"kpoint": "off", "gate_norm": "l2", "score_activation": "softmax", "decoder_scale": "s",
            "recon_loss": "l2", "score_output": "length"},
}
