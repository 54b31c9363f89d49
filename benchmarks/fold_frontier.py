"""Closeness against pair trends on the fold check's folds: how the default trades them as it trains, beside others.

Usage: python benchmarks/fold_frontier.py [--datasets diabetes pima] [--seeds 0 1]
                                          [--out results/bench/validation/fold_frontier/fold_frontier.csv]
On each small table's validation train rows (`validate_defaults.validation_splits`; no test row), for each seed the
fold check's four folds (`holdback.fold_rows`): TabDiffusion is fitted on a fold's training rows for a fixed number
of passes (no privacy check, no target trees), in the default and a few variants, and the Gaussian copula once. Each
draws 2,000 rows, scored by the check's equal-size DCR share against the fold's training and held-back rows
(`fold_null.fold_share`) and by the pair trends against the fold's training rows. A diagnostic: no default is chosen
by it; it shows where along training each setting comes as close to the rows as the copula does, and with what trends.
"""

import warnings
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
from fastcore.script import Param
from tabdiffusion.baselines import make_generator
from tabdiffusion.cli import call
from tabdiffusion.evaluation.fidelity import pair_report
from tabdiffusion.synthesizer import TabDiffusion
from fold_null import fold_share, validation_folds
from validate_defaults import finish_run

SETTINGS = {"default": {}, "width 64": dict(width=64), "batch 32": dict(batch_size=32),
            "dropout 0.2": dict(dropout=0.2)}
PASSES = (10, 25, 50, 100, 200)


def _scores(train: pd.DataFrame, held: pd.DataFrame, rows: pd.DataFrame) -> dict:
    return dict(share=fold_share(train, held, rows), trends=float(pair_report(train, rows).score.mean()))


def run(datasets: Param("registry datasets", str, nargs="+") = ("diabetes", "pima"),
        seeds: Param("fold and model seeds", int, nargs="+") = (0, 1),
        out: str = "results/bench/validation/fold_frontier/fold_frontier.csv",  # written after each fold
        ):
    "Share and pair trends of each setting after each number of passes, per table, seed and fold."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), out=out)
    path = Path(a.out); path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, ds, vs, seed, fold, tr, he in validation_folds(a.datasets, a.seeds):
            base = dict(dataset=name, seed=seed, fold=fold, n_train=len(tr))
            cop = make_generator("copula", random_state=seed).fit(tr, target=ds.target)
            rows.append(base | dict(setting="copula", passes=0, **_scores(tr, he, cop.sample(2000, random_state=seed))))
            for label, params in SETTINGS.items():
                for passes in PASSES:
                    m = TabDiffusion(epochs=passes, privacy_check=None, target_model=None, verbose=False,
                                     random_state=seed, **params).fit(tr, target=ds.target)
                    rows.append(base | dict(setting=label, passes=passes,
                                            **_scores(tr, he, m.sample(2000, random_state=seed))))
            pd.DataFrame(rows).to_csv(path, index=False)
    finish_run(path.parent, path.stem, vars(a), __doc__, rows, ["dataset", "setting", "passes"], ["share", "trends"])


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/fold_frontier.py")


if __name__ == "__main__":
    main()
