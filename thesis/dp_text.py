"""The DP benchmark section of the privacy chapter (issue 19) as the page shows it: pipe tables, prose and the
figure, written from `dp`'s runs and verdicts. No number is typed here."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dp import (DIAGNOSTIC, EPS_TOL, FIT_RATIO, METRICS, MIN_SEEDS, NODP, OURS, PEER, TARGET_EPS, DPRun,
                budget_check, cell_choice, cell_verdicts, dp_steps, fit_ratio, fit_seconds, generators, label,
                ours_params, ours_vs_peer, recipe_row, scored)
from reading import to_markdown
from stats import fmt_ci, t_ci

__all__ = ['markdown', 'run_markdown', 'metric_table', 'metric_markdown', 'choice_table', 'choice_markdown',
           'target_markdown', 'budget_table', 'budget_markdown', 'recipe_table', 'fit_markdown', 'loss_markdown',
           'utility_figure']

DIGITS = {'fit_s': 1}  # decimals shown; 3 otherwise


def _eps(e: float) -> str: return f'{e:g}'


def _num(v: float, digits: int = 3, sign: bool = False) -> str:
    "A number with a true minus sign, as `stats.fmt_ci` writes it; '–' when missing."
    if v is None or pd.isna(v): return '–'
    return (f'{v:+.{digits}f}' if sign else f'{v:.{digits}f}').replace('-', '−')


def _n(k: int, noun: str) -> str: return f"{k} {noun}{'' if k == 1 else 's'}"


def _list(items: list) -> str:
    "'a', 'a and b', 'a, b and c'."
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ', '.join(items[:-1]) + ' and ' + items[-1] if items else ''


def _seeds(df: pd.DataFrame) -> list:
    return sorted(int(s) for s in df['seed'].unique())


def run_markdown(run: DPRun) -> str:
    "Which run the section reads and what it holds: folder, commit, seeds, ε grid, rows, generators, failures."
    df, meta, cfg = run.df, run.meta, run.meta.get('config', {})
    ok = scored(df)
    where = f'`results/bench/dp/{run.kind}/`'
    rows = '; '.join(f'{ds}: {int(g.n_fit.median()):,} training rows'
                     + (f' of {meta["datasets"][ds]["n_rows"]:,}' if ds in meta.get('datasets', {}) else '')
                     for ds, g in df.groupby('dataset', sort=False))
    seeds, eps = _seeds(df), sorted(df['epsilon'].unique())
    delta = 'δ = 1/(10 n) for n training rows' if np.allclose(df['delta'], 1 / (10 * df['n_fit'])) else \
        'δ as recorded per row'
    if meta:
        dirty = ', with uncommitted changes' if meta.get('uncommitted') else ''
        origin = f"commit {str(meta.get('commit', '?'))[:7]}{dirty}"
    else: origin = ('the run has not finished: no `dp.json` yet, so commit and versions are not recorded, and the '
                    'tables show the rows written so far')
    text = (f'These numbers are read from {where} ({origin}): {_n(len(seeds), "seed")} '
            f'({_list(seeds)}), target ε {_list([_eps(e) for e in eps])}, {delta}; {rows}. Generators: '
            f'{_list([label(g) for g in generators(df)])}')
    if cfg.get('ours'): text += f"; ours is `{cfg['ours']}`"
    if cfg.get('dpctgan_epochs'): text += f", DP-CTGAN is capped at {cfg['dpctgan_epochs']} epochs"
    text += f'. {len(ok)} runs are scored.'
    if meta.get('note'): text += f" {meta['note']}"
    bad = df.drop(ok.index)
    if len(bad):
        text += (f' {len(bad)} failed and are left out: ' + '; '.join(
            f'{label(r.generator)} on {r.dataset} at ε = {_eps(r.epsilon)}, seed {r.seed} ({r.error})'
            for r in bad.itertuples()) + '.')
    if run.smoke:
        text += (' **This is a smoke run, not the benchmark**: it shows that the pipeline runs end to end. With '
                 f'{_n(len(seeds), "seed")} there is no interval, and no verdict below is evidence for or against a '
                 'generator; the benchmark will be read from `results/bench/dp/grid/` once that run has written it.')
    return text


def markdown(table: pd.DataFrame, caption: str, cap: int = 24) -> str:
    """A captioned pipe table whose columns get page width in proportion to their longest word or cell, a cell
    counting at most `cap` characters: a long cell wraps instead of squeezing its neighbours."""
    lines = to_markdown(table, caption).split('\n')
    width = lambda c: max([len(w) for w in str(c).split()] + [min(cap, max([len(str(v)) for v in table[c]] + [0]))])
    lines[1] = '|' + '|'.join('-' * (max(5, width(c)) + 5) for c in table.columns) + '|'  # +5: the insets
    return '\n'.join(lines)


def _cells(df: pd.DataFrame):
    "Per dataset (in file order), generator (`generators` order) and ε (ascending): the scored runs."
    d = scored(df)
    for ds in dict.fromkeys(d['dataset']):
        dd = d[d['dataset'] == ds]
        for gen in generators(dd):
            for e in sorted(dd['epsilon'].unique()):
                yield ds, gen, e, dd[(dd['generator'] == gen) & (dd['epsilon'] == e)]


def metric_table(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    "A row per dataset and generator, a column per target ε: mean [95 % CI] of `metric` over seeds."
    d = scored(df)
    one = d.groupby(['dataset', 'generator', 'epsilon'])['seed'].nunique().max() <= 1  # no interval anywhere
    rows, last = {}, None
    for ds, gen, e, g in _cells(d):
        row = rows.setdefault((ds, gen), {'dataset': '' if ds == last else ds, 'generator': label(gen)})
        last = ds
        cell = fmt_ci(t_ci(g[metric]), DIGITS.get(metric, 3)) if metric in g else '–'
        row[f'ε = {_eps(e)}'] = cell.replace(' (1 seed)', '') if one else cell
    cols = ['dataset', 'generator'] + [f'ε = {_eps(e)}' for e in sorted(d['epsilon'].unique())]
    return pd.DataFrame(list(rows.values())).reindex(columns=cols).fillna('–')


def metric_markdown(run: DPRun, metric: str) -> str:
    "`metric_table` as a captioned pipe table; the caption says how many seeds and where the rows are from."
    d = scored(run.df)
    n = sorted(d.groupby(['dataset', 'generator', 'epsilon'])['seed'].nunique().unique())
    over = (f'one seed, so no interval' if n == [1] else
            f'mean [95 % CI] over {n[0] if len(n) == 1 else f"{n[0]}–{n[-1]}"} seeds')
    smoke = ', a smoke run' if run.smoke else ''
    return markdown(metric_table(d, metric),
                    f'DP benchmark, {METRICS.get(metric, metric)} per dataset, generator and target ε: {over} '
                    f'(`results/bench/dp/{run.kind}/dp.csv`{smoke}).')


def _best_text(v: dict) -> str:
    "'AIM 0.047', with the generators the test cannot tell from it, or '(1 seed, untested)'."
    if v['best'] is None: return '–'
    text = f"{label(v['best'])} {_num(v['mean'])}"
    if not v['tested']: return text + f" ({v['n']} seed{'s' if v['n'] > 1 else ''}, untested)"
    return text + (f" (tied: {', '.join(label(t) for t in v['tied'])})" if v['tied'] else ' (ahead of all)')


def choice_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and ε: the best generator on TSTR (RF) and on column shapes, the choice, and its DCR share."
    rows, last = [], None
    for v in cell_verdicts(df):
        both, t, s = cell_choice(v), v['tstr_ratio_rf'], v['column_shapes']
        if t['best'] is None or s['best'] is None:
            pick, both = f"no comparison: only {_list([label(g) for g in v['dcr']]) or 'no generator'} ran", [None]
        elif both: pick = label(both[0]) + (f" (or {', '.join(label(g) for g in both[1:])})" if both[1:] else '')
        else: pick = f"{label(t['best'])} to train models, {label(s['best'])} for marginals"
        shown = both[:1] or [t['best'], s['best']]
        rows.append({'dataset': '' if v['dataset'] == last else v['dataset'], 'ε': _eps(v['epsilon']),
                     'best TSTR ratio (RF)': _best_text(t), 'best column shapes': _best_text(s),
                     'choice': pick, 'its DCR share': ' / '.join(_num(v['dcr'].get(g))
                                                                 for g in dict.fromkeys(shown) if g)})
        last = v['dataset']
    return pd.DataFrame(rows)


def choice_markdown(df: pd.DataFrame) -> str:
    "How often each generator is the choice over the cells, and where ours is one."
    every = cell_verdicts(df)
    verdicts = [v for v in every if v['tstr_ratio_rf']['best'] and v['column_shapes']['best']]
    if not verdicts: return 'No cell (dataset and ε) has scores of two generators yet, so there is no choice to make.'
    picks = [(cell_choice(v) or [None])[0] for v in verdicts]
    split = sum(p is None for p in picks)
    counts = pd.Series([p for p in picks if p]).value_counts()
    cells = len(verdicts)
    parts = [f'{label(g)} in {n} of {cells}' for g, n in counts.items()]
    where = _n(cells, 'cell') + ' (dataset and ε)'
    text = (f'Over the {where}, the choice is ' + _list(parts) if parts else
            f'In none of the {where} does one generator lead on both scores')
    if split and parts: text += f'; in {split} no generator leads on both scores'
    ours = [v for v in verdicts if OURS in cell_choice(v)]
    text += ('. Ours is a choice ' + ('only ' if len(ours) < cells else '') + 'on ' + _list(
        [f"{v['dataset']} at ε = {_eps(v['epsilon'])}" for v in ours]) + '.' if ours else
             '. Ours is the choice in none.')
    if len(every) > cells:
        text += (f' This unfinished run also has {_n(len(every) - cells, "cell")} with scores of fewer than two '
                 'generators; they are not judged.')
    if not all(v['tstr_ratio_rf']['tested'] for v in verdicts):
        text += (f' Cells with fewer than {MIN_SEEDS} seeds are judged by their means alone, untested, so ties '
                 'cannot be seen there.')
    return text


def target_markdown(df: pd.DataFrame, epsilon: float = TARGET_EPS, peer: str = PEER,
                    metrics=('tstr_ratio_rf', 'column_shapes')) -> str:
    "Issue 19's target, ours at least as good as `peer` at `epsilon`, judged per dataset and metric."
    res = {m: ours_vs_peer(df, m, epsilon, peer) for m in metrics}
    if not any(res.values()): return (f'The run has no pair of ours and {label(peer)} at ε = {_eps(epsilon)}, so '
                                      "the project's target cannot be judged.")
    how = {'above': 'significantly above 0', 'below': 'significantly below 0', 'unclear': 'not distinguishable '
           'from 0', 'untested': f'untested with fewer than {MIN_SEEDS} seeds'}
    parts = []
    for ds in dict.fromkeys(k for r in res.values() for k in r):
        bits = [f"{METRICS.get(m, m)} {fmt_ci(r[ds]['ci'], sign=True)}, {how[r[ds]['side']]}, target "
                + ('met' if r[ds]['met'] else '**not met**') for m, r in res.items() if ds in r]
        parts.append(f'on {ds}, {"; ".join(bits)}')
    met = sum(r[ds]['met'] for r in res.values() for ds in r)
    total = sum(len(r) for r in res.values())
    return (f"The project's target is ours at least as good as {label(peer)} at ε = {_eps(epsilon)}. Ours minus "
            f"{label(peer)}, paired by seed (same split, same seed): " + '; '.join(parts) +
            f'. The target is met in {met} of {total} comparisons (met: a mean difference of at least 0 that is '
            'not significantly below it).')


def budget_table(df: pd.DataFrame, tol: float = EPS_TOL) -> pd.DataFrame:
    "`budget_check` for the page: accountant, runs, runs over the target ε, largest spent / target."
    b = budget_check(df, tol)
    return pd.DataFrame({'generator': b['generator'].map(label), 'accountant (as recorded)': b['accounting'],
                         'runs': b['runs'].astype(str),
                         'over target ε': [f'**{o}**' if o else '0' for o in b['over']],
                         'largest spent / target': b['max_ratio'].map(lambda r: '–' if pd.isna(r) else f'{r:.4f}')})


def budget_markdown(df: pd.DataFrame, tol: float = EPS_TOL) -> str:
    "Whether every run's reported ε (and δ) is within its target, generator by generator, as found."
    b = budget_check(df, tol)
    ok, bad = b[(b['over'] == 0) & (b['missing'] == 0)], b[b['over'] > 0]
    out = []
    if len(ok): out.append(f"Every run of {_list([label(g) for g in ok['generator']])} spent at most its target ε "
                           'as its accountant reports it (largest spent / target: ' +
                           ', '.join(f'{label(r.generator)} {r.max_ratio:.4f}' for r in ok.itertuples()) + ').')
    for r in bad.itertuples():
        out.append(f'{label(r.generator)} **overspent** in {r.over} of {r.runs} runs: its accountant reports up to '
                   f'ε = {r.worst_spent:.3f} against a target of {_eps(r.worst_target)} (ratio {r.max_ratio:.3f}); '
                   f'its accounting, as recorded: "{r.accounting}". Its rows are shown as found; their guarantee '
                   'is the reported ε, not the target.')
    for r in b[b['missing'] > 0].itertuples():
        out.append(f'{label(r.generator)} reported no spent ε in {r.missing} of {r.runs} runs.')
    dover = int(b['delta_over'].sum())
    out.append('Every run spent at most its target δ.' if not dover else f'{dover} runs report a δ above target.')
    return ' '.join(out)


def recipe_table(rec: pd.DataFrame) -> pd.DataFrame:
    "Each recipe: DP or not, ε spent, fit seconds, × the non-DP default's fit, TSTR ratio, shapes, DCR share."
    base = rec[rec['recipe'] == NODP]
    base_s = fit_seconds(base.iloc[0]) if len(base) else float('nan')
    rows = []
    for _, r in rec.iterrows():
        ext = 'fit_s_extrapolated' in r and not pd.isna(r['fit_s_extrapolated'])
        rows.append({'recipe': r['recipe'] + (' (not private)' if r['recipe'].endswith(DIAGNOSTIC) else ''),
                     'ε spent': '–' if pd.isna(r.get('epsilon_spent')) else f"{r['epsilon_spent']:.3f}",
                     'fit (s)': f'{fit_seconds(r):.0f}' + (' (extrapolated)' if ext else ''),
                     '× no-DP fit': '–' if math.isnan(base_s) else f'{fit_seconds(r) / base_s:.2f}',
                     'TSTR ratio (RF)': _num(r['tstr_ratio_rf']), 'column shapes': _num(r['column_shapes']),
                     'DCR share': _num(r['dcr_share'])})
    return pd.DataFrame(rows)


def fit_markdown(rec: pd.DataFrame | None, run: DPRun | None = None, limit: float = FIT_RATIO) -> str:
    "Issue 19's cost target: the fit of the benchmark's DP recipe against the non-DP default's, from recipe.csv."
    if rec is None: return '> **Not yet run:** `results/bench/dp/recipe.csv`; run `python benchmarks/dp_recipe.py`.\n'
    spec = run.meta.get('config', {}).get('ours') if run else None
    row = recipe_row(rec, spec, ours_params(run) if run else None)
    if row is None: return "recipe.csv has no row of the benchmark's DP recipe, so the cost target is not judged."
    f = fit_ratio(rec, row)
    if math.isnan(f['ratio']): return f'recipe.csv has no `{NODP}` row, so the cost target is not judged.'
    seeds = rec.loc[rec['recipe'] == row['recipe'], 'seed'].nunique()
    verdict = 'met' if f['ratio'] <= limit else '**not met**'
    return (f"The project's cost target is a DP fit of at most {limit:g} times the non-DP default's. On "
            f"{f['n_fit']:,} {rec['dataset'].iloc[0]} validation rows ({seeds} seed, `results/bench/dp/recipe.csv`), "
            f"the benchmark's recipe (`{row['recipe']}`) fits in {f['dp_s']:.0f} s and the non-DP default in "
            f"{f['nodp_s']:.0f} s: {f['ratio']:.2f} times, target {verdict}. The recipe buys its speed with few "
            'passes on large batches and a small denoiser; the default model and batch with DP '
            + _probe_text(rec) + '.')


def _probe_text(rec: pd.DataFrame) -> str:
    base = rec[rec['recipe'] == NODP]
    probe = rec[rec.get('fit_s_extrapolated', pd.Series(dtype=float)).notna()] if 'fit_s_extrapolated' in rec else []
    if not len(probe) or base.empty: return 'were not timed'
    p = probe.iloc[0]
    return (f"(`{p['recipe']}`, timed for {int(p['epochs_run'])} epochs and extrapolated) would take "
            f"{fit_seconds(p) / fit_seconds(base.iloc[0]):.1f} times the non-DP fit")


def _gap_text(df: pd.DataFrame, metric: str) -> str:
    "In how many cells ours is behind the best on `metric` (significantly, where tested), and by how much."
    verdicts = [v for v in cell_verdicts(df, (metric,)) if OURS in v[metric]['means'] and v[metric]['best']]
    behind = [v for v in verdicts if v[metric]['best'] != OURS and OURS not in v[metric]['tied']]
    level = [v for v in verdicts if v not in behind]
    gaps = [v[metric]['mean'] - v[metric]['means'][OURS] for v in behind]
    name = METRICS.get(metric, metric)
    if not verdicts: return f'on {name} no cell compares ours with another generator yet'
    if not behind: return (f'on {name} ours is best or tied with the best in '
                           + (f'all {len(verdicts)} cells' if len(verdicts) > 1 else 'the one cell compared'))
    lead = pd.Series([v[metric]['best'] for v in behind]).map(label).value_counts()
    text = (f"on {name} ours is behind the best generator in {len(behind)} of {_n(len(verdicts), 'cell')}, by "
            + (_num(gaps[0]) if len(gaps) == 1 else f'{_num(min(gaps))} to {_num(max(gaps))}')
            + ' (the leader: ' + ', '.join(f'{g} in {n}' for g, n in lead.items()) + ')')
    if level: text += (', and best or tied with the best on ' + _list(
        [f"{v['dataset']} at ε = {_eps(v['epsilon'])}" for v in level]))
    return text


def loss_markdown(run: DPRun, rec: pd.DataFrame | None = None) -> str:
    "Where ours loses in the run, and the quantities behind why: its DP-SGD steps, noise, and the cost of DP."
    df = scored(run.df)
    text = 'Where diffusion loses: ' + _gap_text(df, 'tstr_ratio_rf') + '; ' + _gap_text(df, 'column_shapes') + '.'
    params = ours_params(run)
    if params:
        n = sorted(int(v) for v in df.loc[df['generator'] == OURS, 'n_fit'].unique())
        st = [dp_steps(params, k) for k in n]
        text += (f" Ours trains for {int(params['epochs'])} passes with an expected Poisson batch of "
                 + _list([f"{s['batch']:,} of {k:,} rows ({s['steps']} noisy steps, each row in a batch with "
                          f"probability {s['rate']:.2f})" for s, k in zip(st, n)])
                 + ': few steps, and little privacy amplification by subsampling.')
    if rec is not None:
        row = recipe_row(rec, run.meta.get('config', {}).get('ours'), params)
        base = rec[rec['recipe'] == NODP]
        if row is not None and 'noise_multiplier' in row and not pd.isna(row['noise_multiplier']):
            text += (f" On {int(row['n_fit']):,} rows at ε = {_eps(row['epsilon'])} (recipe.csv), the accountant "
                     f"needs a noise multiplier of {row['noise_multiplier']:.1f}: every summed, clipped gradient "
                     f"gets Gaussian noise with {row['noise_multiplier']:.1f} times the clipping norm as its sd.")
        if row is not None and len(base):
            b = base.iloc[0]
            text += (f" There, DP costs ours {_num(b['tstr_ratio_rf'] - row['tstr_ratio_rf'])} in TSTR ratio "
                     f"({_num(b['tstr_ratio_rf'])} without DP, {_num(row['tstr_ratio_rf'])} with) and "
                     f"{_num(b['column_shapes'] - row['column_shapes'])} in column shapes.")
        same = rec[rec['recipe'] == 'nodp-' + str(row['recipe']).removeprefix('dp-')] if row is not None else []
        if len(same):
            s = same.iloc[0]
            text += (f" The same small recipe without noise (`{s['recipe']}`) reaches a TSTR ratio of "
                     f"{_num(s['tstr_ratio_rf'])} and column shapes of {_num(s['column_shapes'])}, so the noise, not "
                     'the smaller model, accounts for the rest.')
        diag = rec[rec['recipe'] == str(row['recipe']) + DIAGNOSTIC] if row is not None else []
        if len(diag):
            q = diag.iloc[0]
            text += (f" Reading the quantile grid from the data instead of the public bounds (`{q['recipe']}`, a "
                     f"diagnostic that is not private) changes column shapes by "
                     f"{_num(q['column_shapes'] - row['column_shapes'], sign=True)} and the TSTR ratio by "
                     f"{_num(q['tstr_ratio_rf'] - row['tstr_ratio_rf'], sign=True)}"
                     + (': part of the loss on shapes is the price of bounds that are public.'
                        if q['column_shapes'] > row['column_shapes'] else
                        ': the public bounds do not explain the loss on shapes.'))
    return text


def utility_figure(df: pd.DataFrame, metrics=('tstr_ratio_rf', 'column_shapes'), floor: float = -1.0):
    "Mean ± 95 % CI of `metrics` (rows) against target ε, a panel per dataset, a line per generator."
    from matplotlib.lines import Line2D
    d = scored(df)
    names, gens = list(dict.fromkeys(d['dataset'])), generators(d)
    if len(names) == 1:  # one dataset: its panels side by side
        fig, row = plt.subplots(1, len(metrics), figsize=(3.6 * len(metrics), 3.0), squeeze=False)
        axes = [[ax] for ax in row[0]]
    else:
        fig, axes = plt.subplots(len(metrics), len(names), figsize=(2.5 * len(names), 2.2 * len(metrics) + 0.5),
                                 squeeze=False)
    cycle = plt.rcParams['axes.prop_cycle'].by_key()['color']
    colours = {g: cycle[k % len(cycle)] for k, g in enumerate(gens)}
    clipped = False
    for j, ds in enumerate(names):
        dd = d[d['dataset'] == ds]
        eps = sorted(dd['epsilon'].unique())
        for i, m in enumerate(metrics):
            ax, n_low = axes[i][j], 0
            for k, gen in enumerate(gens):
                cis = {e: t_ci(g[m]) for e, g in sorted(dd[dd['generator'] == gen].groupby('epsilon'))}
                if not cis: continue
                x = np.array(list(cis)) * 1.06 ** (k - (len(gens) - 1) / 2)  # side by side: the bars do not overlap
                y = np.array([c['mean'] for c in cis.values()])
                err = np.array([0.0 if math.isnan(c['lo']) else c['hi'] - c['mean'] for c in cis.values()])
                low = y < floor if m.startswith('tstr') else np.zeros(len(y), bool)
                if (~low).any():
                    ax.errorbar(x[~low], y[~low], yerr=err[~low], marker='o', ms=4, capsize=2, color=colours[gen])
                if low.any():  # below the floor: a triangle on the edge, its value beside it
                    clipped = True
                    ax.plot(x[low], np.full(low.sum(), floor), 'v', color=colours[gen], ms=6, clip_on=False)
                    for xv, yv in zip(x[low], y[low]):
                        ax.annotate(f'{yv:.2f}'.replace('-', '−'), (xv, floor), textcoords='offset points',
                                    xytext=(0, 5 + 8 * n_low), ha='center', fontsize=6.5, color=colours[gen],
                                    annotation_clip=False)  # stacked: values at the same ε do not overlap
                    n_low += 1
            if m.startswith('tstr'):
                ax.axhline(1.0, ls='--', c='k', lw=0.8)
                if (dd[m] < floor).any(): ax.set_ylim(bottom=floor - 0.1)
                ax.set_ylim(top=max(ax.get_ylim()[1], 1.08))
            ax.set_xscale('log')
            ax.set_xlim(eps[0] / 1.6, eps[-1] * 1.6)
            ax.set_xticks(eps, [_eps(e) for e in eps])
            ax.minorticks_off()
            ax.tick_params(labelsize=8)
            ax.set_title(f'{ds}: {METRICS.get(m, m)}', fontsize=9)
            if i == len(metrics) - 1 or len(names) == 1: ax.set_xlabel('target ε', fontsize=8)
    handles = [Line2D([], [], color=colours[g], marker='o', ms=4, label=label(g)) for g in gens]
    handles.append(Line2D([], [], color='k', ls='--', lw=0.8, label='real rows (TSTR ratio 1)'))
    if clipped: handles.append(Line2D([], [], color='grey', marker='v', ls='', label=f'mean below {floor:g}'
                                      .replace('-', '−')))
    ncol = len(handles) if len(names) >= 3 or len(names) == 1 else 3
    fig.legend(handles=handles, loc='lower center', ncol=ncol, fontsize=8, frameon=False)
    inches = fig.get_size_inches()[1]
    fig.tight_layout(rect=(0, 0.2 * -(-len(handles) // ncol) / inches + 0.01, 1, 1))  # room for the legend
    return fig
