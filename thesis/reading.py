"Read the experiment results store into the thesis's tables: mean ± sd over seeds, never typed by hand."

import math
import os
from pathlib import Path

import pandas as pd

__all__ = ['EXPERIMENTS', 'results_dir', 'load_summary', 'not_run', 'fmt', 'mean_sd_table', 'to_markdown',
           'table_or_note', 'task_metric', 'generator_kind', 'run_figure',
           'UTILITY', 'FIDELITY', 'PRIVACY', 'LABELS', 'figure_or_note']

EXPERIMENTS = {
    'exp001_iris': 'Iris (classification, sanity check)',
    'exp002_california': 'California housing (regression)',
    'exp003_adult': 'Adult census income (classification, mixed types)',
    'exp011_elecdemand': 'Electricity demand (regression, 2 features)',
    'exp012_nlschools': 'NL schools (regression, 5 features)',
    'exp013_schooling': 'Schooling (regression, rich feature set)',
    'exp020_feature_sweep': 'Feature-complexity sweep',
    'exp030_dp': 'Differentially private training',
}


def results_dir() -> Path:
    "The results store: `$TABDIFFUSION_RESULTS` when set, else `results/` at the repository root."
    env = os.environ.get('TABDIFFUSION_RESULTS')
    return Path(env) if env else Path(__file__).resolve().parent.parent / 'results'


def load_summary(exp: str,  # experiment name, e.g. `exp011_elecdemand`
                 root: Path | None = None,  # results store; default `results_dir()`
                 ) -> pd.DataFrame | None:
    "The runs of `exp` from `results/<exp>/summary.csv`, or `None` when the experiment has not been run."
    path = Path(root or results_dir()) / exp / 'summary.csv'
    if not path.exists(): return None
    df = pd.read_csv(path)
    if df.empty: return None
    for col in ('generator', 'dataset', 'mode'):
        if col in df: df[col] = df[col].astype(str)
    if 'mode' not in df: df['mode'] = 'tstr'
    return df


def not_run(exp: str) -> str:
    "The note a chapter shows in place of a table when `exp` has no results yet."
    return (f'> **Not yet run:** `tabdiffusion experiment run {exp}` has not produced '
            f'`results/{exp}/summary.csv`.\n')


def fmt(mean: float, sd: float | None = None, digits: int = 3) -> str:
    "`mean ± sd` rounded to `digits` decimals; `–` for a missing mean, the mean alone when `sd` is missing."
    if mean is None or (isinstance(mean, float) and math.isnan(mean)): return '–'
    if sd is None or (isinstance(sd, float) and math.isnan(sd)): return f'{mean:.{digits}f}'
    return f'{mean:.{digits}f} ± {sd:.{digits}f}'


def mean_sd_table(df: pd.DataFrame,  # rows of a `summary.csv`
                  metrics: list,  # metric columns to summarise; absent ones are skipped
                  by: list = ('generator',),  # grouping columns
                  digits: int = 3,  # decimals shown
                  labels: dict | None = None,  # display names for metric columns
                  ) -> pd.DataFrame:
    "One row per group of `by`: the number of seeds and `mean ± sd` of each metric over them."
    by, labels = list(by), labels or {}
    metrics = [m for m in metrics if m in df and df[m].notna().any()]
    rows = []
    for key, g in df.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        row['n seeds'] = int(g['seed'].nunique()) if 'seed' in g else len(g)
        for m in metrics:
            v = pd.to_numeric(g[m], errors='coerce').dropna()
            d = 1 if len(v) and (v == v.round()).all() and v.abs().max() >= 2 else digits  # counts
            row[labels.get(m, m)] = fmt(v.mean() if len(v) else float('nan'),
                                        v.std(ddof=1) if len(v) > 1 else None, d)
        rows.append(row)
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame, caption: str | None = None) -> str:
    "A pipe table (Pandoc and Quarto read it) with an optional `: caption` line."
    cols = [str(c) for c in table.columns]
    esc = lambda s: str(s).replace('|', '\\|')
    lines = ['| ' + ' | '.join(map(esc, cols)) + ' |', '|' + '|'.join(['---'] * len(cols)) + '|']
    lines += ['| ' + ' | '.join(esc(v) for v in row) + ' |' for row in table.itertuples(index=False)]
    md = '\n'.join(lines) + '\n'
    return md + (f'\n: {caption}\n' if caption else '')


def table_or_note(exp: str, metrics: list, caption: str, mode: str = 'tstr',
                  by: list = ('generator',), labels: dict | None = None, root: Path | None = None) -> str:
    "Markdown for `exp`: the mean ± sd table of `metrics` for runs in `mode`, or the not-yet-run note."
    df = load_summary(exp, root)
    if df is None: return not_run(exp)
    df = df[df['mode'] == mode]
    if df.empty: return f'> No `{mode}` runs in `results/{exp}/summary.csv`.\n'
    num = [c for c in by if c in df and pd.api.types.is_numeric_dtype(df[c])]
    if num: df = df.sort_values(num, kind='stable')  # 2, 5, 10 features, not in the order the runs finished
    tab = mean_sd_table(df, metrics, by=by, labels=labels)
    n = sorted(tab['n seeds'].unique())
    seeds = f'{n[0]}' if len(n) == 1 else f'{n[0]}–{n[-1]}'
    return to_markdown(tab, f'{caption} Mean ± sd over {seeds} seeds (`results/{exp}/summary.csv`).')


def task_metric(df: pd.DataFrame, model: str = 'rf') -> str:
    "The headline score of `df`'s task: `r2` for regression runs, `acc` for classification runs."
    return 'r2' if f'trtr_r2_{model}' in df and df[f'trtr_r2_{model}'].notna().any() else 'accuracy'


def generator_kind(name: str) -> str:
    "`diffusion`, `smogn` or `other`, from a generator's registry name."
    name = str(name).lower()
    return 'diffusion' if 'diffusion' in name else 'smogn' if 'smogn' in name else 'other'


def run_figure(exp: str, figure: str, kind: str = 'diffusion', root: Path | None = None) -> Path | None:
    "The `figures/<figure>.png` of the lowest-seed `tstr` run of a `kind` generator in `exp`, if it exists."
    df = load_summary(exp, root)
    if df is None or 'run_id' not in df: return None
    df = df[(df['mode'] == 'tstr') & (df['generator'].map(generator_kind) == kind)].sort_values('seed')
    for run_id in df['run_id']:
        path = Path(root or results_dir()) / exp / str(run_id) / 'figures' / f'{figure}.png'
        if path.exists(): return path
    return None


UTILITY = ['trtr_r2_rf', 'tstr_r2_rf', 'tstr_ratio_rf', 'trtr_r2_gb', 'tstr_r2_gb',
           'trtr_accuracy_rf', 'tstr_accuracy_rf', 'tstr_f1_rf', 'tstr_auc_rf']
FIDELITY = ['column_shapes', 'column_pair_trends', 'detection_auc']
PRIVACY = ['dcr_median', 'dcr_p5', 'dcr_share', 'exact_copies', 'mia_auc']
LABELS = {'trtr_r2_rf': 'TRTR R² (RF)', 'tstr_r2_rf': 'TSTR R² (RF)', 'tstr_ratio_rf': 'TSTR/TRTR (RF)',
          'trtr_r2_gb': 'TRTR R² (GB)', 'tstr_r2_gb': 'TSTR R² (GB)', 'trtr_accuracy_rf': 'TRTR acc (RF)',
          'tstr_accuracy_rf': 'TSTR acc (RF)', 'tstr_f1_rf': 'TSTR F1 (RF)', 'tstr_auc_rf': 'TSTR AUC (RF)',
          'column_shapes': 'column shapes', 'column_pair_trends': 'pair trends',
          'detection_auc': 'detection AUC',
          'dcr_median': 'DCR median', 'dcr_p5': 'DCR 5th pct', 'dcr_share': 'DCR share',
          'exact_copies': 'exact copies', 'mia_auc': 'MIA AUC'}


def figure_or_note(exp: str, figure: str, kind: str = 'diffusion', root: Path | None = None):
    "An `IPython` image of a run's saved figure, or a Markdown note saying why there is none."
    from IPython.display import Image, Markdown
    path = run_figure(exp, figure, kind, root)
    if path is not None: return Image(filename=str(path))
    if load_summary(exp, root) is None: return Markdown(not_run(exp))
    return Markdown(f'> No `{figure}.png` saved for a {kind} run of `{exp}`.\n')
