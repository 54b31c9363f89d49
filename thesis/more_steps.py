"""More reverse steps than the default's 50, on validation rows: `results/bench/sampler_more/`.

Each `part*` is one run of `benchmarks/sampler_choice.py`: one default fit per dataset and model seed, sampled with
50 (the default), 100, 200 and 1,000 DDPM steps and once more with 50 (a second sample seed, the A/A pair). The
paired losses are those of the sampler study (`sampler.py`): the default's score minus the setting's, detection AUC
reversed, positive = worse."""

from pathlib import Path
import numpy as np
import pandas as pd
from scipy import stats
import benchmark as bm
import sampler as smp

__all__ = ['RULE', 'load_more', 'more_table', 'more_verdict', 'more_pick', 'steps_text']

RULE = (f'more steps become the default only if, paired by fit and sample seed, the detection AUC over all tables is '
        f'lower than with {smp.OLD[0]} steps (one-sided 95%), no quality score is worse by significantly more than '
        f'{smp.TOLERANCE} on any table, and the mean DCR share stays within {bm.DCR_LIMIT:.2f} on every table; if '
        f'several numbers of steps qualify, the fewest, as sampling time grows with the steps')


def load_more(root: Path | None = None) -> pd.DataFrame | None:
    "The runs' samples (`sampler_more/part*/sampler.csv`); None when there is none."
    return smp.load_sampler(root, 'sampler_more')


def steps_text(df: pd.DataFrame | None) -> str:
    "The numbers of steps sampled, as prose: '50, 100, 200 and 1,000' ('–' when there is no run)."
    if df is None: return '–'
    steps = [f'{int(s):,}' for s in sorted(df.n_sample_steps.unique())]
    return ', '.join(steps[:-1]) + ' and ' + steps[-1] if len(steps) > 1 else ''.join(steps)


def more_table(df: pd.DataFrame) -> pd.DataFrame:
    "Per dataset and setting: mean ± sd of the scores over fits and samples, and the mean sampling seconds."
    parts = []
    for ds in dict.fromkeys(df.dataset):
        t = smp.sampler_table(df, ds)
        secs = smp._with_key(df[df.dataset == ds]).groupby('key', sort=False).sample_s.mean()
        t.insert(0, 'dataset', ds)
        t['sample (s)'] = [f'{v:.2f}' for v in secs]
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


def _checks(df: pd.DataFrame) -> pd.DataFrame:
    "Per setting other than the default: detection better pooled, no significant loss per table, DCR within."
    pooled, per = smp.paired_losses(df), smp.paired_losses(df, by_dataset=True)
    det = pooled[pooled.score == 'detection_auc'].set_index('key')
    better = (det.loss + stats.t.ppf(0.95, np.maximum(det.n - 1, 1)) * det.se < 0)
    d = smp._with_key(df)
    dcr = d.groupby(['key', 'dataset']).dcr_share.mean().le(bm.DCR_LIMIT).groupby(level='key').all()
    out = pd.DataFrame(dict(detection_better=better, no_loss=smp.passes(per)))
    out['dcr_within'] = dcr.reindex(out.index)
    out['detection_gain'] = -det.loss
    out['detection_se'] = det.se
    return out[[k[2] == 1.0 and k[1] == 1 for k in out.index]]


def more_pick(df: pd.DataFrame):
    "The fewest steps that meet the rule, or None."
    c = _checks(df)
    ok = [k for k, r in c.iterrows() if r.detection_better and r.no_loss and r.dcr_within and k[0] > smp.OLD[0]]
    return min(ok) if ok else None


def more_verdict(df: pd.DataFrame) -> str:
    "Per setting: the pooled detection gain, whether any table loses, the DCR share; then the rule's pick."
    p, c = smp.paired_losses(df), _checks(df)
    lines = []
    for key, r in c.iterrows():
        if key[0] <= smp.OLD[0]: continue
        lines.append(f'- {smp.config_label(*key)} ({int(p[p.key == key].n.iloc[0])} pairs): '
                     f'{smp._loss_text(p, key)}; detection ' + ('lower' if r.detection_better else 'not lower')
                     + ' over all tables; ' + ('no table loses beyond the tolerance' if r.no_loss else
                                               'a table loses beyond the tolerance')
                     + ('' if r.dcr_within else f'; mean DCR share above {bm.DCR_LIMIT:.2f} on a table') + '.')
    pick = more_pick(df)
    lines += ['', f'It picks **{smp.config_label(*pick)}**.' if pick else
              'No number of steps meets the rule; the default stays at 50 DDPM steps.']
    return '\n'.join(lines)
