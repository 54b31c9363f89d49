"""Does rounding 'float' columns to the decimal places seen in training (`ColumnSpec.decimals`) help or hurt?

Usage: python benchmarks/decimals_check.py [--datasets diamonds abalone ...] [--seeds 0 1 2]
                                           [--out results/bench/validation/decimals/part1]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (see
validate_defaults.py: the test rows are never read) and draws one sample twice from the same seed, so from the same
model values: once decoded as the default decodes (rounded to each column's decimals), once with the rounding
switched off. Both are scored by the benchmark's `score_sample`; a row per (dataset, seed, decoding) goes to
decimals.csv as it is scored, and decimals.json records the commit, versions and configuration.
"""

import json, warnings
from pathlib import Path
from types import SimpleNamespace
from fastcore.script import Param
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from validate_defaults import TWIN_COLS, default_fits, finish_run, record

DATASETS = ["diamonds", "abalone", "california", "pima", "nlschools", "schooling"]


def unrounded(model):
    "Switch the fitted model's decimal rounding off; returns the {column: decimals} it had."
    was = {c.name: c.decimals for c in model.transformer_.schema_.columns if c.decimals is not None}
    for c in model.transformer_.schema_.columns: c.decimals = None
    return was


def run(datasets: Param("registry datasets", str, nargs="+") = tuple(DATASETS),
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        out: str = "results/bench/validation/decimals/part1",  # folder of decimals.csv and decimals.json
        ):
    "Fit the default once per dataset and seed; score its sample rounded and not rounded."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), out=out)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, ds, vs, seed, model, fit_s in default_fits(a.datasets, a.seeds):
        samples = {"rounded": model.sample(len(vs.train), random_state=seed)}
        decimals = unrounded(model)
        samples["not rounded"] = model.sample(len(vs.train), random_state=seed)
        for decoding, synth in samples.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scores = score_sample(ds, vs, synth, seed=seed, eval_seeds=(0,))
            record(rows, dict(dataset=name, model_seed=seed, decoding=decoding, n_fit=len(vs.train),
                              rounded_columns=len(decimals), decimals=json.dumps(decimals), fit_s=fit_s,
                              **scores), out / "decimals.csv")
    finish_run(out, "decimals", vars(a), __doc__, rows, ["dataset", "decoding"], TWIN_COLS)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/decimals_check.py")


if __name__ == "__main__":
    main()
