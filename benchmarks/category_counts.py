"""Classes of categorical columns drawn freely by the model, or with the training rows' class counts?

Usage: python benchmarks/category_counts.py [--datasets diamonds abalone adult] [--seeds 0 1 2]
                                            [--out results/bench/validation/category_counts/part1]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (see
validate_defaults.py: the test rows are never read) and draws one sample twice with the same seed, so from the same
reverse process: once with `category_counts='model'` (each row's classes drawn freely at the last reverse step) and
once with `category_counts='fitted'` (the last step's classes drawn with each class's training share of the rows,
`multinomial.counted_draw`; every numeric value stays the same). Both are scored by the benchmark's `score_sample`;
a row per (dataset, seed, setting), with the seconds the sample took, goes to category_counts.csv as it is scored,
and category_counts.json records the commit, versions and configuration. A class target is drawn freely either
way, so California and diabetes (no categorical column) and pima (only its target) would give the same rows twice.
"""

import time, warnings
from pathlib import Path
from types import SimpleNamespace
from fastcore.script import Param
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from validate_defaults import TWIN_COLS, default_fits, finish_run, record

DATASETS = ("diamonds", "abalone", "adult")  # the validation tables with a categorical column besides the target
SETTINGS = ("model", "fitted")


def twin_run(option: str, datasets: list, seeds: list, out: str, protocol: str):
    """Fit the default once per dataset and seed; score one sample drawn with `option` set to each of `SETTINGS`
    from the same seed. Rows go to `<out>/<option>.csv` (column `option`: the setting), the record to `<option>.json`."""
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), settings=SETTINGS, out=out)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, ds, vs, seed, model, fit_s in default_fits(a.datasets, a.seeds):
        for setting in SETTINGS:
            model.set_params(**{option: setting})
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = time.perf_counter()
                synth = model.sample(len(vs.train), random_state=seed)
                sample_s = time.perf_counter() - t0
                scores = score_sample(ds, vs, synth, seed=seed, eval_seeds=(0,))
            record(rows, {'dataset': name, 'model_seed': seed, option: setting, 'n_fit': len(vs.train),
                          'fit_s': fit_s, 'sample_s': sample_s, **scores}, out / f"{option}.csv")
    finish_run(out, option, vars(a), protocol, rows, ["dataset", option], TWIN_COLS + ["sample_s"])


def run(datasets: Param("registry datasets", str, nargs="+") = DATASETS,
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        out: str = "results/bench/validation/category_counts/part1",  # folder of category_counts.csv and .json
        ):
    "Fit the default once per dataset and seed; score its sample with freely drawn and with fitted class counts."
    twin_run("category_counts", datasets, seeds, out, __doc__)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/category_counts.py")


if __name__ == "__main__":
    main()
