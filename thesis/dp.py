"""The DP benchmark of the privacy chapter (issue 19): its runs and the verdicts on them, from `results/bench/dp/`.

`benchmarks/dp_bench.py` fits ours (DP-SGD diffusion), AIM, MST and DP-CTGAN at several target ε and writes
`dp.csv` (a row per dataset, generator, ε and seed) and `dp.json`; `benchmarks/dp_recipe.py` writes
`recipe.csv` (fit time of DP recipes against the non-DP default). `dp_text` writes the tables, prose and figure.
No number is typed here."""

import json
import math
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from benchmark import bench_dir
from stats import paired_diff, side

__all__ = ['NAMES', 'OURS', 'PEER', 'TARGET_EPS', 'FIT_RATIO', 'EPS_TOL', 'MIN_SEEDS', 'METRICS', 'NODP', 'DIAGNOSTIC',
           'DPRun', 'dp_dir', 'load_dp', 'scored', 'label', 'generators', 'best_in_cell', 'cell_verdicts',
           'cell_choice', 'ours_vs_peer', 'budget_check', 'load_recipe', 'recipe_row', 'fit_seconds', 'fit_ratio',
           'ours_params', 'dp_steps']

NAMES = {'tabdiffusion': 'ours', 'aim': 'AIM', 'mst': 'MST', 'dpctgan': 'DP-CTGAN'}  # display names, in order
OURS = 'tabdiffusion'
PEER = 'aim'  # issue 19's reference: ours at least as good as AIM at TARGET_EPS
TARGET_EPS = 1.0
FIT_RATIO = 3.0  # issue 19: a DP fit may cost at most this many times the fit of the non-DP default
EPS_TOL = 1e-6  # relative slack on a target ε: float round-off of an accountant, not a budget
MIN_SEEDS = 3  # a paired test over seeds needs at least this many seeds; with fewer, means only
METRICS = {'tstr_ratio_rf': 'TSTR ratio (RF)', 'column_shapes': 'column shapes',
           'column_pair_trends': 'pair trends', 'dcr_share': 'DCR share', 'fit_s': 'fit (s)'}
NODP = 'nodp-default'  # recipe.csv's row of the library's non-DP default
DIAGNOSTIC = '-dataquantiles'  # recipe.csv rows that read the grid from the data: not private, not a recipe


class DPRun(NamedTuple):
    "One DP benchmark run: its rows, its `dp.json` (empty while the run is unfinished) and which run it is."
    df: pd.DataFrame
    meta: dict
    kind: str  # 'grid' (the benchmark) or 'smoke' (a smoke run)
    folder: Path

    @property
    def smoke(self) -> bool: return self.kind == 'smoke'


def dp_dir(root: Path | None = None) -> Path:
    "The DP benchmark's folder in the results store."
    return bench_dir(root) / 'dp'


def load_dp(root: Path | None = None) -> DPRun | None:
    "The grid run (`dp/grid/`) when its `dp.csv` has rows, else the smoke run (`dp/smoke/`); `None` without either."
    for kind in ('grid', 'smoke'):
        folder = dp_dir(root) / kind
        if not (folder / 'dp.csv').exists(): continue
        df = pd.read_csv(folder / 'dp.csv')
        if df.empty: continue
        meta = json.loads((folder / 'dp.json').read_text()) if (folder / 'dp.json').exists() else {}
        return DPRun(df, meta, kind, folder)
    return None


def scored(df: pd.DataFrame) -> pd.DataFrame:
    "The rows of runs that finished (a failed fit leaves its message in `error` and no scores)."
    return df[df['error'].isna()] if 'error' in df else df


def label(gen: str) -> str:
    "'aim' -> 'AIM'; a generator not in `NAMES` keeps its registry name."
    return NAMES.get(gen, gen)


def generators(df: pd.DataFrame) -> list:
    "The generators of `df`: ours and the peers in `NAMES`' order, any other after them."
    found = list(dict.fromkeys(df['generator']))
    return [g for g in NAMES if g in found] + [g for g in found if g not in NAMES]


def best_in_cell(g: pd.DataFrame,  # the scored runs of one dataset and one target ε
                 metric: str,  # higher is better
                 min_seeds: int = MIN_SEEDS,  # fewer paired seeds: the best mean is reported untested
                 ) -> dict:
    """The generator with the highest mean `metric`, and (with enough seeds) those a paired test cannot tell from it;
    `best` is `None` where fewer than two generators have scores (a cell of an unfinished run)."""
    by = {gen: part.set_index('seed')[metric].dropna() for gen, part in g.groupby('generator', sort=False)}
    by = {k: v for k, v in by.items() if len(v)}
    means = {k: float(v.mean()) for k, v in by.items()}
    if len(by) < 2: return dict(best=None, mean=float('nan'), tied=[], tested=False, n=0, means=means, diffs={})
    best = max(means, key=means.get)
    diffs = {k: paired_diff(by[best], v) for k, v in by.items() if k != best}  # same split, same seed
    tested = bool(diffs) and all(d['n'] >= min_seeds for d in diffs.values())
    tied = [k for k in sorted(diffs, key=means.get, reverse=True) if tested and side(diffs[k], 0.0) != 'above']
    return dict(best=best, mean=means[best], tied=tied, tested=tested, n=min(len(v) for v in by.values()),
                means=means, diffs=diffs)


def cell_verdicts(df: pd.DataFrame, metrics=('tstr_ratio_rf', 'column_shapes')) -> list:
    "Per dataset and target ε: `best_in_cell` of each of `metrics`, and the mean DCR share of every generator."
    d, out = scored(df), []
    for ds in dict.fromkeys(d['dataset']):
        dd = d[d['dataset'] == ds]
        for e in sorted(dd['epsilon'].unique()):
            g = dd[dd['epsilon'] == e]
            out.append(dict(dataset=ds, epsilon=float(e), **{m: best_in_cell(g, m) for m in metrics},
                            dcr={k: float(v) for k, v in g.groupby('generator')['dcr_share'].mean().items()}))
    return out


def cell_choice(v: dict) -> list:
    "The generators to choose in a cell of `cell_verdicts`: of the best-or-tied on TSTR, those best-or-tied on shapes."
    t, s = v['tstr_ratio_rf'], v['column_shapes']
    top_t, top_s = [t['best'], *t['tied']], [s['best'], *s['tied']]
    return [g for g in top_t if g in top_s] if t['best'] else []


def ours_vs_peer(df: pd.DataFrame, metric: str, epsilon: float = TARGET_EPS, peer: str = PEER) -> dict:
    "Per dataset at `epsilon`: ours minus `peer` on `metric`, paired by seed (`paired_diff`), and the verdict."
    d, out = scored(df), {}
    d = d[np.isclose(d['epsilon'], epsilon)]
    for ds in dict.fromkeys(d['dataset']):
        g = d[d['dataset'] == ds]
        ours, other = (g[g['generator'] == k].set_index('seed')[metric] for k in (OURS, peer))
        if ours.dropna().empty or other.dropna().empty: continue
        ci = paired_diff(ours, other)
        where = side(ci, 0.0) if ci['n'] >= MIN_SEEDS else 'untested'
        out[ds] = dict(ci=ci, met=ci['mean'] >= 0 and where != 'below', side=where)
    return out


def budget_check(df: pd.DataFrame, tol: float = EPS_TOL) -> pd.DataFrame:
    "Per generator: runs, runs whose reported ε (δ) exceeds the target by more than `tol`, the worst ratio."
    d = scored(df)
    d = d.assign(ratio=d['epsilon_spent'] / d['epsilon'],
                 over=d['epsilon_spent'] > d['epsilon'] * (1 + tol),
                 delta_over=d['delta_spent'] > d['delta'] * (1 + tol) if 'delta_spent' in d else False,
                 missing=d['epsilon_spent'].isna())
    rows = []
    for gen in generators(d):
        g = d[d['generator'] == gen]
        worst = g.loc[g['ratio'].idxmax()] if g['ratio'].notna().any() else None
        rows.append(dict(generator=gen, accounting='; '.join(dict.fromkeys(g['accounting'].dropna().astype(str)))
                         if 'accounting' in g else '', runs=len(g), over=int(g['over'].sum()),
                         delta_over=int(g['delta_over'].sum()), missing=int(g['missing'].sum()),
                         max_ratio=float(g['ratio'].max()),
                         worst_spent=float('nan') if worst is None else float(worst['epsilon_spent']),
                         worst_target=float('nan') if worst is None else float(worst['epsilon'])))
    return pd.DataFrame(rows)


def load_recipe(root: Path | None = None) -> pd.DataFrame | None:
    "`dp/recipe.csv` (`benchmarks/dp_recipe.py`): DP recipes and the non-DP default, timed on validation rows."
    path = dp_dir(root) / 'recipe.csv'
    if not path.exists(): return None
    df = pd.read_csv(path)
    return None if df.empty else df


def _dp_row(r) -> bool: return str(r).strip().lower() == 'true'


def recipe_row(rec: pd.DataFrame, spec: str | None = None, params: dict | None = None) -> pd.Series | None:
    "The recipe the benchmark ran as ours: the row whose spec is `spec`, else the DP row matching `params`."
    if spec is not None and (rec['spec'] == spec).any(): return rec[rec['spec'] == spec].iloc[0]
    if not params: return None
    keep = rec[rec['dp'].map(_dp_row) & ~rec['recipe'].str.endswith(DIAGNOSTIC)]
    for k in ('batch_size', 'width', 'depth'):
        if k in params and k in keep: keep = keep[keep[k] == params[k]]
    if 'epochs' in params and 'epochs_run' in keep: keep = keep[keep['epochs_run'] == params['epochs']]
    return keep.iloc[0] if len(keep) else None


def fit_seconds(r) -> float:
    "The fit's seconds; a probe's extrapolation to the full run where it has one."
    ext = r.get('fit_s_extrapolated')
    return float(ext) if ext is not None and not pd.isna(ext) else float(r['fit_s'])


def fit_ratio(rec: pd.DataFrame, row: pd.Series) -> dict:
    "`row`'s fit seconds over the non-DP default's (`nan` without that row), with both and the rows fitted."
    base = rec[rec['recipe'] == NODP]
    if base.empty: return dict(ratio=float('nan'), dp_s=fit_seconds(row), nodp_s=float('nan'), n_fit=row['n_fit'])
    nodp = fit_seconds(base.iloc[0])
    return dict(ratio=fit_seconds(row) / nodp, dp_s=fit_seconds(row), nodp_s=nodp, n_fit=int(row['n_fit']))


def ours_params(run: DPRun) -> dict:
    "The parameters of the benchmark's first fit of ours (`params` column), or {}."
    d = scored(run.df)
    d = d[d['generator'] == OURS]
    if d.empty or 'params' not in d: return {}
    return json.loads(d['params'].iloc[0])


def dp_steps(params: dict, n_fit: int) -> dict:
    "DP-SGD's optimiser steps and expected batch share of a fit of ours: opacus draws ⌈n / batch⌉ batches a pass."
    batch = min(int(params['batch_size']), int(n_fit))
    per_pass = math.ceil(n_fit / batch)
    return dict(steps=int(params['epochs']) * per_pass, per_pass=per_pass, batch=batch, rate=1 / per_pass)
