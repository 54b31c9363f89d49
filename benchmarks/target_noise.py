"""The target model in isolation (nbs/07c_target): TSTR of real X with the redrawn target, on validation rows.
Usage: python benchmarks/target_noise.py schooling  (prints; run from the repository root)."""
import numpy as np, pandas as pd, warnings, sys; warnings.simplefilter('ignore')
sys.path.insert(0, __import__('os').path.dirname(__file__))
from validate_defaults import validation_splits
from tabdiffusion.data import TabularTransformer
from tabdiffusion.target import TargetModel, target_column
from tabdiffusion.evaluation import evaluate, detect_task
ds, vs = validation_splits(sys.argv[1]); tr = vs.train
tt = TabularTransformer(random_state=0).fit(tr)
xn, xc = tt.transform(tr)
tm = TargetModel(target_column(tt, ds.target), detect_task(tr[ds.target]), 0).fit(xn, xc)
for name, syn in [('real', tr), ('real X + TM y', tt.inverse_transform(*tm.sample(xn, xc, np.random.default_rng(0))))]:
    ev = evaluate(tr, vs.test, syn, target=ds.target, task=ds.task, seeds=(0,), models=('rf','gb'), privacy=False)
    print(name, {k: round(v, 3) for k, v in ev.utility.items() if 'ratio' in k or 'r2' in k})
print('trees', len(tm.booster_['trees']))
syn = tt.inverse_transform(*tm.sample(xn, xc, np.random.default_rng(0)))
y, ys = tr[ds.target], syn[ds.target]
print(pd.DataFrame({'real': y.describe(), 'tm': ys.describe()}).T.round(3))
print('at bounds', ((ys == y.min()) | (ys == y.max())).mean(), 'real', ((y == y.min()) | (y == y.max())).mean())
z = xn[:, target_column(tt, ds.target)[1]]; zs = tm.sample(xn, xc, np.random.default_rng(0))[0][:, target_column(tt, ds.target)[1]]
print('z real', np.percentile(z, [0, 1, 50, 99, 100]).round(2), 'z tm', np.percentile(zs, [0, 1, 50, 99, 100]).round(2))
print('resid q bins', tm.resid_q_[:, [0, 1, 20, 39, 40]].round(2))
