"""Sample in bfloat16 or float32? Paired samples of the same fitted models on validation splits.

Usage: python benchmarks/precision_choice.py [--datasets diamonds abalone california pima] [--seeds 0 1 2]
                                             [--out results/bench/precision/part1]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (validate_defaults.py:
the test rows are never read). It then draws as many rows as the validation train three times: in float32 and in
bfloat16 with the same sample seed (the same noise draws; only the denoiser's arithmetic differs), and in float32
with a second seed (an A/A pair that shows the sample-to-sample noise). Each sample is scored by the benchmark's
`score_sample`. Beside the scores, each bfloat16 row records how close it stays to its float32 twin: the share of
categorical cells that agree and the median absolute difference of the numeric columns in units of their sd.
Writes precision.csv row by row and precision.json (commit, versions, CPU, configuration).
"""

import time, warnings
from pathlib import Path
from types import SimpleNamespace
import numpy as np
import pandas as pd
from fastcore.script import Param
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from tabdiffusion.hybrid import _has_amx
from validate_defaults import TWIN_COLS, default_fits, finish_run, record

SAMPLES = [("float32", 0), ("bfloat16", 0), ("float32", 1)]  # precision, sample seed offset


def closeness(a: pd.DataFrame, b: pd.DataFrame) -> dict:
    "How close two samples of the same seed are: categorical cells that agree; numeric |difference| / sd."
    num = [c for c in a.columns if pd.api.types.is_numeric_dtype(a[c]) and not pd.api.types.is_bool_dtype(a[c])]
    cat = [c for c in a.columns if c not in num]
    agree = np.mean([(a[c].astype(str).to_numpy() == b[c].astype(str).to_numpy()).mean() for c in cat]) if cat \
        else np.nan
    diffs = [np.nanmedian(np.abs(a[c].to_numpy(float) - b[c].to_numpy(float))) / (a[c].std() or 1.0) for c in num]
    return dict(cat_agree=agree, num_median_diff_sd=float(np.mean(diffs)) if diffs else np.nan)


def run(datasets: Param("registry datasets", str, nargs="+") = ("diamonds", "abalone", "california", "pima"),
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        out: str = "results/bench/precision/part1",  # folder of precision.csv and precision.json
        ):
    "Fit the default once per dataset and seed, then score its float32, bfloat16 and second float32 samples."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), samples=SAMPLES, out=out, amx=_has_amx())
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, ds, vs, seed, model, _ in default_fits(a.datasets, a.seeds, sample_precision="float32"):
        for precision, offset in SAMPLES:  # the first is float32 with offset 0: bfloat16's twin
            model.sample_precision = precision
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter(); synth = model.sample(len(vs.train), random_state=seed + 1000 * offset)
                sample_s = time.perf_counter() - t0
                scores = score_sample(ds, vs, synth, seed=seed, eval_seeds=(0,))
            if (precision, offset) == SAMPLES[0]: twin = synth
            near = closeness(twin, synth) if (precision, offset) == ("bfloat16", 0) else {}
            record(rows, dict(dataset=name, model_seed=seed, precision=precision, sample_offset=offset,
                              **scores, **near, sample_s=sample_s, fit_s=model.fit_seconds_), out / "precision.csv")
    finish_run(out, "precision", vars(a), __doc__, rows, ["dataset", "precision", "sample_offset"], TWIN_COLS)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/precision_choice.py")


if __name__ == "__main__":
    main()
