import pickle, sys
from highlit.datasets import load_dataset
d = {"tvsum": load_dataset("/work/shared/data/tvsum"), "youtube": load_dataset("/work/shared/data/youtube")}
pickle.dump(d, open("experiments/scratch/data.pkl", "wb"))
for k, v in d.items(): print(k, len(v), sum(x.n_steps for x in v), v[0].visual.shape, None if v[0].audio is None else v[0].audio.shape)
