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
    print(f"{name:40s} tvsum {out[0]:.3f}  yt {out[1]:.3f}", flush=True)
def feats(v, kind):
    if kind == "rgb": return v.visual[:, :1024]
    if kind == "flow": return v.visual[:, 1024:]
    if kind == "vis": return v.visual
    if kind == "audio": return v.audio
def cos(x):
    n = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8); return n @ n.T
def sqd(x):
    s = (x * x).sum(1); return np.maximum(s[:, None] + s[None] - 2 * x @ x.T, 0) / x.shape[1]
for kind in ("rgb", "flow", "vis", "audio"):
    ev(f"{kind} norm", lambda v: np.linalg.norm(feats(v, kind), axis=1))
    ev(f"{kind} cos to mean", lambda v: cos(np.vstack([feats(v, kind).mean(0, keepdims=True), feats(v, kind)]))[0, 1:])
    ev(f"{kind} L2 dist to mean", lambda v: np.linalg.norm(feats(v, kind) - feats(v, kind).mean(0), axis=1))
    ev(f"{kind} mean cos to others", lambda v: cos(feats(v, kind)).mean(1))
    def dens(v, q=0.25, win=None):
        d = sqd(feats(v, kind)); thr = np.quantile(d, q)
        return (d < thr).sum(1).astype(float)
    ev(f"{kind} density(MSE<q25) [typical]", dens)
    ev(f"{kind} -density [distinct, Fig1]", lambda v: -dens(v))
    def knn(v, k=5):
        d = sqd(feats(v, kind)); d = np.sort(d, 1)[:, 1:k+1]; return d.mean(1)
    ev(f"{kind} kNN dist [distinct]", knn)
    ev(f"{kind} -kNN dist [typical]", lambda v: -knn(v))
    # normalised features then dist-to-mean
    def ndist(v):
        x = feats(v, kind); x = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8); return -np.linalg.norm(x - x.mean(0), axis=1)
    ev(f"{kind} -unitdist to mean [typical]", ndist)
