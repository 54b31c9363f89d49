"The privacy chapter's DP benchmark section: loader, intervals, verdicts, budget and cost checks, figure."

import importlib.util
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

THESIS = Path(__file__).resolve().parents[1] / 'thesis'
sys.path.insert(0, str(THESIS))

import dp  # noqa: E402
import dp_text  # noqa: E402
import stats  # noqa: E402

OURS_PARAMS = json.dumps(dict(batch_size=1024, epochs=40, width=128, depth=2))
SPEC = 'tabdiffusion:batch_size=1024,epochs=40,width=128,depth=2,lr=0.003'


def rows(scores: dict, dataset: str = 'diamonds', n_fit: int = 1200, spent: dict | None = None) -> pd.DataFrame:
    "dp.csv rows from {(generator, epsilon): {metric: [one value per seed]}}; ε spent = target unless in `spent`."
    out = []
    for (gen, eps), metrics in scores.items():
        n = len(next(iter(metrics.values())))
        for seed in range(n):
            row = dict(dataset=dataset, generator=gen, epsilon=float(eps), seed=seed, split='test', n_fit=n_fit,
                       delta=1 / (10 * n_fit), delta_spent=1 / (10 * n_fit), fit_s=10.0 + seed,
                       epsilon_spent=(spent or {}).get(gen, 1.0) * eps, accounting=f'{gen} accountant',
                       params=OURS_PARAMS if gen == 'tabdiffusion' else '{}', dcr_share=0.5,
                       tstr_ratio_rf=0.5, column_shapes=0.8, column_pair_trends=0.7)
            row.update({m: v[seed] for m, v in metrics.items()})
            out.append(row)
    return pd.DataFrame(out)


def write_run(root: Path, kind: str, df: pd.DataFrame, meta: dict | None = None) -> Path:
    folder = root / 'bench' / 'dp' / kind
    folder.mkdir(parents=True, exist_ok=True)
    df.to_csv(folder / 'dp.csv', index=False)
    if meta is not None: (folder / 'dp.json').write_text(json.dumps(meta))
    return folder


def recipe_frame(dp_fit: float = 53.0, nodp_fit: float = 345.0) -> pd.DataFrame:
    return pd.DataFrame([
        dict(dataset='diamonds', seed=0, recipe='nodp-default', spec='tabdiffusion', dp=False, n_fit=3000,
             epsilon=None, epsilon_spent=None, batch_size=256, width=256, depth=3, epochs_run=667,
             noise_multiplier=None, fit_s=nodp_fit, fit_s_extrapolated=None, tstr_ratio_rf=0.98,
             column_shapes=0.97, dcr_share=0.52),
        dict(dataset='diamonds', seed=0, recipe='dp-default-probe', spec='tabdiffusion:epochs=3', dp=True,
             n_fit=3000, epsilon=1.0, epsilon_spent=0.99, batch_size=256, width=256, depth=3, epochs_run=3,
             noise_multiplier=2.3, fit_s=22.0, fit_s_extrapolated=10 * nodp_fit, tstr_ratio_rf=-1.5,
             column_shapes=0.58, dcr_share=0.19),
        dict(dataset='diamonds', seed=0, recipe='dp-b1024-e40-w128', spec=SPEC, dp=True, n_fit=3000, epsilon=1.0,
             epsilon_spent=0.9998, batch_size=1024, width=128, depth=2, epochs_run=40, noise_multiplier=13.9,
             fit_s=dp_fit, fit_s_extrapolated=None, tstr_ratio_rf=-1.0, column_shapes=0.60, dcr_share=0.21),
        dict(dataset='diamonds', seed=0, recipe='dp-b1024-e40-w128-dataquantiles', spec=SPEC, dp=True,
             n_fit=3000, epsilon=1.0, epsilon_spent=0.9998, batch_size=1024, width=128, depth=2, epochs_run=40,
             noise_multiplier=13.9, fit_s=49.0, fit_s_extrapolated=None, tstr_ratio_rf=-0.99, column_shapes=0.66,
             dcr_share=0.50)])


def test_loader_prefers_grid_and_falls_back_to_smoke(tmp_path):
    "No run: None. Smoke only (or an empty grid): the smoke run, flagged and named as such. Grid rows: the grid."
    assert dp.load_dp(tmp_path) is None
    smoke = rows({('tabdiffusion', 1): {'tstr_ratio_rf': [-3.0]}, ('aim', 1): {'tstr_ratio_rf': [0.05]}},
                 n_fit=800)
    write_run(tmp_path, 'smoke', smoke, {'commit': 'abcdef1234', 'uncommitted': False,
                                         'config': {'ours': SPEC, 'dpctgan_epochs': 300}})
    (tmp_path / 'bench' / 'dp' / 'grid').mkdir()
    pd.DataFrame(columns=smoke.columns).to_csv(tmp_path / 'bench' / 'dp' / 'grid' / 'dp.csv', index=False)
    run = dp.load_dp(tmp_path)
    assert run.kind == 'smoke' and run.smoke and len(run.df) == 2
    text = dp_text.run_markdown(run)
    assert 'results/bench/dp/smoke/' in text and 'This is a smoke run, not the benchmark' in text
    assert 'commit abcdef1' in text and '1 seed (0)' in text and '800 training rows' in text
    write_run(tmp_path, 'grid', rows({('aim', 1): {'tstr_ratio_rf': [0.4, 0.5, 0.6]}}))  # no dp.json yet
    run = dp.load_dp(tmp_path)
    assert run.kind == 'grid' and not run.smoke and run.meta == {}
    text = dp_text.run_markdown(run)
    assert 'results/bench/dp/grid/' in text and 'has not finished' in text and 'smoke' not in text
    assert '3 seeds (0, 1 and 2)' in text


def test_failed_runs_are_left_out_and_named(tmp_path):
    df = rows({('aim', 1): {'tstr_ratio_rf': [0.4, 0.5]}}).assign(error=[None, 'RuntimeError: aim failed'])
    assert len(dp.scored(df)) == 1
    write_run(tmp_path, 'grid', df)
    text = dp_text.run_markdown(dp.load_dp(tmp_path))
    assert '1 runs are scored' in text and '1 failed and are left out' in text and 'aim failed' in text


def test_metric_table_shows_t_intervals():
    "Each cell is the mean and the 95 % t-interval over seeds; with one seed everywhere, the mean alone."
    vals = [0.40, 0.45, 0.53]
    df = rows({('aim', 1): {'column_shapes': vals}, ('aim', 3): {'column_shapes': [0.9, 0.91, 0.92]},
               ('tabdiffusion', 1): {'column_shapes': [0.6, 0.61, 0.59]}})
    tab = dp_text.metric_table(df, 'column_shapes')
    assert list(tab.columns) == ['dataset', 'generator', 'ε = 1', 'ε = 3']
    assert list(tab['generator']) == ['ours', 'AIM'] and list(tab['dataset']) == ['diamonds', '']
    half = st.t.ppf(0.975, 2) * np.std(vals, ddof=1) / math.sqrt(3)
    m = np.mean(vals)
    assert tab.loc[1, 'ε = 1'] == f'{m:.3f} [{m - half:.3f}, {m + half:.3f}]'
    assert tab.loc[0, 'ε = 3'] == '–'  # ours did not run at ε = 3
    one = rows({('aim', 1): {'fit_s': [39.04]}, ('mst', 1): {'fit_s': [27.6]}})
    tab = dp_text.metric_table(one, 'fit_s')
    assert list(tab['ε = 1']) == ['39.0', '27.6']
    md = dp_text.metric_markdown(dp.DPRun(one, {}, 'smoke', Path('.')), 'fit_s')
    assert 'one seed, so no interval' in md and 'a smoke run' in md


@pytest.mark.filterwarnings('ignore:Precision loss')  # a constant paired difference: the t-test's sd is ~0
def test_best_in_cell_pairs_by_seed():
    "A difference that is constant over seeds is significant when paired, though the per-seed spread is wide."
    base = np.array([0.2, 0.6, 0.9])
    g = rows({('aim', 1): {'tstr_ratio_rf': list(base + 0.1)}, ('mst', 1): {'tstr_ratio_rf': list(base + 0.09)},
              ('tabdiffusion', 1): {'tstr_ratio_rf': list(base)}})
    g.loc[g.generator == 'mst', 'tstr_ratio_rf'] += [0.05, -0.05, 0.0]  # MST: noisy, not distinguishable
    v = dp.best_in_cell(g, 'tstr_ratio_rf')
    assert v['best'] == 'aim' and v['tested'] and v['tied'] == ['mst']
    assert stats.side(v['diffs']['tabdiffusion'], 0.0) == 'above'  # AIM − ours: 0.1 on every seed
    assert dp_text._best_text(v) == 'AIM 0.667 (tied: MST)'
    one = dp.best_in_cell(g[g.seed == 1], 'tstr_ratio_rf')  # one seed: the best mean, untested
    assert one['best'] == 'aim' and not one['tested'] and one['tied'] == []
    assert dp_text._best_text(one) == 'AIM 0.700 (1 seed, untested)'
    alone = dp.best_in_cell(g[g.generator == 'aim'], 'tstr_ratio_rf')
    assert alone['best'] is None  # nothing to compare with


def test_choice_table_and_recommendation():
    "One generator leading on both scores is the choice; leaders that differ are both named."
    both = rows({('aim', 1): {'tstr_ratio_rf': [0.5, 0.52, 0.51], 'column_shapes': [0.90, 0.91, 0.92]},
                 ('tabdiffusion', 1): {'tstr_ratio_rf': [-1.0, -0.9, -1.1], 'column_shapes': [0.6, 0.61, 0.62]}})
    split = rows({('tabdiffusion', 10): {'tstr_ratio_rf': [0.9, 0.91, 0.92], 'column_shapes': [0.6, 0.62, 0.61]},
                  ('mst', 10): {'tstr_ratio_rf': [0.5, 0.52, 0.51], 'column_shapes': [0.90, 0.91, 0.92]}},
                 dataset='adult')
    df = pd.concat([both, split], ignore_index=True)
    tab = dp_text.choice_table(df)
    assert list(tab['choice']) == ['AIM', 'ours to train models, MST for marginals']
    assert list(tab['its DCR share']) == ['0.500', '0.500 / 0.500']
    assert tab.loc[0, 'best TSTR ratio (RF)'] == 'AIM 0.510 (ahead of all)'
    text = dp_text.choice_markdown(df)
    assert text.startswith('Over the 2 cells (dataset and ε), the choice is AIM in 1 of 2; in 1 no generator')
    assert 'Ours is the choice in none' in text
    loss = dp_text._gap_text(df, 'tstr_ratio_rf')
    assert 'behind the best generator in 1 of 2 cells' in loss
    assert 'best or tied with the best on adult at ε = 10' in loss


def test_target_ours_at_least_aim():
    "Issue 19's target at ε = 1: a paired difference significantly below 0 is not met; above 0 is met."
    below = rows({('aim', 1): {'tstr_ratio_rf': [0.5, 0.6, 0.7]},
                  ('tabdiffusion', 1): {'tstr_ratio_rf': [0.1, 0.22, 0.3]}})
    res = dp.ours_vs_peer(below, 'tstr_ratio_rf')['diamonds']
    assert res['side'] == 'below' and not res['met'] and res['ci']['mean'] == pytest.approx(-0.393333, abs=1e-5)
    above = rows({('aim', 1): {'tstr_ratio_rf': [0.5, 0.6, 0.7]},
                  ('tabdiffusion', 1): {'tstr_ratio_rf': [0.6, 0.69, 0.81]}})
    assert dp.ours_vs_peer(above, 'tstr_ratio_rf')['diamonds']['met']
    text = dp_text.target_markdown(below, metrics=('tstr_ratio_rf',))
    assert 'significantly below 0, target **not met**' in text and 'met in 0 of 1' in text
    assert 'cannot be judged' in dp_text.target_markdown(rows({('aim', 3): {'tstr_ratio_rf': [0.5]}}))


def test_budget_check_flags_overspend():
    "An accountant's ε above target is flagged (float round-off is not); every row keeps its generator."
    df = rows({('tabdiffusion', 1): {'tstr_ratio_rf': [0.1, 0.2]}, ('aim', 1): {'tstr_ratio_rf': [0.5, 0.6]},
               ('dpctgan', 1): {'tstr_ratio_rf': [-2.0, -2.1]}},
              spent={'tabdiffusion': 0.998, 'aim': 1.0 + 1e-12, 'dpctgan': 1.1306})
    b = dp.budget_check(df).set_index('generator')
    assert b.loc['dpctgan', 'over'] == 2 and b.loc['aim', 'over'] == 0 and b.loc['tabdiffusion', 'over'] == 0
    assert b.loc['dpctgan', 'max_ratio'] == pytest.approx(1.1306)
    text = dp_text.budget_markdown(df)
    assert 'Every run of ours and AIM spent at most its target ε' in text
    assert 'DP-CTGAN **overspent** in 2 of 2 runs' in text and 'ε = 1.131 against a target of 1' in text
    assert list(dp_text.budget_table(df)['over target ε']) == ['0', '0', '**2**']


def test_fit_ratio_against_non_dp_default():
    "The benchmark's recipe (by spec, else by its parameters) against `nodp-default`: the issue's 3× target."
    rec = recipe_frame()
    row = dp.recipe_row(rec, SPEC)
    assert row['recipe'] == 'dp-b1024-e40-w128'
    assert dp.fit_ratio(rec, row)['ratio'] == pytest.approx(53 / 345)
    by_params = dp.recipe_row(rec, None, dict(batch_size=1024, epochs=40, width=128, depth=2))
    assert by_params['recipe'] == 'dp-b1024-e40-w128'  # the not-private diagnostic is never the recipe
    run = dp.DPRun(rows({('tabdiffusion', 1): {'tstr_ratio_rf': [0.1]}}), {'config': {'ours': SPEC}}, 'grid', Path())
    text = dp_text.fit_markdown(rec, run)
    assert '0.15 times, target met' in text and 'would take 10.0 times the non-DP fit' in text
    assert '**not met**' in dp_text.fit_markdown(recipe_frame(dp_fit=1200.0), run)
    assert 'Not yet run' in dp_text.fit_markdown(None, run)
    tab = dp_text.recipe_table(rec)
    assert list(tab['× no-DP fit']) == ['1.00', '10.00', '0.15', '0.14']
    assert tab.loc[1, 'fit (s)'].endswith('(extrapolated)') and tab.loc[3, 'recipe'].endswith('(not private)')


def test_dp_steps_and_loss_text():
    "Poisson batches: ⌈n / batch⌉ batches a pass; the loss text quotes the recipe's noise and the cost of DP."
    assert dp.dp_steps(dict(batch_size=1024, epochs=40), 1200) == dict(steps=80, per_pass=2, batch=1024, rate=0.5)
    assert dp.dp_steps(dict(batch_size=1024, epochs=40), 800)['steps'] == 40
    df = rows({('aim', 1): {'tstr_ratio_rf': [0.5], 'column_shapes': [0.9]},
               ('tabdiffusion', 1): {'tstr_ratio_rf': [-3.0], 'column_shapes': [0.6]}}, n_fit=800)
    text = dp_text.loss_markdown(dp.DPRun(df, {'config': {'ours': SPEC}}, 'smoke', Path()), recipe_frame())
    assert 'behind the best generator in 1 of 1 cell, by 3.500 (the leader: AIM in 1)' in text
    assert '800 of 800 rows (40 noisy steps' in text and 'noise multiplier of 13.9' in text
    assert 'DP costs ours 1.980 in TSTR ratio' in text and 'column shapes by +0.060' in text


def test_utility_figure_panels():
    "Two rows of panels (TSTR ratio, column shapes), one column per dataset; a mean below −1 sits on the edge."
    import matplotlib
    matplotlib.use('Agg')
    df = pd.concat([rows({('aim', e): {'tstr_ratio_rf': [0.4, 0.5, 0.45]} for e in (0.5, 1, 3)}, dataset=ds)
                    for ds in ('diamonds', 'adult')] +
                   [rows({('tabdiffusion', 1): {'tstr_ratio_rf': [-3.0, -2.9, -3.1]}})], ignore_index=True)
    fig = dp_text.utility_figure(df)
    axes = fig.get_axes()
    assert len(axes) == 4 and axes[0].get_title() == 'diamonds: TSTR ratio (RF)'
    assert axes[0].get_ylim()[0] == pytest.approx(-1.1)  # clipped: the floor, not −3
    assert any(t.get_text() == '−3.00' for t in axes[0].texts)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ['ours', 'AIM'] and 'mean below −1' in labels


def test_privacy_chapter_renders_the_smoke_run(tmp_path, monkeypatch):
    "The privacy chapter, rendered from a results store with only a smoke run, says so and shows its numbers."
    for mod in ('pypandoc', 'nbclient'):
        if importlib.util.find_spec(mod) is None: pytest.skip(f'{mod} is not installed')
    import build
    df = rows({('tabdiffusion', 1): {'tstr_ratio_rf': [-3.088], 'column_shapes': [0.59]},
               ('aim', 1): {'tstr_ratio_rf': [0.047], 'column_shapes': [0.903]}}, n_fit=800)
    write_run(tmp_path / 'results', 'smoke', df, {'commit': 'abc1234', 'config': {'ours': SPEC}})
    recipe_frame().to_csv(tmp_path / 'results' / 'bench' / 'dp' / 'recipe.csv', index=False)
    monkeypatch.setenv('TABDIFFUSION_RESULTS', str(tmp_path / 'results'))
    out = build.build(tmp_path / 'out', chapters=['thesis/07_privacy.qmd'], html=False, pdf=False)
    md = out['md'].read_text()
    assert 'This is a smoke run, not the benchmark' in md and '−3.088' in md and '0.903' in md
    assert 'Ours minus AIM' in md and '0.15 times, target met' in md
