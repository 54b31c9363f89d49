"""Fitted marginals: numeric values drawn stratified from the fitted quantiles in the model's order, or the model's own.

`results/bench/validation/marginals/*/marginals.csv` (`benchmarks/marginals_check.py`): each fit of the default draws
one sample with `marginals='model'` and one with `marginals='fitted'` from the same seed, so from the same model
values; the two differ only in the numeric values given to each rank."""

from pathlib import Path
import numpy as np
import pandas as pd
from scipy import stats
import benchmark as bm
import edm
from decimals import COLS, twin_verdict

__all__ = ['RULE', 'load_marginals', 'marginals_table', 'marginals_verdict', 'marginals_pass', 'marginals_runs']

RULE = (f'fitted marginals become the default only if column shapes are higher than with the model\'s values over '
        f'all tables (paired, one-sided 95%), no quality score (the two TSTR ratios, column shapes, pair trends, '
        f'detection AUC) is worse by significantly more than {edm.TOLERANCE}, on any table or over all of them, '
        f'their mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table and they add no exact copy')
LABELS = {'model': "model's values", 'fitted': 'fitted marginals'}


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'marginals'


def load_marginals(root: Path | None = None) -> pd.DataFrame | None:
    "Every run's rows, `setting` \"model's values\" or 'fitted marginals'; None when no run is recorded."
    files = sorted(_folder(root).glob('*/marginals.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df.assign(setting=df.marginals.map(LABELS))


def marginals_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset: mean ± sd over model seeds of each score, with the model's values and with fitted marginals."
    return bm._mean_sd_frame(bm.summarise(df, ['dataset', 'setting'], COLS), ['dataset', 'setting'], COLS)


def _shapes_higher(df: pd.DataFrame) -> bool:
    "Are column shapes higher with fitted marginals over all tables (one-sided 95%: gain > t(0.95, n−1) · se)?"
    ci = edm.paired_gain(df, LABELS['fitted'], 'column_shapes', base=LABELS['model'])
    return ci['n'] >= 2 and ci['mean'] > stats.t.ppf(0.95, ci['n'] - 1) * ci['sd'] / np.sqrt(ci['n'])


def marginals_pass(df: pd.DataFrame) -> bool:
    "Does the rule make fitted marginals the default?"
    return twin_verdict(df, LABELS['fitted'], LABELS['model'], 'Fitted marginals')[1] and _shapes_higher(df)


def marginals_verdict(df: pd.DataFrame) -> str:
    "Paired gains of fitted marginals over all tables, losses, DCR and copies, whether shapes rise, and the verdict."
    text = twin_verdict(df, LABELS['fitted'], LABELS['model'], 'Fitted marginals')[0]
    body = text.rsplit(' Fitted marginals ', 1)[0]
    shapes = ('Column shapes are higher over all tables (one-sided 95%). ' if _shapes_higher(df) else
              'Column shapes are not significantly higher over all tables. ')
    return body + ' ' + shapes + ('Fitted marginals **meet** the rule.' if marginals_pass(df) else
                                  'Fitted marginals do **not** meet the rule.')


def marginals_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'marginals.json', 'marginals/')
