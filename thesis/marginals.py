"""Fitted marginals: numeric values drawn stratified from the fitted quantiles in the model's order, or the model's own.

`results/bench/validation/marginals/*/marginals.csv` (`benchmarks/marginals_check.py`): each fit of the default draws
one sample with `marginals='model'` and one with `marginals='fitted'` from the same seed, so from the same model
values; the two differ only in the numeric values given to each rank."""

from pathlib import Path
import json
import numpy as np
import pandas as pd
from scipy import stats
import benchmark as bm
import edm
from decimals import COLS, twin_verdict

__all__ = ['RULE', 'load_marginals', 'marginals_table', 'marginals_verdict', 'marginals_pass', 'marginals_runs',
           'load_mass', 'mass_text', 'MASS_RULE', 'load_mass_all', 'mass_verdict', 'HELD_RULE', 'HELD',
           'load_held', 'held_verdict', 'held_pass', 'RECHECK_RULE', 'load_recheck', 'recheck_verdict',
           'recheck_pass', 'copies_text', 'over_limit_text']

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


def _shapes_higher(df: pd.DataFrame, setting: str = LABELS['fitted'], base: str = LABELS['model'],
                   col: str = 'column_shapes') -> bool:
    "Is `col` (column shapes) higher with `setting` than `base` over all tables (one-sided 95%: gain > t(0.95, n−1) · se)?"
    ci = edm.paired_gain(df, setting, col, base=base)
    return ci['n'] >= 2 and ci['mean'] > stats.t.ppf(0.95, ci['n'] - 1) * ci['sd'] / np.sqrt(ci['n'])


def _fitted_check(df: pd.DataFrame) -> tuple:
    "(the evidence as text, whether the rule makes fitted marginals the default)"
    text, ok = twin_verdict(df, LABELS['fitted'], LABELS['model'], 'Fitted marginals')
    higher = _shapes_higher(df)
    return text + ('Column shapes are higher over all tables (one-sided 95%). ' if higher else
                   'Column shapes are not significantly higher over all tables. '), ok and higher


def marginals_pass(df: pd.DataFrame) -> bool:
    "Does the rule make fitted marginals the default?"
    return _fitted_check(df)[1]


def marginals_verdict(df: pd.DataFrame) -> str:
    "Paired gains of fitted marginals over all tables, losses, DCR and copies, whether shapes rise, and the verdict."
    text, ok = _fitted_check(df)
    return text + ('Fitted marginals **meet** the rule.' if ok else 'Fitted marginals do **not** meet the rule.')


def marginals_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'marginals.json', 'marginals/')


def load_mass(root: Path | None = None) -> pd.DataFrame | None:
    "`marginals/mass*/mass.csv` (`benchmarks/marginals_mass.py`): one draw per fit decoded three ways; or None."
    files = sorted(_folder(root).glob('mass*/mass.csv'))
    if not files: return None
    meta = [json.loads(f.with_suffix('.json').read_text()) if f.with_suffix('.json').exists() else {} for f in files]
    return pd.concat([pd.read_csv(f).assign(mass=m.get('config', {}).get('mass', np.nan))
                      for f, m in zip(files, meta)], ignore_index=True)


def mass_text(df: pd.DataFrame) -> str:
    "Mean RF and GB ratios of each decoding, and the paired RF change of each against the model's values."
    names = list(dict.fromkeys(df.variant))
    base, datasets = names[0], ', '.join(dict.fromkeys(df.dataset))
    means = df.groupby('variant', sort=False)[['tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes']].mean()
    left = df[df.variant == names[-1]].stratified.dropna().iloc[0] if len(names) > 2 else ''
    parts = []
    for v in names:
        m = means.loc[v]
        ci = edm.paired_gain(df.rename(columns={'variant': 'setting'}), v, 'tstr_ratio_rf', base=base)
        span = f" [{ci['lo']:+.3f}, {ci['hi']:+.3f}]" if ci['n'] > 1 else ''
        gain = '' if v == base else f", RF paired with the model's values {ci['mean']:+.3f}{span}".replace('-', '−')
        parts.append(f"{v}: RF {m.tstr_ratio_rf:.3f}, GB {m.tstr_ratio_gb:.3f}, column shapes "
                     f"{m.column_shapes:.3f}{gain}")
    n = df.groupby(['dataset', 'model_seed']).ngroups
    share = f"{df['mass'].iloc[0]:.0%} of the rows" if 'mass' in df else 'the set share'
    return (f"On the validation rows of {datasets} ({n} fits, one draw each, decoded three ways; the last stratifies "
            f"only {left}, the columns whose most common value holds at most {share}): " + '; '.join(parts) + '.')


MASS_RULE = (f'leaving the columns where one value holds many rows to the model replaces the current fitted marginals '
             f'only if, paired by fit over all validation tables, no quality score is worse than with the current '
             f'fitted marginals by significantly more than {edm.TOLERANCE}, on any table or over all of them '
             f'(one-sided 95%), column shapes stay higher than with the model\'s values over all tables (one-sided '
             f'95%), the mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table and no copy is added')
NO_MASS = 'fitted, no mass columns'


HELD = "fitted, model's masses"
HELD_RULE = (f'keeping the model\'s rows on point masses (values that fill at least 10% of a column\'s quantile grid) '
             f'and stratifying only the other rows replaces the current fitted marginals only if, paired by fit over '
             f'all validation tables, no quality score is worse than with the current fitted marginals by '
             f'significantly more than {edm.TOLERANCE}, on any table or over all of them (one-sided 95%), column '
             f'shapes stay higher than with the model\'s values over all tables (one-sided 95%), the mean DCR share '
             f'stays within {bm.DCR_LIMIT:.2f} on every table and no copy is added')


def _load_parts(root: Path | None, folder: str) -> pd.DataFrame | None:
    "`validation/<folder>/part*/mass.csv` with `setting` = its variant; or None."
    files = sorted((bm.bench_dir(root) / 'validation' / folder).glob('part*/mass.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df.assign(setting=df.variant)


def load_mass_all(root: Path | None = None) -> pd.DataFrame | None:
    "`marginals_mass/part*/mass.csv`: the mass-column check (`MASS_RULE`) on every validation table; or None."
    return _load_parts(root, 'marginals_mass')


def load_held(root: Path | None = None) -> pd.DataFrame | None:
    "`marginals_held/part*/mass.csv`: the point-mass check (`HELD_RULE`) on every validation table; or None."
    return _load_parts(root, 'marginals_held')


def _variant_check(df: pd.DataFrame, variant: str, name: str, copies_by_table: bool = False) -> tuple:
    "(the evidence as text, whether `variant` may replace the current fitted marginals: MASS_RULE and HELD_RULE)"
    text, ok = twin_verdict(df, variant, LABELS['fitted'], name, copies_by_table)
    higher = _shapes_higher(df, variant, LABELS['model'])
    return (text + ('Column shapes stay higher than with the model\'s values over all tables. ' if higher else
                    'Column shapes are not significantly higher than with the model\'s values. ')), ok and higher


def _verdict(text: str, ok: bool) -> str:
    return text + ('It **meets** the rule.' if ok else 'It does **not** meet the rule.')


def mass_verdict(df: pd.DataFrame) -> str:
    "The mass-column variant against the current fitted marginals (`MASS_RULE`), and the verdict."
    return _verdict(*_variant_check(df, NO_MASS, 'Leaving mass columns to the model'))


def held_pass(df: pd.DataFrame) -> bool:
    "Does `HELD_RULE` make the point-mass variant the default?"
    return _variant_check(df, HELD, 'Keeping the model\'s point masses')[1]


def held_verdict(df: pd.DataFrame) -> str:
    "The point-mass variant against the current fitted marginals (`HELD_RULE`), and the verdict."
    return _verdict(*_variant_check(df, HELD, 'Keeping the model\'s point masses'))


RECHECK_RULE = ('on new fits of every validation table (model seeds 3, 4 and 5), keeping the model\'s point masses '
                'replaces the current fitted marginals only if the rule above holds again, except for copies: on no '
                'table may its samples hold more exact copies in all than those of the current fitted marginals '
                '(both counted before the copy filter, which removes them from what `sample` returns)')


def load_recheck(root: Path | None = None) -> pd.DataFrame | None:
    "`marginals_held_recheck/part*/mass.csv`: the point-mass check on new fits (`RECHECK_RULE`); or None."
    return _load_parts(root, 'marginals_held_recheck')


def recheck_pass(df: pd.DataFrame) -> bool:
    "Does `RECHECK_RULE` make the point-mass variant the default?"
    return _variant_check(df, HELD, 'Keeping the model\'s point masses', copies_by_table=True)[1]


def recheck_verdict(df: pd.DataFrame) -> str:
    "The point-mass variant on new fits against the current fitted marginals (`RECHECK_RULE`), and the verdict."
    return _verdict(*_variant_check(df, HELD, 'Keeping the model\'s point masses', copies_by_table=True))


def copies_text(df: pd.DataFrame, setting: str = HELD, base: str = LABELS['fitted']) -> str:
    "Copies sample by sample: the fits whose `setting` sample holds more exact copies than its `base` sample."
    w = df.pivot_table(index=['dataset', 'model_seed'], columns='setting', values='exact_copies')
    more = w[w[setting] > w[base]]
    n = int((w[[setting, base]].sum(axis=1) > 0).sum())
    pairs = '; '.join(f'{d} seed {k}: {r[setting]:.0f} against {r[base]:.0f}' for (d, k), r in more.iterrows())
    return (f'Sample by sample, {n} fits hold copies under either decoding; '
            + (f'the {setting} sample holds more than the {base} sample on {len(more)} ({pairs}).' if len(more) else
               f'no {setting} sample holds more than its {base} sample.'))


def over_limit_text(df: pd.DataFrame, setting: str = HELD) -> str:
    "The tables where some decoding's mean DCR share is above the limit, with every decoding's mean there."
    m = df.groupby(['dataset', 'setting'], sort=False).dcr_share.mean()
    over = [d for d in dict.fromkeys(df.dataset) if (m[d] > bm.DCR_LIMIT).any()]
    if not over: return f'No decoding has a mean DCR share above {bm.DCR_LIMIT:.2f} on any table.'
    parts = [f"{d} ({'; '.join(f'{v}: {m[(d, v)]:.3f}' for v in m[d].index)})" for d in over]
    return f"Mean DCR share above {bm.DCR_LIMIT:.2f} for some decoding on {', '.join(parts)}."
