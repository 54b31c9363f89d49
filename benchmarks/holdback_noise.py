"""Held-back-set noise of the privacy check (nbs/07b_holdback): equal-size DCR share of fresh real rows
against ten held-back sets. Usage: python benchmarks/holdback_noise.py abalone  (validation pool only; prints)."""
import numpy as np, pandas as pd, warnings, sys; warnings.simplefilter('ignore')
from tabdiffusion import load_dataset, make_splits
from tabdiffusion.holdback import holdback_rows, equal_size_share
from tabdiffusion.evaluation import TableEmbedding
from sklearn.neighbors import NearestNeighbors
ds = load_dataset(sys.argv[1], seed=0)
sp = make_splits(ds.df, target=ds.target, seed=0, task=ds.task)
vs = make_splits(pd.concat([sp.train, sp.holdout]), target=ds.target, seed=0, task=ds.task)
tr = vs.train; fresh = pd.concat([vs.holdout, vs.test])
out = []
for s in range(10):
    fit_pos, held = holdback_rows(len(tr), 0.25, s)
    train, hold = tr.iloc[fit_pos], tr.iloc[held]
    emb = TableEmbedding().fit(train); et, eh = emb.transform(train), emb.transform(hold)
    nt, nh = NearestNeighbors(n_neighbors=1).fit(et), NearestNeighbors(n_neighbors=2).fit(eh)
    q = emb.transform(fresh)
    dt, dh = nt.kneighbors(q)[0][:, 0], nh.kneighbors(q)[0][:, 0]
    fresh_share = equal_size_share((dt < dh).mean() + .5 * (dt == dh).mean(), len(train), len(hold))
    dt2, dh2 = nt.kneighbors(eh)[0][:, 0], nh.kneighbors(eh)[0][:, 1]  # held rows, leave one out
    loo = equal_size_share((dt2 < dh2).mean() + .5 * (dt2 == dh2).mean(), len(train), len(hold) - 1)
    out.append((fresh_share, loo))
o = np.array(out); print(sys.argv[1], 'N', len(train), 'H', len(hold)); print(o.round(3).T)
print('corr', np.corrcoef(o.T)[0, 1].round(3), 'sd fresh', o[:, 0].std().round(3), 'sd fresh-loo+0.5', (o[:, 0] - o[:, 1]).std().round(3))
