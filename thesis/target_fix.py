"""The target trees fitted without the held-back rows, against the earlier default, on validation rows:
`results/bench/validation/target_fix/`.

Each subfolder of `target_fix/` is one run of `benchmarks/validate_defaults.py` with the default at the commit where
the trees stopped seeing the held-back rows. The earlier default's rows are the default fits of the refit study
(`validation/refit/`, spec `tabdiffusion`): the same rows and model seeds, the commit before the change."""

from pathlib import Path
import pandas as pd
import benchmark as bm
import edm

__all__ = ['load_target_fix', 'target_fix_verdict', 'target_fix_runs', 'TREES_ALL_RULE', 'load_trees_all',
           'trees_all_table', 'trees_all_verdict']


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation'


def load_target_fix(root: Path | None = None) -> pd.DataFrame | None:
    "The new default's rows (setting 'trees without held rows') and the earlier default's ('default'), paired."
    d = _folder(root)
    new = [pd.read_csv(f) for f in sorted((d / 'target_fix').glob('*/validation.csv'))]
    old = [pd.read_csv(f) for f in sorted((d / 'refit').glob('*/validation.csv'))]
    if not new or not old: return None
    new, old = pd.concat(new, ignore_index=True), pd.concat(old, ignore_index=True)
    old = old[old.spec == 'tabdiffusion']
    keys = set(zip(new.dataset, new.model_seed)) & set(zip(old.dataset, old.model_seed))
    both = pd.concat([old.assign(setting='default'), new.assign(setting='trees without held rows')])
    return both[[k in keys for k in zip(both.dataset, both.model_seed)]].reset_index(drop=True)


def target_fix_verdict(df: pd.DataFrame) -> str:
    "The paired changes of every score over all tables and seeds, and where the mean DCR share is above the limit."
    gains = {c: edm.paired_gain(df, 'trees without held rows', c) for c in edm.QUALITY + ('dcr_share', 'mia_auc')}
    clear = [bm.BENCH_COLUMNS.get(c, c) for c, ci in gains.items() if ci['lo'] > 0 or ci['hi'] < 0]
    m = df[df.setting != 'default'].groupby('dataset', sort=False).dcr_share.mean()
    above = [d for d, v in m.items() if v > bm.DCR_LIMIT]
    return (f"Trees without the held-back rows ({gains['tstr_ratio_rf']['n']} paired fits): mean differences to the "
            f"earlier default, 95% intervals, positive = better: "
            f"{'; '.join(edm.gain_text(ci, c) for c, ci in gains.items())}. "
            + (f"The interval excludes zero for {', '.join(clear)}. " if clear else
               'Every interval includes zero. ')
            + (f"The mean DCR share is above {bm.DCR_LIMIT:.2f} on {', '.join(above)}." if above else
               f"The mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table."))


def target_fix_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root) / 'target_fix', 'validation.json', 'target_fix/')


# stated before the candidate ran (`benchmarks/validate_defaults.py --datasets diamonds abalone california adult
# --seeds 0 1 2`, results/bench/validation/trees_all/{default,candidate}/, each arm at its own commit)
TREES_ALL_DATASETS = ('diamonds', 'abalone', 'california', 'adult')
TREES_ALL_RULE = ('When `fit` keeps the target trees, their booster is fitted again on every training row, the '
                  'held-back ones included, once the choice has been made on those rows; the residual distribution '
                  'stays the one measured out of fold on the rows the diffusion model trains on. It becomes the '
                  f'default if, on the validation rows of {", ".join(TREES_ALL_DATASETS)} with model seeds 0-2, '
                  'paired with the default\'s fits: (1) the mean change of the TSTR ratio is positive for both the '
                  f'random forest and the boosted model; (2) the mean DCR share stays within {bm.DCR_LIMIT:.2f} on '
                  'every table, with no exact copy; (3) the mean MIA AUC rises by less than 0.01.')
TREES_ALL = 'trees on every row'  # the candidate's setting name
TREES_ALL_COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_pair_trends', 'dcr_share', 'exact_copies', 'mia_auc')


def load_trees_all(root: Path | None = None) -> pd.DataFrame | None:
    "The default's and the candidate's validation rows (column `setting`), or None until both ran."
    both = bm.load_arms(_folder(root) / 'trees_all', {'default': 'default', 'candidate': TREES_ALL}, 'setting')
    return None if both is None else bm.paired_fits(both)


def trees_all_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and setting: mean ± sd over model seeds of the scores the rule reads."
    return bm.arms_table(df, TREES_ALL, TREES_ALL_COLS)


def trees_all_verdict(df: pd.DataFrame) -> str:
    "The rule's three conditions with what was measured, and the outcome."
    g = {c: edm.paired_gain(df, TREES_ALL, c) for c in ('tstr_ratio_rf', 'tstr_ratio_gb', 'mia_auc')}
    ok = [g['tstr_ratio_rf']['mean'] > 0 and g['tstr_ratio_gb']['mean'] > 0,
          *bm.privacy_conditions(df, TREES_ALL, g['mia_auc'])]
    privacy = ok.pop()
    return (f"Trees on every row against the default ({g['tstr_ratio_rf']['n']} paired fits; mean differences, 95% "
            f"intervals, positive = better): {edm.gain_text(g['tstr_ratio_rf'], 'tstr_ratio_rf')}; "
            f"{edm.gain_text(g['tstr_ratio_gb'], 'tstr_ratio_gb')} (condition 1 "
            f"{'met' if ok[0] else 'not met'}). {privacy} "
            + ('The refit becomes the default.' if all(ok) else 'The default stays as it is.'))
