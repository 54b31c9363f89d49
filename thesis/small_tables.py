"""The privacy check of small tables (folds) against no check, on validation rows: `results/bench/validation/small/`.

Each subfolder is one run of `benchmarks/validate_defaults.py` on the small tables: `before` ran the commit where
tables under `MIN_CHECK_ROWS` rows had no check (and caps on the passes), `folds` the fold check of
`tabdiffusion.holdback`, `folds_short` the fold check with shorter plans; `v_*` the v-prediction model under the
fold check, `early_looks*` (run by `benchmarks/check_looks.py`) that model under variants of the check."""

import json
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
import pandas as pd
import benchmark as bm

__all__ = ['load_small', 'looks_setting', 'setting_label', 'small_tables', 'small_verdict', 'small_runs',
           'option_verdict', 'option_above', 'load_fold_null', 'fold_null_text',
           'load_frontier', 'frontier_table', 'frontier_text']

CHECKED = {'before': 'no check', 'folds': 'fold check', 'folds_short': 'fold check',  # folder: the check
           'v_prediction': 'fold check', 'v_check_0.53': 'fold check', 'v_check_0.51': 'fold check',
           'early_looks': 'fold check, earlier looks',  # benchmarks/check_looks.py: not library settings
           'early_looks_se': 'fold check, earlier looks, stricter verdict'}
QUALITY = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'detection_auc')
PRIVACY = ('dcr_share', 'mia_auc', 'fit_s', 'kept_epoch')


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'small'


def setting_label(folder: str, spec: str) -> str:
    "'fold check' or 'no check', plus the spec's options ('no check, max_epochs=150'); the default is marked."
    options = spec.partition(':')[2].replace(',', ', ')
    label = CHECKED.get(folder, folder) + (f', {options}' if options else '')
    return label + (' (default)' if folder == 'folds' and not options else '')


def load_small(root: Path | None = None) -> pd.DataFrame | None:
    "Every run's rows, with a `setting` column (`setting_label`); None when no run is recorded."
    parts = []
    for csv in sorted(_folder(root).glob('*/validation.csv')):
        df = pd.read_csv(csv)
        parts.append(df.assign(setting=[setting_label(csv.parent.name, s) for s in df.spec]))
    return pd.concat(parts, ignore_index=True) if parts else None


def small_tables(df: pd.DataFrame) -> tuple:
    "Two tables per dataset and setting, mean ± sd over model seeds: utility and fidelity; privacy and cost."
    s = bm.summarise(df, ['dataset', 'setting'], QUALITY + PRIVACY)
    names = {**bm.BENCH_COLUMNS, 'kept_epoch': 'kept pass'}
    out = []
    for cols in (QUALITY, PRIVACY):
        t = bm._mean_sd_frame(s, ['dataset', 'setting'], [c for c in cols if c != 'kept_epoch'])
        if 'kept_epoch' in cols and 'kept_epoch_mean' in s:
            t[names['kept_epoch']] = [bm._fmt(m, 'epochs') for m in s.kept_epoch_mean]
        out.append(t)
    return tuple(out)


def small_verdict(df: pd.DataFrame, limit: float = bm.DCR_LIMIT) -> str:
    "Per dataset: mean DCR share, detection AUC and column shapes without the check and with the default folds."
    s = bm.summarise(df, ['dataset', 'setting'], ['dcr_share', 'detection_auc', 'column_shapes']).set_index(
        ['dataset', 'setting'])
    out = []
    for ds in dict.fromkeys(df.dataset):
        try: a, b = s.loc[(ds, 'no check')], s.loc[(ds, 'fold check (default)')]
        except KeyError: continue
        within = 'within' if b.dcr_share_mean <= limit else '**above**'
        out.append(f'On {ds} ({int(df[df.dataset == ds].n_fit.iloc[0])} rows to fit on), the fold check moves the '
                   f'mean DCR share from {a.dcr_share_mean:.3f} to {b.dcr_share_mean:.3f} ({within} {limit:.2f}), '
                   f'detection AUC from {a.detection_auc_mean:.3f} to {b.detection_auc_mean:.3f} and column shapes '
                   f'from {a.column_shapes_mean:.3f} to {b.column_shapes_mean:.3f}.')
    return ' '.join(out)


def small_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'validation.json')


def option_verdict(df: pd.DataFrame, option: str, limit: float = bm.DCR_LIMIT,
                   default: str = 'fold check (default)') -> str:
    "Per dataset, on the model seeds both have: the `default` setting against `option` (setting labels)."
    out = []
    for ds in dict.fromkeys(df.dataset):
        d = df[df.dataset == ds]
        seeds = set(d[d.setting == option].model_seed) & set(d[d.setting == default].model_seed)
        if not seeds: continue
        m = d[d.model_seed.isin(seeds)].groupby('setting')[['tstr_ratio_rf', 'detection_auc', 'dcr_share']].mean()
        a, b = m.loc[default], m.loc[option]
        within = 'within' if b.dcr_share <= limit else '**above**'
        out.append(f'{ds} ({len(seeds)} seeds): RF ratio {a.tstr_ratio_rf:.3f} → {b.tstr_ratio_rf:.3f}, '
                   f'detection AUC {a.detection_auc:.3f} → {b.detection_auc:.3f}, DCR share {a.dcr_share:.3f} → '
                   f'{b.dcr_share:.3f} ({within} {limit:.2f})')
    return '; '.join(out) + '.' if out else ''


def option_above(df: pd.DataFrame, option: str, limit: float = bm.DCR_LIMIT) -> list:
    "The datasets where `option`'s mean DCR share is above `limit`."
    m = df[df.setting == option].groupby('dataset', sort=False).dcr_share.mean()
    return [d for d, v in m.items() if v > limit]


def looks_setting(root: Path | None = None) -> SimpleNamespace:
    "The looks `benchmarks/check_looks.py` ran with (`early_looks_se/validation.json`): first, n, se ('–' if no run)."
    f = _folder(root) / 'early_looks_se' / 'validation.json'
    if not f.exists(): return SimpleNamespace(first='–', n='–', se='–')
    x = json.loads(f.read_text())['experiment']
    return SimpleNamespace(first=str(Fraction(x['FIRST']).limit_denominator(1_000)), n=str(x['NCHECKS']),
                           se=f"{x['SE_MULT']:g}")


def load_fold_null(root: Path | None = None) -> pd.DataFrame | None:
    "`benchmarks/fold_null.py`'s rows (`validation/fold_null/fold_null.csv`); None when it has not run."
    f = bm.bench_dir(root) / 'validation' / 'fold_null' / 'fold_null.csv'
    return pd.read_csv(f) if f.exists() else None


def fold_null_text(df: pd.DataFrame, limit: float = bm.DCR_LIMIT) -> str:
    """Per table: the rows per fold, each generator's single-fold share (mean ± sd), and for how many seeds the mean
    over the four folds, which the check compares with `limit`, lay above it."""
    names = {'copula': 'the Gaussian copula', 'marginals': 'independent marginals'}
    parts = []
    for ds, g in df.groupby('dataset', sort=False):
        pooled = g.groupby(['generator', 'seed'], sort=False).share.mean().gt(limit).groupby(level=0, sort=False)
        one = g.groupby('generator', sort=False).share.agg(['mean', 'std'])
        seeds = g.seed.nunique()
        gens = '; '.join(f"{names.get(k, k)} {r['mean']:.3f} ± {r['std']:.3f} (above {limit:.2f} for "
                         f"{int(pooled.sum()[k])} of {seeds} seeds)" for k, r in one.iterrows())
        size = f"about {g.n_train.median():.0f} rows to train on and {g.n_held.median():.0f} held back per fold"
        parts.append(f"On {ds} ({size}): {gens}")
    return '. '.join(parts) + '.'


def load_frontier(root: Path | None = None) -> pd.DataFrame | None:
    "`benchmarks/fold_frontier.py`'s rows (every CSV in `validation/fold_frontier/`); None when it has not run."
    files = sorted((bm.bench_dir(root) / 'validation' / 'fold_frontier').glob('*.csv'))
    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True) if files else None


def frontier_table(df: pd.DataFrame, dataset: str) -> pd.DataFrame:
    "One table's settings (rows) against passes (columns): 'mean share / mean pair trends' over seeds and folds."
    m = df[df.dataset == dataset].groupby(['setting', 'passes'], sort=False)[['share', 'trends']].mean()
    cells = (m.share.map('{:.3f}'.format) + ' / ' + m.trends.map('{:.3f}'.format)).unstack('passes')
    cells.columns = ['copula' if c == 0 else f'{c} passes' for c in cells.columns]
    return cells.fillna('').reset_index()


def frontier_text(df: pd.DataFrame, limit: float = bm.DCR_LIMIT) -> str:
    """Per table: the copula's share and trends, and the default's trends at the most passes whose mean share stays
    within the copula's (and within `limit`)."""
    out = []
    for ds, g in df.groupby('dataset', sort=False):
        m = g.groupby(['setting', 'passes'])[['share', 'trends']].mean()
        cop, dft = m.loc['copula'].iloc[0], m.loc['default']
        within = lambda bound: dft[dft.share <= bound]
        say = lambda sub, what: (f"within {what} the default got no further than pair trends "
                                 f"{sub.trends.iloc[-1]:.3f} ({sub.index[-1]} passes)" if len(sub)
                                 else f"no number of passes kept the default within {what}")
        its, lim = say(within(cop.share), "the copula's share"), say(within(limit), f'{limit:.2f}')
        out.append(f"On {ds} the copula's share was {cop.share:.3f} with pair trends {cop.trends:.3f}; {its}, "
                   f"and {lim}")
    return '. '.join(out) + '.'
