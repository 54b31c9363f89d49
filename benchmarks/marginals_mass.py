"""Fitted marginals on columns where one value holds many rows: does leaving those columns to the model matter?

Usage: python benchmarks/marginals_mass.py [--datasets adult] [--seeds 0 1 2] [--mass 0.1] [--variants ...]
                                           [--out results/bench/validation/marginals/mass1]
For each dataset and model seed, one default TabDiffusion is fitted on the validation train rows (validate_defaults.py:
the test rows are never read). One draw of the model's values (seeded) is decoded in each of `variants`:
"model's values"; "fitted marginals" on every continuous column (the default); "fitted, no mass columns": fitted
marginals only on the continuous columns whose most common training value holds at most `mass` of the rows; and
"fitted, model's masses": fitted marginals on every continuous column, except that the rows the model put on a value
filling at least `mass` of the quantile grid (`quantile.point_masses`) keep it. Each is scored by the benchmark's
`score_sample`; rows go to mass.csv as they are scored, and mass.json records the commit, versions and configuration.
The draws are decoded directly, without the copy filter that `TabDiffusion.sample` applies: exact copies are counted
before that filter.
"""

import warnings
from pathlib import Path
from types import SimpleNamespace
import numpy as np
import torch
from fastcore.script import Param
from tabdiffusion.bench import score_sample
from tabdiffusion.cli import call
from tabdiffusion.quantile import point_masses, stratified_scores
from validate_defaults import TWIN_COLS, default_fits, finish_run, record


VARIANTS = ("model's values", "fitted marginals", "fitted, no mass columns", "fitted, model's masses")


def decode(model, xn, xc, columns, seed, masses=None):
    "The DataFrame of model values `xn`, `xc` with the numeric `columns` stratified, then the target trees."
    z = xn.copy()
    if columns: z[:, columns] = stratified_scores(z[:, columns], np.random.default_rng([seed, 1]), masses)
    if model.target_model_ is not None: z, xc = model.target_model_.sample(z, xc.copy(), np.random.default_rng(seed))
    return model.transformer_.inverse_transform(z, xc)


def run(datasets: Param("registry datasets", str, nargs="+") = ("adult",),
        seeds: Param("model seeds (the fits' random_state)", int, nargs="+") = (0, 1, 2),
        mass: float = 0.1,  # a column whose most common value holds more than this share is left to the model
        variants: Param("decodings to score", str, nargs="+", choices=VARIANTS) = VARIANTS[:3],
        out: str = "results/bench/validation/marginals/mass1",  # folder of mass.csv and mass.json
        ):
    "Fit the default once per dataset and seed; score one draw decoded in each of `variants`."
    a = SimpleNamespace(datasets=list(datasets), seeds=list(seeds), mass=mass, variants=list(variants), out=out)
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, ds, vs, seed, model, fit_s in default_fits(a.datasets, a.seeds, sample_precision="float32"):
        t, cont = model.transformer_, model._continuous()
        top = {j: vs.train[t.num_columns[j]].value_counts(normalize=True).iloc[0] for j in cont}
        smooth = [j for j in cont if top[j] <= a.mass]
        masses = point_masses(t.quantiles_[:, cont], t.references_, a.mass)
        torch.manual_seed(seed)
        with torch.no_grad():
            xn, xc = model.diffusion_.sample(model.denoiser_, len(vs.train), model.n_sample_steps,
                                             sampler=model.sampler)
        xn, xc = xn.numpy(), xc.numpy()
        ways = dict(zip(VARIANTS, (([], None), (cont, None), (smooth, None), (cont, masses))))
        for variant in a.variants:
            cols, ms = ways[variant]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                scores = score_sample(ds, vs, decode(model, xn, xc, cols, seed, ms), seed=seed, eval_seeds=(0,))
            record(rows, dict(dataset=name, model_seed=seed, variant=variant, fit_s=fit_s,
                              stratified=", ".join(t.num_columns[j] for j in cols), **scores), out / "mass.csv")
    finish_run(out, "mass", vars(a), __doc__, rows, ["dataset", "variant"], TWIN_COLS)


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/marginals_mass.py")


if __name__ == "__main__":
    main()
