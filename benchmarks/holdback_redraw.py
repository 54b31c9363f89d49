"""Fits that the privacy check stopped at its first looks: is it copying, or the held-back set?

Usage: python benchmarks/holdback_redraw.py [--dataset abalone] [--seeds 5 7 6] [--shifts 0 100 200]
                                            [--out results/bench/validation/holdback_redraw/redraw.csv]
Fits the default on the dataset's validation train rows (`validate_defaults.validation_splits`, no test row) with
each model seed, once with the rows the check holds back for that seed (shift 0) and once per other shift with the
held-back rows of seed + shift: the same weights at the start, other rows held back and so other rows trained on.
Records every look of the check (pass and DCR share), the kept pass, the fit time, and the TSTR ratios and DCR
share of one sample scored on the validation test and holdout rows. Diagnostic: no default is chosen by it.
"""

import json, warnings
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
from fastcore.script import Param
import tabdiffusion.synthesizer as synthesizer
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from validate_defaults import finish_run, record, validation_splits


def fit_with_shift(ds, vs, seed: int, shift: int):
    "The default fitted with model seed `seed` while the check holds back the rows it would hold back for seed+shift."
    original = synthesizer.holdback_rows
    synthesizer.holdback_rows = lambda n, fraction, s: original(n, fraction, s + shift)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return synthesizer.TabDiffusion(verbose=False, random_state=seed).fit(vs.train, target=ds.target)
    finally: synthesizer.holdback_rows = original


def run(dataset: str = "abalone",  # registry dataset
        seeds: Param("model seeds", int, nargs="+") = (5, 7, 6),
        shifts: Param("held-back seed shifts (0: the default's rows)", int, nargs="+") = (0, 100, 200),
        out: str = "results/bench/validation/holdback_redraw/redraw.csv",  # the CSV written row by row
        ):
    "Fit each seed with each held-back draw and record the check's looks and the sample's scores."
    a = SimpleNamespace(dataset=dataset, seeds=list(seeds), shifts=list(shifts), out=out)
    path = Path(a.out); path.parent.mkdir(parents=True, exist_ok=True)
    ds, vs = validation_splits(a.dataset)
    rows = []
    for seed in a.seeds:
        for shift in a.shifts:
            m = fit_with_shift(ds, vs, seed, shift)
            looks = [(r["epoch"] + 1, round(r["dcr_share"], 4), bool(r["check_ok"])) for r in m.history_
                     if "check_ok" in r]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sc = score_sample(ds, vs, m.sample(len(vs.train), random_state=seed), seed=seed, eval_seeds=(0,))
            record(rows, dict(dataset=a.dataset, model_seed=seed, shift=shift, first_look_share=looks[0][1],
                              first_look_ok=looks[0][2], looks=json.dumps(looks),
                              kept_epoch=m.privacy_check_["kept_epoch"], passed=m.privacy_check_["passed"],
                              fit_s=m.fit_seconds_, tstr_ratio_rf=sc["tstr_ratio_rf"],
                              tstr_ratio_gb=sc["tstr_ratio_gb"], dcr_share=sc["dcr_share"]), path)
    finish_run(path.parent, "redraw", vars(a), __doc__, rows, ["model_seed", "shift"],
               ["first_look_share", "kept_epoch", "tstr_ratio_rf", "dcr_share"])


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/holdback_redraw.py")


if __name__ == "__main__":
    main()
