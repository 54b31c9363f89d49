"Read the benchmark's files (`results/bench/`) into the thesis's tables and figures; no number is typed here."

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from reading import results_dir, to_markdown

__all__ = ['bench_dir', 'load_bench', 'environment', 'machine_line', 'peer_table', 'targets_table',
           'load_steps', 'steps_table', 'steps_figure', 'load_scaling', 'scaling_table', 'load_reference',
           'reference_table', 'not_run', 'load_tuning', 'tuning_table', 'tuning_range', 'steps_verdict',
           'row_step_cost', 'reference_contrast', 'speed_label', 'load_epochs', 'epochs_table',
           'load_sample_seeds', 'seed_spread']

REFERENCE = 'real holdout'  # the benchmark's row of real rows that no generator saw (tabdiffusion.bench)
BENCH_COLUMNS = {'generator': 'generator', 'tstr_ratio_rf': 'TSTR ratio (RF)', 'tstr_ratio_gb': 'TSTR ratio (GB)',
                 'column_shapes': 'column shapes', 'column_pair_trends': 'pair trends',
                 'detection_auc': 'detection AUC', 'dcr_share': 'DCR share', 'exact_copies': 'exact copies',
                 'bound_pileup': 'at bounds', 'fit_s': 'fit (s)', 'sample_s': 'sample (s)',
                 'peak_mb': 'peak MB', 'epochs': 'passes', 'note': 'note'}


def bench_dir(root: Path | None = None) -> Path:
    "The benchmark's folder inside the results store."
    return Path(root or results_dir()) / 'bench'


def not_run(what: str, command: str) -> str:
    "The note shown in place of a table whose benchmark file does not exist yet."
    return f'> **Not yet run:** {what}; run `{command}`.\n'


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.exists(): return None
    df = pd.read_csv(path)
    return None if df.empty else df


def load_bench(root: Path | None = None) -> pd.DataFrame | None:
    "`bench.csv` (one row per dataset and generator), or `None` when the benchmark has not been run."
    return _read_csv(bench_dir(root) / 'bench.csv')


def environment(root: Path | None = None) -> dict:
    "The machine and versions recorded in `bench.json` (empty when absent)."
    path = bench_dir(root) / 'bench.json'
    return json.loads(path.read_text()).get('environment', {}) if path.exists() else {}


def machine_line(env: dict) -> str:
    "One sentence naming the CPU or GPU, the torch threads and the load average of a recorded run."
    if not env: return 'The run recorded no machine information.'
    load = env.get('load_average') or []
    load = f', load average {load[0]:.1f} at the end' if load else ''
    return (f"Recorded on {env.get('device', 'cpu')} ({env.get('cpu', '?')}, {env.get('cpu_count', '?')} cores), "
            f"{env.get('torch_threads', '?')} torch thread(s){load}; torch {env.get('torch', '?')}, "
            f"pandas {env.get('pandas', '?')}.")


def _fmt(v, col):
    if pd.isna(v): return '–'
    if col in ('fit_s', 'sample_s', 'peak_mb'): return f'{v:.1f}' if v < 100 else f'{v:.0f}'
    if col in ('exact_copies', 'epochs'): return f'{v:.0f}'
    if col == 'bound_pileup': return f'{100 * v:.2f}%'
    return f'{v:.3f}' if isinstance(v, float) else str(v)


def peer_table(df: pd.DataFrame, dataset: str) -> pd.DataFrame:
    "The benchmark rows of `dataset`, best RF TSTR ratio first and the real holdout last, formatted for display."
    d = df[df.dataset == dataset].sort_values('tstr_ratio_rf', ascending=False, na_position='last')
    d = pd.concat([d[d.generator != REFERENCE], d[d.generator == REFERENCE]])
    cols = [c for c in BENCH_COLUMNS if c in d]
    fmt = lambda v, c: ('' if pd.isna(v) else str(v)) if c == 'note' else _fmt(v, c)
    return pd.DataFrame({BENCH_COLUMNS[c]: [fmt(v, c) for v in d[c]] for c in cols})


def targets_table(root: Path | None = None) -> pd.DataFrame | None:
    "`targets.csv`, one row per target and one column per dataset: value, yes / **no**, and real rows' value."
    df = _read_csv(bench_dir(root) / 'targets.csv')
    if df is None: return None
    met = df['met'].astype(str).map({'True': 'yes', 'False': '**no**'}).fillna('n/a')
    real = df['real'] if 'real' in df else pd.Series(float('nan'), index=df.index)
    cell = (df['value'].map(lambda v: '–' if pd.isna(v) else f'{v:.3f}') + ' ' + met
            + real.map(lambda v: '' if pd.isna(v) else f' (real {v:.3f})'))
    wide = df.assign(cell=cell).pivot(index='target', columns='dataset', values='cell')
    wide = wide.loc[list(dict.fromkeys(df['target'])), list(dict.fromkeys(df['dataset']))]
    wide.index = [f'`{t}`' for t in wide.index]
    return wide.rename_axis('target').reset_index()


def load_steps(dataset: str = 'diamonds', root: Path | None = None) -> pd.DataFrame | None:
    "`sample_steps_<dataset>.csv`: quality and sampling time of one fitted model against the reverse steps."
    return _read_csv(bench_dir(root) / f'sample_steps_{dataset}.csv')


def steps_table(df: pd.DataFrame) -> pd.DataFrame:
    "Quality and 100,000-row sampling time per number of reverse steps, formatted."
    cols = {'n_sample_steps': 'reverse steps', 'tstr_ratio_rf': 'TSTR ratio (RF)',
            'tstr_ratio_gb': 'TSTR ratio (GB)', 'column_shapes': 'column shapes',
            'column_pair_trends': 'pair trends', 'dcr_share': 'DCR share'}
    out = pd.DataFrame({v: df[k].map(lambda x: f'{x:.3f}' if isinstance(x, float) else str(x))
                        for k, v in cols.items() if k in df})
    for c in _speed_columns(df):
        out[f'{int(df.n_big.iloc[0]):,} rows, {speed_label(c)} (s)'] = df[c].map(lambda x: f'{x:.1f}')
    return out


def _speed_columns(df: pd.DataFrame) -> list:
    return sorted(c for c in df if c.startswith('sample_big_s_'))


def speed_label(col: str) -> str:
    "The timing setting of a sweep column: 'sample_big_s_2p' is '2 processes', 'sample_big_s_1t' '1 thread'."
    setting = col.removeprefix('sample_big_s_')
    k, kind = int(setting[:-1]), setting[-1]
    noun = 'process' if kind == 'p' else 'thread'
    return f"{k} {noun}{('es' if kind == 'p' else 's') if k > 1 else ''}"


def steps_figure(df: pd.DataFrame):
    "Column shapes and TSTR ratio (left) and sampling seconds (right) against the number of reverse steps."
    fig, (q, t) = plt.subplots(1, 2, figsize=(8, 3.2))
    for col, label in (('column_shapes', 'column shapes'), ('column_pair_trends', 'pair trends'),
                       ('tstr_ratio_rf', 'TSTR ratio (RF)')):
        if col in df: q.plot(df.n_sample_steps, df[col], 'o-', label=label)
    q.set(xlabel='reverse steps', ylabel='score')
    q.legend(fontsize=7)
    for c in _speed_columns(df):
        t.plot(df.n_sample_steps, df[c], 's-', label=speed_label(c))
    t.axhline(10, ls='--', c='k', lw=1, label='target: 10 s')
    t.set(xlabel='reverse steps', ylabel=f'seconds for {int(df.n_big.iloc[0]):,} rows')
    t.legend(fontsize=7)
    fig.tight_layout()
    return fig


def load_scaling(root: Path | None = None) -> pd.DataFrame | None:
    "`scaling.csv`: one-epoch fit and sampling cost against rows and against columns."
    return _read_csv(bench_dir(root) / 'scaling.csv')


def scaling_table(df: pd.DataFrame, curve: str) -> pd.DataFrame:
    "The `rows` or `cols` curve of `scaling.csv`, formatted."
    d = df[df.curve == curve]
    cols = {'rows': 'rows', 'cols': 'columns', 'epoch_s': 'seconds / epoch', 'step_ms': 'ms / step',
            'fit_peak_mb': 'fit peak MB', 'encoded_mb': 'encoded table MB', 'n_sample': 'rows sampled',
            'sample_s': 'sample (s)',
            'sample_peak_mb': 'sample peak MB'}
    return pd.DataFrame({v: d[k].map(lambda x: f'{x:,.0f}' if k in ('rows', 'cols', 'n_sample') else f'{x:.1f}')
                         for k, v in cols.items() if k in d})


def load_reference(root: Path | None = None) -> pd.DataFrame | None:
    "`reference_points.csv`: the external reference numbers the benchmark is compared with, with their source."
    return _read_csv(bench_dir(root) / 'reference_points.csv')


def reference_table(df: pd.DataFrame) -> pd.DataFrame:
    "The reference points, formatted: scores with 3 decimals, seconds whole, missing values as –."
    def cell(v, col):
        if pd.isna(v): return '–'
        if col.endswith('_s'): return f'{v:.0f}'
        return f'{v:.3f}' if isinstance(v, float) else str(v)
    return pd.DataFrame({c: [cell(v, c) for v in df[c]] for c in df.columns})


def markdown(table: pd.DataFrame, caption: str) -> str:
    "Shortcut for `reading.to_markdown`."
    return to_markdown(table, caption)


def load_tuning(root: Path | None = None) -> pd.DataFrame | None:
    "Rows of every `tuning*/bench.csv`: variants of our default tried on one dataset, in the order they ran."
    parts = [_read_csv(p) for p in sorted(bench_dir(root).glob('tuning*/bench.csv'))]
    parts = [p for p in parts if p is not None]
    return pd.concat(parts, ignore_index=True) if parts else None


def tuning_table(df: pd.DataFrame) -> pd.DataFrame:
    "The variants (their changed settings), their TSTR ratios, shapes, trends, DCR share and fit seconds."
    d = df.assign(variant=df.generator.map(lambda g: g.partition(':')[2] or 'default'))
    cols = ['variant', 'tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'dcr_share',
            'fit_s']
    names = {**BENCH_COLUMNS, 'variant': 'changed setting'}
    return pd.DataFrame({names[c]: [v if c == 'variant' else _fmt(v, c) for v in d[c]] for c in cols})


def tuning_range(df: pd.DataFrame) -> str:
    "One sentence: the lowest and highest RF TSTR ratio over the variants, computed from the tuning files."
    rf = df['tstr_ratio_rf'].dropna()
    if rf.empty: return ''
    return (f'Over these {len(rf)} runs the RF ratio stays between {rf.min():.3f} and {rf.max():.3f}, '
            f'so no variant reaches 0.97.' if rf.max() < 0.97 else
            f'Over these {len(rf)} runs the RF ratio spans {rf.min():.3f} to {rf.max():.3f}.')


def steps_verdict(df: pd.DataFrame, target_s: float = 10.0) -> str:
    "Sentences, one per timing setting, on which step counts sample `n_big` rows within `target_s` seconds."
    n, out = f'{int(df.n_big.iloc[0]):,}', []
    for col in _speed_columns(df):
        ok, fastest, how = df[df[col] <= target_s], df.loc[df[col].idxmin()], speed_label(col)
        if ok.empty:
            out.append(f'With {how}, no step count in the sweep samples {n} rows within {target_s:.0f} s: the '
                       f'fastest, {int(fastest.n_sample_steps)} steps, took {fastest[col]:.1f} s.')
            continue
        best = ok.loc[ok.column_shapes.idxmax()]
        out.append(f'With {how}, {n} rows take at most {target_s:.0f} s at {int(best.n_sample_steps)} steps or '
                   f'fewer ({best[col]:.1f} s), where column shapes are {best.column_shapes:.3f} and pair trends '
                   f'{best.column_pair_trends:.3f}.')
    return ' '.join(out)


def row_step_cost(df: pd.DataFrame, col: str = 'sample_big_s_1t', mflop: float = 0.4) -> str:
    "Microseconds per row and reverse step, and the implied GFLOP/s, from the sweep's one-thread timings."
    if col not in df: return ''
    us = (df[col] / (df.n_big * df.n_sample_steps)).median() * 1e6
    return (f'Median cost on one thread: {us:.1f} µs per row and step, about {mflop * 1e6 / us / 1e3:.0f} GFLOP/s '
            f'at {mflop} MFLOP per row and step.')


def reference_contrast(bench: pd.DataFrame, ref: pd.DataFrame, dataset: str = 'diamonds') -> str:
    "Sentences comparing each generator's RF TSTR ratio in our run with the reference point of the same name."
    ours = bench[bench.dataset == dataset].set_index('generator')
    names = {'smogn': 'SMOGN', 'ctgan': 'CTGAN', 'tvae': 'TVAE', 'copula': 'Gaussian copula'}
    out = []
    for gen, label in names.items():
        r = ref[ref.generator.str.startswith(label)]
        if gen not in ours.index or r.empty or pd.isna(ours.loc[gen, 'tstr_ratio_rf']): continue
        a, b = ours.loc[gen, 'tstr_ratio_rf'], r.tstr_ratio_rf.iloc[0]
        verdict = 'agrees' if abs(a - b) <= 0.05 else 'does **not** agree'
        out.append(f'{label}: {a:.3f} here against {b:.3f} in the reference, which {verdict} within 0.05.')
    return ' '.join(out)


def load_epochs(root: Path | None = None) -> pd.DataFrame | None:
    "`epochs/bench.csv`: our model with several caps on its training passes (`max_epochs`), plus real holdouts."
    return _read_csv(bench_dir(root) / 'epochs' / 'bench.csv')


def epochs_table(df: pd.DataFrame) -> pd.DataFrame:
    "One row per dataset and cap: passes run, TSTR ratios, shapes, trends, DCR share, fit seconds."
    cap = df.generator.str.extract(r'max_epochs=(\d+)', expand=False)
    d = df.assign(cap=cap.fillna(df.generator)).sort_values(['dataset', 'epochs'], na_position='last', kind='stable')
    cols = ['dataset', 'cap', 'epochs', 'tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends',
            'dcr_share', 'fit_s']
    names = {**BENCH_COLUMNS, 'dataset': 'dataset', 'cap': 'max_epochs'}
    keep = ('dataset', 'cap')
    return pd.DataFrame({names[c]: [v if c in keep else _fmt(v, c) for v in d[c]] for c in cols if c in d})


def load_sample_seeds(dataset: str = 'diamonds', root: Path | None = None, kind: str = 'sample'
                      ) -> pd.DataFrame | None:
    "`<kind>_seeds_<dataset>.csv`: scores over several sample seeds (`sample`) or model seeds (`fit`)."
    return _read_csv(bench_dir(root) / f'{kind}_seeds_{dataset}.csv')


def seed_spread(df: pd.DataFrame) -> str:
    "Sentences, one per model, with the range of the RF and GB TSTR ratios, column shapes and DCR share."
    out = []
    for gen, g in df.groupby(df.get('generator', pd.Series('tabdiffusion', index=df.index)), sort=False):
        parts = [f'{label} from {g[c].min():.3f} to {g[c].max():.3f} (mean {g[c].mean():.3f})'
                 for c, label in (('tstr_ratio_rf', 'the RF TSTR ratio'), ('tstr_ratio_gb', 'the GB ratio'),
                                  ('column_shapes', 'column shapes'), ('dcr_share', 'DCR share')) if c in g]
        if 'fit_seed' in g and g.fit_seed.nunique() > 1:
            what = (f'{g.fit_seed.nunique()} fits of `{gen}` (model seeds {g.fit_seed.min()} to '
                    f'{g.fit_seed.max()}), one sample each')
        else:
            what = (f'{len(g)} samples of one fitted model (`{gen}`, sample seeds {g.sample_seed.min()} to '
                    f'{g.sample_seed.max()})')
        listed = parts[0] if len(parts) == 1 else f'{", ".join(parts[:-1])} and {parts[-1]}'
        out.append(f'Over {what}, {listed}.')
    return ' '.join(out)
