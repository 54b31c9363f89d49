"""Quality and speed of the default TabDiffusion against the number of reverse (sampling) steps.

Usage: python benchmarks/sample_steps.py [--dataset diamonds] [--steps 50 30 20 15 10] [--out results/bench]
One default fit on the registry split of the dataset (or a saved model, --model). For each step count: one
sample of len(train) rows scored by `evaluate` (RF and GB TSTR, 3 model seeds), and the seconds to sample
100,000 rows in each --speed setting: "1t" is one process with one torch thread, "2p" two forked processes with
one thread each (`n_jobs=2`), "2t" one process with two torch threads. Writes sample_steps_<dataset>.csv, one column
sample_big_s_<setting> per setting.
"""

import time, warnings
from types import SimpleNamespace
from pathlib import Path
import pandas as pd
from fastcore.script import Param
from tabdiffusion.bench import environment, score_sample
from tabdiffusion.cli import call
from tabdiffusion.datasets import load_dataset, make_splits
from tabdiffusion.synthesizer import TabDiffusion


def speed_setting(text: str) -> tuple:
    "'2p' -> (2, 'p'): a count and a kind, t for torch threads or p for processes."
    if len(text) < 2 or text[-1] not in "tp" or not text[:-1].isdigit() or int(text[:-1]) < 1:
        raise ValueError(f"{text!r} is not a speed setting: write e.g. 1t, 2t or 2p")
    return int(text[:-1]), text[-1]


def run(dataset: str = "diamonds",  # registry dataset
        steps: Param("reverse step counts to try", int, nargs="+") = (50, 30, 20, 15, 10),
        n_big: int = 100_000,  # rows for the sampling-time measurement
        speed: Param("timing settings: <k>t = k torch threads, <k>p = k processes (n_jobs=k)", str,
                     nargs="+") = ("1t", "2p"),
        model: str = None,  # a saved model of the same dataset and seed (skips the fit)
        seed: int = 0,  # split and model seed
        out: str = "results/bench",  # folder of the CSV
        ):
    "Quality and sampling time of one fitted model against the number of reverse steps."
    a = SimpleNamespace(dataset=dataset, steps=list(steps), n_big=n_big, speed=[speed_setting(x) for x in speed],
                        model=model, seed=seed, out=out)
    ds = load_dataset(a.dataset, seed=a.seed)
    sp = make_splits(ds.df, target=ds.target, seed=a.seed, task=ds.task)
    if a.model: model = TabDiffusion.load(a.model)
    else: model = TabDiffusion(verbose=False, random_state=a.seed).fit(sp.train, target=ds.target)
    model.verbose = False
    print(f"fit {model.fit_seconds_:.1f}s on {len(sp.train)} rows", flush=True)
    rows = []
    for steps in a.steps:
        model.n_sample_steps = steps
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter(); synth = model.sample(len(sp.train), random_state=a.seed)
            small_s = time.perf_counter() - t0
            big = {}
            for k, kind in a.speed:
                model.set_params(n_threads=k if kind == "t" else 1, n_jobs=k if kind == "p" else 1)
                t0 = time.perf_counter(); model.sample(a.n_big, random_state=a.seed + 1)
                big[f"sample_big_s_{k}{kind}"] = time.perf_counter() - t0
            model.set_params(n_threads=1, n_jobs=1)
            got = score_sample(ds, sp, synth, seed=a.seed, eval_seeds=(0, 1, 2))
        rows.append(dict(dataset=a.dataset, n_sample_steps=steps, **got, sample_s=small_s,
                         n_big=a.n_big, **big, fit_s=model.fit_seconds_,
                         load_average=environment()["load_average"][0]))
        print(rows[-1], flush=True)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(out / f"sample_steps_{a.dataset}.csv", index=False)
    print(f"wrote {out / f'sample_steps_{a.dataset}.csv'}")


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/sample_steps.py")


if __name__ == "__main__":
    main()
