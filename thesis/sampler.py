"""The sampler choice of the benchmark chapter: tables and the verdict, computed from results/bench/sampler/."""

from pathlib import Path
import numpy as np
from scipy import stats
import pandas as pd
from benchmark import BENCH_COLUMNS, SPEED_TARGET_S, _fmt, bench_dir

OLD = (50, 1, 1.0)  # the previous default: 50 DDPM steps, evenly strided in t
COLS = ('tstr_ratio_rf', 'tstr_ratio_gb', 'column_shapes', 'column_pair_trends', 'detection_auc', 'dcr_share')
QUALITY = COLS[:5]
TOLERANCE = 0.005  # a faster sampler may lose this much on a quality score
PAIR = ['dataset', 'model_seed', 'sample_offset']  # one fitted model, one sample seed
SETTING = ['n_sample_steps', 'order', 'eta']
SAMPLER_NAMES = {1: 'ddpm', 2: 'dpm++2m'}  # order -> the library's sampler name


def load_sampler(root: Path | None = None, folder: str = 'sampler') -> pd.DataFrame | None:
    "Every `<folder>/part*/sampler.csv`: each fitted model sampled with every setting (`part` names the run)."
    files = sorted((bench_dir(root) / folder).glob('part*/sampler.csv'))
    if not files: return None
    df = pd.concat([pd.read_csv(f).assign(part=f.parent.name) for f in files], ignore_index=True)
    df = df.assign(sample_offset=df.get('sample_offset', pd.Series(0, index=df.index)).fillna(0).astype(int))
    # a later part refits the same seeds on the same rows (the fits are deterministic): keep each sample once
    return df.drop_duplicates(PAIR + SETTING, keep='first').reset_index(drop=True)


def config_label(steps: int, order: int, eta: float) -> str:
    "(12, 2, 1.0) -> '12 steps, 2M, stochastic'"
    kind = 'DDPM' if (order, eta) == (1, 1.0) else 'DDIM' if order == 1 else '2M'
    noise = '' if order == 1 else ', stochastic' if eta else ', deterministic'
    return f'{int(steps)} steps, {kind}{noise}'


def _with_key(df: pd.DataFrame) -> pd.DataFrame:
    keys = list(zip(df.n_sample_steps.astype(int), df.order.astype(int), df.eta.astype(float)))
    return df.assign(key=keys)


def sampler_table(df: pd.DataFrame, dataset: str) -> pd.DataFrame:
    "Mean ± sd over fits and samples of each sampler setting on one dataset."
    g = _with_key(df[df.dataset == dataset]).groupby('key', sort=False)[list(COLS)]
    mean, sd = g.mean(), g.std()
    out = pd.DataFrame({BENCH_COLUMNS.get(c, c): [f'{_fmt(m, c)} ± {_fmt(s, c)}' for m, s in zip(mean[c], sd[c])]
                        for c in COLS})
    out.insert(0, 'sampler', [config_label(*k) for k in mean.index])
    out.insert(1, 'samples', g.size().values)
    return out


def _loss(prev: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    "`prev - new` per quality score, paired by index, detection AUC reversed (lower is better): positive = worse."
    diff = (prev - new).dropna()
    diff['detection_auc'] *= -1
    return diff


def _significant(loss, se, n, tol: float = TOLERANCE):
    "Is `loss` significantly above `tol` (one-sided 95%: loss - tol > t(0.95, n-1) · se)?"
    return loss - tol > stats.t.ppf(0.95, np.maximum(np.asarray(n) - 1, 1)) * se


def _losses(df: pd.DataFrame) -> dict:
    "Per setting: previous-default score minus the setting's score, one row per (dataset, fit, sample seed)."
    d = _with_key(df)
    base = d[d.key == OLD].set_index(PAIR)[list(QUALITY)]
    return {key: _loss(base, g.set_index(PAIR)[list(QUALITY)])
            for key, g in d[d.key != OLD].groupby('key', sort=False)}


def aa_losses(df: pd.DataFrame) -> pd.DataFrame:
    "The A/A comparison: the previous default's sample with offset 0 minus its sample with offset 1, same fit."
    d = _with_key(df)
    d = d[d.key == OLD].set_index(PAIR)[list(QUALITY)]
    if not (d.index.get_level_values('sample_offset') == 1).any(): return pd.DataFrame()
    return _loss(d.xs(0, level='sample_offset'), d.xs(1, level='sample_offset'))


def paired_losses(df: pd.DataFrame, by_dataset: bool = False) -> pd.DataFrame:
    "Per setting (and dataset) and score: mean paired loss, its standard error and the number of pairs."
    rows = []
    for key, diff in _losses(df).items():
        groups = diff.groupby(level='dataset') if by_dataset else [('all', diff)]
        for name, g in groups:
            n = len(g)
            for c in QUALITY:
                rows.append(dict(key=key, dataset=name, score=c, loss=g[c].mean(), se=g[c].std() / np.sqrt(n), n=n))
    return pd.DataFrame(rows)


def passes(p: pd.DataFrame, tol: float = TOLERANCE) -> pd.Series:
    "Per setting: True when no loss is significantly above `tol` (one-sided 95%: loss - tol <= t(0.95, n-1) · se)."
    return (~_significant(p.loss, p.se, p.n, tol)).groupby(p.key, sort=False).all()


def chosen(df: pd.DataFrame, tol: float = TOLERANCE, per: pd.DataFrame | None = None):
    "The fewest-step setting that passes on every dataset (None if none does); `per`: `paired_losses` by dataset."
    ok = passes(paired_losses(df, by_dataset=True) if per is None else per, tol)
    keys = [k for k, v in ok.items() if v]
    return min(keys, key=lambda k: (k[0], -k[2])) if keys else None


def _loss_text(p: pd.DataFrame, key) -> str:
    names = dict(zip(QUALITY, ('TSTR RF', 'TSTR GB', 'shapes', 'pair trends', 'detection')))
    r = p[p.key == key]
    return ', '.join(f'{names[x.score]} {x.loss:+.3f} ± {x.se:.3f}' for x in r.itertuples())


def sampler_verdict(df: pd.DataFrame, tol: float = TOLERANCE) -> str:
    "The rule, the paired losses of each setting against the previous default, the A/A noise, and the pick."
    p = paired_losses(df)
    lines = ['Loss of each setting against the previous default, paired by fitted model and sample seed (previous '
             'minus new; for detection AUC new minus previous; positive = worse), mean ± standard error over '
             f'{df.groupby(PAIR[:2]).ngroups} fits of {df.dataset.nunique()} datasets:', '']
    per = paired_losses(df, by_dataset=True)
    ok = passes(per, tol)
    for key in ok.index:
        n = int(p[p.key == key].n.iloc[0])
        fails = per[(per.key == key) & _significant(per.loss, per.se, per.n, tol)]
        why = '; fails on ' + ', '.join(f'{r.dataset} {r.score} ({r.loss:+.3f} ± {r.se:.3f})'
                                      for r in fails.itertuples()) if len(fails) else '; passes'
        lines.append(f'- {config_label(*key)} ({n} pairs): {_loss_text(p, key)}{why}.')
    aa = aa_losses(df)
    if len(aa):
        se = aa.std() / np.sqrt(len(aa))
        lines += ['', f'Two samples of the previous default itself (A/A, {len(aa)} pairs) differ by '
                  + ', '.join(f'{c} {aa[c].mean():+.3f} ± {se[c]:.3f}' for c in QUALITY) +
                  ': this is the noise of one sample.']
        g = aa.groupby(level='dataset')
        n = g.size().to_numpy()[:, None]
        worse = _significant(g.mean().abs(), g.std() / np.sqrt(n), n, tol).to_numpy().any()
        lines[-1] += (' The rule would reject the previous sampler against its own second sample (in one direction or '
                      'the other), so it is stricter than the noise allows.' if worse else
                      ' The previous sampler passes the rule against its own second sample, either way round.')
    pick = chosen(df, tol, per)
    result = (f'It picks **{config_label(*pick)}**.' if pick else
              'No faster setting passes it; the previous sampler stays.')
    lines += ['', f'The rule: the fewest steps whose loss on no dataset and no quality score is significantly above '
              f'{tol} (one-sided 95%: mean loss − {tol} ≤ t·standard error). ' + result]
    return '\n'.join(lines)


def sampler_consequence(df: pd.DataFrame, tol: float = TOLERANCE) -> str:
    "What the verdict means for the library's default and for users who need speed."
    pick = chosen(df, tol)
    if pick:
        return (f'The default sampler becomes {config_label(*pick)}: about {OLD[0] / pick[0]:.1f} times fewer '
                'denoiser passes than the previous 50 DDPM steps.')
    p = paired_losses(df)
    fid = p[p.score.isin(['column_shapes', 'column_pair_trends', 'detection_auc'])]
    best = fid.groupby('key').loss.max().loc[lambda x: x <= tol]
    fast = [k for k in best.index if k[2] == 1.0]
    text = ('The default therefore stays at 50 DDPM steps (`sampler=\'ddpm\'`). The faster sampler stays available '
            'as an option, `TabDiffusion(sampler=\'dpm++2m\', n_sample_steps=15)`.')
    if fast:
        k = min(fast)
        text += (f' Its {config_label(*k)} setting matches the previous default on column shapes, pair trends and '
                 'detection (pooled loss at most ' f'{tol}); what keeps it from being the default is the TSTR '
                 'ratio on the small tables, whose sample-to-sample noise the A/A line shows.')
    return text


NOW_RULE = ('with the sampling defaults of @sec-bench-marginals and @sec-bench-precision (fitted marginals, bfloat16 '
            'where the CPU has AMX), DPM-Solver++(2M) with 20 or 25 stochastic steps replaces 50 DDPM steps only '
            'under the rule above, on new fits of the same three tables with the same seeds '
            '(`results/bench/sampler_now/`), and only if its sample of 100,000 rows then takes at most '
            f'{SPEED_TARGET_S:.0f} s on 2 cores')


def load_speed(root: Path | None = None, name: str = 'speed.csv') -> pd.DataFrame | None:
    "`sampler/<name>`: seconds to sample rows with each sampler setting (benchmarks/sampler_speed.py)."
    path = bench_dir(root) / 'sampler' / name
    return pd.read_csv(path) if path.exists() else None


def _speed_label(r) -> str:
    "'ddpm at 50 steps', with ' in bfloat16' where the run recorded a precision other than float32."
    prec = getattr(r, 'precision', 'float32')
    return f"{r.sampler} at {r.n_sample_steps} steps" + ('' if prec in ('float32', None) or prec != prec else
                                                        f' in {prec}')


def speed_text(sp: pd.DataFrame, target_s: float = SPEED_TARGET_S) -> str:
    "One sentence per setting: seconds for n rows, against the target."
    parts = [f"{_speed_label(r)} {r.seconds:.1f} s" for r in sp.itertuples()]
    r0 = sp.iloc[0]
    ok = sp[sp.seconds <= target_s]
    return (f"Sampling {int(r0.n):,} rows from one diamonds model with `n_jobs={int(r0.n_jobs)}` "
            f"(`results/bench/sampler/speed.csv`, load average {sp.load_average.max():.1f} at most): "
            + '; '.join(parts) + '. ' +
            (f"Within the target of {target_s:.0f} s: " + ', '.join(_speed_label(r) for r in ok.itertuples()) + '.'
             if len(ok) else f"No setting is within the target of {target_s:.0f} s."))


def now_consequence(df: pd.DataFrame, speed: pd.DataFrame | None, tol: float = TOLERANCE) -> str:
    "What `NOW_RULE` decides: the picked setting only if its 100,000 rows in bfloat16 took at most the target."
    pick = chosen(df, tol)
    if pick is None: return 'The default therefore stays at 50 DDPM steps.'
    label, sampler = config_label(*pick), SAMPLER_NAMES[pick[1]]
    if speed is None: return f'{label} passes the rule; its speed has not been measured yet.'
    hit = speed[(speed.sampler == sampler) & (speed.n_sample_steps == pick[0])
                & (speed.get('precision', pd.Series('float32', index=speed.index)) == 'bfloat16')]
    if hit.empty: return f'{label} passes the rule; its speed in bfloat16 has not been measured yet.'
    secs = hit.seconds.iloc[0]
    if secs > SPEED_TARGET_S:
        return (f'{label} passes the rule, but its {int(hit.n.iloc[0]):,} rows took {secs:.1f} s, more than '
                f'{SPEED_TARGET_S:.0f} s: the default stays at 50 DDPM steps.')
    return (f'{label} passes the rule and draws {int(hit.n.iloc[0]):,} rows in {secs:.1f} s: it becomes the '
            f"default (`sampler='{sampler}'`, `n_sample_steps={pick[0]}`).")


def dcr_change(df: pd.DataFrame, setting: tuple) -> str:
    "The mean DCR share of the previous default's first samples → `setting`'s, per dataset of a sampler run."
    first = df[df.sample_offset == 0]
    old = first[(first.n_sample_steps == OLD[0]) & (first.order == OLD[1])].groupby('dataset', sort=False).dcr_share
    new = first[(first.n_sample_steps == setting[0]) & (first.order == setting[1]) & (first.eta == setting[2])]
    new = new.groupby('dataset', sort=False).dcr_share.mean()
    return ', '.join(f'{d} {o:.3f} → {new[d]:.3f}' for d, o in old.mean().items() if d in new)


NEW = (20, 2, 1.0)  # the setting NOW_RULE chose
CONFIRM_RULE = ('on new fits of the same three tables (model seeds 3, 4 and 5), pooled with the first run\'s fits '
                '(six a table), 20 DPM-Solver++(2M) steps stay the default only if they still pass the sampler rule '
                'and their DCR share is on no table higher than that of 50 DDPM steps by significantly more than '
                f'{TOLERANCE} (one-sided 95%); otherwise the default returns to 50 DDPM steps, whose test-bench rows '
                'are those of `results/bench/before_sampler/`')


def _dcr_rise(df: pd.DataFrame, setting: tuple = NEW) -> pd.DataFrame:
    "Per dataset: the mean rise of the DCR share from 50 DDPM steps to `setting` (paired by fit), its se and n."
    d = _with_key(df[df.sample_offset == 0])
    old = d[d.key == OLD].set_index(['dataset', 'model_seed']).dcr_share
    new = d[d.key == setting].set_index(['dataset', 'model_seed']).dcr_share
    rise = (new - old).dropna().groupby(level='dataset', sort=False)
    return pd.DataFrame(dict(rise=rise.mean(), se=rise.std() / np.sqrt(rise.size()), n=rise.size()))


def confirm_check(first: pd.DataFrame, confirm: pd.DataFrame, tol: float = TOLERANCE) -> tuple:
    "(the evidence as text, whether `CONFIRM_RULE` keeps the 20-step sampler), on the two runs pooled."
    pooled = pd.concat([first, confirm], ignore_index=True)
    per = paired_losses(pooled, by_dataset=True)
    per = per[per.key == NEW]
    worse = per[_significant(per.loss, per.se, per.n, tol)]
    dcr = _dcr_rise(pooled)
    high = dcr[_significant(dcr.rise, dcr.se, dcr.n, tol)]
    n = pooled[pooled.sample_offset == 0].groupby(['dataset', 'model_seed']).ngroups
    losses = ', '.join(f'{r.dataset} {r.score} ({r.loss:+.3f} ± {r.se:.3f})' for r in worse.itertuples())
    text = (f'Pooled over {n} fits of {pooled.dataset.nunique()} tables, paired losses of {config_label(*NEW)} '
            f'against 50 DDPM steps (positive = worse): {_loss_text(paired_losses(pooled), NEW)}. '
            + (f'Significantly above {tol} on {losses}. ' if len(worse) else
               'No loss is significantly above the tolerance on any table. ')
            + 'DCR share, paired rise: ' + ', '.join(f'{d} {r.rise:+.3f} ± {r.se:.3f}' for d, r in dcr.iterrows())
            + (f"; significantly above {tol} on {', '.join(high.index)}. " if len(high) else '. '))
    ok = worse.empty and high.empty
    return text + ('The 20-step sampler **stays** the default.' if ok else
                   'It does **not** meet the rule: the default returns to 50 DDPM steps.'), ok


def worst_pair(first: pd.DataFrame, confirm: pd.DataFrame, setting: tuple = NEW) -> str:
    "The fit with the largest paired RF loss of `setting` against 50 DDPM steps, with both ratios and its fit time."
    d = _with_key(pd.concat([first, confirm], ignore_index=True))
    d = d[d.sample_offset == 0].set_index(['dataset', 'model_seed'])
    old, new = d[d.key == OLD], d[d.key == setting]
    loss = (old.tstr_ratio_rf - new.tstr_ratio_rf).dropna()
    (ds, seed), fit_s = loss.idxmax(), old.loc[loss.idxmax(), 'fit_s']
    return (f'The largest paired RF loss is on {ds}, model seed {seed}: {old.loc[(ds, seed), "tstr_ratio_rf"]:.3f} '
            f'→ {new.loc[(ds, seed), "tstr_ratio_rf"]:.3f}, a fit of {fit_s:.0f} s '
            f'(the median fit of that table took {old.loc[ds, "fit_s"].median():.0f} s).')


CAP_TABLES = ('diamonds', 'abalone', 'pima', 'california', 'adult')
CAP_SETTINGS = ((20, 2, 1.0), (30, 2, 1.0), (25, 1, 1.0), (30, 1, 1.0))  # candidates against 50 DDPM steps
CAP_RULE = (f'on new fits (model seeds 6, 7 and 8) of {", ".join(CAP_TABLES[:-1])} and {CAP_TABLES[-1]}, each of the '
            'settings ' + '; '.join(config_label(*k) for k in CAP_SETTINGS)
            + ' is paired with 50 DDPM steps on the same fit; among the settings that pass the sampler rule (no '
            f'quality loss significantly above {TOLERANCE} on any table) and draw 100,000 rows in at most '
            f'{SPEED_TARGET_S:.0f} s in bfloat16 on two cores, the default becomes the one with the smallest mean '
            'TSTR loss (RF and GB) over all fits; if none passes, the default stays as it is')


def load_speed_more(root: Path | None = None) -> pd.DataFrame | None:
    "`sampler/speed_more.csv`: the timings of the `CAP_RULE` candidates (`benchmarks/sampler_speed.py --out`)."
    return load_speed(root, 'speed_more.csv')


def _seconds(speed: pd.DataFrame, key: tuple) -> float:
    "Seconds for 100,000 rows in bfloat16 of the setting `key` (NaN when it was not timed)."
    name = SAMPLER_NAMES[key[1]]
    hit = speed[(speed.sampler == name) & (speed.n_sample_steps == key[0]) & (speed.precision == 'bfloat16')]
    return float(hit.seconds.min()) if len(hit) else float('nan')


def cap_choice(df: pd.DataFrame, speed: pd.DataFrame, tol: float = TOLERANCE) -> tuple:
    "(the evidence as text, the setting `CAP_RULE` picks or None when none qualifies)."
    per = paired_losses(df, by_dataset=True)
    ok = passes(per, tol)
    bad = per[_significant(per.loss, per.se, per.n, tol)]
    why = {k: ', '.join(f'{r.dataset} {r.score} {r.loss:+.3f}' for r in g.itertuples()) for k, g in bad.groupby('key')}
    pooled = paired_losses(df)
    tstr = pooled[pooled.score.isin(['tstr_ratio_rf', 'tstr_ratio_gb'])].groupby('key', sort=False).loss.mean()
    rows = []
    for key in CAP_SETTINGS:
        secs = _seconds(speed, key)
        fits = bool(ok.get(key, False)) and secs <= SPEED_TARGET_S
        rows.append((key, tstr.get(key, float('nan')), secs, bool(ok.get(key, False)), fits))
    good = [r for r in rows if r[4]]
    pick = min(good, key=lambda r: r[1])[0] if good else None
    text = ('TSTR loss against 50 DDPM steps (mean of RF and GB, positive = worse), and seconds for 100,000 rows: '
            + '; '.join(f'{config_label(*k)} {t:+.3f}, {s:.1f} s'
                        + ('' if p else f' (fails the sampler rule: {why.get(k, "")})')
                        + ('' if s <= SPEED_TARGET_S else ', too slow')
                        for k, t, s, p, _ in rows) + '. ')
    if pick is None: return text + 'No setting qualifies: the default stays as it is.', None
    return text + (f'{config_label(*pick)} has the smallest loss among those that qualify'
                   + (': the default stays.' if pick == NEW else ' and becomes the default.')), pick


def speed_noise_text(speed: pd.DataFrame, earlier: pd.DataFrame | None) -> str:
    """How noisy the timings are: settings of one sampler where fewer steps took longer, and the settings timed in both
    `earlier` (`sampler/speed.csv`) and `speed`, in bfloat16."""
    bf = speed[speed.precision == 'bfloat16'].sort_values(['sampler', 'n_sample_steps'])
    odd = [f'{s} at {a.n_sample_steps} steps took {a.seconds:.1f} s and at {b.n_sample_steps} steps {b.seconds:.1f} s'
           for s, g in bf.groupby('sampler') for a, b in zip(g.itertuples(), g.iloc[1:].itertuples())
           if a.seconds >= b.seconds]
    text = ('The timings are noisy: ' + '; '.join(odd) + '. ') if odd else ''
    if earlier is not None:
        both = earlier[earlier.precision == 'bfloat16'].merge(bf, on=['sampler', 'n_sample_steps'], suffixes=('_a', ''))
        if len(both):
            text += ('The settings also timed in the earlier run (`sampler/speed.csv`): ' + '; '.join(
                f'{r.sampler} at {r.n_sample_steps} steps {r.seconds_a:.1f} s then, {r.seconds:.1f} s now'
                for r in both.itertuples()) + '. ')
    return text


def other_machine_speed(root: Path | None = None, names=('speed_amd.csv', 'speed_amd_bf16.csv')) -> str:
    """The default sampler's timings on another machine (`sampler/<name>` files of `benchmarks/sampler_speed.py`),
    against the target; '' when none was recorded."""
    runs = [r for r in (load_speed(root, n) for n in names) if r is not None]
    if not runs: return ''
    sp = pd.concat(runs, ignore_index=True)
    cpu = sp.cpu.iloc[0] if 'cpu' in sp else 'another machine'
    parts = [f'{_speed_label(r)} {r.seconds:.1f} s' for r in sp.itertuples()]
    few = sp[sp.n_sample_steps == sp.n_sample_steps.min()]
    fast = few[few.seconds <= SPEED_TARGET_S]
    head = (f'On the machine of the last test bench ({cpu}, {int(sp.n_jobs.iloc[0])} processes, '
            f'{int(sp.n.iloc[0]):,} rows): {"; ".join(parts)}. ')
    if fast.empty:
        return head + (f'The speed target of {SPEED_TARGET_S:.0f} s, met on the machine with AMX, is not met there: '
                       'the target holds for one kind of CPU only.')
    slow = sorted(set(few.precision) - set(fast.precision))
    return head + (f'The speed target of {SPEED_TARGET_S:.0f} s is met there in {", ".join(sorted(set(fast.precision)))}'
                   + (f', not in {", ".join(slow)}.' if slow else '.'))
