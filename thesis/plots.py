"The thesis's own figures, drawn from `summary.csv` files: TSTR bars, feature-complexity curve, DCR share."

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from reading import EXPERIMENTS, LABELS, PROTOCOLS, load_summary, protocol_rows, task_metric
from stats import t_ci

__all__ = ['tstr_bars', 'feature_curve', 'privacy_bars']


def _ci_err(values) -> tuple:
    "Mean and half-width of the 95 % interval (0 when there is one seed)."
    ci = t_ci(values)
    return ci['mean'], 0.0 if np.isnan(ci['lo']) else ci['hi'] - ci['mean']


def _bar_panel(ax, df: pd.DataFrame, exp: str) -> None:
    "One panel: per generator, the mean score with its 95 % CI under both protocols; TRTR dashed."
    m = task_metric(df)
    gens = list(df[df['mode'] == 'tstr']['generator'].unique())
    x = np.arange(len(gens))
    for i, (proto, colour) in enumerate((('tstr', '#4c72b0'), ('augment', '#dd8452'))):
        rows = protocol_rows(df, proto)
        col = f'{proto}_{m}_rf'
        if col not in rows: continue
        stats = [_ci_err(rows[rows['generator'] == g][col]) for g in gens]
        ax.bar(x + (i - 0.5) * 0.4, [a for a, _ in stats], 0.4, yerr=[b for _, b in stats], capsize=2,
               color=colour, label=PROTOCOLS[proto])
    ax.axhline(df[f'trtr_{m}_rf'].mean(), ls='--', c='k', lw=1, label='real rows (TRTR)')
    ax.axhline(0, c='grey', lw=0.5)
    ax.set_xticks(x, gens, rotation=30, fontsize=8)
    ax.set_title(exp, fontsize=9)
    ax.set_ylabel(f'{"R²" if m == "r2" else m} (random forest)', fontsize=8)


def tstr_bars(exps: list | None = None, root: Path | None = None):
    "Bars of TSTR score per generator, one panel per experiment with results; `None` when none has any."
    exps = exps or [e for e in EXPERIMENTS if e not in ('exp020_feature_sweep', 'exp030_dp')]
    data = {e: load_summary(e, root) for e in exps}
    data = {e: d for e, d in data.items() if d is not None and len(d)}
    if not data: return None
    ncol = min(2, len(data))
    nrow = -(-len(data) // ncol)
    fig, axs = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.0 * nrow), squeeze=False)
    for ax, (exp, df) in zip(axs.flat, data.items()): _bar_panel(ax, df, exp)
    for ax in list(axs.flat)[len(data):]: ax.axis('off')
    axs.flat[0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def feature_curve(root: Path | None = None):
    "Loss against real rows (TRTR − score) per number of features in `exp020`, one panel per protocol."
    df = load_summary('exp020_feature_sweep', root)
    if df is None or 'n_features' not in df: return None
    m = task_metric(df)
    fig, axs = plt.subplots(1, 2, figsize=(8, 3.4), sharey=False)
    for ax, proto in zip(axs, ('tstr', 'augment')):
        d = protocol_rows(df, proto)
        d = d.assign(gap=d[f'trtr_{m}_rf'] - d[f'{proto}_{m}_rf'])
        for gen, g in d.groupby('generator'):
            s = {k: _ci_err(v['gap']) for k, v in sorted(g.groupby('n_features'))}
            ax.errorbar(list(s), [a for a, _ in s.values()], yerr=[b for _, b in s.values()], marker='o',
                        capsize=3, label=gen)
        ax.axhline(0, c='k', lw=0.8)
        ax.set_title(f'trained on {PROTOCOLS[proto]} rows', fontsize=9)
        ax.set_xlabel('number of features')
        ax.set_ylabel(f'TRTR − score, {"R²" if m == "r2" else m} (lower is better)', fontsize=8)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def privacy_bars(exps: list | None = None, root: Path | None = None, metric: str = 'dcr_share'):
    "Mean and 95 % CI of a privacy `metric` per generator and experiment, with the ideal 0.5 marked for DCR share."
    exps = exps or [e for e in EXPERIMENTS if e not in ('exp020_feature_sweep', 'exp030_dp')]
    rows = [d[d['mode'] == 'tstr'] for d in (load_summary(e, root) for e in exps)
            if d is not None and metric in d]
    if not rows: return None
    df = pd.concat(rows)
    tab = df.groupby(['experiment', 'generator'])[metric].mean().unstack('generator')
    err = df.groupby(['experiment', 'generator'])[metric].agg(lambda v: _ci_err(v)[1]).unstack('generator')
    fig, ax = plt.subplots(figsize=(7, 3.8))
    tab.plot.bar(yerr=err, ax=ax, capsize=2, rot=0, fontsize=8)
    if metric == 'dcr_share': ax.axhline(0.5, ls='--', c='k', lw=1, label='ideal (0.5)')
    ax.set_ylabel(LABELS.get(metric, metric))
    ax.set_xlabel('')
    ax.legend(fontsize=8, ncol=6, loc='upper center', bbox_to_anchor=(0.5, -0.1), frameon=False)
    fig.tight_layout()
    return fig
