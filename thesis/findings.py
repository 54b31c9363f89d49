"Re-test the four findings of the original study on the results store; say for each whether it reproduces."

from pathlib import Path

import pandas as pd

from reading import fmt, generator_kind, load_summary, task_metric

__all__ = ['TOL', 'CATASTROPHE', 'utility_gap', 'finding_preserves', 'finding_smogn_fails',
           'finding_complexity', 'finding_safe_default', 'all_findings', 'findings_markdown']

TOL = 0.05  # a generator "preserves quality" when TSTR is within this many points of TRTR (R² or accuracy)
CATASTROPHE = 0.0  # a TSTR R² below this is a catastrophic failure (worse than predicting the mean)
ORIGINAL = ('exp011_elecdemand', 'exp013_schooling')  # stand-ins for the original experiments 011 and 013


def utility_gap(df: pd.DataFrame,  # rows of a `summary.csv`
                kind: str,  # `diffusion` or `smogn`
                model: str = 'rf',  # downstream model suffix
                ) -> dict | None:
    "Mean and sd over seeds of TRTR, TSTR and their gap for the `kind` generator's `tstr` runs."
    df = df[(df['mode'] == 'tstr') & (df['generator'].map(generator_kind) == kind)]
    m = task_metric(df, model) if len(df) else 'r2'
    real, synth = f'trtr_{m}_{model}', f'tstr_{m}_{model}'
    if df.empty or synth not in df or df[synth].isna().all(): return None
    gap = df[real] - df[synth]
    return dict(metric=m, n=int(df['seed'].nunique()), trtr=df[real].mean(), tstr=df[synth].mean(),
                tstr_sd=df[synth].std(ddof=1) if len(df) > 1 else None, gap=gap.mean())


def _verdict(results: list) -> str:
    "Combine per-experiment booleans (`None` = not run) into one verdict."
    done = [r for r in results if r is not None]
    if not done: return 'not yet run'
    if all(done): return 'reproduces' if len(done) == len(results) else \
        'reproduces (on the experiments run so far)'
    return 'does not reproduce' if not any(done) else 'partly reproduces'


def _describe(exp: str, g: dict | None, who: str) -> str:
    if g is None: return f'{exp}: no {who} runs yet'
    return (f'{exp}: {who} TSTR {g["metric"]} = {fmt(g["tstr"], g["tstr_sd"])} vs TRTR {fmt(g["trtr"])} '
            f'({g["n"]} seeds)')


def finding_preserves(root: Path | None = None) -> dict:
    "Finding 1: models trained on diffusion samples score within `TOL` of models trained on real data."
    ok, ev = [], []
    for exp in ORIGINAL:
        df = load_summary(exp, root)
        g = utility_gap(df, 'diffusion') if df is not None else None
        ok.append(None if g is None else g['gap'] <= TOL)
        ev.append(_describe(exp, g, 'diffusion'))
    return dict(n=1, claim='Diffusion preserves data quality', test=f'TRTR − TSTR ≤ {TOL} for the diffusion '
                'model on the experiments 011 and 013', verdict=_verdict(ok), evidence='; '.join(ev))


def finding_smogn_fails(root: Path | None = None) -> dict:
    "Finding 2: models trained on SMOGN samples reach a negative R² on real test data."
    ok, ev = [], []
    for exp in ORIGINAL:
        df = load_summary(exp, root)
        g = utility_gap(df, 'smogn') if df is not None else None
        ok.append(None if g is None else g['metric'] == 'r2' and g['tstr'] < CATASTROPHE)
        ev.append(_describe(exp, g, 'SMOGN'))
    verdict = _verdict(ok)
    if verdict == 'partly reproduces': verdict = 'reproduces on some experiments'
    test = f'mean TSTR R² of SMOGN < {CATASTROPHE} on experiment 011 or 013'
    return dict(n=2, claim='SMOGN can fail catastrophically', test=test, verdict=verdict,
                evidence='; '.join(ev))


def _sweep_gaps(df: pd.DataFrame, kind: str) -> pd.Series:
    "Mean TRTR − TSTR gap per `n_features` for the `kind` generator in the sweep."
    df = df[(df['mode'] == 'tstr') & (df['generator'].map(generator_kind) == kind)]
    m = task_metric(df) if len(df) else 'r2'
    return (df[f'trtr_{m}_rf'] - df[f'tstr_{m}_rf']).groupby(df['n_features']).mean()


def finding_complexity(root: Path | None = None) -> dict:
    "Finding 3: both methods work in few dimensions; only diffusion keeps working past 20 features."
    claim = 'Feature complexity matters'
    test = (f'in `exp020_feature_sweep`: both gaps ≤ {TOL} at the fewest features; at the most, '
            f'SMOGN gap > {TOL} and diffusion gap ≤ {TOL}')
    df = load_summary('exp020_feature_sweep', root)
    if df is None or 'n_features' not in df: return dict(n=3, claim=claim, test=test, verdict='not yet run',
                                                         evidence='exp020_feature_sweep: no results yet')
    d, s = _sweep_gaps(df, 'diffusion'), _sweep_gaps(df, 'smogn')
    if d.empty or s.empty: return dict(n=3, claim=claim, test=test, verdict='not yet run',
                                       evidence='exp020_feature_sweep: diffusion or SMOGN runs missing')
    lo, hi = min(d.index.min(), s.index.min()), max(d.index.max(), s.index.max())
    low_ok = d.get(lo, float('nan')) <= TOL and s.get(lo, float('nan')) <= TOL
    high_ok = s.get(hi, float('nan')) > TOL and d.get(hi, float('nan')) <= TOL
    verdict = 'reproduces' if low_ok and high_ok else 'partly reproduces' if high_ok or low_ok else \
        'does not reproduce'
    nan = float('nan')
    ev = '; '.join(f'{k} features: gap diffusion {fmt(d.get(k, nan))}, SMOGN {fmt(s.get(k, nan))}'
                   for k in sorted(set(d.index) | set(s.index)))
    return dict(n=3, claim=claim, test=test, verdict=verdict, evidence=ev)


def finding_safe_default(root: Path | None = None, exps: tuple = ()) -> dict:
    "Finding 4: diffusion never loses more than half of the real-data score on any experiment."
    from reading import EXPERIMENTS
    ratios = {}
    for exp in exps or [e for e in EXPERIMENTS if e not in ('exp030_dp',)]:
        df = load_summary(exp, root)
        g = utility_gap(df, 'diffusion') if df is not None else None
        if g is not None and g['trtr'] > 0: ratios[exp] = g['tstr'] / g['trtr']
    test = 'mean TSTR / TRTR ≥ 0.5 for the diffusion model on every experiment run'
    if not ratios: return dict(n=4, claim='Diffusion is a safe default', test=test, verdict='not yet run',
                               evidence='no diffusion runs yet')
    worst = min(ratios, key=ratios.get)
    verdict = 'reproduces' if ratios[worst] >= 0.5 else 'does not reproduce'
    ev = f'{len(ratios)} experiments; worst TSTR/TRTR = {ratios[worst]:.3f} on {worst}'
    return dict(n=4, claim='Diffusion is a safe default', test=test, verdict=verdict, evidence=ev)


def all_findings(root: Path | None = None) -> list:
    "The four findings of the original study, each with its test, verdict and evidence."
    tests = (finding_preserves, finding_smogn_fails, finding_complexity, finding_safe_default)
    return [t(root) for t in tests]


def findings_markdown(root: Path | None = None) -> str:
    "The four verdicts as a Markdown list, for the findings chapter."
    return '\n'.join(f'{f["n"]}. **{f["claim"]}: {f["verdict"]}.** Test: {f["test"]}. '
                     f'Evidence: {f["evidence"]}.\n'
                     for f in all_findings(root))
