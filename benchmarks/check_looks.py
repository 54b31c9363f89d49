"""Experiment: the fold check of small tables with earlier looks and with a noise-aware pooled verdict.

Two internal functions get other arguments for the run, then `validate_defaults.py` runs with the rest of the
arguments:
- `train._check_epochs(first=FIRST)` with `NCHECKS` looks: they start at `FIRST` x the planned passes (the library:
  1/16) and are spaced geometrically up to the last pass (the library: 6 looks);
- `holdback.pooled_checks(se_mult=SE_MULT)`: a look passes when mean + `SE_MULT` x (sd over the folds / sqrt(folds))
  of the folds' DCR shares is within the limit (the library: 0, the mean alone).
The settings come from environment variables, e.g.
`FIRST=0.015625 NCHECKS=8 SE_MULT=1 python benchmarks/check_looks.py --datasets diabetes pima wine iris --specs
"tabdiffusion:prediction=v" --seeds 0 1 2 3 4 --out results/bench/validation/small/early_looks_se`.
Neither setting is a library default: `results/bench/validation/small/early_looks*` record why."""
import functools, os, sys
import tabdiffusion.train as tr, tabdiffusion.holdback as hb

FIRST, N = float(os.environ.get('FIRST', 1/16)), int(os.environ.get('NCHECKS', 6))
SE = float(os.environ.get('SE_MULT', 0))


if __name__ == '__main__':
    looks = tr._check_epochs
    tr._check_epochs = lambda epochs, n_checks: looks(epochs, N if n_checks else 0, first=FIRST)
    hb.pooled_checks = functools.partial(hb.pooled_checks, se_mult=SE)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import validate_defaults
    validate_defaults.main(sys.argv[1:])
