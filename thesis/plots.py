"The thesis's own figures, drawn from `summary.csv` files: TSTR bars, feature-complexity curve, DCR share."

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from reading import EXPERIMENTS, load_summary, task_metric

__all__ = ['tstr_bars', 'feature_curve', 'privacy_bars']


def _bar_panel(ax, df: pd.DataFrame, exp: str) -> None:
    "One panel: mean ± sd TSTR score per generator, with the TRTR mean as a dashed line."
    m = task_metric(df)
    g = df.groupby('generator')[f'tstr_{m}_rf'].agg(['mean', 'std', 'count'])
    ax.bar(g.index, g['mean'], yerr=g['std'].fillna(0), capsize=3, color='#4c72b0')
    ax.axhline(df[f'trtr_{m}_rf'].mean(), ls='--', c='k', lw=1, label='trained on real (TRTR)')
    ax.axhline(0, c='grey', lw=0.5)
    ax.set_title(exp, fontsize=9)
    ax.set_ylabel(f'TSTR {m.upper()} (random forest)', fontsize=8)
    ax.tick_params(axis='x', rotation=45, labelsize=7)


def tstr_bars(exps: list | None = None, root: Path | None = None):
    "Bars of TSTR score per generator, one panel per experiment with results; `None` when none has any."
    exps = exps or [e for e in EXPERIMENTS if e not in ('exp020_feature_sweep', 'exp030_dp')]
    data = {e: load_summary(e, root) for e in exps}
    data = {e: d[d['mode'] == 'tstr'] for e, d in data.items() if d is not None}
    data = {e: d for e, d in data.items() if len(d)}
    if not data: return None
    ncol = min(3, len(data))
    nrow = -(-len(data) // ncol)
    fig, axs = plt.subplots(nrow, ncol, figsize=(3.3 * ncol, 3.2 * nrow), squeeze=False)
    for ax, (exp, df) in zip(axs.flat, data.items()): _bar_panel(ax, df, exp)
    for ax in list(axs.flat)[len(data):]: ax.axis('off')
    axs.flat[0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def feature_curve(root: Path | None = None):
    "TRTR − TSTR gap against the number of features in `exp020_feature_sweep`, one line per generator."
    df = load_summary('exp020_feature_sweep', root)
    if df is None or 'n_features' not in df: return None
    df = df[df['mode'] == 'tstr']
    m = task_metric(df)
    df = df.assign(gap=df[f'trtr_{m}_rf'] - df[f'tstr_{m}_rf'])
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for gen, g in df.groupby('generator'):
        s = g.groupby('n_features')['gap'].agg(['mean', 'std']).sort_index()
        ax.errorbar(s.index, s['mean'], yerr=s['std'].fillna(0), marker='o', capsize=3, label=gen)
    ax.axhline(0, c='k', lw=0.8)
    ax.set_xlabel('number of features')
    ax.set_ylabel(f'TRTR − TSTR {m.upper()} (lower is better)')
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def privacy_bars(exps: list | None = None, root: Path | None = None, metric: str = 'dcr_share'):
    "Mean ± sd of a privacy `metric` per generator and experiment, with the ideal 0.5 marked for DCR share."
    exps = exps or [e for e in EXPERIMENTS if e not in ('exp020_feature_sweep',)]
    rows = [d[d['mode'] == 'tstr'] for d in (load_summary(e, root) for e in exps)
            if d is not None and metric in d]
    if not rows: return None
    df = pd.concat(rows)
    tab = df.groupby(['experiment', 'generator'])[metric].mean().unstack('generator')
    err = df.groupby(['experiment', 'generator'])[metric].std().unstack('generator').fillna(0)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    tab.plot.bar(yerr=err, ax=ax, capsize=2, rot=20, fontsize=8)
    if metric == 'dcr_share': ax.axhline(0.5, ls='--', c='k', lw=1, label='ideal (0.5)')
    ax.set_ylabel(metric)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig
