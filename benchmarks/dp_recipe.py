"""Fit time and quality of candidate DP training recipes of ours, on validation rows (issue 19).

Usage: python benchmarks/dp_recipe.py [--dataset diamonds] [--n_fit 3000] [--epsilon 1] [--seed 0]
                                      [--recipes nodp-default dp-default-probe dp-b1024-e40-w128 ...]
                                      [--out results/bench/dp/recipe.csv]

Issue 19 asks that a DP fit cost at most 3x a non-DP fit, with the spent epsilon at most the target as the
accountant reports it. The rows come from `validation_splits` (benchmarks/validate_defaults.py: the seed-0
split's train and holdout rows, re-split; no test row is read); the validation train and holdout rows are
subsampled to `n_fit` rows each. Every DP recipe gets the same public bounds as `benchmarks/dp_bench.py`
(`public_bounds`). A recipe's spec is what `tabdiffusion bench` takes; `dp_epsilon` is added to the DP ones.
Defaults with DP run for hours here, so `dp-default-probe` runs the default model and batch with DP for a few
epochs only and the table extrapolates its time per epoch to the default number of epochs
(`fit_s_extrapolated`). Rows are appended to the CSV as they finish. Only the wall time of `fit` is timed;
each fit is bounded by its `epochs`.
"""

import json, time, warnings
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse, Param
from tabdiffusion.baselines import make_generator
from tabdiffusion.bench import parse_spec, score_sample
from tabdiffusion.datasets import Splits
from tabdiffusion.holdback import auto_epochs
from dp_bench import public_bounds
from validate_defaults import validation_splits

PROBE_EPOCHS = 3
W128 = 'batch_size=1024,epochs=40,width=128,depth=2,lr=0.003'
# label: (spec, with DP); DP recipes use the public bounds unless the label ends in -dataquantiles
RECIPES = {
    'nodp-default': ('tabdiffusion', False),
    'dp-default-probe': (f'tabdiffusion:epochs={PROBE_EPOCHS}', True),
    'dp-b1024-e40-w128': (f'tabdiffusion:{W128}', True),
    'dp-b2048-e60-w128': ('tabdiffusion:batch_size=2048,epochs=60,width=128,depth=2,lr=0.003', True),
    'dp-b1024-e100-w256': ('tabdiffusion:batch_size=1024,epochs=100,width=256,depth=3,lr=0.003', True),
    'dp-b512-e20-w128-c0.1': ('tabdiffusion:batch_size=512,epochs=20,width=128,depth=2,lr=0.003,'
                              'dp_max_grad_norm=0.1', True),
    'nodp-b1024-e40-w128': (f'tabdiffusion:{W128}', False),
    # a diagnostic, NOT private: the quantile grid read from the data (what does the public linear grid cost?)
    'dp-b1024-e40-w128-dataquantiles': (f'tabdiffusion:{W128}', True),
}


def recipe_rows(name: str, n_fit: int, seed: int) -> tuple:
    "The dataset and validation splits with `n_fit` train and holdout rows (seeded subsamples)."
    ds, vs = validation_splits(name)
    sub = lambda d: d.sample(min(n_fit, len(d)), random_state=seed) if n_fit else d
    return ds, Splits(sub(vs.train), vs.test, sub(vs.holdout))


def run_recipe(label: str, ds, vs, bounds: dict, epsilon: float, seed: int) -> dict:
    "Fit, sample and score one recipe."
    spec, dp = RECIPES[label]
    name, params = parse_spec(spec)
    public = None if label.endswith('-dataquantiles') else bounds
    extra = dict(dp_epsilon=epsilon, public_bounds=public) if dp else {}
    gen = make_generator(name, random_state=seed, **({'verbose': False} | params | extra))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t0 = time.perf_counter(); gen.fit(vs.train, target=ds.target)
        fit_s = time.perf_counter() - t0
        synth = gen.sample(len(vs.train), random_state=seed)
    p = gen.get_params()
    epochs = len(gen.history_)
    planned = p['epochs'] or epochs
    default_epochs = auto_epochs(len(vs.train), p['batch_size'], max_epochs='auto', checked=False)
    last = gen.history_[-1] if len(gen.history_) else {}
    return dict(recipe=label, spec=spec, dp=dp, public_bounds=public is not None if dp else None,
                n_fit=len(vs.train), epsilon=epsilon if dp else None,
                epsilon_spent=getattr(gen, 'dp_epsilon_', None), delta=getattr(gen, 'dp_delta_', None),
                batch_size=p['batch_size'], width=p['width'], depth=p['depth'],
                max_grad_norm=p['dp_max_grad_norm'] if dp else None, epochs_run=epochs,
                noise_multiplier=last.get('noise_multiplier') if isinstance(last, dict) else None,
                fit_s=fit_s, fit_s_extrapolated=fit_s / planned * default_epochs if label.endswith('probe')
                else None, **score_sample(ds, vs, synth, seed=seed, quick=True, eval_seeds=(0,)))


@call_parse
def main(dataset: str = 'diamonds',  # registry name
         n_fit: int = 3000,  # training rows (and holdout rows) subsampled from the validation split
         epsilon: float = 1.0,  # target epsilon of the DP recipes
         seed: int = 0,  # model and subsample seed
         recipes: Param("labels of RECIPES", str, nargs='+') = tuple(RECIPES),
         out: str = 'results/bench/dp/recipe.csv',  # rows appended as they finish
        ):
    "Fit every recipe once and write the table."
    if bad := [r for r in recipes if r not in RECIPES]: raise SystemExit(f"error: unknown recipes {bad}")
    ds, vs = recipe_rows(dataset, n_fit, seed)
    bounds, _ = public_bounds(ds)
    out = Path(out); out.parent.mkdir(parents=True, exist_ok=True)
    table = pd.read_csv(out) if out.exists() else pd.DataFrame()
    for label in recipes:
        row = dict(dataset=dataset, seed=seed) | run_recipe(label, ds, vs, bounds, epsilon, seed)
        shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
        print(json.dumps(shown), flush=True)
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
        table.to_csv(out, index=False)
    cols = ['fit_s', 'fit_s_extrapolated', 'epsilon_spent', 'tstr_ratio_rf', 'column_shapes',
            'column_pair_trends', 'dcr_share']
    print(table.set_index('recipe')[cols].round(3).to_string())
