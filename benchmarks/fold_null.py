"""How strict is the fold check on tiny tables? The equal-size DCR share of simple generators on its folds.

Usage: python benchmarks/fold_null.py [--datasets diabetes pima] [--seeds 0 1 ... 9]
                                      [--out results/bench/validation/fold_null/fold_null.csv]
On each small table's validation train rows (`validate_defaults.validation_splits`; no test row), for each seed the
fold check's four folds (`holdback.fold_rows`): fit a generator on a fold's training rows, draw 2,000 rows and
measure, as the check does (`TableEmbedding` fitted on the fold's training rows, nearest neighbours,
`holdback.equal_size_share`), the share of rows nearer the fold's training rows than its held-back rows. The
generators: the Gaussian copula, independent marginals, and, as the floor, the validation holdout's real rows (never
in any fold). Diagnostic: no default is chosen by it.
"""

import warnings
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
from fastcore.script import Param
from sklearn.neighbors import NearestNeighbors
from tabdiffusion.baselines import make_generator
from tabdiffusion.cli import call
from tabdiffusion.evaluation.fidelity import TableEmbedding
from tabdiffusion.evaluation.privacy import dcr_share
from tabdiffusion.holdback import equal_size_share, fold_rows
from validate_defaults import finish_run, validation_splits

GENERATORS = ("copula", "marginals")
REAL = "real holdout rows"


def fold_share(train: pd.DataFrame, held: pd.DataFrame, rows: pd.DataFrame) -> float:
    "The check's equal-size DCR share of `rows` against a fold's training and held-back rows."
    emb = TableEmbedding().fit(train)
    q = emb.transform(rows)
    d_train, d_held = (NearestNeighbors(n_neighbors=1).fit(emb.transform(x)).kneighbors(q)[0][:, 0]
                       for x in (train, held))
    raw = dcr_share(pd.DataFrame({"dcr_train_share": d_train, "dcr_holdout": d_held}))  # ties count half
    return equal_size_share(raw, len(train), len(held))


def validation_folds(datasets: list, seeds: list):
    """Per small table, seed and fold of the fold check (`holdback.fold_rows` on the validation train rows):
    (name, dataset, validation splits, seed, fold, the fold's training rows, its held-back rows)."""
    for name in datasets:
        ds, vs = validation_splits(name)
        df = vs.train.reset_index(drop=True)
        for seed in seeds:
            for fold, (fit, held) in enumerate(fold_rows(len(df), 4, seed)):
                yield name, ds, vs, seed, fold, df.iloc[fit], df.iloc[held]


def run(datasets: Param("registry datasets", str, nargs="+") = ("diabetes", "pima"),
        seeds: Param("fold seeds", int, nargs="+") = tuple(range(10)),
        out: str = "results/bench/validation/fold_null/fold_null.csv",  # the CSV written at the end
        ):
    "The fold shares of each generator (and of real rows) on each table and seed."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), out=out)
    path = Path(a.out); path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, ds, vs, seed, fold, tr, he in validation_folds(a.datasets, a.seeds):
            base = dict(dataset=name, seed=seed, fold=fold, n_train=len(tr), n_held=len(he))
            for gen in GENERATORS:
                g = make_generator(gen, random_state=seed).fit(tr, target=ds.target)
                rows.append(base | dict(generator=gen, share=fold_share(tr, he, g.sample(2000, random_state=seed))))
            rows.append(base | dict(generator=REAL, share=fold_share(tr, he, vs.holdout)))
    pd.DataFrame(rows).to_csv(path, index=False)
    finish_run(path.parent, path.stem, vars(a), __doc__, rows, ["dataset", "generator"], ["share"])


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/fold_null.py")


if __name__ == "__main__":
    main()
