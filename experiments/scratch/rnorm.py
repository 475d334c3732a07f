"""Scratch: normalise r per step before the gate (monkeypatch), so s is the only per-step magnitude."""
import sys
sys.path.insert(0, "experiments"); sys.path.insert(0, ".")
import torch
from common import run_variant
from highlit.model import network

mode = sys.argv[1]
def decode(self, s, r, lengths):
    rn = torch.nn.functional.normalize(r, dim=1, eps=1e-6) if mode == "l2" else r / (r.norm(dim=1, keepdim=True).mean(-1, keepdim=True) + 1e-6)
    return self.decoder(s.unsqueeze(1) * rn, lengths).transpose(1, 2)
network.Branch.decode = decode
V = {
    "rnorm_sigmoid_nokpoint": ({"kpoint": "off"}, 1e-4),
    "rnorm_softmax_nokpoint": ({"kpoint": "off", "score_activation": "softmax"}, 1e-4),
    "rnorm_sigmoid_kpoint": ({}, 1e-4),
    "rnorm_none_nokpoint": ({"kpoint": "off", "score_activation": "none"}, 1e-4),
    "rnorm_none_nokpoint_s1": ({"kpoint": "off", "score_activation": "none", "stride": 1}, 1e-4),
    "rnorm_sigmoid_nokpoint_s1": ({"kpoint": "off", "stride": 1}, 1e-4),
    "rnorm_softmax_nokpoint_s1": ({"kpoint": "off", "score_activation": "softmax", "stride": 1}, 1e-4),
}
for name in sys.argv[2:]:
    ch, lr = V[name]
    run_variant("scratch_rnorm_" + mode, name, "paper", ch, seeds=(0,), steps=150, lr=lr, window=64)
