"Read the benchmark's files (`results/bench/`) into the thesis's tables and figures; no number is typed here."

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from reading import results_dir, to_markdown

__all__ = ['bench_dir', 'load_arms', 'load_bench', 'load_bench_summary', 'summarise', 'environment', 'bench_meta',
           'machine_line', 'machines_text', 'paired_fits', 'arms_table', 'privacy_conditions',
           'missed_on',
           'peer_table', 'peer_notes', 'bench_origin', 'targets_table', 'previous_table',
           'load_validation', 'spec_label', 'validation_tables', 'validation_verdict', 'validation_runs',
           'recorded_runs', 'run_sentence',
           'load_steps', 'steps_table', 'steps_figure', 'read_file', 'scaling_table', 'markdown',
           'reference_table', 'not_run', 'load_tuning', 'tuning_table', 'tuning_range', 'steps_verdict',
           'row_step_cost', 'reference_contrast', 'SPEED_TARGET_S', 'speed_label', 'load_epochs', 'epochs_table',
           'load_sample_seeds', 'seed_spread']

REFERENCE = 'real holdout'  # the benchmark's row of real rows that no generator saw (tabdiffusion.bench)
BENCH_COLUMNS = dict(generator='generator', tstr_ratio_rf='TSTR ratio (RF)', tstr_ratio_gb='TSTR ratio (GB)',
                     column_shapes='column shapes', column_pair_trends='pair trends',
                     detection_auc='detection AUC', dcr_share='DCR share', exact_copies='exact copies',
                     bound_pileup='at bounds', fit_s='fit (s)', sample_s='sample (s)', peak_mb='peak MB',
                     epochs='passes', note='note', n_seeds='fits', mia_auc='MIA AUC', epochs_run='passes',
                     kept_epoch='kept pass')
QUALITY = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc')
COST = ('dcr_share', 'exact_copies', 'bound_pileup', 'fit_s', 'sample_s', 'peak_mb', 'epochs')
VALIDATION_COST = ('dcr_share', 'mia_auc', 'fit_s', 'epochs_run')
# the settings compared on validation rows (benchmarks/validate_defaults.py), in the order shown
SPECS = {'tabdiffusion:target_model=auto': 'check + trees where they win (default)',
         'tabdiffusion': 'check + trees always', 'tabdiffusion:target_model=None': 'privacy check only',
         'tabdiffusion:privacy_check=None': 'target model only',
         'tabdiffusion:privacy_check=None,target_model=None': 'previous default'}
DCR_LIMIT = 0.55  # the DCR share target of the default configuration
SPEED_TARGET_S = 10.0  # the target: seconds to sample a sweep's `n_big` rows


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


def load_arms(folder: Path, arms: dict, column: str = 'arm') -> pd.DataFrame | None:
    """The `validation.csv` of each arm subfolder of `folder`, with `column` set to the arm's label
    (`arms`: subfolder -> label); None until every arm has rows."""
    parts = {label: _read_csv(folder / arm / 'validation.csv') for arm, label in arms.items()}
    if any(p is None for p in parts.values()): return None
    return pd.concat([p.assign(**{column: label}) for label, p in parts.items()], ignore_index=True)


def paired_fits(both: pd.DataFrame, column: str = 'setting') -> pd.DataFrame:
    "The rows of the (dataset, model seed) fits that every arm (value of `column`) has."
    keys = set.intersection(*(set(zip(g.dataset, g.model_seed)) for _, g in both.groupby(column)))
    return both[[k in keys for k in zip(both.dataset, both.model_seed)]].reset_index(drop=True)


def arms_table(df: pd.DataFrame, candidate: str, cols) -> pd.DataFrame:
    "Per dataset and setting (the default, then `candidate`): mean ± sd over model seeds of `cols`."
    s = summarise(df, ['dataset', 'setting'], cols)
    order = list(dict.fromkeys(df.dataset))
    s = s.iloc[np.lexsort([s.setting.map(['default', candidate].index), s.dataset.map(order.index)])]
    return _mean_sd_frame(s, ['dataset', 'setting'], cols)


def privacy_conditions(df: pd.DataFrame, candidate: str, mia_gain: dict) -> tuple:
    """Conditions 2 and 3 of the paired checks' rules, and their sentences: `candidate`'s mean DCR share per table
    within `DCR_LIMIT` with no exact copy; its mean MIA AUC up by less than 0.01 (`mia_gain`: `edm.paired_gain`)."""
    new = df[df.setting == candidate]
    dcr, copies = new.groupby('dataset', sort=False).dcr_share.mean(), int(new.exact_copies.sum())
    ok = (bool((dcr <= DCR_LIMIT).all()) and copies == 0, -mia_gain['mean'] < 0.01)
    said = ['met' if k else 'not met' for k in ok]
    return (*ok, f"The mean DCR share per table was {dcr.min():.3f} to {dcr.max():.3f}, with {copies} exact "
                 f"cop{'y' if copies == 1 else 'ies'} (condition 2 {said[0]}). MIA AUC changed by "
                 f"{-mia_gain['mean']:+.3f} (condition 3 {said[1]}).")


def load_bench(root: Path | None = None, folder: str = '') -> pd.DataFrame | None:
    "`<folder>/bench.csv` (a row per dataset, generator and model seed), or `None` when it was not run."
    return _read_csv(bench_dir(root) / folder / 'bench.csv')


def bench_meta(root: Path | None = None, folder: str = '') -> dict:
    "What a run recorded in `<folder>/bench.json`: commit, environment, sources... (empty when absent)."
    path = bench_dir(root) / folder / 'bench.json'
    return json.loads(path.read_text()) if path.exists() else {}


def environment(root: Path | None = None, folder: str = '') -> dict:
    "The machine and versions recorded in `<folder>/bench.json` (empty when absent)."
    return bench_meta(root, folder).get('environment', {})


def machine_line(env: dict) -> str:
    "One sentence naming the CPU or GPU, the torch threads and the load average of a recorded run."
    if not env: return 'The run recorded no machine information.'
    load = env.get('load_average') or []
    load = f', load average {load[0]:.1f} at the end' if load else ''
    return (f"Recorded on {env.get('device', 'cpu')} ({env.get('cpu', '?')}, "
            f"{env.get('cpu_count', '?')} cores), "
            f"{env.get('torch_threads', '?')} torch thread(s){load}; torch {env.get('torch', '?')}, "
            f"pandas {env.get('pandas', '?')}.")


def machines_text(root: Path | None = None) -> str:
    "'' when every merged run was recorded on one CPU; else which runs ran on which CPU (times then compare roughly)."
    sources = bench_meta(root).get('sources', {})
    cpus = {}
    for folder, meta in sources.items():
        cpus.setdefault(meta.get('environment', {}).get('cpu', '?'), []).append(f'`{folder}`')
    if len(cpus) < 2: return ''
    return ('The merged runs were recorded on more than one machine: '
            + '; '.join(f"{', '.join(f)} on {cpu}" for cpu, f in cpus.items())
            + '. The floating-point paths differ between machines, so a seed can give another fit there, and '
              'times differ: a time ratio between runs on different machines is only a rough guide.'
            + _ctgan_machine(root, sources))


def _ctgan_machine(root: Path | None, sources: dict) -> str:
    "Whether CTGAN's rows and our default's come from runs on one CPU (the time-vs-CTGAN targets compare them)."
    bench = load_bench(root)
    if bench is None or 'run' not in bench: return ''
    env = lambda run: sources.get(run, {}).get('environment', {})
    cpu = lambda g: {env(r).get('cpu', '?') for r in bench[bench.generator == g].run}
    ours, ctgan = cpu('tabdiffusion'), cpu('ctgan')
    if not ctgan or not ours: return ''
    if len(ours | ctgan) == 1:
        return (f' CTGAN\'s rows come from runs on the same machine as the default\'s ({next(iter(ours))}), so the '
                'time-vs-CTGAN targets compare like with like.')
    return ' The time-vs-CTGAN targets compare CTGAN\'s rows and the default\'s across machines.'


def _fmt(v, col):
    if pd.isna(v): return '–'
    if col in ('fit_s', 'sample_s', 'peak_mb'): return f'{v:.1f}' if v < 100 else f'{v:.0f}'
    if col in ('exact_copies', 'epochs', 'epochs_run', 'kept_epoch', 'n_seeds'): return f'{v:.0f}'
    if col == 'bound_pileup': return f'{100 * v:.2f}%'
    return f'{v:.3f}' if isinstance(v, float) else str(v)


def summarise(df: pd.DataFrame, by: list, cols) -> pd.DataFrame:
    "Per group of `by`: `n_seeds`, `<col>_mean` and `<col>_sd` of `cols`, and notes (summary.csv's layout)."
    g = df.groupby(list(by), sort=False)
    stats = g[[c for c in cols if c in df]].agg(['mean', 'std'])
    stats.columns = [f"{c}_{'sd' if s == 'std' else s}" for c, s in stats.columns]
    parts = [g.size().rename('n_seeds'), stats]
    if 'note' in df: parts.append(g['note'].agg(lambda s: '; '.join(dict.fromkeys(filter(None, s.dropna())))))
    return pd.concat(parts, axis=1).reset_index()


def load_bench_summary(root: Path | None = None) -> pd.DataFrame | None:
    "`summary.csv` (means and sds over model seeds), else that layout computed from `bench.csv`; or `None`."
    summary = _read_csv(bench_dir(root) / 'summary.csv')
    if summary is not None: return summary
    bench = load_bench(root)
    return None if bench is None else summarise(bench, ['dataset', 'generator'], QUALITY + COST)


def _mean_sd_frame(s: pd.DataFrame, keep: list, cols) -> pd.DataFrame:
    "Display table of a summary: the `keep` columns as they are, `fits`, and `mean ± sd` of each of `cols`."
    names = {**BENCH_COLUMNS, 'dataset': 'dataset', 'setting': 'setting'}
    cell = lambda m, sd, c: _fmt(m, c) + ('' if pd.isna(m) or pd.isna(sd) else f' ± {_fmt(sd, c)}')
    out = {names[k]: list(s[k]) for k in keep}
    out['fits'] = [_fmt(n, 'n_seeds') for n in s['n_seeds']]
    for c in [c for c in cols if f'{c}_mean' in s]:
        sds = s[f'{c}_sd'] if f'{c}_sd' in s else [float('nan')] * len(s)
        out[names[c]] = [cell(m, sd, c) for m, sd in zip(s[f'{c}_mean'], sds)]
    return pd.DataFrame(out)


def peer_table(summary: pd.DataFrame, dataset: str, cols=QUALITY) -> pd.DataFrame:
    "`cols` of every generator on `dataset` as mean ± sd over fits, best RF ratio first, real holdout last."
    d = summary[summary.dataset == dataset]
    d = d.sort_values('tstr_ratio_rf_mean', ascending=False, na_position='last')
    d = pd.concat([d[d.generator != REFERENCE], d[d.generator == REFERENCE]])
    return _mean_sd_frame(d, ['generator'], cols)


def peer_notes(summary: pd.DataFrame, dataset: str) -> str:
    "One line with the notes of `dataset`'s rows (subsamples, skipped generators), or ''."
    d = summary[(summary.dataset == dataset) & (summary.generator != REFERENCE)]
    notes = [f'{g}: {n}' for g, n in zip(d.generator, d.get('note', [])) if isinstance(n, str) and n]
    return f"Notes: {'; '.join(notes)}." if notes else ''


def bench_origin(root: Path | None = None) -> str:
    "Which runs and which default the benchmark tables show, read from `bench.json` and our rows' parameters."
    path = bench_dir(root) / 'bench.json'
    doc = json.loads(path.read_text()) if path.exists() else {}
    if 'sources' in doc:
        found = [f'`{s}`' for s, v in doc['sources'].items() if v.get('found')]
        return (f"These tables merge {len(found)} runs ({', '.join(found)}): our new default, fitted with "
                'several model seeds and scored with the real holdout rows, and the peers, one fit each, all '
                'on the same test split (`benchmarks/merge_bench.py`).')
    bench = load_bench(root)
    ours = bench[bench.generator == 'tabdiffusion'] if bench is not None and 'params' in bench else []
    if len(ours) and 'privacy_check' not in str(ours.params.iloc[0]):
        return ('These rows are the **previous default** (training length capped in passes, no privacy '
                "check, no target model); the new default's run is not merged yet "
                '(`python benchmarks/merge_bench.py`).')
    return ''


def missed_on(target_start: str, root: Path | None = None) -> list:
    "The datasets whose target starting with `target_start` is not met in `targets.csv` (empty when not run)."
    df = _read_csv(bench_dir(root) / 'targets.csv')
    if df is None: return []
    return list(df[df.target.str.startswith(target_start) & (df.met.astype(str) == 'False')].dataset)


def targets_table(root: Path | None = None, folder: str = '') -> pd.DataFrame | None:
    "`<folder>/targets.csv`, a row per target, a column per dataset: value, yes / **no**, real rows' value."
    df = _read_csv(bench_dir(root) / folder / 'targets.csv')
    if df is None: return None
    met = df['met'].astype(str).map({'True': 'yes', 'False': '**no**'}).fillna('n/a')
    real = df['real'] if 'real' in df else pd.Series(float('nan'), index=df.index)
    cell = (df['value'].map(lambda v: '–' if pd.isna(v) else f'{v:.3f}') + ' ' + met
            + real.map(lambda v: '' if pd.isna(v) else f' (real {v:.3f})'))
    wide = df.assign(cell=cell).pivot(index='target', columns='dataset', values='cell')
    wide = wide.loc[list(dict.fromkeys(df['target'])), list(dict.fromkeys(df['dataset']))]
    wide.index = [f'`{t}`' for t in wide.index]
    return wide.fillna('–').rename_axis('target').reset_index()  # a target that names another dataset


def previous_table(df: pd.DataFrame, generator: str = 'tabdiffusion') -> pd.DataFrame:
    "The rows of `generator`, one line per dataset: TSTR ratios, fidelity, DCR share, fit seconds, passes."
    cols = QUALITY[:4] + ('dcr_share', 'fit_s', 'epochs')
    return _mean_sd_frame(summarise(df[df.generator == generator], ['dataset'], cols), ['dataset'], cols)


def load_validation(root: Path | None = None) -> pd.DataFrame | None:
    "`validation/validation.csv`, else its parts (`validation/*/validation.csv`, a later part's row wins)."
    d = bench_dir(root) / 'validation'
    whole = _read_csv(d / 'validation.csv')
    if whole is not None: return whole
    parts = [p for p in map(_read_csv, sorted(d.glob('*/validation.csv'))) if p is not None]
    if not parts: return None
    return pd.concat(parts, ignore_index=True).drop_duplicates(['dataset', 'spec', 'model_seed'], keep='last')


def spec_label(spec: str) -> str:
    "A validation setting's name ('tabdiffusion:target_model=None': 'privacy check only'), else the spec."
    norm = lambda x: (lambda n, _, o: f"{n}:{','.join(sorted(o.split(',')))}" if o else n)(*x.partition(':'))
    return {norm(k): v for k, v in SPECS.items()}.get(norm(str(spec).replace(' ', '')), spec)


def _validation_summary(df: pd.DataFrame, cols) -> pd.DataFrame:
    s = summarise(df.assign(setting=df.spec.map(spec_label)), ['dataset', 'setting'], cols)
    rank = {v: i for i, v in enumerate(SPECS.values())}
    order = list(dict.fromkeys(s.dataset))
    key = s.dataset.map(order.index) * 100 + s.setting.map(lambda v: rank.get(v, 99))
    return s.iloc[key.to_numpy().argsort(kind='stable')]


def validation_tables(df: pd.DataFrame) -> tuple:
    "Two tables of the settings per dataset, mean ± sd over model seeds: utility, fidelity; privacy, cost."
    s = _validation_summary(df, QUALITY + VALIDATION_COST)
    return tuple(_mean_sd_frame(s, ['dataset', 'setting'], cols) for cols in (QUALITY, VALIDATION_COST))


def validation_verdict(df: pd.DataFrame, limit: float = DCR_LIMIT) -> str:
    "Per dataset: the setting(s) with the best mean RF ratio; is the new default's DCR share <= `limit`?"
    out = []
    for ds, g in _validation_summary(df, ['tstr_ratio_rf', 'dcr_share']).groupby('dataset', sort=False):
        default = SPECS['tabdiffusion:target_model=auto']  # the default; before its runs, check + trees always
        name = default if (g.setting == default).any() else SPECS['tabdiffusion']
        rf, new = g.tstr_ratio_rf_mean, g[g.setting == name].dcr_share_mean
        if rf.isna().all(): continue
        best = ' and '.join(f'the {s}' for s in g.setting[rf >= rf.max() - 1e-12])  # ties: identical fits
        line, dcr = f'On {ds}, the best mean RF ratio ({rf.max():.3f}) is that of {best}', new.max()
        how = 'within' if dcr <= limit else '**above**'
        out.append(f'{line}; {name} has no rows there.' if pd.isna(dcr) else
                   f"{line}; the mean DCR share of {name} is {dcr:.3f}, {how} the target of {limit:.2f}.")
    return ' '.join(out)


def run_sentence(path: Path, label: str) -> str:
    "One run's record (`path`, a run's JSON) as a sentence: `label`, commit, datasets, model seeds (and if stopped)."
    doc = json.loads(path.read_text())
    cfg = doc.get('config', {})
    dirty = ' with uncommitted changes' if doc.get('uncommitted') else ''
    return (f"`{label}`: commit {str(doc.get('commit', '?'))[:7]}{dirty}, datasets "
            f"{', '.join(cfg.get('datasets', []))}, model seeds {', '.join(map(str, cfg.get('seeds', [])))}"
            + (f"; {doc['stopped']}" if doc.get('stopped') else '.'))


def recorded_runs(folder: Path, name: str, prefix: str = '') -> str:
    "One sentence per run recorded as `folder/*/<name>`: its folder, commit, datasets, model seeds (and if stopped)."
    return ' '.join(run_sentence(path, f'{prefix}{path.parent.name}') for path in sorted(folder.glob(f'*/{name}')))


def validation_runs(root: Path | None = None) -> str:
    "One sentence per recorded validation run: its file, commit, datasets and torch threads."
    d, out = bench_dir(root) / 'validation', []
    for path in filter(Path.exists, [d / 'validation.json', *sorted(d.glob('*/validation.json'))]):
        doc = json.loads(path.read_text())
        dirty = ' with uncommitted changes' if doc.get('uncommitted') else ''
        out.append(f"`{path.relative_to(d.parent)}`: commit {doc.get('commit', '?')}{dirty}, "
                   f"{doc.get('torch_threads', '?')} torch thread(s), datasets "
                   f"{', '.join((doc.get('config') or {}).get('datasets', []))}.")
    return ' '.join(out)


def load_steps(dataset: str = 'diamonds', root: Path | None = None) -> pd.DataFrame | None:
    "`sample_steps_<dataset>.csv`: quality and sampling time of one fitted model against the reverse steps."
    return _read_csv(bench_dir(root) / f'sample_steps_{dataset}.csv')


def steps_table(df: pd.DataFrame) -> pd.DataFrame:
    "Quality and 100,000-row sampling time per number of reverse steps, formatted."
    cols = {'n_sample_steps': 'reverse steps', **{k: BENCH_COLUMNS[k] for k in QUALITY[:4] + ('dcr_share',)}}
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
    t.axhline(SPEED_TARGET_S, ls='--', c='k', lw=1, label=f'target: {SPEED_TARGET_S:.0f} s')
    t.set(xlabel='reverse steps', ylabel=f'seconds for {int(df.n_big.iloc[0]):,} rows')
    t.legend(fontsize=7)
    fig.tight_layout()
    return fig


def read_file(name: str, root: Path | None = None) -> pd.DataFrame | None:
    "`results/bench/<name>`, e.g. `scaling.csv` (cost against rows and columns) or `reference_points.csv`."
    return _read_csv(bench_dir(root) / name)


def scaling_table(df: pd.DataFrame, curve: str) -> pd.DataFrame:
    "The `rows` or `cols` curve of `scaling.csv`, formatted."
    d = df[df.curve == curve]
    cols = {'rows': 'rows', 'cols': 'columns', 'epoch_s': 'seconds / epoch', 'step_ms': 'ms / step',
            'fit_peak_mb': 'fit peak MB', 'encoded_mb': 'encoded table MB', 'n_sample': 'rows sampled',
            'sample_s': 'sample (s)', 'sample_peak_mb': 'sample peak MB'}
    whole = ('rows', 'cols', 'n_sample')
    return pd.DataFrame({v: d[k].map(lambda x: f'{x:,.0f}' if k in whole else f'{x:.1f}')
                         for k, v in cols.items() if k in d})


def reference_table(df: pd.DataFrame) -> pd.DataFrame:
    "The reference points, formatted: scores with 3 decimals, seconds whole, missing values as –."
    cell = lambda v, c: '–' if pd.isna(v) else f'{v:.0f}' if c.endswith('_s') else _fmt(v, c)
    return pd.DataFrame({c: [cell(v, c) for v in df[c]] for c in df.columns})


def markdown(table: pd.DataFrame, caption: str) -> str:
    "A pipe table (`reading.to_markdown`) whose columns get page width in proportion to their longest cell."
    lines = to_markdown(table, caption).split('\n')
    longest = lambda c: max([len(w) for w in str(c).split()] + [len(str(v)) for v in table[c]])
    lines[1] = '|' + '|'.join('-' * max(3, longest(c)) for c in table.columns) + '|'  # pandoc reads widths
    return '\n'.join(lines)


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


def steps_verdict(df: pd.DataFrame, target_s: float = SPEED_TARGET_S) -> str:
    "Sentences, one per timing setting, on which step counts sample `n_big` rows within `target_s` seconds."
    n, out = f'{int(df.n_big.iloc[0]):,}', []
    for col in _speed_columns(df):
        ok, fastest, how = df[df[col] <= target_s], df.loc[df[col].idxmin()], speed_label(col)
        if ok.empty:
            out.append(f'With {how}, no step count in the sweep samples {n} rows within {target_s:.0f} s: '
                       f'the '
                       f'fastest, {int(fastest.n_sample_steps)} steps, took {fastest[col]:.1f} s.')
            continue
        best = ok.loc[ok.column_shapes.idxmax()]
        out.append(f'With {how}, {n} rows take at most {target_s:.0f} s at {int(best.n_sample_steps)} steps '
                   f'or fewer ({best[col]:.1f} s), where column shapes are {best.column_shapes:.3f} and pair '
                   f'trends '
                   f'{best.column_pair_trends:.3f}.')
    return ' '.join(out)


def row_step_cost(df: pd.DataFrame, col: str = 'sample_big_s_1t', mflop: float = 0.4) -> str:
    "Microseconds per row and reverse step, and the implied GFLOP/s, from the sweep's one-thread timings."
    if col not in df: return ''
    us = (df[col] / (df.n_big * df.n_sample_steps)).median() * 1e6
    return (f'Median cost on one thread: {us:.1f} µs per row and step, about '
            f'{mflop * 1e6 / us / 1e3:.0f} GFLOP/s '
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
    "`epochs/bench.csv`: our model with several caps on its passes (`max_epochs`), and real holdout rows."
    return _read_csv(bench_dir(root) / 'epochs' / 'bench.csv')


def epochs_table(df: pd.DataFrame) -> pd.DataFrame:
    "One row per dataset and cap: passes run, TSTR ratios, shapes, trends, DCR share, fit seconds."
    cap = df.generator.str.extract(r'max_epochs=(\d+)', expand=False)
    d = df.assign(cap=cap.fillna(df.generator))
    d = d.sort_values(['dataset', 'epochs'], na_position='last', kind='stable')
    cols = ['dataset', 'cap', 'epochs', *QUALITY[:4], 'dcr_share', 'fit_s']
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
