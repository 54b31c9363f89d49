"""The numbers that the chapters' prose quotes, computed when the thesis is rendered; none is typed here.

Configuration values come from the library (its defaults and constants), recorded facts from the results store.
A chapter reads them with Quarto's inline code, `` `{python} fact.smogn_rows` ``, after `fact = facts(...)`. A
value whose results file is absent reads `MISSING`, as a table of a benchmark that was not run says so."""

import inspect
import json
import math
import re
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from reading import results_dir
from stats import LEVEL

__all__ = ['MISSING', 'Facts', 'num', 'pct', 'default', 'thresholds', 'both', 'library_targets',
           'reference_protocol', 'denoiser_cost', 'facts']

MISSING = '–'
PREVIOUS_SPEC = 'tabdiffusion:privacy_check=None,target_model=None'  # the previous default on validation rows


class Facts(SimpleNamespace):
    "The computed values; a name that no group filled (its results file is absent) reads `MISSING`."
    def __getattr__(self, name):
        if name.startswith('__'): raise AttributeError(name)
        return MISSING


def num(v, digits: int | None = None) -> str:
    "A number as the prose writes it: '32,768', '0.98', '400' for 400.0, `digits` decimals if given, '−4'."
    if digits is not None: s = f'{v:,.{digits}f}'
    elif float(v).is_integer(): s = f'{int(v):,}'
    else: s = f'{v:,}'
    return s.replace('-', '−')


def pct(share: float) -> str:
    "A share as a whole percentage: 0.2 → '20%'."
    return f'{share:.0%}'


def default(func, name: str):
    "The default of parameter `name` of `func` (a function or a class, whose `__init__` is read)."
    return inspect.signature(func).parameters[name].default


def thresholds(names) -> dict:
    "Target names ('tstr_ratio_rf >= 0.98', 'fit_s + sample_s <= 100 (diamonds)') → {left side: threshold}."
    out = {}
    for name in names:
        m = re.match(r'^(.+?) (?:>=|<=|==|<|>) (\d[\d,]*(?:\.\d+)?)(?:\s|$)', str(name))
        if m: out.setdefault(m.group(1), m.group(2))
    return out


def both(rf: str, gb: str) -> str:
    "One threshold for the RF and the GB ratio: '0.98', or '0.98 (RF) and 0.97 (GB)' where they differ."
    return rf if rf == gb else f'{rf} (RF) and {gb} (GB)'


def library_targets() -> dict:
    "The thresholds of the library's `check_targets`, read from the names it gives its targets."
    from tabdiffusion.targets import check_targets
    probe = pd.DataFrame([dict(dataset='diamonds', generator='tabdiffusion', tstr_ratio_rf=1.0)])
    return thresholds(check_targets(probe)['target'])


def reference_protocol(source: str) -> dict:
    "The rows and split that a reference point's `source` names ('diamonds 10000 rows; 80/20 split')."
    rows = re.search(r'(\d[\d,]*) rows', source)
    split = re.search(r'(\d+)/(\d+) split', source)
    if not rows or not split: return {}
    n, train = int(rows.group(1).replace(',', '')), int(split.group(1))
    return dict(ref_rows=num(n), ref_split=f'{split.group(1)}/{split.group(2)}', ref_train=num(n * train // 100))


def denoiser_cost(dataset: str) -> dict:
    "The model columns of the default denoiser on `dataset` and its MFLOP per row and reverse step."
    from tabdiffusion import TabDiffusion, load_dataset
    from tabdiffusion.data import TabularTransformer, infer_schema
    from tabdiffusion.hybrid import HybridDiffusion
    df = load_dataset(dataset, seed=0).df
    t = TabularTransformer(infer_schema(df)).fit(df)
    d_in = HybridDiffusion(t.n_num, t.n_classes).d_in
    width, depth = default(TabDiffusion, 'width'), default(TabDiffusion, 'depth')
    mflop = 2 * (2 * d_in * width + depth * width * width) / 1e6  # input, hidden and output layers; 2 per MAC
    return dict(model_columns=num(d_in), width=num(width), depth=num(depth), mflop=num(mflop, 1))


def _stats(root: Path) -> dict:
    "The confidence level of the thesis's intervals, and the t quantile that gives it."
    return dict(ci_level=num(round(LEVEL * 100, 6)), ci_quantile=num(round(0.5 + LEVEL / 2, 6)))


def _library(root: Path) -> dict:
    "Defaults and constants of the library that the prose describes."
    from tabdiffusion import TabDiffusion, data, holdback, hybrid, schedules, synthesizer, target, targets, train
    from tabdiffusion.datasets import make_splits
    from tabdiffusion.deep_baselines import CTGANGenerator, TVAEGenerator
    test, share = default(make_splits, 'test_size'), default(TabDiffusion, 'check_fraction')
    ct, tv = default(CTGANGenerator, 'epochs'), default(TVAEGenerator, 'epochs')
    big = 10 ** 6  # a long run, so that the first check's epoch is the exact fraction of the run
    first = min(train._check_epochs(big, 2)) + 1
    goal = library_targets()
    return dict(
        test_share=pct(test), train_share=pct((1 - test) / 2),
        target_tstr=both(goal['tstr_ratio_rf'], goal['tstr_ratio_gb']), target_detection=goal['detection_auc'],
        target_shapes=goal['column_shapes'], target_trends=goal['column_pair_trends'],
        target_dcr=goal['dcr_share'], target_seconds=goal['fit_s + sample_s'],
        peer_max_dcr=num(targets._PEER_MAX_DCR), small_rows=num(targets._SMALL_ROWS),
        peer_epochs=num(ct) if ct == tv else f'{num(ct)} and {num(tv)}',
        sample_chunk=num(synthesizer._SAMPLE_CHUNK), chunk_rows=num(default(TabDiffusion, 'chunk_rows')),
        sample_steps=num(default(TabDiffusion, 'n_sample_steps')),
        sampler=f"'{default(TabDiffusion, 'sampler')}'",
        fit_sampler=f"'{synthesizer._FIT_SAMPLER}'", check_steps=num(synthesizer._CHECK_STEPS),
        fit_steps=num(synthesizer._FIT_STEPS),
        timesteps=num(default(TabDiffusion, 'timesteps')),
        min_log_snr=num(default(hybrid._sampling_timesteps, 'min_log_snr')),
        snap_values=num(data._MAX_SNAP_VALUES),
        max_decimals=num(data._MAX_DECIMALS),
        marginals=f"'{default(TabDiffusion, 'marginals')}'",
        category_counts=f"'{default(TabDiffusion, 'category_counts')}'",
        correlations=f"'{default(TabDiffusion, 'correlations')}'",
        sample_precision=f"'{default(TabDiffusion, 'sample_precision')}'",
        train_precision=f"'{default(TabDiffusion, 'train_precision')}'",
        target_weight=f"{default(TabDiffusion, 'target_weight'):g}",
        lognormal_mean=num(default(schedules.lognormal_step_probs, 'mean'), 1),
        lognormal_std=num(default(schedules.lognormal_step_probs, 'std'), 1),
        check_share=pct(share), check_max_rows=num(default(holdback.holdback_rows, 'max_rows')),
        n_checks=num(train.TrainConfig.n_checks), check_start=str(Fraction(first, big)),
        check_samples=num(default(holdback.privacy_monitor, 'n_samples')),
        check_limit=num(default(TabDiffusion, 'privacy_check')),
        check_patience=num(train.TrainConfig.check_patience),
        min_check_rows=num(holdback.MIN_CHECK_ROWS), min_check_held=num(holdback.MIN_CHECK_ROWS * share),
        min_cap=num(holdback._MIN_CAP), cap_per_row=num(holdback._CAP_PER_ROW),
        n_folds=num(default(holdback.fold_check, 'k')), min_fold_rows=num(holdback.MIN_FOLD_ROWS),
        target_steps=num(default(holdback.auto_epochs, 'target_steps')), checked_cap=num(holdback._CHECKED_CAP),
        leaf_rows=num(target._hgb('regression', np.zeros(1_000), 0).min_samples_leaf))


def _json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def _csv(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.exists() else None


def _configs(doc: dict) -> list:
    "The run configurations of a `bench.json`: its own, or those of the runs it merges."
    if 'config' in doc: return [doc['config']]
    return [s['config'] for s in doc.get('sources', {}).values() if s.get('found') and 'config' in s]


def _options(specs) -> list:
    "The options of each generator spec: 'tabdiffusion:max_epochs=400' → {'max_epochs': 400}."
    from tabdiffusion.bench import parse_spec
    return [parse_spec(s)[1] for s in specs]


def _bench(root: Path) -> dict:
    "The configuration of the benchmark whose tables the benchmark chapter shows."
    doc, out = _json(root / 'bench.json'), {}
    configs = _configs(doc)
    if configs:
        smogn = [c for c in configs if 'smogn' in c.get('generators', [])] or configs
        out.update(bench_seed=num(configs[0]['seed']), smogn_rows=num(smogn[0]['smogn_max_rows']))
    if 'diamonds' in doc.get('datasets', {}): out['diamonds_train'] = num(doc['datasets']['diamonds']['n_train'])
    return out


def _previous(root: Path) -> dict:
    "The previous default's targets, training length and split, from its own run in `previous/`."
    out = {}
    found = _csv(root / 'previous' / 'targets.csv')
    goal = {} if found is None else thresholds(found['target'])
    if 'tstr_ratio_rf' in goal and 'tstr_ratio_gb' in goal:
        out['prev_target_tstr'] = both(goal['tstr_ratio_rf'], goal['tstr_ratio_gb'])
    for key, name in (('shapes', 'column_shapes'), ('trends', 'column_pair_trends'),
                      ('seconds', 'fit_s + sample_s')):
        if name in goal: out[f'prev_target_{key}'] = goal[name]
    bench, configs = _csv(root / 'previous' / 'bench.csv'), _configs(_json(root / 'previous' / 'bench.json'))
    if configs: out['prev_seed'] = num(configs[0]['seed'])
    if bench is None: return out
    ours = bench[bench.generator == 'tabdiffusion'].set_index('dataset')
    d = ours.loc['diamonds']
    batch = json.loads(d.params)['batch_size']
    steps = d.epochs * math.ceil(d.n_fit / batch)
    out.update(prev_batch=num(batch), prev_train=num(d.n_fit), prev_passes=num(d.epochs), prev_steps=num(steps),
               prev_smallest_passes=num(ours.sort_values('n_fit').epochs.iloc[0]))
    tuning = _csv(root / 'tuning' / 'bench.csv')
    if tuning is not None:
        more = _csv(root / 'tuning2' / 'bench.csv')
        specs = list(tuning.generator) + ([] if more is None else list(more.generator))
        ema = json.loads(tuning[tuning.generator == 'tabdiffusion'].params.iloc[0])['ema_decay']
        opts = _options(specs)
        others = [o['ema_decay'] for o in opts if o.get('ema_decay', ema) != ema]
        longer = [o['epochs'] for o in opts if set(o) == {'epochs'}]  # the variant that only trains longer
        out.update(ema_default=num(ema), ema_long=num(max(others)), ema_short=num(min(others)),
                   ema_warmup=num((1 + steps) / (10 + steps), 4), longer_factor=num(longer[0] / d.epochs, 1))
    return out


def _sweeps(root: Path) -> dict:
    """Caps of the training-length runs, rows and target of the sampling runs, the scaling runs' tables, and
    the reference points' protocol."""
    out = {}
    epochs = _configs(_json(root / 'epochs' / 'bench.json'))
    if epochs: out['old_cap'] = num(max(o['max_epochs'] for o in _options(epochs[0]['generators'])))
    seeds = _csv(root / 'sample_seeds_abalone.csv')
    if seeds is not None:
        out['first_cap'] = num(min(o['max_epochs'] for o in _options(seeds.generator.unique()) if o))
    from benchmark import SPEED_TARGET_S
    out['speed_target'] = num(SPEED_TARGET_S)
    steps = _csv(root / 'sample_steps_diamonds.csv')
    if steps is not None: out['steps_rows'] = num(steps.n_big.iloc[0])
    scaling = _csv(root / 'scaling.csv')
    if scaling is not None:
        out.update(scale_cols=num(scaling[scaling.curve == 'rows'].cols.iloc[0]),
                   scale_rows=num(scaling[scaling.curve == 'cols'].rows.iloc[0]))
    ref = _csv(root / 'reference_points.csv')
    if ref is not None: out.update(reference_protocol(str(ref.source.iloc[0])))
    return out


def _validation(root: Path) -> dict:
    "The table on which the previous default copied most: its mean DCR share on validation rows."
    from benchmark import load_validation
    val = load_validation(root.parent)
    if val is None: return {}
    prev = val[val.spec == PREVIOUS_SPEC].groupby('dataset').dcr_share.mean()
    return dict(copied_table=prev.idxmax(), copied_dcr=num(prev.max(), 3)) if len(prev) else {}


GROUPS = dict(stats=_stats, library=_library, bench=_bench, previous=_previous, sweeps=_sweeps,
              validation=_validation)


def facts(*groups: str,  # names in `GROUPS` (default: all)
          root: Path | None = None,  # results store; default `results_dir()`
          model_of: str | None = None,  # also the default denoiser's size and cost on this dataset
          ) -> Facts:
    "The values of `groups` as one namespace of strings, formatted as the prose prints them."
    bench = Path(root or results_dir()) / 'bench'
    out = {}
    for g in groups or GROUPS: out.update(GROUPS[g](bench))
    if model_of: out.update(denoiser_cost(model_of))
    return Facts(**out)
