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
def cos(x):
    n = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8); return n @ n.T
def sqd(x):
    s = (x * x).sum(1); return np.maximum(s[:, None] + s[None] - 2 * x @ x.T, 0) / x.shape[1]
def rk(x): return np.argsort(np.argsort(x)) / max(len(x) - 1, 1)
V = lambda v: v.visual
ev("vis 1-meancos (direction distinct)", lambda v: -cos(V(v)).mean(1))
def wdens(v, w, q):
    x = V(v); d = sqd(x); n = len(x); thr = np.quantile(d, q)
    i = np.arange(n); m = np.abs(i[:, None] - i[None]) <= w
    return -((d < thr) & m).sum(1) / m.sum(1)
for w in (3, 7, 15, 1000):
    for q in (0.1, 0.25, 0.5):
        ev(f"Fig1 distinct window+-{w} q{q}", lambda v: wdens(v, w, q))
def knn(v, k):
    d = sqd(V(v)); return np.sort(d, 1)[:, 1:k+1].mean(1)
for k in (1, 3, 10, 20):
    ev(f"kNN dist k={k}", lambda v: knn(v, k))
ev("rank(norm)+rank(knn5)", lambda v: rk(np.linalg.norm(V(v), axis=1)) + rk(knn(v, 5)))
ev("norm of mean-removed rgb? (=dist)", lambda v: np.linalg.norm(V(v) - np.median(V(v), 0), axis=1))
ev("norm smoothed 3", lambda v: np.convolve(np.linalg.norm(V(v), axis=1), np.ones(3) / 3, "same"))
ev("norm smoothed 5", lambda v: np.convolve(np.linalg.norm(V(v), axis=1), np.ones(5) / 5, "same"))
ev("sum of features (L1)", lambda v: V(v).sum(1))
ev("rgb L1", lambda v: v.visual[:, :1024].sum(1))
ev("max activation", lambda v: V(v).max(1))
ev("frac nonzero-ish >0.1", lambda v: (V(v) > 0.1).mean(1))
