"""Numeric columns' dependence as the model draws it, or moved least to the training scores' correlation?

Usage: python benchmarks/correlations_check.py [--datasets diamonds abalone california adult diabetes pima]
                                               [--seeds 0 1 2] [--out results/bench/validation/correlations/part1]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (see
validate_defaults.py: the test rows are never read) and draws one sample twice with the same seed, so from the same
reverse process: once with `correlations='model'` and once with `correlations='fitted'` (each chunk's normal scores
of the numeric columns but a numeric target moved least to the training scores' correlation,
`quantile.match_correlation`, then stratified again). Both are scored by the benchmark's `score_sample`; a row per
(dataset, seed, setting), with the seconds the sample took, goes to correlations.csv as it is scored, and
correlations.json records the commit, versions and configuration.
"""

from fastcore.script import Param
from tabdiffusion.cli import call
from category_counts import twin_run

DATASETS = ("diamonds", "abalone", "california", "adult", "diabetes", "pima")


def run(datasets: Param("registry datasets", str, nargs="+") = DATASETS,
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        out: str = "results/bench/validation/correlations/part1",  # folder of correlations.csv and .json
        ):
    "Fit the default once per dataset and seed; score its sample with the model's and with matched correlations."
    twin_run("correlations", datasets, seeds, out, __doc__)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/correlations_check.py")


if __name__ == "__main__":
    main()
