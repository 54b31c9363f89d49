"""Choose the model's defaults on validation splits carved from the training rows (the test split is never read).

Usage: python benchmarks/validate_defaults.py [--datasets pima abalone ...] [--specs tabdiffusion ...]
                                              [--seeds 0 1 2] [--out results/bench/validation/partN]
       python benchmarks/validate_defaults.py --merge-folder results/bench/validation
For each dataset, the registry split with seed 0 gives train, holdout and test rows, as in `make bench`. The test
rows are set aside unread; the train and holdout rows are pooled and split again with `make_splits` (seed 0) into
validation train (fitted on), validation test (TSTR and fidelity) and validation holdout (DCR share, MIA). Each
spec (as `python -m tabdiffusion.bench` takes it) is fitted with every model seed and sampled once
(as many rows as the validation train). Rows go to validation.csv as they finish; validation.json records the
commit, versions and the resolved parameters of every run.
"""

import json, time, warnings
from types import SimpleNamespace
from pathlib import Path
import numpy as np
import pandas as pd
from fastcore.script import Param
from tabdiffusion.baselines import make_generator
from tabdiffusion.cli import call
from tabdiffusion.bench import environment, parse_spec, score_sample
from tabdiffusion.datasets import load_dataset, make_splits
from tabdiffusion.evaluation import mia_auc
from tabdiffusion.record import git_state
from tabdiffusion.synthesizer import TabDiffusion

SPECS = ["tabdiffusion", "tabdiffusion:target_model=None", "tabdiffusion:privacy_check=None,target_model=None"]
DATASETS = ["pima", "diabetes", "abalone", "nlschools", "schooling", "diamonds"]


def validation_splits(name: str):
    "The dataset and its validation splits: train and holdout rows of the seed-0 split, re-split; no test row."
    ds = load_dataset(name, seed=0)
    sp = make_splits(ds.df, target=ds.target, seed=0, task=ds.task)
    pool = pd.concat([sp.train, sp.holdout])
    return ds, make_splits(pool, target=ds.target, seed=0, task=ds.task)


def fit_default(ds, vs, seed: int, **params) -> TabDiffusion:
    "TabDiffusion (the default, or with `params`) fitted quietly on the validation train rows with `seed`."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TabDiffusion(verbose=False, random_state=seed, **params).fit(vs.train, target=ds.target)


def default_fits(datasets, seeds, **params):
    """Per dataset and seed, the default (or with `params`) fitted on its validation train rows: (name, ds, vs, seed,
    model, fit seconds); each dataset's splits are loaded once."""
    for name in datasets:
        ds, vs = validation_splits(name)
        for seed in seeds:
            t0 = time.perf_counter()
            model = fit_default(ds, vs, seed, **params)
            yield name, ds, vs, seed, model, time.perf_counter() - t0


TWIN_COLS = ["tstr_ratio_rf", "tstr_ratio_gb", "column_shapes", "column_pair_trends", "detection_auc", "dcr_share",
             "exact_copies"]  # the scores a paired check of two ways to draw the same sample reports


def record(rows: list, row: dict, path: Path):
    "Append `row`, print it rounded, and rewrite the CSV at `path` with every row so far (a stopped run keeps them)."
    rows.append(row)
    print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    pd.DataFrame(rows).to_csv(path, index=False)


def finish_run(out: Path, name: str, config: dict, protocol: str, rows: list, by: list, cols: list):
    "Write `<name>.json` (commit, versions, configuration, protocol) and print mean and sd of `cols` per `by`."
    meta = dict(environment(), **git_state(), config=config, protocol=protocol)
    (out / f"{name}.json").write_text(json.dumps(meta, indent=1, default=str))
    print(pd.DataFrame(rows).groupby(by)[cols].agg(["mean", "std"]).round(3).to_string())


def run_one(ds, vs, spec: str, seed: int) -> dict:
    "Fit, sample and score one spec with one model seed."
    name, params = parse_spec(spec)
    gen = make_generator(name, random_state=seed, **({"verbose": False} | params))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter(); gen.fit(vs.train, target=ds.target)
        t1 = time.perf_counter(); synth = gen.sample(len(vs.train), random_state=seed)
        t2 = time.perf_counter()
        scores = score_sample(ds, vs, synth, seed=seed, eval_seeds=(0,))
        mia = mia_auc(vs.train, vs.holdout, synth, random_state=seed)
    check = getattr(gen, "privacy_check_", None) or {}
    return dict(dataset=ds.name, spec=spec, model_seed=seed, n_fit=len(vs.train), n_synth=len(synth),
                epochs_run=len(getattr(gen, "history_", [])), kept_epoch=check.get("kept_epoch", np.nan),
                check_dcr=check.get("dcr_share", np.nan), check_passed=check.get("passed", np.nan),
                fit_s=t1 - t0, sample_s=t2 - t1, **scores, mia_auc=mia,
                params=json.dumps(gen.get_params(), default=str))


def merge(folder: Path) -> pd.DataFrame:
    "validation.csv of every part*/ subfolder in one file; a later part replaces earlier rows of its (dataset, spec)."
    parts = [pd.read_csv(f).assign(part=f.parent.name) for f in sorted(Path(folder).glob("part*/validation.csv"))]
    if not parts: raise SystemExit(f"error: no part*/validation.csv under {folder}: run the validation first")
    table = pd.concat(parts, ignore_index=True)
    last = table.groupby(["dataset", "spec"]).part.transform("max")
    table = table[table.part == last].reset_index(drop=True)
    table.to_csv(Path(folder) / "validation.csv", index=False)
    return table


def run(merge_folder: str = None,  # folder whose part*/validation.csv files to merge, then stop
        datasets: Param("registry datasets", str, nargs="+") = tuple(DATASETS),
        specs: Param("generator specs as `tabdiffusion bench` takes them", str, nargs="+") = tuple(SPECS),
        seeds: Param("model seeds", int, nargs="+") = (0, 1, 2),
        out: str = "results/bench/validation/part1",  # folder of validation.csv and validation.json
        ):
    "Fit and score each spec on the validation rows of each dataset; or merge the parts of earlier runs."
    a = SimpleNamespace(merge=merge_folder, datasets=list(datasets), specs=list(specs), seeds=list(seeds), out=out)
    if a.merge: return print(f"{len(merge(a.merge))} rows merged into {a.merge}/validation.csv")
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in a.datasets:
        ds, vs = validation_splits(name)
        for spec in a.specs:
            for seed in a.seeds:
                rows.append(run_one(ds, vs, spec, seed))
                print({k: v for k, v in rows[-1].items() if k != "params"}, flush=True)
                pd.DataFrame(rows).to_csv(out / "validation.csv", index=False)
    cols = ["tstr_ratio_rf", "tstr_ratio_gb", "column_shapes", "column_pair_trends", "detection_auc", "dcr_share",
            "mia_auc", "exact_copies", "fit_s", "epochs_run"]
    finish_run(out, "validation", vars(a), __doc__, rows, ["dataset", "spec"], cols)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/validate_defaults.py")


if __name__ == "__main__":
    main()
