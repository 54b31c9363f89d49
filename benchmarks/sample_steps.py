"""Quality and speed of the default TabDiffusion against the number of reverse (sampling) steps.

Usage: python benchmarks/sample_steps.py [--dataset diamonds] [--steps 50 30 20 15 10] [--out results/bench]
One default fit on the registry split of the dataset (or a saved model, --model). For each step count: one
sample of len(train) rows scored by `evaluate` (RF and GB TSTR, 3 model seeds), and the seconds to sample
100,000 rows in each --speed setting: "1t" is one process with one torch thread, "2p" two forked processes with
one thread each (`n_jobs=2`), "2t" one process with two torch threads. Writes sample_steps_<dataset>.csv, one column
sample_big_s_<setting> per setting.
"""

import argparse, time, warnings
from pathlib import Path
import pandas as pd
from tabdiffusion.bench import environment, score_sample
from tabdiffusion.datasets import load_dataset, make_splits
from tabdiffusion.synthesizer import TabDiffusion


def speed_setting(text: str) -> tuple:
    "'2p' -> (2, 'p'): a count and a kind, t for torch threads or p for processes."
    if len(text) < 2 or text[-1] not in "tp" or not text[:-1].isdigit() or int(text[:-1]) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a speed setting: write e.g. 1t, 2t or 2p")
    return int(text[:-1]), text[-1]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="diamonds")
    p.add_argument("--steps", type=int, nargs="+", default=[50, 30, 20, 15, 10])
    p.add_argument("--n-big", type=int, default=100_000, help="rows for the sampling-time measurement")
    p.add_argument("--speed", nargs="+", default=["1t", "2p"], type=speed_setting,
                   help="timing settings: <k>t = k torch threads, <k>p = k processes (n_jobs=k)")
    p.add_argument("--model", default=None, help="a saved model of the same dataset and seed (skips the fit)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="results/bench")
    a = p.parse_args(argv)
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


if __name__ == "__main__":
    main()
