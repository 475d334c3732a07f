"""Throwaway RASL prototype on the clip grid, to test hypotheses before the real model lands."""
import argparse, json, pickle, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from highlit.metrics import dataset_map
torch.set_num_threads(1)
p = argparse.ArgumentParser()
p.add_argument("--gate", default="softmax")     # sigmoid | none | softmax
p.add_argument("--tau", type=float, default=1.0)
p.add_argument("--kpoint", type=int, default=0)  # 0 off, 1 literal eq 8
p.add_argument("--k", type=int, default=4)
p.add_argument("--scl", type=float, default=1.0)
p.add_argument("--aux", type=float, default=1.0)
p.add_argument("--lr", type=float, default=1e-4)
p.add_argument("--steps", type=int, default=300)
p.add_argument("--T", type=int, default=64)
p.add_argument("--strides", default="2,2,2")
p.add_argument("--seed", type=int, default=0)
p.add_argument("--sa", type=int, default=1)
p.add_argument("--target", default="raw")   # raw | unit (magnitude-normalised recon target)
p.add_argument("--score", default="logit")  # logit | err
p.add_argument("--train", default="youtube")
p.add_argument("--tag", default="")
a = p.parse_args()
torch.manual_seed(a.seed); rng = np.random.default_rng(a.seed)
D = pickle.load(open("experiments/scratch/data.pkl", "rb"))
strides = [int(s) for s in a.strides.split(",")]

class Branch(nn.Module):
    def __init__(s, d=2048, da=128, ch=(256, 128, 128)):
        super().__init__()
        s.q, s.kk, s.v, s.o = nn.Linear(d, da), nn.Linear(d, da), nn.Linear(d, da), nn.Linear(da, d)
        enc, dec, c = [], [], d
        for st, co in zip(strides, ch):
            enc += [nn.Conv1d(c, co, 4 if st == 2 else 3, st, 1), nn.ReLU()]; c = co
        chs = [d] + list(ch)
        for i in reversed(range(3)):
            st = strides[i]
            dec += [nn.ConvTranspose1d(chs[i + 1], chs[i], 4 if st == 2 else 3, st, 1), nn.ReLU()]
        s.enc, s.dec = nn.Sequential(*enc), nn.Sequential(*dec)
        s.psi = nn.Conv1d(c, c, 3, 1, 1); s.w = nn.Linear(c, 1, bias=False)
        s.ph, s.pc = nn.Linear(c, 64), nn.Linear(c, 64)
    def sa(s, x):
        if not a.sa: return x
        att = torch.softmax(s.q(x) @ s.kk(x).transpose(1, 2) / s.q.out_features ** .5, -1)
        return x + s.o(att @ s.v(x))
    def encode(s, x):  # x B,T,D
        return s.enc(s.sa(x).transpose(1, 2))  # B,C,t
    def act(s, r):
        z = s.psi(r); logit = s.w(z.transpose(1, 2)).squeeze(-1)  # B,t
        if a.gate == "sigmoid": g = torch.sigmoid(logit)
        elif a.gate == "none": g = logit
        else: g = logit.shape[1] * torch.softmax(logit / a.tau, -1)
        return z, logit, g
    def forward(s, x):
        r = s.encode(x); z, logit, g = s.act(r)
        y = s.dec(r * g.unsqueeze(1)).transpose(1, 2)
        return r, z, logit, g, y

def kpoint(br, z, g):
    k = min(a.k, g.shape[1] // 2)
    top = torch.topk(g, k, 1).indices; bot = torch.topk(-g, k, 1).indices
    zt = z.transpose(1, 2)
    zh = torch.gather(zt, 1, top[..., None].expand(-1, -1, zt.shape[2])); zc = torch.gather(zt, 1, bot[..., None].expand(-1, -1, zt.shape[2]))
    sim = F.cosine_similarity(F.layer_norm(br.ph(zh), (64,)), F.layer_norm(br.pc(zc), (64,)), dim=-1)
    sh = torch.gather(g, 1, top)
    eta = (sh * (1 - sim)).mean(1) if a.kpoint == 1 else sh.mean(1)
    return -F.logsigmoid(eta).mean()

vis, aud = Branch(), Branch()
logscale = nn.Parameter(torch.tensor(np.log(3.1), dtype=torch.float32))
params = list(vis.parameters()) + list(aud.parameters()) + [logscale]
opt = torch.optim.RMSprop(params, lr=a.lr)
train = [v for v in D[a.train] if v.audio is not None]
def window(v, T):
    n = v.n_steps; idx = np.arange(max(T, n)) % n
    st = rng.integers(0, max(n - T, 0) + 1); idx = idx[st:st + T] if n >= T else idx[:T]
    return v.visual[idx], v.audio[idx]
def target(x):
    return x / (x.norm(dim=-1, keepdim=True) + 1e-6) if a.target == "unit" else x
t0 = time.time()
for step in range(a.steps):
    b = [window(train[i], a.T) for i in rng.integers(0, len(train), 8)]
    xv = torch.tensor(np.stack([x for x, _ in b])); xa = torch.tensor(np.stack([y for _, y in b]))
    loss = 0; reps = []
    for br, x in ((vis, xv), (aud, xa)):
        r, z, logit, g, y = br(x)
        loss = loss + (y - target(x)).abs().mean()
        if a.kpoint: loss = loss + kpoint(br, z, g)
        if a.aux:
            m = (torch.rand(x.shape[0], x.shape[1], 1) > 0.5).float()
            r2 = br.encode(x * m); _, _, g2 = br.act(r2)
            loss = loss + a.aux * (br.dec(r2 * g2.unsqueeze(1)).transpose(1, 2) - target(x)).abs().mean()
        reps.append(r)
    if a.scl:
        rv = F.normalize(reps[0].transpose(1, 2).reshape(-1, reps[0].shape[1]), dim=-1)
        ra = F.normalize(reps[1].transpose(1, 2).reshape(-1, reps[1].shape[1]), dim=-1)
        lg = logscale.exp() * rv @ ra.T; lab = torch.arange(len(rv))
        loss = loss + a.scl * (F.cross_entropy(lg, lab) + F.cross_entropy(lg.T, lab)) / 2
    opt.zero_grad(); loss.backward(); opt.step()
train_s = time.time() - t0

@torch.no_grad()
def score(v):
    n, T = v.n_steps, a.T
    idx = np.arange(max(T, n)) % n
    starts = list(range(0, max(n - T, 0) + 1, T // 2))
    if starts[-1] + T < n: starts.append(n - T)
    out = np.zeros(n); cnt = np.zeros(n)
    for st in starts:
        ii = idx[st:st + T]; x = torch.tensor(v.visual[ii])[None]
        r = vis.encode(x); z, logit, g = vis.act(r)
        if a.score == "err":
            y = vis.dec(r * g.unsqueeze(1)).transpose(1, 2); s = (y - target(x)).abs().mean(-1)[0].numpy()
        else:
            s = F.interpolate(logit[:, None], size=T, mode="linear", align_corners=False)[0, 0].numpy()
        s = s - s.mean()
        np.add.at(out, ii, s); np.add.at(cnt, ii, 1)
    return out / np.maximum(cnt, 1)
res = {}
for ds in ("tvsum", "youtube"):
    vids = D[ds]; sc = {v.video_id: score(v) for v in vids}
    res[ds] = dataset_map(ds, sc, {v.video_id: v.labels for v in vids}, {v.video_id: v.domain for v in vids})["mean"]
    corr = np.mean([np.corrcoef(sc[v.video_id], np.linalg.norm(v.visual[:, :1024], axis=1))[0, 1] for v in vids])
    res[ds + "_normcorr"] = float(corr)
res.update(vars(a)); res["train_s"] = round(train_s, 1)
print(json.dumps(res), flush=True)
