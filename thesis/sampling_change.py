"""The test bench before and after a change of the sampling defaults, the same fits paired.

`results/bench/before_sampling/*.csv` are our rows of the test-bench run before fitted marginals and bfloat16
(commit 8a03107: diamonds, abalone, california, adult), copied from git history; `results/bench/before_sampler/`
holds the run with those defaults (commit 82f6644, all six tables), `results/bench/before_cap/` the run with the
20-step DPM-Solver++(2M) default (commit 6826b67), `results/bench/before_trees/` the run with 30 DDPM steps (commit
e0a9c37). On another machine (AMD EPYC), `results/bench/trees_base/` holds that default run again (commit 25c2c4d),
`results/bench/float32_amd/` the run whose kept target trees learn from every row, sampled in float32, and
`results/bench/ours/` the same with bfloat16 sampling; `results/bench/before_counts/` holds our rows of that run
before fitted class counts became the default, and `results/bench/ours/` the run after. The diffusion's fit code did
not change between these runs and every fit is seeded, so each model seed's diffusion model is the same in a pair of
runs: a difference is what the new way of sampling (or, in the last pair, the refitted trees) did to its sample."""

from pathlib import Path
import pandas as pd
import benchmark as bm

__all__ = ['load_pairs', 'change_table', 'change_text', 'dcr_text']

COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc', 'dcr_share')
KEY = ['dataset', 'model_seed']


def _ours(folder: Path) -> pd.DataFrame | None:
    "Our rows of a test-bench run: every `*bench.csv` in `folder` and its subfolders (None: no such file)."
    files = sorted(f for f in folder.rglob('*.csv') if f.name.endswith('bench.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return df[df.generator == 'tabdiffusion']


def load_pairs(root: Path | None = None, before: str = 'before_sampling', after: str = 'ours') -> pd.DataFrame | None:
    """One row per (dataset, model seed) in both runs: each score before and after (`<score>_before`, `_after`).
    `before` and `after` are folders under results/bench/ (`ours`: the current run)."""
    d = bm.bench_dir(root)
    old, new = _ours(d / before), _ours(d / after)
    if old is None or new is None: return None
    cols = KEY + list(COLS)
    pairs = old[cols].merge(new[cols], on=KEY, suffixes=('_before', '_after'))
    return pairs if len(pairs) else None


def change_table(pairs: pd.DataFrame) -> pd.DataFrame:
    "Per dataset: the mean score before → after over the paired seeds."
    out = []
    for ds, g in pairs.groupby('dataset', sort=False):
        row = {'dataset': ds, 'seeds': len(g)}
        for c in COLS:
            row[bm.BENCH_COLUMNS.get(c, c)] = f"{g[c + '_before'].mean():.3f} → {g[c + '_after'].mean():.3f}"
        out.append(row)
    return pd.DataFrame(out)


def change_text(pairs: pd.DataFrame) -> str:
    "Where the RF ratio fell for every paired seed, and where column shapes rose for every one."
    d = pairs.assign(rf=pairs.tstr_ratio_rf_after - pairs.tstr_ratio_rf_before,
                     shapes=pairs.column_shapes_after - pairs.column_shapes_before)
    g = d.groupby('dataset', sort=False)
    fell = [f'{ds} ({v.rf.mean():+.3f})'.replace('-', '−') for ds, v in g if (v.rf < 0).all()]
    rose = [ds for ds, v in g if (v.shapes > 0).all()]
    return (f"Column shapes rose for every seed on {', '.join(rose) or 'no table'}. "
            + (f"The RF ratio fell for every seed on {', '.join(fell)}." if fell else
               'On no table did the RF ratio fall for every seed.'))


def dcr_text(pairs: pd.DataFrame, limit: float = bm.DCR_LIMIT) -> str:
    "Where the DCR share rose for every paired seed, and where its mean crossed `limit` with the change."
    g = pairs.groupby('dataset', sort=False)
    rose = [f"{ds} ({v.dcr_share_before.mean():.3f} → {v.dcr_share_after.mean():.3f})" for ds, v in g
            if (v.dcr_share_after > v.dcr_share_before).all()]
    over = [ds for ds, v in g if v.dcr_share_after.mean() > limit >= v.dcr_share_before.mean()]
    return ((f"The DCR share rose for every seed on {', '.join(rose)}. " if rose else
             'On no table did the DCR share rise for every seed. ')
            + (f"Its mean crossed the limit of {limit:.2f} on {', '.join(over)}." if over else
               f'No table\'s mean crossed the limit of {limit:.2f}.'))
