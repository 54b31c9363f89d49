"""How much one model's benchmark scores move from one sample to the next.

Usage: python benchmarks/sample_seeds.py [--dataset diamonds] [--specs tabdiffusion ...] [--seeds 0 1 2 3 4]
                                         [--model DIR] [--out results/bench]
For each spec of our model (as in `python -m tabdiffusion.bench`, e.g. 'tabdiffusion:max_epochs=3000'): one
fit on the registry split with seed 0, as in the benchmark (or, for the plain default, a saved model of it:
--model). For each sample seed: len(train) rows, scored by `evaluate` as the benchmark scores them (RF and GB
TSTR with 3 model seeds, fidelity, privacy); sample seed 0 is the benchmark's own sample. The spread over
sample seeds is the noise in any single benchmark row. With --fit-seeds, each spec is also fitted with those
model seeds (the split stays seed 0) to measure the fit-to-fit spread, and the file is fit_seeds_<dataset>.csv
instead of sample_seeds_<dataset>.csv.
"""

import warnings
from pathlib import Path
import pandas as pd
from fastcore.script import Param, store_true
from tabdiffusion.cli import call
from tabdiffusion.bench import parse_spec, score_sample
from tabdiffusion.datasets import load_dataset, make_splits
from tabdiffusion.synthesizer import TabDiffusion


def scores(model, sp, ds, seed: int) -> dict:
    "The benchmark's scores of one sample of `model` drawn with `seed` (3 TSTR model seeds, as `make bench`)."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        synth = model.sample(len(sp.train), random_state=seed)
    return score_sample(ds, sp, synth, seed=0, eval_seeds=(0, 1, 2))


def run(dataset: str = "diamonds",  # registry dataset
        specs: Param("our model's specs, e.g. tabdiffusion:max_epochs=3000", str, nargs="+") = ("tabdiffusion",),
        seeds: Param("sample seeds", int, nargs="+") = (0, 1, 2, 3, 4),
        fit_seeds: Param("the fits' random_state values", int, nargs="+") = (0,),
        model: str = None,  # a saved default model of the same dataset (skips its fit)
        out: str = "results/bench",  # folder of the CSV
        ):
    "Scores of several sample seeds (and fit seeds) of our model on one dataset."
    seeds, fit_seeds, saved = list(seeds), list(fit_seeds), model
    ds = load_dataset(dataset, seed=0)
    sp = make_splits(ds.df, target=ds.target, seed=0, task=ds.task)
    rows = []
    for spec, fit_seed in [(s, f) for s in specs for f in fit_seeds]:
        name, params = parse_spec(spec)
        if name not in ("tabdiffusion", "diffusion"): raise SystemExit(f"error: {spec!r} is not our model")
        if saved and not params and fit_seed == 0: model = TabDiffusion.load(saved)
        else:
            model = TabDiffusion(verbose=False, random_state=fit_seed, **params)
            model.fit(sp.train, target=ds.target)
        model.verbose = False
        for seed in seeds:
            got = scores(model, sp, ds, seed)
            rows.append(dict(dataset=dataset, generator=spec, fit_seed=fit_seed, sample_seed=seed, **got))
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    spread = (table.drop(columns=["dataset", "fit_seed", "sample_seed", "bound_pileup"]).groupby("generator")
              .agg(["mean", "min", "max"]))
    print(spread.T.round(4).to_string())
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    name = f"{'sample' if fit_seeds == [0] else 'fit'}_seeds_{dataset}.csv"
    table.to_csv(out / name, index=False)
    print(f"wrote {out / name}")


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/sample_seeds.py")


if __name__ == "__main__":
    main()
