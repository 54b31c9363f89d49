"""Where the TSTR gap sits: `results/bench/validation/tstr_gap/*.csv` (`benchmarks/tstr_gap.py`).

Each fit of the default on validation rows gives several tables of as many rows as the validation train rows: its
sample, the same synthetic X with the diffusion's target or with trees fitted on every validation train row, the
real rows with the trees' target, and the sample of a fit with twice the passes. A diagnostic: it chooses no
default."""

from pathlib import Path
import pandas as pd
import benchmark as bm

__all__ = ['TABLES', 'load_gap', 'gap_table', 'gap_text', 'gap_runs', 'passes_text', 'x_gap_text']

TABLES = {'default': "the default's sample", 'diffusion_y': "its X, the diffusion's target",
          'trees_y': 'its X, trees fitted on every row', 'real_trees': "real X, the trees' target",
          'long': 'a fit with twice the passes'}


def load_gap(root: Path | None = None) -> pd.DataFrame | None:
    "Every part's rows, or None before the diagnostic ran."
    parts = sorted((bm.bench_dir(root) / 'validation' / 'tstr_gap').glob('*.csv'))
    frames = [f for f in (bm._read_csv(p) for p in parts) if f is not None]
    return pd.concat(frames, ignore_index=True) if frames else None


def gap_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and table: fits, and mean ± sd of both TSTR ratios over model seeds."
    order = [t for t in TABLES if t in set(df.table)]
    rows = []
    for (ds, t), g in sorted(df.groupby(['dataset', 'table'], sort=False),
                             key=lambda kv: (list(dict.fromkeys(df.dataset)).index(kv[0][0]), order.index(kv[0][1]))):
        cell = lambda c: f'{g[c].mean():.3f}' + (f' ± {g[c].std():.3f}' if len(g) > 1 else '')
        rows.append({'dataset': ds, 'table': TABLES[t], 'fits': len(g), 'TSTR ratio (RF)': cell('tstr_ratio_rf'),
                     'TSTR ratio (GB)': cell('tstr_ratio_gb')})
    return pd.DataFrame(rows)


def gap_text(df: pd.DataFrame) -> str:
    "Per dataset: how often `fit` kept the trees, and the RF ratio of each table against the default's sample."
    out = []
    for ds, g in df.groupby('dataset', sort=False):
        m = g.groupby('table').tstr_ratio_rf.mean()
        fits = g.drop_duplicates('model_seed')
        kept = int((fits.target_choice == 'trees').sum())
        parts = [f'{TABLES[t]} {m[t] - m["default"]:+.3f}' for t in TABLES if t in m and t != 'default']
        out.append(f'On {ds} ({len(fits)} fit{"s" if len(fits) > 1 else ""}, trees kept in {kept}), the mean RF '
                   f'ratio of the default\'s sample was {m["default"]:.3f}; against it: {"; ".join(parts)}.')
    return ' '.join(out).replace('-0.', '−0.')


def gap_runs(root: Path | None = None) -> str:
    "One sentence per part of the diagnostic: its file, commit, datasets and model seeds (parts may differ in commit)."
    parts = sorted((bm.bench_dir(root) / 'validation' / 'tstr_gap').glob('*.json'))
    return ' '.join(bm.run_sentence(f, f.stem) for f in parts)


def passes_text(df: pd.DataFrame) -> str:
    "Per dataset: the passes the default's fits ran and kept, and what the fits with twice the passes planned and kept."
    out = []
    for ds, g in df.groupby('dataset', sort=False):
        fits, long = g.drop_duplicates('model_seed'), g[g.table == 'long']
        span = lambda s: f'{s.min():.0f}' if s.min() == s.max() else f'{s.min():.0f}–{s.max():.0f}'
        text = f"On {ds} the default's fits ran {span(fits.epochs_run)} passes and kept {span(fits.kept_epoch)}"
        if len(long): text += f"; the longer fits planned {span(long.long_passes)} and kept {span(long.long_kept)}"
        out.append(text)
    return '. '.join(out) + '.'


def x_gap_text(df: pd.DataFrame, margin: float = 0.01) -> str:
    """The tables where the synthetic X holds the gap: real X with the trees' target beats the default's RF ratio by
    more than `margin` while twice the passes do not (by less than half of it); '' when there is none."""
    m = df.groupby(['dataset', 'table']).tstr_ratio_rf.mean().unstack('table')
    if not {'real_trees', 'long'} <= set(m.columns): return ''
    long = df[df.table == 'long']
    ran_out = (long.long_kept == long.long_passes).groupby(long.dataset).all()  # the check never ended them early
    hit = [d for d in m[(m.real_trees - m.default > margin) & (m.long - m.default < margin / 2)].index
           if ran_out.get(d, False)]
    if not hit: return ''
    names = ' and '.join([', '.join(hit[:-1]), hit[-1]] if len(hit) > 1 else hit)
    return (f"On {names} the gap sits in the synthetic `X`: real `X` with the trees' target scores well above "
            "the default's sample, while a fit with twice the passes, which the privacy check let run to its end, "
            "does not; more training of this model is not what closes it.")
