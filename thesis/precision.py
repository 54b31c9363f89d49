"""Sampling precision: the same fitted models sampled in float32 and in bfloat16, on validation rows.

`results/bench/precision/part*/precision.csv` (`benchmarks/precision_choice.py`): each fit of the default draws a
float32 and a bfloat16 sample with the same seed (the same noise; only the denoiser's arithmetic differs), and a
second float32 sample with another seed (the A/A pair: what a new seed alone moves)."""

from pathlib import Path
import json
import pandas as pd
import benchmark as bm
import edm

__all__ = ['RULE', 'load_precision', 'precision_table', 'precision_verdict', 'precision_runs', 'precision_cpu']

COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc', 'dcr_share',
        'exact_copies')
RULE = (f'bfloat16 becomes the default where it is faster (sample_precision=\'auto\': CPUs with AMX) only if no '
        f'quality score (the two TSTR ratios, column shapes, pair trends, detection AUC) is worse than float32\'s '
        f'by significantly more than {edm.TOLERANCE}, on any table or over all of them (paired by fit and sample '
        f'seed, one-sided 95%), its mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table, it adds no exact '
        f'copy, and it samples faster')
SETTINGS = {('float32', 0): 'float32', ('bfloat16', 0): 'bfloat16', ('float32', 1): 'float32, second seed'}


def _folder(root: Path | None) -> Path: return bm.bench_dir(root) / 'precision'


def load_precision(root: Path | None = None) -> pd.DataFrame | None:
    "Every run's samples, `setting` 'float32', 'bfloat16' or 'float32, second seed'; None when none is recorded."
    files = sorted(_folder(root).glob('part*/precision.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df.assign(setting=[SETTINGS[p, int(o)] for p, o in zip(df.precision, df.sample_offset)])


def precision_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and setting: mean ± sd over model seeds of each score, and the mean sampling seconds."
    cols = COLS[:-1]  # exact copies: the verdict counts them; the page has no room for a column of zeros
    s = bm.summarise(df, ['dataset', 'setting'], cols)
    t = bm._mean_sd_frame(s, ['dataset', 'setting'], cols)
    secs = df.groupby(['dataset', 'setting']).sample_s.mean()
    t['sample (s)'] = [f'{secs[d, k]:.2f}' for d, k in zip(s.dataset, s.setting)]
    return t


def _gains(df: pd.DataFrame, setting: str, datasets=None) -> dict:
    return {c: edm.paired_gain(df, setting, c, datasets, base='float32') for c in edm.QUALITY + ('dcr_share',)}


def precision_verdict(df: pd.DataFrame) -> str:
    "Paired gains of bfloat16 and of a second float32 seed, closeness of the twins, speed, and the rule's verdict."
    datasets = list(dict.fromkeys(df.dataset))
    gains, aa = _gains(df, 'bfloat16'), _gains(df, 'float32, second seed')
    worse = [f'{bm.BENCH_COLUMNS.get(c, c)} ({where})' for c in edm.QUALITY for where in ['all tables', *datasets]
             if edm.significant_loss(edm.paired_gain(df, 'bfloat16', c, None if where == 'all tables' else [where],
                                                     base='float32'))]
    b = df[df.setting == 'bfloat16']
    above = [d for d, v in b.groupby('dataset', sort=False).dcr_share.mean().items() if v > bm.DCR_LIMIT]
    copies = int((b.exact_copies > 0).sum())
    secs = df.groupby('setting').sample_s.sum()
    faster = secs['bfloat16'] < secs['float32']
    agree, diff = b.cat_agree.dropna(), b.num_median_diff_sd.dropna()
    near = (f"The bfloat16 samples stay close to their float32 twins: {agree.mean():.1%} of categorical cells agree "
            f"(lowest {agree.min():.1%}), and the numeric columns differ by a median of {diff.mean():.4f} sd "
            f"(largest {diff.max():.4f}). " if len(agree) and len(diff) else '')
    ok = not worse and not above and not copies and faster
    return (f"bfloat16, paired with float32's sample of the same fit and seed ({gains['tstr_ratio_rf']['n']} pairs), "
            f"differences with 95% intervals, positive = better: "
            f"{'; '.join(edm.gain_text(ci, c) for c, ci in gains.items())}. "
            f"A second float32 seed, paired the same way: {'; '.join(edm.gain_text(ci, c) for c, ci in aa.items())}. "
            + near + f"Sampling took {secs['bfloat16']:.1f} s in bfloat16 against {secs['float32']:.1f} s in float32, "
            f"summed over the samples. "
            + (f"Significantly worse than the tolerance on {', '.join(worse)}; " if worse else
               'No score is significantly worse than the tolerance; ')
            + (f"mean DCR share above {bm.DCR_LIMIT:.2f} on {', '.join(above)}; " if above else
               f"the mean DCR share is within {bm.DCR_LIMIT:.2f} everywhere; ")
            + (f"{copies} bfloat16 samples hold exact copies. " if copies else 'no bfloat16 sample holds an exact '
               'copy. ')
            + ('bfloat16 **meets** the rule.' if ok else 'bfloat16 does **not** meet the rule.'))


def precision_runs(root: Path | None = None) -> str:
    "One sentence per run: its folder, commit, datasets and model seeds."
    return bm.recorded_runs(_folder(root), 'precision.json', 'precision/')


def precision_cpu(root: Path | None = None) -> str:
    "The CPU the runs sampled on, and whether it has AMX ('–' when no run is recorded)."
    files = sorted(_folder(root).glob('part*/precision.json'))
    if not files: return '–'
    meta = json.loads(files[0].read_text())
    return f"{meta.get('cpu', 'an unrecorded CPU')}, " + ('with AMX' if meta['config'].get('amx') else 'without AMX')
