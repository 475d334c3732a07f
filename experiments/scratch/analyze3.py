import pickle, numpy as np
from highlit.metrics import dataset_map
D = pickle.load(open("experiments/scratch/data.pkl", "rb"))
def ev(name, fn):
    out = []
    for ds in ("tvsum", "youtube"):
        vids = D[ds]
        sc = {v.video_id: fn(v) for v in vids}
        r = dataset_map(ds, sc, {v.video_id: v.labels for v in vids}, {v.video_id: v.domain for v in vids})
        out.append(r["mean"])
    print(f"{name:45s} tvsum {out[0]:.3f}  yt {out[1]:.3f}", flush=True)
def unit(x): return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8)
for kind, sl in (("vis", slice(0, 2048)), ("rgb", slice(0, 1024))):
    X = np.concatenate([v.visual[:, sl] for v in D["youtube"]])
    for norm in (False, True):
        Xn = unit(X) if norm else X
        mu = Xn.mean(0)
        U, S, Vt = np.linalg.svd(Xn[::3] - mu, full_matrices=False)
        for k in (8, 32, 128):
            P = Vt[:k]
            def resid(v):
                x = v.visual[:, sl]; x = unit(x) if norm else x
                c = x - mu; return np.linalg.norm(c - (c @ P.T) @ P, axis=1)
            ev(f"{kind} unit={norm} PCA{k} resid [atypical]", resid)
            ev(f"{kind} unit={norm} PCA{k} -resid [typical]", lambda v: -resid(v))
        ev(f"{kind} unit={norm} cos to corpus mean", lambda v: unit(v.visual[:, sl]) @ (mu / np.linalg.norm(mu)))
        ev(f"{kind} unit={norm} proj on PC1", lambda v: (v.visual[:, sl] @ Vt[0]))
        ev(f"{kind} unit={norm} -proj on PC1", lambda v: -(v.visual[:, sl] @ Vt[0]))
