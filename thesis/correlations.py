"""Matched correlations: a sample's numeric scores moved least to the training scores' correlation (issue 15).

`results/bench/validation/correlations/*/correlations.csv` (`benchmarks/correlations_check.py`): each fit of the
default draws one sample with `correlations='model'` and one with `correlations='fitted'` from the same seed, so from
the same reverse process; the two differ only in the numeric scores, moved by `quantile.match_correlation`. The
rule below was committed before the run."""

from pathlib import Path
import pandas as pd
import benchmark as bm
import edm
from category_counts import CC_DCR_RISE, CC_TIME, relative_check

__all__ = ['CORR_RULE', 'CORR_TABLES', 'CORR_LABELS', 'load_correlations', 'corr_table', 'corr_verdict', 'corr_pass',
           'corr_runs', 'corr_moves_text', 'SMALL_RULE', 'SMALL_TABLES', 'SMALL_SEEDS', 'SMALL_SPECS',
           'load_corr_small', 'corr_small_table', 'corr_small_verdict', 'corr_small_pass', 'corr_small_runs',
           'below_half_text', 'kept_text', 'passed_text']

CORR_TABLES, CORR_SEEDS = ('diamonds', 'abalone', 'california', 'adult', 'diabetes', 'pima'), (0, 1, 2)
CORR_LABELS = {'model': "model's correlations", 'fitted': 'matched correlations'}
CORR_RULE = (f"matched correlations become the default (`correlations='auto'`) only if, on the validation rows of "
             f"{', '.join(CORR_TABLES)} (model seeds {CORR_SEEDS[0]}-{CORR_SEEDS[-1]}, one sample of each fit drawn "
             f"both ways from the same seed), pair trends are higher than with the model's correlations over all "
             f"tables (paired, one-sided 95%), no quality score (the two TSTR ratios, column shapes, pair trends, "
             f"detection AUC) is worse by significantly more than {edm.TOLERANCE}, on any table or over all of them, "
             f"on no table does their mean DCR share exceed that of the model's correlations (from the same fits) "
             f"by more than {CC_DCR_RISE}, they add no exact copy, and a sample takes on average less than "
             f"{CC_TIME:.0%} longer to draw")


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'correlations'


def load_correlations(root: Path | None = None) -> pd.DataFrame | None:
    "Every run's rows, `setting` \"model's correlations\" or 'matched correlations'; None when no run is recorded."
    files = sorted(_folder(root).glob('*/correlations.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df.assign(setting=df.correlations.map(CORR_LABELS))


def corr_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset: mean ± sd over model seeds of each score and the sample's seconds, both ways."
    cols = edm.COLS[:6] + ('sample_s',)
    return bm._mean_sd_frame(bm.summarise(df, ['dataset', 'setting'], cols), ['dataset', 'setting'], cols)


def _check(df: pd.DataFrame) -> tuple:
    return relative_check(df, CORR_LABELS['fitted'], CORR_LABELS['model'], 'Matched correlations',
                          'column_pair_trends')


def corr_pass(df: pd.DataFrame) -> bool:
    "Does the rule make matched correlations the default?"
    return _check(df)[1]


def corr_verdict(df: pd.DataFrame) -> str:
    "The paired evidence under `CORR_RULE`, and the verdict."
    text, ok = _check(df)
    return text + ('Matched correlations **meet** the rule.' if ok else 'Matched correlations do **not** meet the rule.')


def corr_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'correlations.json', 'correlations/')


def corr_moves_text(df: pd.DataFrame) -> str:
    "Per table, the mean pair trends, detection AUC and DCR share with the model's correlations → matched ones."
    m = df.groupby(['dataset', 'setting'], sort=False)[['column_pair_trends', 'detection_auc', 'dcr_share']].mean()
    a, b = CORR_LABELS['model'], CORR_LABELS['fitted']
    part = lambda col: '; '.join(f"{d} {m.loc[(d, a), col]:.3f} → {m.loc[(d, b), col]:.3f}"
                                 for d in dict.fromkeys(df.dataset))
    return (f"Means per table, the model's correlations → matched ones. Pair trends: {part('column_pair_trends')}. "
            f"Detection AUC: {part('detection_auc')}. DCR share: {part('dcr_share')}.")


# --- rule 2: matched correlations on tables checked by folds, with checks that judge matched draws -----------------
SMALL_TABLES, SMALL_SEEDS = ('diabetes', 'pima'), (3, 4, 5, 6, 7, 8)
SMALL_SPECS = {'tabdiffusion': "model's correlations", 'tabdiffusion:correlations=auto': 'matched, checked'}
SMALL_RULE = (f"`correlations='auto'` (matched correlations on a table checked by folds, whose privacy checks then "
              f"judge matched draws; the model's correlations elsewhere) becomes the default only if, on the "
              f"validation rows of {', '.join(SMALL_TABLES)} (the validation tables checked by folds; model seeds "
              f"{SMALL_SEEDS[0]}-{SMALL_SEEDS[-1]}, new fits of both settings at one commit, paired by seed), pair "
              f"trends are higher than the default's over both tables (paired, one-sided 95%), no quality score (the "
              f"two TSTR ratios, column shapes, pair trends, detection AUC) is worse by significantly more than "
              f"{edm.TOLERANCE}, on either table or over both, the mean DCR share stays within {bm.DCR_LIMIT:.2f} on "
              f"each table and exceeds the default's by at most {CC_DCR_RISE}, there is no exact copy, and a fit with "
              f"its sample takes on average less than {CC_TIME:.0%} longer; the larger tables resolve 'auto' to the "
              f"model's correlations, so their fits and samples are unchanged")


def _small_folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'correlations_small'


def load_corr_small(root: Path | None = None) -> pd.DataFrame | None:
    "Rule 2's rows (`correlations_small/*/validation.csv`), `setting` from the spec; None when there is no run."
    files = sorted(_small_folder(root).glob('*/validation.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df[df.spec.isin(SMALL_SPECS)].assign(setting=lambda d: d.spec.map(SMALL_SPECS))


def corr_small_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset: mean ± sd over model seeds of each score, the passes kept and the fit's seconds, both settings."
    cols = edm.COLS[:6] + ('mia_auc', 'kept_epoch', 'fit_s')
    return bm._mean_sd_frame(bm.summarise(df, ['dataset', 'setting'], cols), ['dataset', 'setting'], cols)


def _small_check(df: pd.DataFrame) -> tuple:
    text, ok = relative_check(df, SMALL_SPECS['tabdiffusion:correlations=auto'], SMALL_SPECS['tabdiffusion'],
                              'Matched correlations with matched checks', 'column_pair_trends', ('fit_s', 'sample_s'))
    return text.replace('paired with the same sample', 'paired by model seed with the fits with the'), ok


def below_half_text(df: pd.DataFrame) -> str:
    "The detection AUCs under 0.5 of rule 2's candidate: how many fits, and the lowest."
    r = df[df.setting == SMALL_SPECS['tabdiffusion:correlations=auto']]
    low = r[r.detection_auc < 0.45]
    if low.empty: return ''
    return (f"{len(low)} of the {len(r)} fits with matched correlations gave a detection AUC below 0.45 (lowest "
            f"{low.detection_auc.min():.3f})")


def corr_small_pass(df: pd.DataFrame) -> bool:
    "Does `SMALL_RULE` make `correlations='auto'` the default?"
    return _small_check(df)[1]


def corr_small_verdict(df: pd.DataFrame) -> str:
    "The paired evidence under `SMALL_RULE`, and the verdict."
    text, ok = _small_check(df)
    return text + ("`correlations='auto'` **meets** the rule." if ok else "`correlations='auto'` does **not** meet "
                   "the rule.")


def corr_small_runs(root: Path | None = None) -> str:
    "One sentence per run of rule 2."
    return bm.recorded_runs(_small_folder(root), 'validation.json', 'correlations_small/')


def kept_text(df: pd.DataFrame) -> str:
    "Per table, the mean kept pass of rule 2's default fits → its candidate's: 'diabetes 28 → 28; pima 42 → 35'."
    m = df.groupby(['dataset', 'setting'], sort=False).kept_epoch.mean()
    a, b = SMALL_SPECS['tabdiffusion'], SMALL_SPECS['tabdiffusion:correlations=auto']
    return '; '.join(f"{d} {m[(d, a)]:.0f} → {m[(d, b)]:.0f}" for d in dict.fromkeys(df.dataset))


def passed_text(df: pd.DataFrame) -> str:
    "Per table and setting, how many of rule 2's fits had a checkpoint that passed the privacy check."
    n = df.groupby(['dataset', 'setting'], sort=False).check_passed.agg(['sum', 'size'])
    a, b = SMALL_SPECS['tabdiffusion'], SMALL_SPECS['tabdiffusion:correlations=auto']
    return '; '.join(f"{d}: {n.loc[(d, a), 'sum']:.0f} of {n.loc[(d, a), 'size']} with the model's correlations, "
                     f"{n.loc[(d, b), 'sum']:.0f} of {n.loc[(d, b), 'size']} matched"
                     for d in dict.fromkeys(df.dataset))
