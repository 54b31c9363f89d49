"""Checks that draw as the release does: the privacy check and the target-model choice of `fit`, measured on the
release's own draws instead of fixed DDPM draws, judged on validation rows against the current default.

`results/bench/validation/release_check/{default,release}/validation.csv` (`benchmarks/validate_defaults.py`, one
run per arm, same tables, splits and model seeds): `default` is the library before the change, `release` after it.
The arms pair by (dataset, model seed): the same rows and the same initial weights, a different kept checkpoint."""

from pathlib import Path
import numpy as np
import pandas as pd
import benchmark as bm
from sampler import TOLERANCE, _significant

__all__ = ['RULE', 'ARMS', 'DATASETS', 'load_release_check', 'release_table', 'release_check', 'release_verdict',
           'checkpoint_text']

DATASETS = ('pima', 'diabetes', 'schooling', 'nlschools', 'abalone', 'diamonds', 'california', 'adult')
ARMS = {'default': 'DDPM draws', 'release': "release's draws"}
QUALITY = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc')
RULE = ('the privacy check and the choice of the target model draw as the release does (its sampler, its steps up '
        'to 20, its precision and fitted marginals) instead of with 20 and 50 DDPM steps, only if, on the validation '
        f'rows of {len(DATASETS)} tables with model seeds 0, 1 and 2 (paired by table and seed), no quality score '
        '(the two TSTR ratios, column shapes, pair trends, detection AUC) is worse on any table by significantly '
        f'more than {TOLERANCE}, the DCR share rises on no table by significantly more than {TOLERANCE} '
        '(one-sided 95%), and the mean DCR share over all fits is not higher than with the current checks')


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'release_check'


def load_release_check(root: Path | None = None) -> pd.DataFrame | None:
    "Both arms' rows with `arm` set; None until both have finished rows."
    return bm.load_arms(_folder(root), {a: a for a in ARMS})


def _paired(df: pd.DataFrame) -> pd.DataFrame:
    "Per (dataset, model seed) present in both arms: release minus default, detection reversed (positive = better)."
    key = ['dataset', 'model_seed']
    cols = list(QUALITY) + ['dcr_share']
    a, b = (df[df.arm == x].set_index(key)[cols] for x in ARMS)
    d = (b - a).dropna()
    d['detection_auc'] *= -1
    return d


def release_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and arm: mean ± sd over model seeds of the scores, the DCR share and the kept epoch."
    cols = list(QUALITY) + ['dcr_share', 'mia_auc', 'kept_epoch', 'fit_s']
    order = {d: i for i, d in enumerate(df.dataset.unique())}
    df = df.sort_values('dataset', key=lambda d: d.map(order), kind='stable')  # each table's arms side by side
    g = df.groupby(['dataset', 'arm'], sort=False)[cols]
    mean, sd = g.mean(), g.std()
    names = bm.BENCH_COLUMNS | {'kept_epoch': 'kept pass'}
    out = pd.DataFrame({names.get(c, c): [f'{bm._fmt(m, c)} ± {bm._fmt(s, c)}' for m, s in
                                                     zip(mean[c], sd[c])] for c in cols}, index=mean.index)
    out = out.reset_index()
    out['arm'] = out.arm.map(ARMS)
    return out


def release_check(df: pd.DataFrame, tol: float = TOLERANCE) -> tuple:
    "(the evidence as text, whether `RULE` adopts the release's draws in the checks)."
    d = _paired(df)
    g = d.groupby(level='dataset', sort=False)
    mean, se, n = g.mean(), g.std() / np.sqrt(g.size().values[:, None]), g.size()
    worse = [(ds, c, -mean.loc[ds, c], se.loc[ds, c]) for ds in mean.index for c in QUALITY
             if _significant(-mean.loc[ds, c], se.loc[ds, c], n[ds], tol)]
    rise = [ds for ds in mean.index if _significant(mean.loc[ds, 'dcr_share'], se.loc[ds, 'dcr_share'], n[ds], tol)]
    arm_dcr = df.groupby('arm').dcr_share.mean()
    pooled = d.mean()
    names = dict(zip(QUALITY, ('TSTR RF', 'TSTR GB', 'shapes', 'pair trends', 'detection')))
    text = (f'Over {len(d)} paired fits of {d.index.get_level_values("dataset").nunique()} tables (release\'s draws '
            'minus the current checks, positive = better, detection reversed): '
            + ', '.join(f'{names[c]} {pooled[c]:+.3f}' for c in QUALITY)
            + f'; DCR share {pooled["dcr_share"]:+.3f} (mean {arm_dcr["default"]:.3f} → {arm_dcr["release"]:.3f}). '
            + ('Worse by significantly more than the tolerance: '
               + ', '.join(f'{ds} {names[c]} ({v:+.3f} ± {s:.3f})' for ds, c, v, s in worse) + '. ' if worse else
               'No quality score is worse by significantly more than the tolerance on any table. ')
            + (f"The DCR share rises significantly on {', '.join(rise)}. " if rise else
               'The DCR share rises significantly on no table. '))
    ok = not worse and not rise and arm_dcr['release'] <= arm_dcr['default']
    return text, ok


def release_verdict(df: pd.DataFrame) -> str:
    "The evidence and what `RULE` decides."
    text, ok = release_check(df)
    return text + ("The checks **draw as the release does** from now on." if ok else
                   'The rule is **not** met: the checks keep their fixed DDPM draws.')


def checkpoint_text(df: pd.DataFrame) -> str:
    """How often the release's draws kept another checkpoint, and, on the fits that kept the same one, the check's
    DCR share of the same model measured both ways."""
    key = ['dataset', 'model_seed']
    a, b = (df[df.arm == x].set_index(key)[['kept_epoch', 'check_dcr']] for x in ARMS)
    both = a.merge(b, left_index=True, right_index=True, suffixes=('_a', '_b')).dropna()
    same = both[both.kept_epoch_a == both.kept_epoch_b]
    diff = same.check_dcr_b - same.check_dcr_a
    return (f'The release\'s draws kept another checkpoint on {len(both) - len(same)} of {len(both)} fits. On the '
            f'{len(same)} that kept the same one, the check\'s DCR share of that model was '
            f'{same.check_dcr_a.mean():.3f} '
            f'on DDPM draws and {same.check_dcr_b.mean():.3f} on the release\'s (paired difference '
            f'{diff.mean():+.3f} ± {diff.std() / np.sqrt(len(diff)):.3f}, higher on {int((diff > 0).sum())} of '
            f'{len(diff)}).')
