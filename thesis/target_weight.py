"""A numeric target weighed more in the diffusion's loss (issue 15): the rule, stated before the run, and its readers.

The candidate is spec `tabdiffusion:target_weight=4` (results/bench/validation/target_weight/*/validation.csv).
Its default arm is the spec `tabdiffusion` there and, for model seeds 0-2, the default's fits of the bfloat16 check
(results/bench/validation/train_bf16/): the same default code on the same machine, whose fits are seeded.
"""
from __future__ import annotations
from pathlib import Path
import numpy as np
import pandas as pd
import benchmark as bm
import edm

__all__ = ['TW_RULE', 'TW_SPEC', 'TW', 'TW_WEIGHT', 'FIRST_LOOK_SEEDS', 'TW_TABLES', 'load_target_weight',
           'tw_table', 'tw_verdict', 'tw_abalone_text']

TW_WEIGHT, FIRST_LOOK_SEEDS = 4, (0, 1, 2)  # the weight, and abalone's seeds of the first look that chose it
TW_SPEC, TW = f'tabdiffusion:target_weight={TW_WEIGHT}', f'target weighed ×{TW_WEIGHT}'
TW_TABLES = {'diamonds': (0, 1, 2), 'california': (0, 1, 2), 'diabetes': (0, 1, 2), 'abalone': (3, 4, 5)}
TW_RULE = (f"A numeric target's column weighs {TW_WEIGHT} times each other numeric column in the diffusion "
           f"model's loss (`target_weight={TW_WEIGHT}`; the weights average 1, and a class target is unchanged). It "
           "becomes the default if, paired with the default's fits on the validation rows of "
           + '; '.join(f"{d} (model seeds {s[0]}-{s[-1]})" for d, s in TW_TABLES.items())
           + f" (abalone's seeds {FIRST_LOOK_SEEDS[0]}-{FIRST_LOOK_SEEDS[-1]} suggested the change, so its seeds are "
           'new): (1) the mean change of the TSTR ratio over all fits is positive for both the random forest and the '
           'boosted model, and the mean change of column-pair trends is above −0.005; (2) on no table does the mean '
           "DCR share rise by more than 0.01 over the default's, and there is no exact copy; (3) the mean MIA AUC "
           'rises by less than 0.01.')
TW_COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_pair_trends', 'dcr_share', 'exact_copies', 'mia_auc')  # no time:
# some candidate fits ran beside the test suite, so their seconds compare with nothing


def _rows(folder: Path) -> pd.DataFrame | None:
    parts = sorted(folder.glob('*/validation.csv'))
    return pd.concat([pd.read_csv(p) for p in parts], ignore_index=True) if parts else None


def load_target_weight(root: Path | None = None) -> pd.DataFrame | None:
    "Both arms' rows of the rule's tables and seeds (column `setting`), paired fits only; None until both ran."
    val = bm.bench_dir(root) / 'validation'
    new, bf = _rows(val / 'target_weight'), _rows(val / 'train_bf16')
    if new is None: return None
    both = pd.concat([new, bf[bf.spec == 'tabdiffusion']] if bf is not None else [new], ignore_index=True)
    both = both[[s in TW_TABLES.get(d, ()) for d, s in zip(both.dataset, both.model_seed)]]
    both = both[both.spec.isin(['tabdiffusion', TW_SPEC])].drop_duplicates(['dataset', 'model_seed', 'spec'])
    both = both.assign(setting=np.where(both.spec == TW_SPEC, TW, 'default'))
    return None if both.setting.nunique() < 2 else bm.paired_fits(both)


def tw_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and setting: mean ± sd over model seeds of the scores the rule reads."
    return bm.arms_table(df, TW, TW_COLS)


def _signed(v: float) -> str: return f'{v:+.3f}'.replace('-', '−')


def tw_abalone_text(df: pd.DataFrame) -> str:
    "The table that suggested the change, on its new seeds: both arms' mean RF and GB ratios."
    a = df[df.dataset == 'abalone'].groupby('setting')[['tstr_ratio_rf', 'tstr_ratio_gb']].mean()
    if len(a) < 2: return ''
    return (f"On abalone's new seeds, which the first look did not see, the weighted fits' mean TSTR ratios were "
            f"{a.loc[TW, 'tstr_ratio_rf']:.3f} (RF) and {a.loc[TW, 'tstr_ratio_gb']:.3f} (GB), the default's "
            f"{a.loc['default', 'tstr_ratio_rf']:.3f} and {a.loc['default', 'tstr_ratio_gb']:.3f}.")


def tw_verdict(df: pd.DataFrame) -> str:
    "The rule's three conditions with what was measured, and the outcome."
    g = {c: edm.paired_gain(df, TW, c) for c in ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_pair_trends', 'mia_auc')}
    dcr = df.groupby(['dataset', 'setting'], sort=False).dcr_share.mean().unstack('setting')
    rise, copies = (dcr[TW] - dcr['default']), int(df[df.setting == TW].exact_copies.sum())
    ok = [g['tstr_ratio_rf']['mean'] > 0 and g['tstr_ratio_gb']['mean'] > 0
          and g['column_pair_trends']['mean'] > -0.005,
          bool((rise <= 0.01).all()) and copies == 0, -g['mia_auc']['mean'] < 0.01]
    verdict = lambda k: 'met' if ok[k] else 'not met'
    return (f"The {TW} against the default ({g['tstr_ratio_rf']['n']} paired fits; mean differences, 95% "
            f"intervals, positive = better): {edm.gains_text(g)} (condition 1 {verdict(0)}). "
            f"The mean DCR share per table changed by {_signed(rise.min())} to {_signed(rise.max())}, with "
            f"{copies} exact cop{'y' if copies == 1 else 'ies'} (condition 2 {verdict(1)}). MIA AUC changed by "
            f"{-g['mia_auc']['mean']:+.3f} (condition 3 {verdict(2)}). "
            + ('The weight becomes the default.' if all(ok) else 'The default stays as it is.'))
