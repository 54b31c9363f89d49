"""EDM-style training options against the default, on validation rows: `results/bench/validation/edm/`.

Each subfolder of `edm/` is one run of `benchmarks/validate_defaults.py` with the options `prediction='v'` and
`noise_levels='lognormal'` (alone and together). The default's rows come from the validation run of the default
(`validation/part3_auto`, spec `tabdiffusion:target_model=auto`), same rows and model seeds; `edm/base` re-fits
one of them at the options' commit to show that the default's fits are unchanged."""

from pathlib import Path
import numpy as np
import pandas as pd
from scipy import stats
import benchmark as bm
from stats import paired_diff

__all__ = ['OPTIONS', 'RULE', 'FAST_RULE', 'load_edm', 'option_label', 'edm_table', 'edm_verdict', 'edm_runs',
           'base_check', 'load_fast', 'fast_table', 'fast_verdict', 'paired_gain', 'significant_loss', 'gain_text',
           'rule_text', 'gains_text']

DEFAULT_SPEC = 'tabdiffusion:target_model=auto'  # the default, as its validation run names it
OPTIONS = {'prediction=v': 'v-prediction', 'noise_levels=lognormal': 'log-normal levels',
           'noise_levels=lognormal,prediction=v': 'v-prediction + log-normal levels (EDM)'}
COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc', 'dcr_share',
        'mia_auc', 'epochs_run')
QUALITY = COLS[:5]
TOLERANCE = 0.005  # an option may lose this much on a quality score (as the sampler's rule)
RULE = (f'an option becomes the default only if its mean RF ratio is higher than the default\'s on at least three '
        f'of the four tables, no quality score (the two TSTR ratios, column shapes, pair trends, detection AUC) is '
        f'worse than the default\'s by significantly more than {TOLERANCE} over all tables and seeds (paired, '
        f'one-sided 95%), and its mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table')


FAST_RULE = (f'a sampler of the v-prediction model may replace the default only if no quality score is worse than the '
             f'default\'s by significantly more than {TOLERANCE}, on any table or over all of them (paired by model '
             f'seed, one-sided 95%), and its mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table')


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation'


def option_label(spec: str) -> str:
    "'tabdiffusion:prediction=v' -> 'v-prediction'; the default's spec -> 'default'; else the spec."
    if spec in (DEFAULT_SPEC, 'tabdiffusion'): return 'default'
    opts = ','.join(sorted(spec.partition(':')[2].replace(' ', '').split(',')))
    return OPTIONS.get(opts, spec)


def load_edm(root: Path | None = None) -> pd.DataFrame | None:
    "The options' rows (`edm/*/validation.csv`, not `edm/base`) and the default's from `part3_auto`, labelled."
    d = _folder(root)
    parts = [pd.read_csv(f) for f in sorted((d / 'edm').glob('*/validation.csv')) if f.parent.name != 'base']
    base = d / 'part3_auto' / 'validation.csv'
    if not parts or not base.exists(): return None
    df = pd.concat([pd.read_csv(base), *parts], ignore_index=True)
    df = df.assign(setting=df.spec.map(option_label))
    return df[df.dataset.isin(set(pd.concat(parts).dataset))].reset_index(drop=True)


def paired_gain(df: pd.DataFrame, setting: str, col: str, datasets=None, base: str = 'default') -> dict:
    "`setting − base` of `col`, paired by (dataset, model seed); detection AUC and DCR share reversed."
    key = lambda g: g.set_index(['dataset', 'model_seed'])[col]
    pick = df if datasets is None else df[df.dataset.isin(datasets)]
    sign = -1 if col in ('detection_auc', 'dcr_share', 'mia_auc') else 1  # positive: the option is better
    return paired_diff(sign * key(pick[pick.setting == setting]), sign * key(pick[pick.setting == base]))


def edm_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per option and dataset: mean ± sd of each score, and the default's, over model seeds."
    order = ['default', *OPTIONS.values()]
    s = bm.summarise(df, ['dataset', 'setting'], COLS)
    s = s.iloc[np.lexsort([s.setting.map(order.index), s.dataset.map(list(dict.fromkeys(df.dataset)).index)])]
    return bm._mean_sd_frame(s, ['dataset', 'setting'], COLS)


def gain_text(ci: dict, col: str) -> str:
    name = bm.BENCH_COLUMNS.get(col, col)
    return f"{name} {ci['mean']:+.3f} [{ci['lo']:+.3f}, {ci['hi']:+.3f}]".replace('-', '−')


def gains_text(gains: dict, cols=('tstr_ratio_rf', 'tstr_ratio_gb', 'column_pair_trends')) -> str:
    "`gain_text` of each of `cols` (keys of `gains`, from `paired_gain`), joined by semicolons."
    return '; '.join(gain_text(gains[c], c) for c in cols)


def edm_verdict(df: pd.DataFrame) -> str:
    "Per option: the paired gains over all tables, the tables where its RF ratio is higher, and the rule's verdict."
    out = []
    datasets = list(dict.fromkeys(df.dataset))
    means = df.groupby(['setting', 'dataset']).agg(rf=('tstr_ratio_rf', 'mean'), dcr=('dcr_share', 'mean'))
    for setting in [s for s in OPTIONS.values() if s in set(df.setting)]:
        gains = {c: paired_gain(df, setting, c) for c in QUALITY}
        worse = [bm.BENCH_COLUMNS.get(c, c) for c, ci in gains.items() if significant_loss(ci)]
        higher = [ds for ds in datasets if (setting, ds) in means.index and ('default', ds) in means.index
                  and means.loc[(setting, ds), 'rf'] > means.loc[('default', ds), 'rf']]
        above = [ds for ds in datasets
                 if (setting, ds) in means.index and means.loc[(setting, ds), 'dcr'] > bm.DCR_LIMIT]
        ok = len(higher) >= 3 and not worse and not above
        n = gains['tstr_ratio_rf']['n']
        out.append(f"**{setting}** ({n} paired fits): mean differences to the default, 95% intervals, positive = "
                   f"better: {'; '.join(gain_text(ci, c) for c, ci in gains.items())}. Its mean RF ratio is higher "
                   f"on {len(higher)} of {len(datasets)} tables ({', '.join(higher) or 'none'}); "
                   + rule_text(worse, above, ok))
    return '\n\n'.join(out)


def rule_text(worse: list, above: list, ok: bool) -> str:
    "A verdict's end: where a score is significantly worse, where the DCR share is above the limit, the rule's verdict."
    return ((f"significantly worse than the tolerance on {', '.join(worse)}; " if worse else
             'no score is significantly worse than the tolerance; ')
            + (f"mean DCR share above {bm.DCR_LIMIT:.2f} on {', '.join(above)}. " if above else
               f"mean DCR share within {bm.DCR_LIMIT:.2f} everywhere. ")
            + ('It **meets** the rule.' if ok else 'It does **not** meet the rule.'))


def significant_loss(ci: dict, tol: float = TOLERANCE) -> bool:
    "Is the loss (minus the paired gain) above `tol` by more than the one-sided 95% bound, t(0.95, n−1) · se?"
    if ci['n'] < 2: return False
    return -ci['mean'] - tol > stats.t.ppf(0.95, ci['n'] - 1) * ci['sd'] / np.sqrt(ci['n'])


def base_check(root: Path | None = None) -> str:
    "Does the default re-fitted at the options' commit (`edm/base`) give the same scores as in `part3_auto`?"
    d = _folder(root)
    new, old = d / 'edm' / 'base' / 'validation.csv', d / 'part3_auto' / 'validation.csv'
    if not (new.exists() and old.exists()): return ''
    a, b = pd.read_csv(new), pd.read_csv(old)
    m = a.merge(b, on=['dataset', 'model_seed'], suffixes=('_new', '_old'))
    if m.empty: return ''
    cols = [c for c in QUALITY + ('dcr_share', 'epochs_run')]
    gap = max(float((m[f'{c}_new'] - m[f'{c}_old']).abs().max()) for c in cols)
    fits = ', '.join(f'{r.dataset} seed {r.model_seed}' for r in m.itertuples())
    return (f'The default re-fitted at the options\' commit ({fits}) differs from its earlier run by at most '
            f'{gap:.1e} on any score and on the passes run, so the earlier rows serve as the pairs.')


def edm_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root) / 'edm', 'validation.json', 'edm/')


def _sampler_label(steps: int, order: int, eta: float) -> str:
    kind = 'DDPM' if order == 1 else '2M' + ('' if eta else ', deterministic')
    return f'v-prediction, {int(steps)} steps {kind}'


def load_fast(root: Path | None = None) -> pd.DataFrame | None:
    "The v-prediction model under several samplers (`sampler_v/part*/sampler.csv`) and the default's fits, labelled."
    files = sorted((bm.bench_dir(root) / 'sampler_v').glob('part*/sampler.csv'))
    if not files: return None
    v = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    if 'sample_offset' in v: v = v[v.sample_offset == 0]  # a second sample of a fit is an A/A check
    v = v.assign(setting=[_sampler_label(*k) for k in zip(v.n_sample_steps, v.order, v.eta)])
    d = _folder(root)
    bases = [d / 'part3_auto' / 'validation.csv', d / 'small' / 'folds' / 'validation.csv']
    base = pd.concat([pd.read_csv(f) for f in bases if f.exists()], ignore_index=True)
    base = base[base.spec.isin([DEFAULT_SPEC, 'tabdiffusion']) & base.dataset.isin(set(v.dataset))
                & base.model_seed.isin(set(v.model_seed))]
    return pd.concat([base.assign(setting='default'), v], ignore_index=True)[
        ['dataset', 'model_seed', 'setting', *[c for c in COLS if c != 'epochs_run']]]


def fast_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and setting (the default first): mean ± sd of each score over model seeds."
    order = ['default', *dict.fromkeys(s for s in df.setting if s != 'default')]
    s = bm.summarise(df, ['dataset', 'setting'], COLS[:-1])
    s = s.iloc[np.lexsort([s.setting.map(order.index), s.dataset.map(list(dict.fromkeys(df.dataset)).index)])]
    return bm._mean_sd_frame(s, ['dataset', 'setting'], COLS[:-1])


def fast_verdict(df: pd.DataFrame) -> str:
    "Per sampler of the v-prediction model: pooled paired gains over the default, and the rule's verdict."
    out, datasets = [], list(dict.fromkeys(df.dataset))
    dcr = df.groupby(['setting', 'dataset']).dcr_share.mean()
    for setting in dict.fromkeys(s for s in df.setting if s != 'default'):
        gains = {c: paired_gain(df, setting, c) for c in QUALITY}
        worse = [f'{bm.BENCH_COLUMNS.get(c, c)} ({where})' for c in QUALITY
                 for where in ['all tables', *datasets]
                 if significant_loss(paired_gain(df, setting, c, None if where == 'all tables' else [where]))]
        above = [ds for ds in datasets if dcr.get((setting, ds), 0) > bm.DCR_LIMIT]
        ok = not worse and not above
        out.append(f"**{setting}** ({gains['tstr_ratio_rf']['n']} paired fits): "
                   f"{'; '.join(gain_text(ci, c) for c, ci in gains.items())}; "
                   + rule_text(worse, above, ok))
    return '\n\n'.join(out)
