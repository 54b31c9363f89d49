"""Numeric values from the model, or stratified draws from the fitted marginals in the model's order?

Usage: python benchmarks/marginals_check.py [--datasets diamonds abalone ...] [--seeds 0 1 2]
                                            [--out results/bench/validation/marginals/part1]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (see
validate_defaults.py: the test rows are never read) and draws one sample twice with the same seed, so from the same
model values: once with `marginals='model'` (each numeric value decoded from the model's own score) and once with
`marginals='fitted'` (the scores replaced by stratified standard-normal draws in the same order,
`quantile.stratified_scores`). Both are scored by the benchmark's `score_sample`; a row per (dataset, seed,
marginals) goes to marginals.csv as it is scored, and marginals.json records the commit, versions and configuration.
"""

import warnings
from pathlib import Path
from types import SimpleNamespace
from fastcore.script import Param
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from decimals_check import DATASETS
from validate_defaults import TWIN_COLS, default_fits, finish_run, record

SETTINGS = ("model", "fitted")


def run(datasets: Param("registry datasets", str, nargs="+") = tuple(DATASETS),
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        out: str = "results/bench/validation/marginals/part1",  # folder of marginals.csv and marginals.json
        ):
    "Fit the default once per dataset and seed; score its sample with the model's and with the fitted marginals."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), settings=SETTINGS, out=out)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, ds, vs, seed, model, fit_s in default_fits(a.datasets, a.seeds, sample_precision="float32"):
        for marginals in SETTINGS:
            model.set_params(marginals=marginals)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                synth = model.sample(len(vs.train), random_state=seed)
                scores = score_sample(ds, vs, synth, seed=seed, eval_seeds=(0,))
            record(rows, dict(dataset=name, model_seed=seed, marginals=marginals, n_fit=len(vs.train), fit_s=fit_s,
                              **scores), out / "marginals.csv")
    finish_run(out, "marginals", vars(a), __doc__, rows, ["dataset", "marginals"], TWIN_COLS)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/marginals_check.py")


if __name__ == "__main__":
    main()
