"""Where the TSTR gap sits: the synthetic X, the target drawn for it, or too little training?

Usage: python benchmarks/tstr_gap.py [--datasets california adult abalone] [--seeds 0 1 2] [--long 2]
                                     [--out results/bench/validation/tstr_gap/gap.csv]
On each dataset's validation split (`validate_defaults.validation_splits`: train and holdout rows of the seed-0
split, re-split; no test row), fits the default with each model seed and scores, on the validation test rows, the
TSTR ratios (RF, GB) of five tables of as many rows as the validation train rows:
  default     the default's sample (its target as `fit` chose: diffusion or trees, `target_choice`);
  diffusion_y the same draw of X with the diffusion's own target;
  trees_y     the same draw of X with the target redrawn by boosted trees fitted on every validation train row;
  real_trees  the real validation train rows with the target redrawn by those trees (X perfect, y | x the trees');
  long        the default's sample from a second fit that plans `long` times the default's passes (the privacy
              check still keeps the latest passing checkpoint); omitted with --long 0.
Diagnostic: no default is chosen by it.
"""

import json, time, warnings
from pathlib import Path
from types import SimpleNamespace
import numpy as np
from fastcore.script import Param
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from tabdiffusion.holdback import auto_epochs
from tabdiffusion.target import TargetModel, target_column
from validate_defaults import finish_run, fit_default, record, validation_splits

SCORES = ("tstr_ratio_rf", "tstr_ratio_gb")


def _utility(ds, vs, df, seed) -> dict:
    "TSTR ratios of `df` on the validation test rows (no privacy scores)."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc = score_sample(ds, vs, df, seed=seed, eval_seeds=(0,), privacy=False)
    return {k: sc[k] for k in SCORES}


def _draw(m, n, seed, target_model):
    "A sample of `m` with its target from `target_model` (None: the diffusion's own)."
    kept = m.target_model_
    m.target_model_ = target_model
    try: return m.sample(n, random_state=seed)
    finally: m.target_model_ = kept


def gap_rows(ds, vs, seed: int, long: float) -> list:
    "The five tables' scores for one model seed (four without `long`)."
    t0 = time.perf_counter(); m = fit_default(ds, vs, seed); fit_s = time.perf_counter() - t0
    tt, n = m.transformer_, len(vs.train)
    col = target_column(tt, ds.target)
    trees = TargetModel(col, "regression" if col[0] == "num" else "classification", seed)
    trees.fit(*tt.transform(vs.train))
    real = tt.inverse_transform(*trees.sample(*tt.transform(vs.train), np.random.default_rng(seed)))
    base = dict(dataset=ds.name, model_seed=seed, fit_s=fit_s, kept_epoch=m.privacy_check_["kept_epoch"],
                epochs_run=len(m.history_), target_choice="trees" if m.target_model_ is not None else "diffusion",
                target_scores=json.dumps(m.target_scores_))
    tables = dict(default=m.sample(n, random_state=seed), diffusion_y=_draw(m, n, seed, None),
                  trees_y=_draw(m, n, seed, trees), real_trees=real)
    if long:
        planned = auto_epochs(n - m.privacy_check_["held_rows"], m.batch_size, checked=True)  # the default's plan
        passes = int(round(long * planned))
        t0 = time.perf_counter(); ml = fit_default(ds, vs, seed, epochs=passes)
        tables["long"] = ml.sample(n, random_state=seed)
        long_info = dict(long_passes=passes, long_kept=ml.privacy_check_["kept_epoch"],
                         long_fit_s=time.perf_counter() - t0, long_check_dcr=ml.privacy_check_["dcr_share"])
    else: long_info = {}
    return [base | dict(table=k, **_utility(ds, vs, df, seed)) | (long_info if k == "long" else {})
            for k, df in tables.items()]


def run(datasets: Param("registry datasets", str, nargs="+") = ("california", "adult", "abalone"),
        seeds: Param("model seeds", int, nargs="+") = (0, 1, 2),
        long: float = 2.0,  # the long fit plans this many times the default's passes (0: no long fit)
        out: str = "results/bench/validation/tstr_gap/gap.csv",  # the CSV written row by row
        ):
    "Score the default's sample and its variants for each dataset and model seed."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), long=long, out=out)
    path = Path(a.out); path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in a.datasets:
        ds, vs = validation_splits(name)
        for seed in a.seeds:
            for row in gap_rows(ds, vs, seed, a.long): record(rows, row, path)
    finish_run(path.parent, path.stem, vars(a), __doc__, rows, ["dataset", "table"], list(SCORES))


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/tstr_gap.py")


if __name__ == "__main__":
    main()
