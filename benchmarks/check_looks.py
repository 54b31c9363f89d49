"""Experiment: the fold check of small tables with earlier looks and with a noise-aware pooled verdict.

Two internal functions are replaced for the run, then `validate_defaults.py` runs with the rest of the arguments:
- `train._check_epochs`: the looks start at `FIRST` x the planned passes (the library: 1/16) and there are `NCHECKS`
  of them, spaced geometrically up to the last pass (the library: 6);
- `holdback.pooled_checks`: a look passes when mean + `SE_MULT` x (sd over the folds / sqrt(folds)) of the folds' DCR
  shares is within the limit (the library: `SE_MULT` = 0, the mean alone).
The settings come from environment variables, e.g.
`FIRST=0.015625 NCHECKS=8 SE_MULT=1 python benchmarks/check_looks.py --datasets diabetes pima wine iris --specs
"tabdiffusion:prediction=v" --seeds 0 1 2 3 4 --out results/bench/validation/small/early_looks_se`.
Neither change is in the library: `results/bench/validation/small/early_looks*` record why."""
import os, sys
import numpy as np
import tabdiffusion.train as tr, tabdiffusion.holdback as hb

FIRST, N = float(os.environ.get('FIRST', 1/16)), int(os.environ.get('NCHECKS', 6))
SE = float(os.environ.get('SE_MULT', 0))


def _check_epochs(epochs, n_checks):
    if n_checks < 1: return set()
    lo = max(epochs * FIRST, 1)
    ends = [lo * (epochs / lo) ** (k / max(N - 1, 1)) for k in range(N)]
    return {int(round(e)) - 1 for e in ends} | {epochs - 1}


def pooled_checks(histories, limit):
    folds = [{r['epoch']: r['dcr_share'] for r in h if 'check_ok' in r} for h in histories]
    out = []
    for e in sorted(set().union(*folds)):
        v = np.array([f[max(k for k in f if k <= e)] for f in folds])
        s = float(v.mean()); u = s + SE * v.std(ddof=1) / np.sqrt(len(v))
        out.append((e, u <= limit, {'dcr_share': s, 'score': u, 'folds': len(histories)}))
    return out


if __name__ == '__main__':
    tr._check_epochs, hb.pooled_checks = _check_epochs, pooled_checks
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import validate_defaults
    validate_defaults.main(sys.argv[1:])
