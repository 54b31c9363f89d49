"""Decimal places: the default's samples rounded to each float column's recorded precision, or not, on validation rows.

`results/bench/validation/decimals/*/decimals.csv` (`benchmarks/decimals_check.py`): each fit of the default draws
one sample, decoded twice from the same model values, so every rounded sample has an exact partner."""

from pathlib import Path
import pandas as pd
import benchmark as bm
import edm

__all__ = ['RULE', 'load_decimals', 'decimals_table', 'decimals_verdict', 'decimals_runs', 'twin_verdict']

COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc', 'dcr_share',
        'exact_copies')
RULE = (f'rounding stays only if no quality score (the two TSTR ratios, column shapes, pair trends, detection AUC) '
        f'is worse than without it by significantly more than {edm.TOLERANCE}, on any table or over all of them '
        f'(paired, one-sided 95%), its mean DCR share stays within {bm.DCR_LIMIT:.2f} and it adds no exact copy')


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'validation' / 'decimals'


def load_decimals(root: Path | None = None) -> pd.DataFrame | None:
    "Every run's rows, `setting` 'rounded' or 'not rounded'; None when no run is recorded."
    files = sorted(_folder(root).glob('*/decimals.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df.rename(columns={'decoding': 'setting'})


def decimals_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset: rounded columns, and mean ± sd over model seeds of each score, rounded and not."
    s = bm.summarise(df, ['dataset', 'setting'], COLS)
    t = bm._mean_sd_frame(s, ['dataset', 'setting'], COLS)
    t.insert(2, 'rounded columns', [str(df[df.dataset == d].rounded_columns.max()) for d in s.dataset])
    return t


def decimals_verdict(df: pd.DataFrame) -> str:
    "Paired gains of rounding over all tables, where it is significantly worse, DCR and copies, and the verdict."
    text, ok = twin_verdict(df, 'rounded', 'not rounded', 'Rounding')
    return text + ('Rounding **meets** the rule.' if ok else 'Rounding does **not** meet the rule.')


def twin_verdict(df: pd.DataFrame, setting: str, base: str, name: str, copies_by_table: bool = False) -> tuple:
    """`setting` against `base`, two decodings of the same samples: (the evidence as text, whether it passes).
    Copies: no `setting` sample may hold one, or with `copies_by_table`, no table's `setting` samples may hold more
    in all than its `base` samples (for copies counted before the copy filter, which both decodings have)."""
    datasets = list(dict.fromkeys(df.dataset))
    gains = {c: edm.paired_gain(df, setting, c, base=base) for c in edm.QUALITY + ('dcr_share',)}
    worse = [f'{bm.BENCH_COLUMNS.get(c, c)} ({where})' for c in edm.QUALITY for where in ['all tables', *datasets]
             if edm.significant_loss(edm.paired_gain(df, setting, c, None if where == 'all tables' else [where],
                                                     base=base))]
    r = df[df.setting == setting]
    above = [d for d, v in r.groupby('dataset', sort=False).dcr_share.mean().items() if v > bm.DCR_LIMIT]
    copies = int((r.exact_copies > 0).sum())
    totals = df.groupby(['dataset', 'setting'], sort=False).exact_copies.sum()
    more = [d for d in datasets if totals[(d, setting)] > totals[(d, base)]]
    det = df.groupby(['dataset', 'setting']).detection_auc.mean()
    moves = '; '.join(f"{d} {det[(d, base)]:.3f} → {det[(d, setting)]:.3f}" for d in datasets)
    ok = not worse and not above and not (more if copies_by_table else copies)
    text = (f"{name}, paired with the same sample {base} ({gains['tstr_ratio_rf']['n']} pairs), differences "
            f"with 95% intervals, positive = better: {'; '.join(edm.gain_text(ci, c) for c, ci in gains.items())}. "
            f"Mean detection AUC, {base} → {setting}: {moves}. "
            + (f"Significantly worse than the tolerance on {', '.join(worse)}; " if worse else
               'No score is significantly worse than the tolerance; ')
            + (f"mean DCR share above {bm.DCR_LIMIT:.2f} on {', '.join(above)}; " if above else
               f"the mean DCR share is within {bm.DCR_LIMIT:.2f} everywhere; ")
            + (f"{copies} {setting} samples hold exact copies" if copies else f'no {setting} sample holds an exact '
               'copy') + (_copy_totals(totals, datasets, setting, base, more) if copies_by_table else '') + '. ')
    return text, ok


def _copy_totals(totals: pd.Series, datasets: list, setting: str, base: str, more: list) -> str:
    "The clause on copies by table: which tables' samples hold more copies in all than the base's."
    held = [d for d in datasets if totals[(d, setting)] + totals[(d, base)] > 0]
    counts = ', '.join(f'{d} {totals[(d, base)]:.0f} → {totals[(d, setting)]:.0f}' for d in held)
    return ((f' (copies in all, {base} → {setting}: {counts}; more on {", ".join(more)})' if more else
             f' (copies in all, {base} → {setting}: {counts}; no table has more)') if held else '')


def decimals_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'decimals.json', 'decimals/')
