import sys, numpy as np, torch
sys.path.insert(0, 'experiments'); sys.path.insert(0, '.')
from common import videos
from highlit import evaluate as ev
from highlit.checkpoint import load_checkpoint
from highlit.sequences import clip_windows, merge_scores
from highlit.model.rasl import upsample_scores
torch.set_num_threads(1)
path = sys.argv[1]; W = int(sys.argv[2]) if len(sys.argv) > 2 else 64
m, meta = load_checkpoint(path)
br = m.branches["visual"]
def parts(v):
    idx = clip_windows(v.n_steps, W); x = torch.from_numpy(v.visual[idx])
    with torch.no_grad():
        r, _ = br.encode(br.attend(x)); z = br.rasl.psi(r); logit = br.rasl.w(z.transpose(1, 2)).squeeze(-1)
        s = br.rasl(r)[1]
        rn = r.norm(dim=1)
    up = lambda t: merge_scores(upsample_scores(t, W, "linear").numpy(), idx, v.n_steps)
    return {"s": up(s), "logit": up(logit), "rnorm": up(rn)}
for ds in ("tvsum", "youtube"):
    P = {v.video_id: parts(v) for v in videos(ds)}
    allS = np.concatenate([p["s"] for p in P.values()])
    print(ds, "s range", allS.min(), allS.max(), "frac>0.99", (allS > 0.99).mean(), "unique frac", len(np.unique(allS.round(6))) / len(allS))
    for key in ("s", "logit", "rnorm"):
        r = ev.evaluate_model(lambda v: P[v.video_id][key], None, videos=videos(ds))
        c = np.mean([np.corrcoef(P[v.video_id][key], np.linalg.norm(v.visual[:, :1024], axis=1))[0, 1] for v in videos(ds)])
        print(f"  {key:6s} {r['mean']:.3f}  corr with rgb norm {c:+.2f}")
for ds in ("tvsum", "youtube"):
    r = ev.evaluate_model(lambda v: -parts(v)["s"], None, videos=videos(ds)); print(ds, "NEG s", round(r["mean"], 3))
    r = ev.evaluate_model(lambda v: np.abs(parts(v)["s"]), None, videos=videos(ds)); print(ds, "ABS s", round(r["mean"], 3))
