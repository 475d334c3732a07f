"""Round 2 of the research: make s the only carrier of each step's magnitude, at full time resolution.

Two findings of round 1 (experiments/research.py, docs/results.md) motivate it:
- magnitude is the one label-free cue in these features, and the encoder can hide it in the direction of r
  even with ``gate_norm='l2'``; ``encoder_norm='l2'`` feeds F and E with rho/|rho| while Eq. (5) still
  reconstructs rho, so the decoder can only learn a step's size from s;
- on the 2 s clip grid, three stride-2 layers put one s on 8 clips (16 s); smoothing the RGB norm over
  9 clips alone drops it from 0.537 to 0.464 TVSum, so ``stride=1`` keeps one s per clip.

    python experiments/magnitude.py [--only NAME ...] [--seeds 0 1 2] [--steps 200]
"""

from __future__ import annotations

from common import run_variants, variant_parser

VARIANTS: dict[str, tuple[str, dict, str]] = {
    "default_s1": ("default", {"stride": 1}, "the default preset at full resolution (control)"),
    "magnitude": ("default", {"encoder_norm": "l2"}, "encoder sees rho/|rho|: s must carry the magnitude"),
    "magnitude_s1": ("default", {"encoder_norm": "l2", "stride": 1}, "the same at full resolution"),
    "magnitude_s1_kpoint": ("default", {"encoder_norm": "l2", "stride": 1, "kpoint": "contrast"},
                            "with the RASL k-point contrast, Eq. (8), back on"),
    "magnitude_s1_softmax": ("default", {"encoder_norm": "l2", "stride": 1, "score_activation": "softmax"},
                             "with a softmax budget on s"),
    # decoder_scale='s': the reconstructed length of step i IS s_i (times the clip's mean magnitude)
    "scale_s": ("default", {"score_activation": "softmax", "decoder_scale": "s"},
                "s sets each decoded step's length; the encoder sees magnitudes"),
    "scale_s_blind": ("default", {"score_activation": "softmax", "decoder_scale": "s", "encoder_norm": "l2"},
                      "s sets the length and must predict it from content (encoder sees rho/|rho|)"),
    "scale_s_s1": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1},
                   "scale_s at full resolution"),
    "scale_s_blind_s1": ("default", {"score_activation": "softmax", "decoder_scale": "s", "encoder_norm": "l2",
                                     "stride": 1}, "scale_s_blind at full resolution"),
    "scale_s_s1_none": ("default", {"score_activation": "none", "decoder_scale": "s", "stride": 1},
                        "unbounded s as the length in units of the clip's mean magnitude (no per-window budget)"),
    "scale_s_s1_l2": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                  "recon_loss": "l2"},
                      "one network for all YouTube domains: the control of the per-domain run in domains.py"),
    "scale_s_s1_lr3e-4": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1, "lr": 3e-4},
                          "scale_s_s1, faster learning: s has a defined target now, so it should converge"),
    "scale_s_s1_l2_lr3e-4": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                         "recon_loss": "l2", "lr": 3e-4},
                             "squared error: the best length is <rho_i, d_i> = |rho_i| cos(rho_i, d_i), "
                             "magnitude times how well the step's direction is reconstructed"),
    "scale_s_lr1e-3": ("default", {"score_activation": "softmax", "decoder_scale": "s", "lr": 1e-3},
                       "scale_s at the paper's lr (does s learn the length faster?)"),
    "scale_s_s1_length": ("default", {"score_activation": "softmax", "decoder_scale": "s", "stride": 1,
                                      "score_output": "length"},
                          "scale_s_s1's networks read as the decoded length s_i * window mean |rho| (comparable "
                          "across windows)"),
}
#: Variants that only read another variant's trained networks differently (no training of their own).
MODELS_OF = {"scale_s_s1_length": "scale_s_s1"}


def main() -> None:
    run_variants("magnitude", VARIANTS, variant_parser([0]).parse_args(), models_of=MODELS_OF)


if __name__ == "__main__":
    main()
