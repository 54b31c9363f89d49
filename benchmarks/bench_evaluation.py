"""Time the evaluation module on a 50,000 x 30 mixed-type table (model fits timed separately).

Run: `python benchmarks/bench_evaluation.py [--rows 50000] [--fits]`. Prints one line per part, in seconds.
"""
import time

import numpy as np
import pandas as pd

from fastcore.script import call_parse, store_true
from tabdiffusion.evaluation import (column_report, dcr_distances, detection_auc, pair_report, privacy_scores,
                                     support_precision_recall, utility_scores)


def make_table(n: int, seed: int, n_num: int = 20, n_cat: int = 10) -> pd.DataFrame:
    "Correlated numerics (a few with missing values) and categoricals derived from them."
    r = np.random.default_rng(seed)
    z = r.normal(size=(n, 4))
    num = z @ r.normal(size=(4, n_num)) + r.normal(scale=0.5, size=(n, n_num))
    df = pd.DataFrame(num, columns=[f"num{i}" for i in range(n_num)])
    df.iloc[r.random(n) < 0.05, 0] = np.nan
    for j in range(n_cat):
        codes = np.digitize(z[:, j % 4] + r.normal(scale=0.7, size=n), [-1, 0, 1]) + r.integers(0, 2, n) * 4
        df[f"cat{j}"] = pd.Series(np.array(list("abcdefgh"))[codes], dtype="str")
    return df


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    print(f"{label:<34s}{time.perf_counter() - t:8.2f} s")
    return out


@call_parse
def main(rows: int = 50_000,  # rows of each table (train, holdout, synthetic, test)
         fits: store_true = False,  # also time TSTR model fits (quick, 1 seed)
         ):
    "Time each part of the evaluation on mixed-type tables of `rows` rows."
    n = rows
    train, holdout, synth, test = (make_table(n, s) for s in range(4))
    print(f"evaluation benchmark: {train.shape[0]:,} x {train.shape[1]} (train, holdout, synthetic)")
    t0 = time.perf_counter()
    timed("column_report (KS/TVD/missing)", lambda: column_report(train, synth))
    timed("pair_report (435 pairs)", lambda: pair_report(train, synth))
    timed("support precision/recall (5k)", lambda: support_precision_recall(train, synth))
    d = timed("dcr_distances (10k queries)", lambda: dcr_distances(train, synth, holdout))
    timed("privacy_scores (copies + MIA)", lambda: privacy_scores(train, synth, holdout, distances=d))
    print(f"{'total without model fits':<34s}{time.perf_counter() - t0:8.2f} s")
    timed("detection_auc (model fit, 10k+10k)", lambda: detection_auc(train, synth))
    if fits:
        timed("utility rf/gb/linear, 1 seed, quick", lambda: utility_scores(
            train, test, synth, target="num1", seeds=(0,), quick=True))
