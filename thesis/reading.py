"Read the experiment results store into the thesis's tables: mean ± sd over seeds, never typed by hand."

import json
import math
import os
from pathlib import Path

import pandas as pd
import yaml

from stats import fmt_ci, paired_diff, t_ci

__all__ = ['EXPERIMENTS', 'results_dir', 'load_summary', 'not_run', 'fmt', 'mean_sd_table', 'to_markdown',
           'table_or_note', 'task_metric', 'generator_kind', 'run_figure',
           'UTILITY', 'FIDELITY', 'PRIVACY', 'LABELS', 'figure_or_note', 'PROTOCOLS', 'protocol_rows',
           'pair_key', 'by_key', 'utility_table', 'ci_table', 'experiment_config', 'planned_runs', 'run_inventory',
           'inventory_notes', 'runs_line', 'PRIVACY_EXPERIMENTS', 'privacy_evidence', 'privacy_markdown', 'dp_markdown']

EXPERIMENTS = {
    'exp001_iris': 'Iris (classification, sanity check)',
    'exp002_california': 'California housing (regression)',
    'exp003_adult': 'Adult census income (classification, mixed types)',
    'exp011_elecdemand': 'Electricity demand (regression, few features)',
    'exp012_nlschools': 'NL schools (regression, few features)',
    'exp013_schooling': 'Schooling (regression, rich feature set)',
    'exp020_feature_sweep': 'Feature-complexity sweep',
    'exp030_dp': 'Differentially private training',
}
# the experiments whose diffusion rows the privacy verdicts cover: one table each, the library's default, no DP
PRIVACY_EXPERIMENTS = ['exp001_iris', 'exp002_california', 'exp003_adult', 'exp011_elecdemand', 'exp012_nlschools',
                       'exp013_schooling']


def results_dir() -> Path:
    "The results store: `$TABDIFFUSION_RESULTS` when set, else `results/` at the repository root."
    env = os.environ.get('TABDIFFUSION_RESULTS')
    return Path(env) if env else Path(__file__).resolve().parent.parent / 'results'


def load_summary(exp: str,  # experiment name, e.g. `exp011_elecdemand`
                 root: Path | None = None,  # results store; default `results_dir()`
                 ) -> pd.DataFrame | None:
    "The runs of `exp` from `results/<exp>/summary.csv`, or `None` when the experiment has not been run."
    path = Path(root or results_dir()) / exp / 'summary.csv'
    if not path.exists(): return None
    df = pd.read_csv(path)
    if df.empty: return None
    for col in ('generator', 'dataset', 'mode'):
        if col in df: df[col] = df[col].astype(str)
    if 'mode' not in df: df['mode'] = 'tstr'
    return df


def not_run(exp: str) -> str:
    "The note a chapter shows in place of a table when `exp` has no results yet."
    return (f'> **Not yet run:** `tabdiffusion experiment run {exp}` has not produced '
            f'`results/{exp}/summary.csv`.\n')


def fmt(mean: float, sd: float | None = None, digits: int = 3) -> str:
    "`mean ± sd` rounded to `digits` decimals; `–` for a missing mean, the mean alone when `sd` is missing."
    if mean is None or (isinstance(mean, float) and math.isnan(mean)): return '–'
    if sd is None or (isinstance(sd, float) and math.isnan(sd)): return f'{mean:.{digits}f}'
    return f'{mean:.{digits}f} ± {sd:.{digits}f}'


def mean_sd_table(df: pd.DataFrame,  # rows of a `summary.csv`
                  metrics: list,  # metric columns to summarise; absent ones are skipped
                  by: list = ('generator',),  # grouping columns
                  digits: int = 3,  # decimals shown
                  labels: dict | None = None,  # display names for metric columns
                  ) -> pd.DataFrame:
    "One row per group of `by`: the number of seeds and `mean ± sd` of each metric over them."
    by, labels = list(by), labels or {}
    metrics = [m for m in metrics if m in df and df[m].notna().any()]
    rows = []
    for key, g in df.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        row['n seeds'] = int(g['seed'].nunique()) if 'seed' in g else len(g)
        for m in metrics:
            v = pd.to_numeric(g[m], errors='coerce').dropna()
            d = 1 if len(v) and (v == v.round()).all() and v.abs().max() >= 2 else digits  # counts
            row[labels.get(m, m)] = fmt(v.mean() if len(v) else float('nan'),
                                        v.std(ddof=1) if len(v) > 1 else None, d)
        rows.append(row)
    return pd.DataFrame(rows)


def to_markdown(table: pd.DataFrame, caption: str | None = None) -> str:
    "A pipe table (Pandoc and Quarto read it) with an optional `: caption` line."
    cols = [str(c) for c in table.columns]
    esc = lambda s: str(s).replace('|', '\\|')
    # dashes in proportion to each column's longest cell: Pandoc sizes the columns of a long table by them
    width = [max([len(c), *(len(str(v)) for v in table[col])]) for c, col in zip(cols, table.columns)]
    lines = ['| ' + ' | '.join(map(esc, cols)) + ' |', '|' + '|'.join('-' * max(6, w + 2) for w in width) + '|']
    lines += ['| ' + ' | '.join(esc(v) for v in row) + ' |' for row in table.itertuples(index=False)]
    md = '\n'.join(lines) + '\n'
    return md + (f'\n: {caption}\n' if caption else '')


def table_or_note(exp: str, metrics: list, caption: str, mode: str = 'tstr',
                  by: list = ('generator',), labels: dict | None = None, root: Path | None = None) -> str:
    "Markdown for `exp`: the mean ± sd table of `metrics` for runs in `mode`, or the not-yet-run note."
    df = load_summary(exp, root)
    if df is None: return not_run(exp)
    df = protocol_rows(df, mode)
    if df.empty: return f'> No `{mode}` scores in `results/{exp}/summary.csv`.\n'
    num = [c for c in by if c in df and pd.api.types.is_numeric_dtype(df[c])]
    if num: df = df.sort_values(num, kind='stable')  # 2, 5, 10 features, not in the order the runs finished
    tab = mean_sd_table(df, metrics, by=by, labels=labels)
    n = sorted(tab['n seeds'].unique())
    seeds = f'{n[0]}' if len(n) == 1 else f'{n[0]}–{n[-1]}'
    return to_markdown(tab, f'{caption} Mean ± sd over {seeds} seeds (`results/{exp}/summary.csv`).')


def task_metric(df: pd.DataFrame, model: str = 'rf') -> str:
    "The headline score of `df`'s task: `r2` for regression runs, `acc` for classification runs."
    return 'r2' if f'trtr_r2_{model}' in df and df[f'trtr_r2_{model}'].notna().any() else 'accuracy'


def generator_kind(name: str) -> str:
    "`diffusion`, `smogn` or `other`, from a generator's registry name."
    name = str(name).lower()
    return 'diffusion' if 'diffusion' in name else 'smogn' if 'smogn' in name else 'other'


def run_figure(exp: str, figure: str, kind: str = 'diffusion', root: Path | None = None) -> Path | None:
    "The `figures/<figure>.png` of the lowest-seed `tstr` run of a `kind` generator in `exp`, if it exists."
    df = load_summary(exp, root)
    if df is None or 'run_id' not in df: return None
    df = df[(df['mode'] == 'tstr') & (df['generator'].map(generator_kind) == kind)].sort_values('seed')
    for run_id in df['run_id']:
        path = Path(root or results_dir()) / exp / str(run_id) / 'figures' / f'{figure}.png'
        if path.exists(): return path
    return None


UTILITY = ['trtr_r2_rf', 'tstr_r2_rf', 'trtr_r2_gb', 'tstr_r2_gb',
           'trtr_accuracy_rf', 'tstr_accuracy_rf', 'tstr_f1_rf', 'tstr_auc_rf']
FIDELITY = ['column_shapes', 'column_pair_trends', 'detection_auc']
PRIVACY = ['dcr_median', 'dcr_p5', 'dcr_share', 'exact_copies', 'mia_auc']
LABELS = {'trtr_r2_rf': 'TRTR R² (RF)', 'tstr_r2_rf': 'TSTR R² (RF)', 'tstr_ratio_rf': 'TSTR/TRTR (RF)',
          'trtr_r2_gb': 'TRTR R² (GB)', 'tstr_r2_gb': 'TSTR R² (GB)', 'trtr_accuracy_rf': 'TRTR acc (RF)',
          'tstr_accuracy_rf': 'TSTR acc (RF)', 'tstr_f1_rf': 'TSTR F1 (RF)', 'tstr_auc_rf': 'TSTR AUC (RF)',
          'column_shapes': 'column shapes', 'column_pair_trends': 'pair trends',
          'detection_auc': 'detection AUC',
          'dcr_median': 'DCR median', 'dcr_p5': 'DCR 5th pct', 'dcr_share': 'DCR share',
          'exact_copies': 'exact copies', 'mia_auc': 'MIA AUC'}


def figure_or_note(exp: str, figure: str, kind: str = 'diffusion', root: Path | None = None):
    "An `IPython` image of a run's saved figure, or a Markdown note saying why there is none."
    from IPython.display import Image, Markdown
    path = run_figure(exp, figure, kind, root)
    if path is not None: return Image(filename=str(path))
    if load_summary(exp, root) is None: return Markdown(not_run(exp))
    return Markdown(f'> No `{figure}.png` saved for a {kind} run of `{exp}`.\n')


PROTOCOLS = {'augment': 'real + synthetic', 'tstr': 'synthetic only (TSTR)'}


def protocol_rows(df: pd.DataFrame,  # rows of a `summary.csv`
                  protocol: str,  # `tstr` (train on synthetic rows) or `augment` (on real + synthetic rows)
                  ) -> pd.DataFrame:
    "The rows that hold `protocol`'s scores, in `<protocol>_<metric>_<model>` columns."
    tstr = df[df['mode'] == 'tstr']
    if protocol == 'tstr': return tstr
    # a `tstr` run also scores augmentation (`augment_*` columns); an `augment` run puts it in `tstr_*`
    aug = [c for c in tstr.columns if c.startswith('augment_')]
    keep = tstr[tstr[aug].notna().any(axis=1)] if aug else tstr.iloc[:0]
    runs = df[df['mode'] == 'augment']
    runs = runs.drop(columns=[c for c in runs.columns if c.startswith('augment_')])
    runs = runs.rename(columns={c: 'augment_' + c[5:] for c in runs.columns if c.startswith('tstr_')})
    return pd.concat([keep, runs], ignore_index=True) if len(runs) else keep


def pair_key(df: pd.DataFrame) -> list:
    "The columns that name one split: the seed, and the number of features where it varies (`exp020`)."
    return ['seed'] + (['n_features'] if 'n_features' in df and df['n_features'].nunique() > 1 else [])


def by_key(df: pd.DataFrame, col: str) -> pd.Series:
    "Values of `col` indexed by the split key, so that two generators' runs pair up by split."
    key = pair_key(df)
    return df.set_index(key)[col] if col in df else pd.Series(dtype=float)


def utility_table(df: pd.DataFrame,  # rows of a `summary.csv`
                  model: str = 'rf',  # downstream model suffix
                  ) -> pd.DataFrame:
    "Per generator: the score under each protocol and its paired difference from TRTR, as mean [95 % CI]."
    m = task_metric(df, model)
    if f'trtr_{m}_{model}' not in df: return pd.DataFrame()
    rows = []
    for gen, g in df[df['mode'] == 'tstr'].groupby('generator', sort=False):
        row = {'generator': gen, 'seeds': int(g['seed'].nunique())}
        for proto, label in (('tstr', 'synthetic only'), ('augment', 'real + synthetic')):
            p = protocol_rows(g, proto)
            col = f'{proto}_{m}_{model}'
            if col not in p or p[col].isna().all(): continue
            row[f'{label}'] = fmt_ci(t_ci(p[col]))
            row[f'{label} − real'] = fmt_ci(paired_diff(by_key(p, col), by_key(p, f'trtr_{m}_{model}')),
                                            sign=True)
        rows.append(row)
    real = df[df['mode'] == 'tstr'].drop_duplicates(pair_key(df))[f'trtr_{m}_{model}']
    rows.append({'generator': 'real (TRTR)', 'seeds': len(real), 'synthetic only': fmt_ci(t_ci(real))})
    return pd.DataFrame(rows).fillna('')


def ci_table(df: pd.DataFrame, metrics: list, by: list = ('generator',), labels: dict | None = None,
             digits: int = 3) -> pd.DataFrame:
    "One row per group of `by`: the number of seeds and the mean [95 % CI] of each metric."
    labels, metrics = labels or {}, [m for m in metrics if m in df and df[m].notna().any()]
    rows = []
    for key, g in df.groupby(list(by), sort=False):
        row = dict(zip(by, key if isinstance(key, tuple) else (key,)))
        row['seeds'] = int(g['seed'].nunique())
        row.update({labels.get(m, m): fmt_ci(t_ci(g[m]), digits) for m in metrics})
        rows.append(row)
    return pd.DataFrame(rows)


def experiment_config(exp: str) -> dict | None:
    "The parsed `experiments/<exp>.yaml` of the repository, or `None` without the file."
    path = Path(__file__).resolve().parent.parent / 'experiments' / f'{exp}.yaml'
    return yaml.safe_load(path.read_text()) if path.exists() else None


def planned_runs(exp: str) -> pd.DataFrame | None:
    "The (generator, seed[, n_features]) grid of `experiments/<exp>.yaml`, or `None` without the file."
    cfg = experiment_config(exp)
    if cfg is None: return None
    gens = [g.get('label') or g['name'] for g in cfg.get('generators', [])]
    feats = cfg.get('features') or [None]
    rows = [dict(generator=g, seed=s, n_features=f) for g in gens for s in cfg.get('seeds', []) for f in feats]
    return pd.DataFrame(rows)


def _is_current(result: dict) -> bool:
    "A run is current when its `result.json` records the git commit and the parameters it resolved."
    has_commit = 'commit' in result or 'commit' in (result.get('versions') or {})
    return has_commit and any(k in result for k in ('parameters', 'resolved', 'resolved_params'))


def run_inventory(root: Path | None = None) -> pd.DataFrame:
    "Per experiment: planned runs, runs found, which are missing, and how many are stale."
    rows = []
    for exp in EXPERIMENTS:
        plan, df = planned_runs(exp), load_summary(exp, root)
        files = sorted((Path(root or results_dir()) / exp).glob('*/result.json'))
        stale = sum(not _is_current(json.loads(f.read_text())) for f in files)
        found = 0 if df is None else len(df)
        missing = ''
        if plan is not None:
            gen = plan['generator'].map(lambda g: g.replace('_', '-'))
            plan = plan.assign(generator=gen)
            have = set() if df is None else set(zip(df['generator'].str.replace('_', '-'), df['seed']))
            lost = plan[[(g, s) not in have for g, s in zip(plan['generator'], plan['seed'])]]
            if df is None: missing = 'all'
            else:
                lost = lost.drop_duplicates(['generator', 'seed'])
                by_gen = lost.groupby('generator')['seed'].apply(lambda s: ', '.join(map(str, sorted(s))))
                missing = '; '.join(f'{g}: seed {s}' for g, s in by_gen.items())
        notes = [json.loads(f.read_text()) for f in sorted((Path(root or results_dir()) / exp).glob('*/failed.json'))
                 if not (f.parent / 'result.json').exists()]  # runs the generator could not do (experiment.py)
        rows.append(dict(experiment=exp, planned=0 if plan is None else len(plan), found=found,
                         missing=missing or 'none', stale=stale,
                         failed='; '.join(f"`{n['run_id']}`: {n['error']}" for n in notes)))
    return pd.DataFrame(rows)


def runs_line(inv: pd.DataFrame) -> str:
    "One sentence for the abstract: how many runs are stale or missing, or that all are current."
    stale, found = int(inv['stale'].sum()), int(inv['found'].sum())
    missing = inv[inv['missing'] != 'none']['experiment'].tolist()
    n_failed = sum(len(f.split('; ')) for f in inv.get('failed', pd.Series(dtype=str)) if f)
    cur = inv[(inv['found'] > 0) & (inv['stale'] == 0)]['experiment'].tolist()
    head = (f'All {found} runs of the {len(inv)} experiments record their commit and resolved parameters' if not stale
            else f"{stale} of the {found} runs are stale: they record neither the commit nor the resolved parameters"
            + (f" (all runs of {', '.join(f'`{e}`' for e in cur)} are current)" if cur else ''))
    tail = (f"; runs are missing in {', '.join(f'`{e}`' for e in missing)}" if missing else '') + (
        f", {n_failed} of them because the generator failed on its split" if missing and n_failed else '')
    return head + tail + ' (@sec-experiments).'


def inventory_notes(inv: pd.DataFrame) -> str:
    "One paragraph: which experiments have no results, which miss seeds, and how many runs are stale."
    none = inv[inv['found'] == 0]['experiment'].tolist()
    part = inv[(inv['found'] > 0) & (inv['missing'] != 'none')]
    runs, stale = int(inv['found'].sum()), int(inv['stale'].sum())
    out = []
    if none: out.append('No results: ' + ', '.join(f'`{e}`' for e in none) + '.')
    if len(part): out.append('Missing runs: ' + '; '.join(
        f'`{r.experiment}` has {r.found} of {r.planned} ({r.missing})' for r in part.itertuples()) + '.')
    failed = [f for f in inv.get('failed', pd.Series(dtype=str)) if f]
    if failed: out.append('Failed, and so missing: ' + '; '.join(failed) + '.')
    out.append(f'Stale: {stale} of the {runs} runs found record neither the git commit nor the parameters '
               'the run resolved, so they cannot be tied to the current defaults; every table below is from '
               'such runs unless it says otherwise.' if stale else f'All {runs} runs record their commit.')
    return ' '.join(out)


def privacy_evidence(exps: list, kind: str = 'diffusion', root: Path | None = None) -> dict:
    "Per experiment, the `kind` generator's DCR share and MIA AUC intervals and whether either lies above 0.5."
    out = {}
    for exp in exps:
        df = load_summary(exp, root)
        if df is None: continue
        g = df[(df['mode'] == 'tstr') & (df['generator'].map(generator_kind) == kind)]
        if g.empty or 'dcr_share' not in g: continue
        dcr, mia = t_ci(g['dcr_share']), t_ci(g['mia_auc'])
        above = [n for n, ci in (('DCR share', dcr), ('MIA AUC', mia)) if ci['n'] > 1 and ci['lo'] > 0.5]
        out[exp] = dict(dcr=dcr, mia=mia, above=above)
    return out


def privacy_markdown(exps: list, kind: str = 'diffusion', name: str = 'HybridDiffusion',
                     root: Path | None = None) -> str:
    "Where the distance tests find the `kind` generator's rows closer to its training rows than to fresh rows."
    ev = privacy_evidence(exps, kind, root)
    if not ev: return ''
    flag = {e: v for e, v in ev.items() if v['above']}
    clean = [e for e in ev if e not in flag]
    out = []
    if flag: out.append(f'For {name}, the tests find evidence of memorisation on ' + '; '.join(
        f'`{e}` (DCR share {fmt_ci(v["dcr"])}, MIA AUC {fmt_ci(v["mia"])})' for e, v in flag.items()) +
        '. There, the 95 % interval of ' + ' or '.join(sorted({a for v in flag.values() for a in v['above']})) +
        ' lies above 0.5: a DCR share above 0.5 means that synthetic rows sit closer to the rows the model was '
        'trained on than to real rows it never saw; an MIA AUC above 0.5 means that the distance-based '
        'attacker tells members from non-members better than a coin.')
    if clean: out.append(f'On {", ".join(f"`{e}`" for e in clean)} neither interval lies above 0.5: these tests '
                         'find no evidence of memorisation there, which is not evidence of privacy.')
    return ' '.join(out)


def dp_markdown(root: Path | None = None) -> str:
    "What `exp030_dp` shows: utility, fidelity and the empirical privacy metrics at each privacy budget."
    df = load_summary('exp030_dp', root)
    if df is None or 'epsilon' not in df: return not_run('exp030_dp')
    parts = []
    for eps, g in sorted(df.groupby('epsilon'), key=lambda kv: kv[0]):
        lab = 'no DP (ε = ∞)' if math.isinf(eps) else f'ε = {eps:g}'
        parts.append(f'{lab}: TSTR R² {fmt_ci(t_ci(g["tstr_r2_rf"]))}, column shapes '
                     f'{fmt_ci(t_ci(g["column_shapes"]))}')
    rng = lambda c: f'{df[c].min():.2f} to {df[c].max():.2f}'
    real = t_ci(df.drop_duplicates('seed')['trtr_r2_rf'])
    return (f'With {int(df["n_train"].median()):,} training rows, real-data training reaches an RF R² of '
            f'{fmt_ci(real)}, and the diffusion model reaches, per budget (mean [95 % CI] over seeds): '
            + '; '.join(parts) + f'. Over all budgets and seeds the DCR share runs from {rng("dcr_share")} and '
            f'the MIA AUC from {rng("mia_auc")}.')
