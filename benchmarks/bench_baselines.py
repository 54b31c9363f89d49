"""Fit and sample times of every baseline on one mid-size dataset, and SMOGN's run-time growth with rows.

Usage: python benchmarks/bench_baselines.py [--dataset california] [--sizes 1000 2000 4000 8000] [--quick]
The SMOGN scaling part is slow by design (smogn is O(n^2) in pure Python): minutes at 8,000 rows.
"""

import argparse, time, warnings
import pandas as pd
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


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="california")
    p.add_argument(
        "--generators",
        nargs="+",
        default=["bootstrap", "marginals", "copula", "smote", "smogn", "ctgan", "tvae"],
    )
    p.add_argument("--smogn-rows", type=int, default=1000, help="SMOGN's training rows in the first table")
    p.add_argument("--sizes", nargs="+", type=int, default=[1000, 2000, 4000, 8000])
    p.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    a = p.parse_args(argv)
    if a.quick:
        a.smogn_rows, a.sizes = 100, [200, 300]
    ds = load_dataset(a.dataset)
    print(f"dataset {ds.name}: {ds.df.shape[0]} x {ds.df.shape[1]}, target {ds.target}")
    print(bench_generators(ds, a.generators, a.smogn_rows).round(3).to_string(index=False))
    if a.sizes:
        print("SMOGN run time growth (one smogn.smoter run):")
        print(bench_smogn_scaling(ds, a.sizes).round(2).to_string(index=False))


if __name__ == "__main__":
    main()
