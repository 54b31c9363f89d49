"Confidence intervals over seeds and paired differences (same split, same seed) for the thesis's verdicts."

import math

import pandas as pd
from scipy import stats as st

__all__ = ['LEVEL', 't_ci', 'paired_diff', 'fmt_ci', 'side']

LEVEL = 0.95  # two-sided confidence level of every interval in the thesis


def t_ci(values,  # one value per seed (NaNs are dropped)
         level: float = LEVEL,  # confidence level
         ) -> dict:
    "Mean, sd, `n` and the t-based interval `lo`–`hi` of the mean; `lo`/`hi` are NaN when `n` < 2."
    v = pd.Series(values, dtype=float).dropna()
    n, nan = len(v), float('nan')
    if n == 0: return dict(mean=nan, sd=nan, n=0, lo=nan, hi=nan)
    mean = float(v.mean())
    if n < 2: return dict(mean=mean, sd=nan, n=1, lo=nan, hi=nan)
    sd = float(v.std(ddof=1))
    half = st.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return dict(mean=mean, sd=sd, n=n, lo=mean - half, hi=mean + half)


def paired_diff(x: pd.Series,  # values of A, indexed by the pairing key (seed, or seed and features)
                y: pd.Series,  # values of B on the same key
                level: float = LEVEL,  # confidence level
                ) -> dict:
    "A − B over the keys both have: the interval of the mean difference and the paired t-test's p-value."
    both = pd.concat([x.rename('a'), y.rename('b')], axis=1, join='inner').dropna()
    d = both['a'] - both['b']
    res = t_ci(d, level)
    p = float('nan')
    if res['n'] >= 2: p = 1.0 if res['sd'] == 0 else float(st.ttest_1samp(d, 0.0).pvalue)
    return {**res, 'p': p, 'keys': list(both.index)}


def fmt_ci(ci: dict,  # from `t_ci` or `paired_diff`
           digits: int = 3,  # decimals
           sign: bool = False,  # always show the sign (for differences)
           ) -> str:
    "`mean [lo, hi]`; the mean alone with `(1 seed)` when there is no interval; `–` when there is no value."
    if ci is None or ci['n'] == 0: return '–'
    f = (lambda v: f'{v:+.{digits}f}') if sign else (lambda v: f'{v:.{digits}f}')
    f2 = lambda v: f(0.0 if round(v, digits) == 0 else v).replace('-', '−')  # no "−0.000"

    if math.isnan(ci['lo']): return f'{f2(ci["mean"])} (1 seed)'
    return f'{f2(ci["mean"])} [{f2(ci["lo"])}, {f2(ci["hi"])}]'


def side(ci: dict,  # from `t_ci` or `paired_diff`
         threshold: float,  # the value the claim compares with
         ) -> str | None:
    "`above` or `below` when the whole interval lies on one side of `threshold`, `unclear` when it straddles it."
    if ci is None or ci['n'] == 0: return None
    if math.isnan(ci['lo']): return 'unclear'
    return 'above' if ci['lo'] > threshold else 'below' if ci['hi'] < threshold else 'unclear'
