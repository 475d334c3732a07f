import time, torch, sys
sys.path.insert(0, '.')
torch.set_num_threads(1)
from highlit.model.config import ModelConfig
from highlit.model.network import RASLNet
for w in (64,):
    cfg = ModelConfig.preset("paper", window=w)
    m = RASLNet(cfg); opt = torch.optim.RMSprop(m.parameters(), 1e-4)
    x = torch.rand(8, w, 2048); a = torch.rand(8, w, 2048)
    for i in range(6):
        if i == 1: t = time.time()
        l = m(x, a); opt.zero_grad(); l.total.backward(); opt.step()
    print(w, (time.time() - t) / 5, {k: round(float(v), 3) for k, v in l.terms.items()}, sum(p.numel() for p in m.parameters()))
