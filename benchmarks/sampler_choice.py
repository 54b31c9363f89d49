"""Choose the default sampler (order, eta, number of steps) on validation splits carved from the training rows.

Usage: python benchmarks/sampler_choice.py [--datasets diamonds abalone pima] [--seeds 0 1 2]
                                           [--configs 50:1:1 12:2:1 50:1:1:1 ...] [--out results/bench/sampler/partN]
                                           [--model prediction=v]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (see
validate_defaults.py: the test rows are never read). Each sampler setting then draws as many rows as the validation
train with the same sample seed and is scored by the benchmark's `score_sample`. A setting is steps:order:eta: the
number of reverse steps, order 1 (DDPM/DDIM steps evenly strided in t) or 2 (DPM-Solver++(2M) multistep x0, steps
even in log-SNR), and eta 1 (stochastic, DDPM-like) or 0 (deterministic, DDIM-like); an optional fourth field adds
to the sample seed, so that 50:1:1:1 draws a second sample of the first setting (an A/A comparison that shows the
sample-to-sample noise). Writes sampler.csv row by row and sampler.json (commit, versions, configuration).
`--model` fits another model than the default (options as `tabdiffusion bench` specs write them), e.g. the
v-prediction model of the EDM options.
"""

import functools, time, warnings
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
from fastcore.script import Param
from tabdiffusion.bench import parse_spec, score_sample
from tabdiffusion.cli import call
from validate_defaults import finish_run, fit_default, validation_splits

CONFIGS = ["50:1:1", "10:2:1", "12:2:1", "15:2:1", "12:2:0"]  # steps:order:eta; the first was the default


def config(text: str) -> tuple:
    "'12:2:1' -> (12, 2, 1.0, 0); '12:2:1:1' -> (12, 2, 1.0, 1): steps, order, eta and sample seed offset"
    try:
        steps, order, eta, *offset = text.split(":")
        if len(offset) > 1 or int(order) not in (1, 2): raise ValueError
        return int(steps), int(order), float(eta), int(offset[0]) if offset else 0
    except ValueError: raise ValueError(f"{text!r} is not steps:order:eta[:offset], e.g. 12:2:1") from None


def with_sampler(model, order: int, eta: float):
    "Make the fitted model sample with the sampler of this order, and this eta (set on its diffusion)."
    model.sampler = {1: "ddpm", 2: "dpm++2m"}[order]
    hd = model.diffusion_
    hd.sample = functools.partial(type(hd).sample, hd, eta=eta)
    return model


def run(datasets: Param("registry datasets", str, nargs="+") = ("diamonds", "abalone", "pima"),
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        configs: Param("sampler settings steps:order:eta[:offset]", str, nargs="+") = tuple(CONFIGS),
        out: str = "results/bench/sampler/part1",  # folder of sampler.csv and sampler.json
        model: str = "",  # options of the fitted model as a spec's key=value list, e.g. "prediction=v"
        ):
    "Fit the default once per dataset and seed, then score one sample per sampler setting."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), configs=[config(c) for c in configs], out=out,
                        model=parse_spec(f"tabdiffusion:{model}")[1])
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in a.datasets:
        ds, vs = validation_splits(name)
        for seed in a.seeds:
            model = fit_default(ds, vs, seed, **a.model)
            for steps, order, eta, offset in a.configs:
                with_sampler(model, order, eta).n_sample_steps = steps
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    t0 = time.perf_counter(); synth = model.sample(len(vs.train), random_state=seed + 1000 * offset)
                    sample_s = time.perf_counter() - t0
                    scores = score_sample(ds, vs, synth, seed=seed, eval_seeds=(0,))
                rows.append(dict(dataset=name, model_seed=seed, n_sample_steps=steps, order=order, eta=eta,
                                 sample_offset=offset,
                                 **scores, sample_s=sample_s, fit_s=model.fit_seconds_))
                print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in rows[-1].items()}, flush=True)
                pd.DataFrame(rows).to_csv(out / "sampler.csv", index=False)
    cols = ["tstr_ratio_rf", "tstr_ratio_gb", "column_shapes", "column_pair_trends", "detection_auc", "dcr_share"]
    finish_run(out, "sampler", vars(a), __doc__, rows, ["dataset", "n_sample_steps", "order", "eta", "sample_offset"],
               cols)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/sampler_choice.py")


if __name__ == "__main__":
    main()
