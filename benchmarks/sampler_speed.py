"""Seconds to sample 100,000 rows with each sampler setting, from one fitted diamonds model, on this machine.

Usage: python benchmarks/sampler_speed.py [--configs ddpm:50 dpm++2m:15 ddpm:50:bfloat16 ...] [--n 100000]
       [--jobs 2] [--out results/bench/sampler/speed.csv]
Fits the default model on diamonds' validation rows (seed 0; `validate_defaults.validation_splits`, no test row),
then times `sample(n)` for every sampler:steps[:precision] setting (precision: the model's `sample_precision`,
float32 when not given) with `n_jobs` forked processes of one torch thread each,
twice, keeping the faster time (the first call also warms caches). Records the load average before each timing:
a busy machine makes every number larger.
"""
import os, time, warnings
from pathlib import Path
import pandas as pd
from fastcore.script import Param
from tabdiffusion.bench import environment
from tabdiffusion.cli import call
from tabdiffusion.synthesizer import TabDiffusion
from validate_defaults import validation_splits


def run(configs: Param("sampler:steps[:precision] settings", str, nargs="+") = ("ddpm:50", "dpm++2m:15", "dpm++2m:12"),
        n: int = 100_000,  # rows per timing
        jobs: int = 2,  # sampling processes (n_jobs)
        out: str = "results/bench/sampler/speed.csv",  # the CSV written
        ):
    "Time `sample(n)` for each sampler setting of one default diamonds model."
    ds, vs = validation_splits("diamonds")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = TabDiffusion(verbose=False, random_state=0).fit(vs.train, target=ds.target)
    rows = []
    for text in configs:
        sampler, steps, *precision = text.split(":")
        precision = precision[0] if precision else "float32"
        model.set_params(sampler=sampler, n_sample_steps=int(steps), n_jobs=jobs, n_threads=1,
                         sample_precision=precision)
        times, load = [], os.getloadavg()[0]
        for k in range(2):
            t0 = time.perf_counter(); model.sample(n, random_state=k); times.append(time.perf_counter() - t0)
        rows.append(dict(sampler=sampler, n_sample_steps=int(steps), precision=precision,
                         marginals=model.marginals, n=n, n_jobs=jobs, seconds=min(times),
                         load_average=load, fit_s=model.fit_seconds_, cpu=environment()["cpu"]))
        print(rows[-1], flush=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(out, index=False)
    print(f"wrote {out}")


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/sampler_speed.py")


if __name__ == "__main__":
    main()
