"""Fits the privacy check stopped at its first looks, refitted with other held-back rows.

`results/bench/validation/holdback_redraw/redraw.csv` (`benchmarks/holdback_redraw.py`): each model seed fitted with
the rows the check holds back for it (shift 0) and with those of other seeds; the check's looks, the kept pass and
one sample's scores on validation rows. A diagnostic: it chooses no default."""

from pathlib import Path
import numpy as np
import pandas as pd
import benchmark as bm

__all__ = ['load_redraw', 'redraw_table', 'redraw_text', 'short_fits', 'REDRAW_RULE', 'load_redraw_check',
           'redraw_check_table', 'redraw_verdict']


def load_redraw(root: Path | None = None) -> pd.DataFrame | None:
    "The diagnostic's rows, or None before it ran."
    return bm._read_csv(bm.bench_dir(root) / 'validation' / 'holdback_redraw' / 'redraw.csv')


def redraw_table(df: pd.DataFrame) -> pd.DataFrame:
    "One row per fit: seed, held-back draw, the first look's share and verdict, the kept pass, fit time and scores."
    return pd.DataFrame({
        'model seed': df.model_seed, 'held-back rows': df['shift'].map(lambda s: 'the default\'s' if s == 0 else
                                                                         f'of seed + {s}'),
        'first look': [f'{v:.3f} ({"pass" if ok else "fail"})' for v, ok in zip(df.first_look_share, df.first_look_ok)],
        'kept pass': df.kept_epoch.map('{:.0f}'.format), 'fit (s)': df.fit_s.map('{:.0f}'.format),
        'TSTR ratio (RF)': df.tstr_ratio_rf.map('{:.3f}'.format), 'DCR share': df.dcr_share.map('{:.3f}'.format)})


def _span(v: pd.Series, fmt: str = '{:.3f}') -> str:
    "'0.503' for one value, '0.503 to 0.521' for several."
    lo, hi = fmt.format(v.min()), fmt.format(v.max())
    return lo if lo == hi else f'{lo} to {hi}'


def redraw_text(df: pd.DataFrame) -> str:
    "Which seeds failed the first look with their own held-back rows, and what other held-back rows did to them."
    own = df[df['shift'] == 0].set_index('model_seed')
    stopped = own.index[~own.first_look_ok.astype(bool)].tolist()
    if not stopped: return 'With its own held-back rows, every fit passed its first look.'
    other = df[(df['shift'] != 0) & df.model_seed.isin(stopped)]
    passed = other[other.first_look_ok.astype(bool)]
    seeds = ' and '.join([', '.join(str(s) for s in stopped[:-1]), str(stopped[-1])] if len(stopped) > 1 else
                         [str(stopped[0])])
    many = len(stopped) > 1
    return (f'With {"their" if many else "its"} own held-back rows, the fit{"s" if many else ""} of model '
            f'seed{"s" if many else ""} {seeds} failed the first look (share{"s" if many else ""} '
            f'{", ".join(f"{own.first_look_share[s]:.3f}" for s in stopped)}) and kept a model of at most '
            f'{own.kept_epoch[stopped].max():.0f} passes. With other held-back rows (and so other rows to train on), '
            f'{len(passed)} of {len(other)} refits passed the first look'
            + (f' (share {_span(passed.first_look_share)}); {"they" if len(passed) > 1 else "it"} kept '
               f'{_span(passed.kept_epoch, "{:.0f}")} passes, '
               f'and {"their samples" + chr(39) if len(passed) > 1 else "its sample" + chr(39) + "s"} DCR share on the '
               f'validation holdout was {_span(passed.dcr_share)} '
               + ('(within' if passed.dcr_share.max() <= bm.DCR_LIMIT else '(not all within')
               + f' the limit of {bm.DCR_LIMIT:.2f}).' if len(passed) else '. Other held-back rows did not change '
               'the verdict.'))


def short_fits(runs: list, dataset: str = 'abalone', share: float = 0.25) -> str:
    """How many of `dataset`'s fits in the sampler runs `runs` (`sampler.load_sampler` frames) took under `share` of
    the median fit time: 'k of n fits ... ended within s seconds (the median fit took m s)'; '' without runs."""
    runs = [r for r in runs if r is not None]
    if not runs: return ''
    d = pd.concat(runs, ignore_index=True)
    d = d[d.dataset == dataset].drop_duplicates(['model_seed']).fit_s
    if d.empty: return ''
    short = d[d < share * d.median()]
    return (f'{len(short)} of {len(d)} fits of the sampler studies on {dataset}\'s validation rows ended within '
            f'{short.max():.0f} s (the median fit took {d.median():.0f} s)' if len(short) else
            f'none of {len(d)} fits of the sampler studies on {dataset}\'s validation rows ended early')


# stated before the candidate ran (`benchmarks/validate_defaults.py`, abalone's validation rows, model seeds 10-21;
# results/bench/validation/redraw/{default,candidate}/)
REDRAW_RULE = ('A run checked on held-back rows that passes no checkpoint is trained again with another draw of '
               'held-back rows (the lower lowest share of the two runs is kept when neither passes). It becomes the '
               'default if, over the fits that the default leaves with no passing checkpoint, (1) there is at least '
               'one such fit, (2) the mean random-forest TSTR ratio is higher with the redraw, (3) every such fit\'s '
               f'DCR share on the validation holdout stays within {bm.DCR_LIMIT:.2f} with no exact copy, and (4) every '
               'other fit is unchanged (the same scores).')


ARMS = ('default', 'candidate')
SAME = ['tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'dcr_share']  # rule (4)


def load_redraw_check(root: Path | None = None) -> pd.DataFrame | None:
    "Both arms' validation rows (column `arm`), or None until both ran."
    return bm.load_arms(bm.bench_dir(root) / 'validation' / 'redraw', {a: a for a in ARMS})


def _paired(df: pd.DataFrame) -> pd.DataFrame:
    "One row per model seed run by both arms: each arm's columns suffixed with its name."
    d, c = (df[df.arm == a].set_index('model_seed') for a in ARMS)
    return d.join(c, how='inner', lsuffix='_default', rsuffix='_candidate')


def _stopped(p: pd.DataFrame) -> pd.Series:
    "Seeds the default left with no passing checkpoint (the fits the candidate trains again)."
    return ~p.check_passed_default.astype(bool)


def redraw_check_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per model seed: each arm's kept pass, fit time, TSTR ratio (RF) and DCR share; the seeds the rule is about first."
    p = _paired(df)
    p = pd.concat([p[_stopped(p)], p[~_stopped(p)]])
    out = {'model seed': p.index, 'default passed a check': _stopped(p).map({True: 'no', False: 'yes'})}
    for a in ARMS:
        out[f'{a}: kept pass'] = p[f'kept_epoch_{a}'].map('{:.0f}'.format)
        out[f'{a}: fit (s)'] = p[f'fit_s_{a}'].map('{:.0f}'.format)
        out[f'{a}: TSTR (RF)'] = p[f'tstr_ratio_rf_{a}'].map('{:.3f}'.format)
        out[f'{a}: DCR share'] = p[f'dcr_share_{a}'].map('{:.3f}'.format)
    return pd.DataFrame(out).reset_index(drop=True)


def redraw_verdict(df: pd.DataFrame) -> str:
    "The rule's four conditions, each with what was measured, and the outcome."
    p = _paired(df)
    hit, rest = p[_stopped(p)], p[~_stopped(p)]
    if hit.empty:
        return (f'None of the {len(p)} fits of the default passed no checkpoint, so the candidate changed no fit and '
                'the rule (condition 1) cannot adopt it.')
    gain = hit.tstr_ratio_rf_candidate.mean() - hit.tstr_ratio_rf_default.mean()
    dcr, copies = hit.dcr_share_candidate, hit.exact_copies_candidate
    same = all(np.allclose(rest[f'{c}_default'], rest[f'{c}_candidate'], rtol=0, atol=1e-9) for c in SAME)
    ok = [True, gain > 0, bool((dcr <= bm.DCR_LIMIT).all() and (copies == 0).all()), same]
    n = len(hit)
    return (f'The default left {n} of {len(p)} fits with no passing checkpoint (condition 1 met). On '
            f'{"them" if n > 1 else "it"}, the redraw moved the mean TSTR ratio (RF) from '
            f'{hit.tstr_ratio_rf_default.mean():.3f} to {hit.tstr_ratio_rf_candidate.mean():.3f} (condition 2 '
            f'{"met" if ok[1] else "not met"}); the DCR share on the validation holdout was {_span(dcr)}, with '
            f'{int(copies.sum())} exact cop{"y" if copies.sum() == 1 else "ies"} (condition 3 '
            f'{"met" if ok[2] else "not met"}); the other {len(rest)} fits '
            f'{"kept their scores" if same else "changed"} (condition 4 {"met" if ok[3] else "not met"}). '
            + ('The redraw becomes the default.' if all(ok) else 'The default stays as it is.'))
