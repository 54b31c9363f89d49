"""The final model trained on every row (`refit=True`) against the default, on validation rows:
`results/bench/validation/refit/`.

Each subfolder of `refit/` is one run of `benchmarks/validate_defaults.py` with the specs `tabdiffusion` (the
default) and `tabdiffusion:refit=True` on the same rows and model seeds, so every refit fit has a partner: the
default's fit of the same table with the same seed, run in the same process."""

from pathlib import Path
import numpy as np
import pandas as pd
import benchmark as bm
import edm

__all__ = ['RULE', 'load_refit', 'refit_table', 'refit_verdict', 'refit_runs', 'time_ratio', 'clear_changes']

COLS = edm.QUALITY + ('dcr_share', 'fit_s')  # MIA AUC is in the verdict; passes in the runs' files
RULE = (f"`refit=True` becomes the default only if its mean RF ratio is higher than the default's on all tables but "
        f"at most one, no quality score (the two TSTR ratios, column shapes, pair trends, detection AUC) is worse "
        f"than the default's by significantly more than {edm.TOLERANCE} over all tables and seeds (paired, one-sided "
        f"95%), and its mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table; its cost, a second training "
        f"run, is then measured on the test bench and reported against the cost targets, met or not")


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'refit'


def load_refit(root: Path | None = None) -> pd.DataFrame | None:
    "Every run's rows with a `setting` column ('default' or 'refit'); None when no run is recorded."
    parts = [pd.read_csv(f) for f in sorted(_folder(root).glob('*/validation.csv'))]
    if not parts: return None
    df = pd.concat(parts, ignore_index=True)
    return df.assign(setting=np.where(df.spec.str.contains('refit=True'), 'refit', 'default'))


def refit_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and setting: mean ± sd of each score and of the fit time, over model seeds."
    s = bm.summarise(df, ['dataset', 'setting'], COLS)
    return bm._mean_sd_frame(s, ['dataset', 'setting'], COLS)


def time_ratio(df: pd.DataFrame) -> pd.Series:
    "Per dataset: the mean over seeds of refit's fit time divided by its partner's."
    t = df.pivot_table(index=['dataset', 'model_seed'], columns='setting', values='fit_s').dropna()
    return (t['refit'] / t['default']).groupby(level='dataset', sort=False).mean()


def refit_verdict(df: pd.DataFrame) -> str:
    "The paired gains over all tables, the tables where refit's RF ratio is higher, the rule's verdict and the cost."
    datasets = list(dict.fromkeys(df.dataset))
    gains = {c: edm.paired_gain(df, 'refit', c) for c in edm.QUALITY + ('mia_auc',)}
    worse = [bm.BENCH_COLUMNS.get(c, c) for c, ci in gains.items() if c in edm.QUALITY and edm.significant_loss(ci)]
    m = df.groupby(['setting', 'dataset']).agg(rf=('tstr_ratio_rf', 'mean'), dcr=('dcr_share', 'mean'))
    both = [d for d in datasets if ('refit', d) in m.index and ('default', d) in m.index]
    higher = [d for d in both if m.loc[('refit', d), 'rf'] > m.loc[('default', d), 'rf']]
    above = [d for d in both if m.loc[('refit', d), 'dcr'] > bm.DCR_LIMIT]
    ok = len(higher) >= len(both) - 1 and not worse and not above
    ratio = time_ratio(df)
    return (f"**refit** ({gains['tstr_ratio_rf']['n']} paired fits): mean differences to the default, 95% intervals, "
            f"positive = better: {'; '.join(edm.gain_text(ci, c) for c, ci in gains.items())}. Its mean RF ratio is "
            f"higher on {len(higher)} of {len(both)} tables ({', '.join(higher) or 'none'}); "
            + edm.rule_text(worse, above, ok)
            + f" Its fit takes {ratio.min():.2f} to {ratio.max():.2f} times the default's "
              f"({', '.join(f'{d} {r:.2f}' for d, r in ratio.items())}).")


def clear_changes(df: pd.DataFrame) -> tuple:
    "The scores whose paired 95% interval lies above zero (refit better) and below zero (refit worse)."
    gains = {bm.BENCH_COLUMNS.get(c, c): edm.paired_gain(df, 'refit', c) for c in edm.QUALITY + ('mia_auc',)}
    return [c for c, ci in gains.items() if ci['lo'] > 0], [c for c, ci in gains.items() if ci['hi'] < 0]


def refit_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'validation.json', 'refit/')
