"""Fit and sample times of every baseline on one mid-size dataset, and SMOGN's run-time growth with rows.

Usage: python benchmarks/bench_baselines.py [--dataset california] [--sizes 1000 2000 4000 8000] [--quick]
The SMOGN scaling part is slow by design (smogn is O(n^2) in pure Python): minutes at 8,000 rows.
"""

import time, warnings
import pandas as pd
from fastcore.script import Param, store_true
from tabdiffusion.cli import call
from tabdiffusion.baselines import SMOGNGenerator, make_generator
from tabdiffusion.datasets import load_dataset, make_splits


def _time(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def bench_generators(ds, names, smogn_rows, seed=0):
    "Fit/sample seconds per generator on the train split of `ds` (SMOGN on a `smogn_rows` subsample)."
    train = make_splits(ds.df, target=ds.target, seed=seed).train
    rows = []
    for name in names:
        df = train.sample(min(smogn_rows, len(train)), random_state=seed) if name == "smogn" else train
        params = dict(max_runs=1) if name == "smogn" else {}
        try:
            gen, t_fit = _time(
                lambda: make_generator(name, random_state=seed, **params).fit(df, target=ds.target)
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SMOGN may return fewer rows than asked: counted below
                s, t_sample = _time(lambda: gen.sample(len(df), random_state=seed))
            rows.append(
                dict(generator=name, train_rows=len(df), fit_s=t_fit, sample_s=t_sample, rows_out=len(s))
            )
        except (ImportError, ValueError) as e:
            rows.append(dict(generator=name, train_rows=len(df), note=str(e)[:80]))
    return pd.DataFrame(rows)


def bench_smogn_scaling(ds, sizes, seed=0):
    "Seconds of one SMOGN run (`augment`) per number of rows."
    rows = []
    for n in sizes:
        df = ds.df.sample(n, random_state=seed).reset_index(drop=True)
        gen = SMOGNGenerator(random_state=seed).fit(df, target=ds.target)
        try:
            aug, t = _time(lambda: gen.augment(random_state=seed))
        except ValueError as e:  # e.g. no extreme target values in a small subsample
            rows.append(dict(rows=n, note=str(e)[:80]))
            continue
        rows.append(dict(rows=n, seconds=t, augmented_rows=len(aug)))
        print(f"  smogn {n:>6} rows: {t:8.1f} s", flush=True)
    out = pd.DataFrame(rows)
    out["growth_vs_prev"] = out.seconds / out.seconds.shift()
    return out


def run(dataset: str = "california",  # registry dataset
        generators: Param("generator names", str, nargs="+") = ("bootstrap", "marginals", "copula", "smote", "smogn",
                                                                 "ctgan", "tvae"),
        smogn_rows: int = 1000,  # SMOGN's training rows in the first table
        sizes: Param("training rows of the SMOGN growth table", int, nargs="+") = (1000, 2000, 4000, 8000),
        quick: store_true = False,  # tiny sizes, for a smoke test
        ):
    "Fit and sample time of every baseline on one dataset, and how SMOGN's run time grows with the rows."
    if quick:
        smogn_rows, sizes = 100, [200, 300]
    ds = load_dataset(dataset)
    print(f"dataset {ds.name}: {ds.df.shape[0]} x {ds.df.shape[1]}, target {ds.target}")
    print(bench_generators(ds, generators, smogn_rows).round(3).to_string(index=False))
    if sizes:
        print("SMOGN run time growth (one smogn.smoter run):")
        print(bench_smogn_scaling(ds, sizes).round(2).to_string(index=False))


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/bench_baselines.py")


if __name__ == "__main__":
    main()
