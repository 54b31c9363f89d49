"The thesis renders the numbers of the results files, and says which experiments are not yet run."

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

THESIS = Path(__file__).resolve().parents[1] / 'thesis'
sys.path.insert(0, str(THESIS))

import findings  # noqa: E402
import reading  # noqa: E402
import stats  # noqa: E402

GENS = {'tabdiffusion': 0.74, 'smogn': -0.39, 'copula': 0.60}


def make_fake_results(root: Path, exp: str = 'exp013_schooling', seeds=(0, 1, 2), trtr: float = 0.75,
                      gens: dict = GENS, sd: float = 0.02) -> pd.DataFrame:
    "Write a `summary.csv` for `exp` with known TSTR means per generator; return it."
    rng = np.random.default_rng(0)
    rows = []
    for gen, mean in gens.items():
        for s in seeds:
            tstr = mean + rng.normal(0, sd)
            rows.append(dict(experiment=exp, run_id=f'{gen}-x-s{s}', dataset='x', generator=gen, seed=s,
                             mode='tstr', n_train=100, n_test=25, n_synthetic=100, n_features=29,
                             trtr_r2_rf=trtr + rng.normal(0, 0.01), tstr_r2_rf=tstr,
                             augment_r2_rf=mean + rng.normal(0, sd), tstr_ratio_rf=tstr / trtr,
                             column_shapes=rng.uniform(0.8, 0.9), dcr_share=rng.uniform(0.5, 0.6)))
    df = pd.DataFrame(rows)
    (root / exp).mkdir(parents=True, exist_ok=True)
    df.to_csv(root / exp / 'summary.csv', index=False)
    return df


def test_fmt_and_table(tmp_path):
    "`mean_sd_table` shows the seed count and `mean ± sd` exactly as pandas computes them."
    df = make_fake_results(tmp_path)
    tab = reading.mean_sd_table(df, ['tstr_r2_rf', 'not_a_metric'])
    assert list(tab.columns) == ['generator', 'n seeds', 'tstr_r2_rf']
    g = df[df.generator == 'smogn'].tstr_r2_rf
    assert tab.set_index('generator').loc['smogn', 'tstr_r2_rf'] == f'{g.mean():.3f} ± {g.std():.3f}'
    assert (tab['n seeds'] == 3).all()
    assert reading.fmt(float('nan'), 0.1) == '–' and reading.fmt(0.5, None) == '0.500'


def test_missing_experiment_note(tmp_path):
    "A missing experiment gives the not-yet-run note naming the command, not an error."
    md = reading.table_or_note('exp099_none', reading.UTILITY, 'x', root=tmp_path)
    assert 'Not yet run' in md and 'tabdiffusion experiment run exp099_none' in md


def test_findings_verdicts(tmp_path):
    "Findings 1 and 2 follow the numbers under both protocols: diffusion within `TOL`, SMOGN below zero."
    make_fake_results(tmp_path, sd=0.005)
    for f in (findings.finding_preserves(tmp_path), findings.finding_smogn_fails(tmp_path)):
        assert all(v.startswith('reproduces') for v in f['verdicts'].values()), f  # exp011 not faked
    make_fake_results(tmp_path, gens={'tabdiffusion': 0.40, 'smogn': 0.70}, sd=0.005)
    assert findings.finding_preserves(tmp_path)['verdict'].startswith('does not reproduce')
    assert findings.finding_smogn_fails(tmp_path)['verdict'].startswith('does not reproduce')
    assert findings.finding_complexity(tmp_path)['verdict'] == 'not yet run'


def test_t_ci_known_values():
    "The t interval of 1..5: mean 3, half-width t(0.975, 4) · sd / √5 = 2.776445 · 1.581139 / 2.236068."
    ci = stats.t_ci([1, 2, 3, 4, 5, float('nan')])
    assert ci['n'] == 5 and ci['mean'] == 3
    assert ci['lo'] == pytest.approx(3 - 1.963243, abs=1e-5) and ci['hi'] == pytest.approx(4.963243, abs=1e-5)
    one = stats.t_ci([0.5])
    assert one['n'] == 1 and np.isnan(one['lo']) and stats.fmt_ci(one) == '0.500 (1 seed)'
    assert stats.fmt_ci(ci, 2) == '3.00 [1.04, 4.96]' and stats.fmt_ci(stats.t_ci([])) == '–'


def test_paired_diff_known_values():
    "Pairs are matched by seed (seed 3 has no partner); d = (0.5, 1, 1): mean 5/6, t = 5, p = 0.0377."
    x = pd.Series([1.0, 2.0, 3.0, 9.0], index=[0, 1, 2, 3])
    y = pd.Series([2.0, 0.5, 1.0], index=[2, 0, 1])
    d = stats.paired_diff(x, y)
    assert d['n'] == 3 and d['keys'] == [0, 1, 2] and d['mean'] == pytest.approx(5 / 6)
    half = 4.302653 * np.sqrt(1 / 12) / np.sqrt(3)  # t(0.975, 2) · sd / √n, sd of (0.5, 1, 1) = √(1/12)
    assert d['lo'] == pytest.approx(5 / 6 - half, abs=1e-5) and d['hi'] == pytest.approx(5 / 6 + half, abs=1e-5)
    assert d['p'] == pytest.approx(0.03775, abs=1e-4)
    assert stats.side(d, 0.0) == 'above' and stats.side(d, 1.0) == 'unclear' and stats.side(d, 2.0) == 'below'
    assert stats.fmt_ci(stats.paired_diff(y, x), sign=True).startswith('−0.833 [−')


def test_augment_scores_are_read(tmp_path):
    "A `tstr` run's `augment_*` columns and an `augment` run's `tstr_*` columns both count as augmentation."
    df = make_fake_results(tmp_path)
    md = reading.table_or_note('exp013_schooling', ['augment_r2_rf'], 'x', mode='augment', root=tmp_path)
    assert 'No `augment`' not in md and 'augment_r2_rf' in md
    run = df.iloc[:1].assign(mode='augment', tstr_r2_rf=0.123).drop(columns='augment_r2_rf')
    both = reading.protocol_rows(pd.concat([df, run]), 'augment')
    assert len(both) == len(df) + 1 and both['augment_r2_rf'].iloc[-1] == 0.123
    tab = reading.utility_table(df).set_index('generator')
    g = df[df.generator == 'smogn']
    assert tab.loc['smogn', 'real + synthetic'] == stats.fmt_ci(stats.t_ci(g.augment_r2_rf))
    assert tab.loc['smogn', 'synthetic only − real'] == stats.fmt_ci(
        stats.paired_diff(g.set_index('seed').tstr_r2_rf, g.set_index('seed').trtr_r2_rf), sign=True)


def _tools() -> str | None:
    "Why rendering cannot be tested here, or `None`."
    for mod in ('pypandoc', 'typst', 'nbclient'):
        if importlib.util.find_spec(mod) is None:
            return f'{mod} is not installed (pip install tabdiffusion[docs])'
    import pypandoc
    try: pypandoc.get_pandoc_version()
    except OSError: return 'pandoc is not available (pip install pypandoc_binary)'
    return None


def test_rendered_numbers_equal_results(tmp_path, monkeypatch):
    "Render the experiments chapter from fake results: the HTML holds the numbers of `summary.csv`."
    why = _tools()
    if why: pytest.skip(why)
    import build
    res_dir = tmp_path / 'results'
    df = make_fake_results(res_dir)
    monkeypatch.setenv('TABDIFFUSION_RESULTS', str(res_dir))
    out = build.build(tmp_path / 'out', chapters=['thesis/06_experiments.qmd'], html=True, pdf=True)
    html = out['html'].read_text()
    for gen, g in df.groupby('generator'):
        expected = stats.fmt_ci(stats.t_ci(g.tstr_r2_rf))
        assert expected in html, f'{gen}: {expected} not in the rendered thesis'
    assert 'tabdiffusion experiment run exp001_iris' in html
    assert re.search(r'Finding 1: Diffusion preserves data quality', html)
    assert out['pdf'].read_bytes()[:4] == b'%PDF' and out['pdf'].stat().st_size > 10_000
    assert len(list((tmp_path / 'out' / 'figures').glob('*.png'))) >= 1


def make_fake_bench(root: Path) -> pd.DataFrame:
    "Write `bench/bench.csv`, `targets.csv` and `sample_steps_diamonds.csv` with known values; return bench."
    d = root / 'bench'
    d.mkdir(parents=True, exist_ok=True)
    bench = pd.DataFrame([dict(dataset='diamonds', generator='tabdiffusion', tstr_ratio_rf=0.9712, tstr_ratio_gb=0.9801,
                               column_shapes=0.9834, column_pair_trends=0.9655, detection_auc=0.61, dcr_share=0.531,
                               exact_copies=0.0, bound_pileup=0.0, fit_s=91.26, sample_s=3.4, peak_mb=110.0, note=''),
                          dict(dataset='diamonds', generator='ctgan', tstr_ratio_rf=0.8523, tstr_ratio_gb=0.84,
                               column_shapes=0.9, column_pair_trends=0.9, detection_auc=0.9, dcr_share=0.52,
                               exact_copies=0.0, bound_pileup=0.0, fit_s=240.0, sample_s=1.0, peak_mb=90.0, note=''),
                          dict(dataset='diamonds', generator='real holdout', tstr_ratio_rf=0.99, column_shapes=0.986)])
    bench.to_csv(d / 'bench.csv', index=False)
    pd.DataFrame([dict(dataset='diamonds', target='tstr_ratio_rf >= 0.97', value=0.9712, met=True),
                  dict(dataset='diamonds', target='dcr_share <= 0.55', value=0.531, met=True),
                  dict(dataset='diamonds', target='time / CTGAN time < 1', value=0.39, met=False)]
                 ).to_csv(d / 'targets.csv', index=False)
    pd.DataFrame(dict(dataset='diamonds', n_sample_steps=[50, 10], tstr_ratio_rf=[0.9654, 0.9611],
                      tstr_ratio_gb=[0.98, 0.97], column_shapes=[0.9844, 0.9527], column_pair_trends=[0.97, 0.96],
                      dcr_share=[0.53, 0.52], n_big=100_000, sample_big_s_1t=[38.0, 7.9],
                      sample_big_s_2t=[22.5, 4.4])).to_csv(d / 'sample_steps_diamonds.csv', index=False)
    return bench


def test_benchmark_tables(tmp_path):
    "The benchmark chapter's tables show the files' values, best RF ratio first, and say what was not run."
    import benchmark as bm
    assert bm.load_bench(tmp_path) is None and bm.targets_table(tmp_path) is None
    assert bm.load_bench_summary(tmp_path) is None
    assert 'Not yet run' in bm.not_run('the benchmark', 'make bench')
    make_fake_bench(tmp_path)
    summary = bm.load_bench_summary(tmp_path)  # no summary.csv: computed from bench.csv, one fit per row
    tab = bm.peer_table(summary, 'diamonds', bm.QUALITY)
    assert list(tab['generator']) == ['tabdiffusion', 'ctgan', 'real holdout']  # the reference comes last
    assert tab.loc[0, 'TSTR ratio (RF)'] == '0.971' and list(tab['fits']) == ['1', '1', '1']
    assert bm.peer_table(summary, 'diamonds', bm.COST).loc[0, 'fit (s)'] == '91.3'
    assert bm.bench_origin(tmp_path) == '' and bm.peer_notes(summary, 'diamonds') == ''
    tt = bm.targets_table(tmp_path)
    assert list(tt.columns) == ['target', 'diamonds']
    assert list(tt['diamonds']) == ['0.971 yes', '0.531 yes', '0.390 **no**']
    tg = pd.read_csv(tmp_path / 'bench' / 'targets.csv').assign(real=[0.99, float('nan'), float('nan')])
    tg.to_csv(tmp_path / 'bench' / 'targets.csv', index=False)
    assert bm.targets_table(tmp_path)['diamonds'][0] == '0.971 yes (real 0.990)'
    st = bm.steps_table(bm.load_steps('diamonds', tmp_path))
    assert st.columns[-1] == '100,000 rows, 2 threads (s)' and list(st.iloc[:, -1]) == ['22.5', '4.4']
    assert [bm.speed_label(f'sample_big_s_{k}') for k in ('1t', '2p', '4t')] == ['1 thread', '2 processes', '4 threads']
    verdict = bm.steps_verdict(bm.load_steps('diamonds', tmp_path))
    assert verdict.startswith('With 1 thread, 100,000 rows take at most 10 s at 10 steps or fewer (7.9 s)'), verdict
    assert bm.machine_line({}) .startswith('The run recorded no')
    (tmp_path / 'bench' / 'tuning').mkdir()
    pd.DataFrame(dict(generator=['tabdiffusion', 'tabdiffusion:lr=0.003'], tstr_ratio_rf=[0.9655, 0.9612])
                 ).to_csv(tmp_path / 'bench' / 'tuning' / 'bench.csv', index=False)
    (tmp_path / 'bench' / 'epochs').mkdir()
    pd.DataFrame(dict(dataset='pima', generator=['tabdiffusion:max_epochs=3000', 'real holdout',
                                                 'tabdiffusion:max_epochs=150'],
                      epochs=[3000, None, 150], tstr_ratio_rf=[0.97, 1.05, 0.99], dcr_share=[0.71, None, 0.55])
                 ).to_csv(tmp_path / 'bench' / 'epochs' / 'bench.csv', index=False)
    et = bm.epochs_table(bm.load_epochs(tmp_path))
    assert list(et['max_epochs']) == ['150', '3000', 'real holdout'] and list(et['passes']) == ['150', '3000', '–']
    assert list(et['DCR share']) == ['0.550', '0.710', '–']
    pd.DataFrame(dict(sample_seed=[0, 1, 2], tstr_ratio_rf=[0.957, 0.966, 0.961], tstr_ratio_gb=0.97,
                      column_shapes=[0.977, 0.984, 0.98])).to_csv(tmp_path / 'bench' / 'sample_seeds_diamonds.csv')
    assert bm.seed_spread(bm.load_sample_seeds('diamonds', tmp_path)) == (
        'Over 3 samples of one fitted model (`tabdiffusion`, sample seeds 0 to 2), the RF TSTR ratio from 0.957 to '
        '0.966 (mean 0.961), the GB ratio from 0.970 to 0.970 (mean 0.970) and column shapes from 0.977 to 0.984 '
        '(mean 0.980).')
    pd.DataFrame(dict(fit_seed=[1, 2], sample_seed=0, tstr_ratio_rf=[0.96, 0.97])
                 ).to_csv(tmp_path / 'bench' / 'fit_seeds_diamonds.csv')
    assert bm.seed_spread(bm.load_sample_seeds('diamonds', tmp_path, kind='fit')) == (
        'Over 2 fits of `tabdiffusion` (model seeds 1 to 2), one sample each, the RF TSTR ratio from 0.960 to 0.970 '
        '(mean 0.965).')
    assert bm.tuning_range(bm.load_tuning(tmp_path)) == ('Over these 2 runs the RF ratio stays between 0.961 and '
                                                         '0.966, so no variant reaches 0.97.')


def test_benchmark_summary_and_previous(tmp_path):
    "With summary.csv, cells are mean ± sd over fits; a merged bench.json and previous/ are named as such."
    import benchmark as bm
    make_fake_bench(tmp_path)
    d = tmp_path / 'bench'
    pd.DataFrame([dict(dataset='diamonds', generator='tabdiffusion', n_seeds=3, tstr_ratio_rf_mean=0.98123,
                       tstr_ratio_rf_sd=0.0123, fit_s_mean=80.0, fit_s_sd=4.0, note=''),
                  dict(dataset='diamonds', generator='smogn', n_seeds=1, tstr_ratio_rf_mean=-1.2,
                       tstr_ratio_rf_sd=float('nan'), fit_s_mean=0.1, note='fit on 1000-row subsample')]
                 ).to_csv(d / 'summary.csv', index=False)
    summary = bm.load_bench_summary(tmp_path)
    tab = bm.peer_table(summary, 'diamonds', bm.QUALITY)
    assert list(tab['TSTR ratio (RF)']) == ['0.981 ± 0.012', '-1.200'] and list(tab['fits']) == ['3', '1']
    assert bm.peer_table(summary, 'diamonds', bm.COST)['fit (s)'][0] == '80.0 ± 4.0'
    assert bm.peer_notes(summary, 'diamonds') == 'Notes: smogn: fit on 1000-row subsample.'
    (d / 'bench.json').write_text('{"sources": {"results/bench/ours": {"found": true}, '
                                  '"p/a": {"found": false}}}')
    assert bm.bench_origin(tmp_path).startswith('These tables merge 1 runs (`results/bench/ours`)')
    (d / 'bench.json').unlink()
    pd.read_csv(d / 'bench.csv').assign(params='{"max_epochs": "auto"}').to_csv(d / 'bench.csv', index=False)
    assert '**previous default**' in bm.bench_origin(tmp_path)
    (d / 'previous').mkdir()
    pd.read_csv(d / 'bench.csv').to_csv(d / 'previous' / 'bench.csv', index=False)
    pt = bm.previous_table(bm.load_bench(tmp_path, folder='previous'))
    assert list(pt['dataset']) == ['diamonds'] and pt['TSTR ratio (RF)'][0] == '0.971'
    pd.read_csv(d / 'targets.csv').to_csv(d / 'previous' / 'targets.csv', index=False)
    assert bm.targets_table(tmp_path, folder='previous')['diamonds'][2] == '0.390 **no**'


def make_fake_validation(root: Path) -> pd.DataFrame:
    "Two parts of `bench/validation/`: the second re-runs one row of the first; return the rows that count."
    specs = ['tabdiffusion', 'tabdiffusion:privacy_check=None,target_model=None',
             'tabdiffusion:target_model=None']
    rows = [dict(dataset='pima', spec=sp, model_seed=s, tstr_ratio_rf=rf + 0.01 * s, tstr_ratio_gb=1.0,
                 column_shapes=0.93, column_pair_trends=0.95, detection_auc=0.55, dcr_share=dcr + 0.01 * s,
                 mia_auc=0.52, fit_s=5.0 + s, epochs_run=490)
            for sp, rf, dcr in zip(specs, [0.91, 0.95, 0.90], [0.53, 0.60, 0.54]) for s in (0, 1, 2)]
    first, second = pd.DataFrame(rows), pd.DataFrame(rows[-1:]).assign(tstr_ratio_rf=0.2)
    for name, part in (('part1', first), ('part2', second)):
        (root / 'bench' / 'validation' / name).mkdir(parents=True)
        part.to_csv(root / 'bench' / 'validation' / name / 'validation.csv', index=False)
    (root / 'bench' / 'validation' / 'part1' / 'validation.json').write_text(
        '{"commit": "abc1234", "uncommitted": false, "torch_threads": 2, "config": {"datasets": ["pima"]}}')
    return pd.concat([first.iloc[:-1], second], ignore_index=True)


def test_validation_tables(tmp_path):
    "The validation settings in their fixed order, mean ± sd over model seeds; the verdict follows the file."
    import benchmark as bm
    assert bm.load_validation(tmp_path) is None and bm.validation_runs(tmp_path) == ''
    rows = make_fake_validation(tmp_path)
    val = bm.load_validation(tmp_path)
    assert len(val) == 9 and val.tstr_ratio_rf.min() == 0.2  # the later part's row wins
    quality, cost = bm.validation_tables(val)
    assert list(quality['setting']) == ['check + trees always', 'privacy check only', 'previous default']
    g = rows[rows.spec == 'tabdiffusion'].tstr_ratio_rf
    assert quality['TSTR ratio (RF)'][0] == f'{g.mean():.3f} ± {g.std():.3f}'
    assert list(cost.columns) == ['dataset', 'setting', 'fits', 'DCR share', 'MIA AUC', 'fit (s)', 'passes']
    assert cost['passes'][0] == '490 ± 0' and cost['fit (s)'][0] == '6.0 ± 1.0'
    assert bm.spec_label('tabdiffusion:target_model=None,privacy_check=None') == 'previous default'
    assert bm.spec_label('tabdiffusion:lr=0.1') == 'tabdiffusion:lr=0.1'
    assert bm.validation_verdict(val) == (
        "On pima, the best mean RF ratio (0.960) is that of the previous default; the mean DCR share of check + "
        'trees always is 0.540, within the target of 0.55.')
    auto = rows[rows.spec == 'tabdiffusion'].assign(spec='tabdiffusion:target_model=auto', dcr_share=0.53)
    verdict = bm.validation_verdict(pd.concat([val, auto]))  # once the default has rows, the verdict is about it
    assert verdict.endswith('the mean DCR share of check + trees where they win (default) is 0.530, within the '
                            'target of 0.55.')
    assert bm.validation_runs(tmp_path) == ('`validation/part1/validation.json`: commit abc1234, 2 torch '
                                            'thread(s), datasets pima.')


def test_benchmark_chapter_renders(tmp_path, monkeypatch):
    "Render the benchmark chapter from fake files: the HTML holds their numbers."
    why = _tools()
    if why: pytest.skip(why)
    import build
    make_fake_bench(tmp_path / 'results')
    rows = make_fake_validation(tmp_path / 'results')
    monkeypatch.setenv('TABDIFFUSION_RESULTS', str(tmp_path / 'results'))
    out = build.build(tmp_path / 'out', chapters=['thesis/06b_benchmark.qmd'], html=True, pdf=False)
    html = out['html'].read_text()
    g = rows[rows.spec == 'tabdiffusion'].dcr_share
    for s in ('0.971', '0.852', '22.5', 'Not yet run', f'{g.mean():.3f} ± {g.std():.3f}',
              'privacy check only', 'has not been set aside yet'): assert s in html, s


def test_sampler_rule_picks_the_fewest_steps_that_lose_nothing(tmp_path):
    "A faster setting that loses clearly is rejected; one that matches the old default is chosen."
    import sampler as sm
    rng = np.random.default_rng(0)
    rows = []
    for ds in ("a", "b"):
        for seed in range(4):
            base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_shapes=0.97, column_pair_trends=0.96,
                        detection_auc=0.6, dcr_share=0.52)
            for steps, order, loss in ((50, 1, 0.0), (10, 2, 0.05), (15, 2, 0.0)):
                noise = {k: v - loss * (k != "detection_auc") + loss * (k == "detection_auc")
                         + rng.normal(0, 0.002) for k, v in base.items()}
                rows.append(dict(dataset=ds, model_seed=seed, n_sample_steps=steps, order=order, eta=1.0,
                                 sample_offset=0, **noise))
    (tmp_path / "bench" / "sampler" / "part1").mkdir(parents=True)
    pd.DataFrame(rows).to_csv(tmp_path / "bench" / "sampler" / "part1" / "sampler.csv", index=False)
    df = sm.load_sampler(tmp_path)
    assert len(df) == 24 and set(df.part) == {"part1"}
    assert sm.chosen(df) == (15, 2, 1.0)
    losses = sm.paired_losses(df).set_index(["key", "score"]).loss
    assert losses[((10, 2, 1.0), "column_shapes")] == pytest.approx(0.05, abs=0.005)
    assert losses[((10, 2, 1.0), "detection_auc")] == pytest.approx(0.05, abs=0.005)  # higher detection is worse
    text = sm.sampler_verdict(df)
    assert "It picks **15 steps, 2M, stochastic**" in text and "10 steps, 2M, stochastic (8 pairs)" in text
    assert "a column_shapes (+0.05" in text and re.search(r"15 steps, 2M, stochastic \(8 pairs\): [^\n]*; passes", text)


def test_inline_code_fills_the_prose(tmp_path):
    "Quarto's inline code: each `{python} expr` in a paragraph becomes the `str` of its value; other code spans stay."
    why = _tools()
    if why: pytest.skip(why)
    import build
    nb = build.qmd_to_notebook('# T\n\n```{python}\nx = 1234\n```\n\nRows: `{python} f"{x:,}"`, next `{python} x + 1`;'
                               ' `x` and `{python}` stay.\n\nNo code here: 3 rows.\n')
    assert [c.cell_type for c in nb.cells] == ['markdown', 'code', 'code'] and 'prose' in nb.cells[2].metadata
    md = build.notebook_to_markdown(build.execute(nb, tmp_path), tmp_path / 'figures', 't')
    assert 'Rows: 1,234, next 1235; `x` and `{python}` stay.' in md and 'No code here: 3 rows.' in md


def test_facts_helpers():
    "Numbers are written as the prose prints them; target names give their thresholds as written."
    import facts as fc
    assert (fc.num(32768), fc.num(400.0), fc.num(0.98), fc.num(-4.0), fc.num(0.42086, 1)) == (
        '32,768', '400', '0.98', '−4', '0.4')
    assert fc.pct(0.2) == '20%' and fc.both('0.98', '0.98') == '0.98'
    assert fc.both('0.98', '0.97') == '0.98 (RF) and 0.97 (GB)'
    names = ['tstr_ratio_rf >= 0.98', 'tstr_ratio_rf >= TabDDPM (0.975)', 'detection_auc <= 0.60 (diamonds)',
             'fit_s + sample_s <= 100 (diamonds)', 'bound_pileup <= real + 0.005',
             'time / CTGAN time < 1 (<= 5,000 rows)']
    assert fc.thresholds(names) == {'tstr_ratio_rf': '0.98', 'detection_auc': '0.60', 'fit_s + sample_s': '100',
                                    'time / CTGAN time': '1'}
    assert fc.reference_protocol('issue #11: diamonds 10000 rows; 80/20 split; 1 torch thread') == dict(
        ref_rows='10,000', ref_split='80/20', ref_train='8,000')
    assert fc.reference_protocol('same protocol') == {}
    assert fc.facts('stats', root=Path('/nonexistent')).ci_level == '95'
    assert fc.facts('bench', root=Path('/nonexistent')).smogn_rows == fc.MISSING  # no results: '–', no error


def test_every_number_the_chapters_quote_is_computed():
    "Each `fact.<name>` of the chapters' inline code is filled from the library and the committed results."
    import facts as fc
    names = set()
    for path in THESIS.glob('*.qmd'):
        names |= set(re.findall(r'`\{python\} fact\.(\w+)`', path.read_text()))
    got = vars(fc.facts(root=THESIS.parent / 'results', model_of='diamonds'))
    assert names and not names - set(got), f'not computed: {sorted(names - set(got))}'
    assert fc.MISSING not in [got[n] for n in names]
    from tabdiffusion.holdback import MIN_CHECK_ROWS
    assert got['min_check_rows'] == fc.num(MIN_CHECK_ROWS) and got['prev_steps'] == '6,000'


def test_small_table_study_reads_each_run_and_compares_no_check_with_folds(tmp_path):
    import json
    import small_tables as smt
    assert smt.setting_label('folds', 'tabdiffusion') == 'fold check (default)'
    assert smt.setting_label('before', 'tabdiffusion:max_epochs=150') == 'no check, max_epochs=150'
    assert smt.load_small(tmp_path) is None
    rows = lambda dcr, det: pd.DataFrame(dict(dataset='pima', spec='tabdiffusion', model_seed=[0, 1], n_fit=245,
                                              dcr_share=dcr, detection_auc=det, column_shapes=[0.9, 0.92],
                                              tstr_ratio_rf=1.0, tstr_ratio_gb=1.0, mia_auc=0.5, fit_s=2.0))
    for folder, dcr, det in (('before', [0.60, 0.62], [0.50, 0.52]), ('folds', [0.52, 0.54], [0.60, 0.64])):
        (tmp_path / 'bench' / 'validation' / 'small' / folder).mkdir(parents=True)
        rows(dcr, det).to_csv(tmp_path / 'bench' / 'validation' / 'small' / folder / 'validation.csv', index=False)
    (tmp_path / 'bench/validation/small/folds/validation.json').write_text(json.dumps(
        dict(commit='abcdef123', config=dict(datasets=['pima'], seeds=[0, 1]), stopped='stopped early.')))
    df = smt.load_small(tmp_path)
    verdict = smt.small_verdict(df)
    assert 'from 0.610 to 0.530 (within 0.55)' in verdict and 'detection AUC from 0.510 to 0.620' in verdict
    quality, cost = smt.small_tables(df)
    assert list(cost['DCR share']) == ['0.610 ± 0.014', '0.530 ± 0.014'] and 'kept pass' not in cost
    assert smt.small_runs(tmp_path) == '`folds`: commit abcdef1, datasets pima, model seeds 0, 1; stopped early.'
    assert smt.looks_setting(tmp_path).first == '–'  # no run of check_looks.py
    (tmp_path / 'bench/validation/small/early_looks_se').mkdir()
    (tmp_path / 'bench/validation/small/early_looks_se/validation.json').write_text(json.dumps(
        dict(experiment=dict(FIRST=1 / 64, NCHECKS=8, SE_MULT=1))))
    assert vars(smt.looks_setting(tmp_path)) == dict(first='1/64', n='8', se='1')
    assert smt.setting_label('early_looks_se', 'tabdiffusion:prediction=v') == \
        'fold check, earlier looks, stricter verdict, prediction=v'
    both = pd.concat([df, df[df.setting == 'fold check (default)'].assign(setting='other', dcr_share=0.58)])
    assert 'DCR share 0.530 → 0.580 (**above** 0.55)' in smt.option_verdict(both, 'other')
    assert smt.option_verdict(both, 'fold check (default)', default='other').startswith('pima (2 seeds)')


def test_standin_search_names_the_closest_tables_and_the_gap(tmp_path):
    "The stand-in search prose counts the tables, names the closest per original and says when none comes close."
    import json
    assert 'has not been run' in findings.standin_search(tmp_path)
    orig = findings.ORIGINAL_STUDY
    rows = [('exp011_elecdemand', 'pkgA', 'near', 20000, 2, 'y', orig['exp011_elecdemand']['r2_rf'] - 0.01),
            ('exp011_elecdemand', 'fpp2', 'elecdemand', 17520, 2, 'Demand', 0.30),
            ('exp013_schooling', 'pkgB', 'far', 3000, 20, 'z', 0.20)]
    df = pd.DataFrame(rows, columns=['original', 'package', 'item', 'rows', 'features', 'target', 'rf_r2'])
    df['original_r2'] = df['original'].map(lambda e: orig[e]['r2_rf'])
    df['gap'] = (df['rf_r2'] - df['original_r2']).abs()
    (tmp_path / 'standins').mkdir()
    df.to_csv(tmp_path / 'standins' / 'candidates.csv', index=False)
    (tmp_path / 'standins' / 'standins.json').write_text(json.dumps(dict(
        commit='abcdef123', tables_searched=2300, tables_shaped={'exp011_elecdemand': 5, 'exp013_schooling': 4},
        scoring=dict(n_estimators=100, max_rows=5000))))
    md = findings.standin_search(tmp_path)
    assert 'the 2,300 tables' in md and 'commit abcdef1' in md and '9 had a number of rows' in md
    assert '3 of them passed the cleaning' in md
    assert '`pkgA/near` (20,000 rows, 2 features, target `y`, R² 0.74)' in md
    assert '`fpp2/elecdemand`, scores R² 0.30' in md and '`pkgB/far` (3,000 rows, 20 features' in md
    assert 'For experiment 011 a public table comes within 0.05' in md and 'for experiment 013 none does' in md
    assert 'not re-run' in md and 'Experiment 012' not in md


def test_runs_line_says_what_is_stale_missing_or_failed():
    inv = pd.DataFrame(dict(experiment=['a', 'b'], planned=[2, 2], found=[2, 1], missing=['none', 'x: seed 1'],
                            stale=[0, 0], failed=['', '`x-b-s1`: ValueError: no']))
    assert reading.runs_line(inv) == ('All 3 runs of the 2 experiments record their commit and resolved parameters; '
                                      'runs are missing in `b`, 1 of them because the generator failed on its split '
                                      '(@sec-experiments).')
    stale = inv.assign(stale=[0, 1], missing='none', failed='')
    assert reading.runs_line(stale).startswith('1 of the 3 runs are stale') and '(all runs of `a` are current)' in \
        reading.runs_line(stale)


def test_edm_study_pairs_each_option_with_the_default_and_applies_the_rule(tmp_path):
    "Paired differences by (dataset, seed); a better option meets the rule, one that copies or loses does not."
    import json
    import edm
    assert edm.option_label('tabdiffusion:prediction=v,noise_levels=lognormal') == edm.OPTIONS[
        'noise_levels=lognormal,prediction=v'] and edm.option_label('tabdiffusion:target_model=auto') == 'default'
    assert edm.load_edm(tmp_path) is None
    val = tmp_path / 'bench' / 'validation'
    base = dict(tstr_ratio_rf=0.90, tstr_ratio_gb=0.90, column_shapes=0.97, column_pair_trends=0.97,
                detection_auc=0.55, dcr_share=0.52, mia_auc=0.51, epochs_run=600)
    def rows(spec, **change):
        out = []
        for i, ds in enumerate(['a', 'b', 'c', 'd']):
            for seed in (0, 1, 2):
                r = base | dict(dataset=ds, spec=spec, model_seed=seed) | {k: v(i, seed) for k, v in change.items()}
                out.append(r)
        return pd.DataFrame(out)
    wiggle = lambda i, seed: 0.90 + 0.01 * seed - 0.002 * i
    for folder, df in (('part3_auto', rows('tabdiffusion:target_model=auto', tstr_ratio_rf=wiggle)),
                       ('edm/v', rows('tabdiffusion:prediction=v', tstr_ratio_rf=lambda i, s: wiggle(i, s) + 0.02)),
                       ('edm/ln', rows('tabdiffusion:noise_levels=lognormal', dcr_share=lambda i, s: 0.5 + 0.03 * i,
                                       column_shapes=lambda i, s: 0.95 - 0.001 * s))):
        (val / folder).mkdir(parents=True)
        df.to_csv(val / folder / 'validation.csv', index=False)
    (val / 'edm/v/validation.json').write_text(json.dumps(dict(commit='abcdef123', config=dict(
        datasets=['a', 'b', 'c', 'd'], seeds=[0, 1, 2]))))
    df = edm.load_edm(tmp_path)
    assert len(df) == 36 and set(df.setting) == {'default', 'v-prediction', 'log-normal levels'}
    verdict = edm.edm_verdict(df).split('\n\n')
    assert verdict[0].startswith('**v-prediction** (12 paired fits)') and 'TSTR ratio (RF) +0.020 [+0.020, +0.020]' in \
        verdict[0] and 'higher on 4 of 4 tables' in verdict[0] and verdict[0].endswith('It **meets** the rule.')
    assert 'significantly worse than the tolerance on column shapes' in verdict[1]
    assert 'mean DCR share above 0.55 on c, d' in verdict[1] and verdict[1].endswith('does **not** meet the rule.')
    table = edm.edm_table(df)
    assert list(table.setting[:3]) == ['default', 'v-prediction', 'log-normal levels'] and len(table) == 12
    assert edm.edm_runs(tmp_path) == '`edm/v`: commit abcdef1, datasets a, b, c, d, model seeds 0, 1, 2.'
    assert edm.base_check(tmp_path) == ''
    (val / 'edm/base').mkdir()
    rows('tabdiffusion').query('dataset == "a" and model_seed == 0').assign(tstr_ratio_rf=0.9).to_csv(
        val / 'edm/base/validation.csv', index=False)
    assert 'a seed 0) differs from its earlier run by at most 0.0e+00' in edm.base_check(tmp_path)
    assert len(edm.load_edm(tmp_path)) == 36  # the re-fit of the default is a check, not a fourth setting


def test_fast_sampler_study_pairs_the_v_model_with_the_default_fits(tmp_path):
    "Each sampler of the v-prediction model is paired with the default's fit of the same table and seed."
    import edm
    assert edm.load_fast(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_shapes=0.97, column_pair_trends=0.97,
                detection_auc=0.55, dcr_share=0.52, mia_auc=0.51)
    val = tmp_path / 'bench' / 'validation'
    for folder, spec, ds in (('part3_auto', edm.DEFAULT_SPEC, 'abalone'), ('small/folds', 'tabdiffusion', 'pima')):
        (val / folder).mkdir(parents=True)
        pd.DataFrame([base | dict(dataset=ds, spec=spec, model_seed=s, tstr_ratio_rf=0.95 + 0.01 * s)
                      for s in (0, 1, 2, 3)]).to_csv(val / folder / 'validation.csv', index=False)
    rows = [base | dict(dataset=ds, model_seed=s, n_sample_steps=n, order=o, eta=e, sample_offset=0,
                        tstr_ratio_rf=0.95 + 0.01 * s - (0.03 if (n, ds) == (12, 'pima') else 0.0))
            for ds in ('abalone', 'pima') for s in (0, 1, 2) for n, o, e in ((50, 1, 1.0), (12, 2, 0.0))]
    (tmp_path / 'bench' / 'sampler_v' / 'part1').mkdir(parents=True)
    pd.DataFrame(rows).to_csv(tmp_path / 'bench' / 'sampler_v' / 'part1' / 'sampler.csv', index=False)
    df = edm.load_fast(tmp_path)
    assert sorted(set(df.setting)) == ['default', 'v-prediction, 12 steps 2M, deterministic',
                                       'v-prediction, 50 steps DDPM'] and len(df) == 18  # seed 3 has no partner
    v50, v12 = edm.fast_verdict(df).split('\n\n')
    assert v50.startswith('**v-prediction, 50 steps DDPM** (6 paired fits)') and v50.endswith('**meets** the rule.')
    assert 'significantly worse than the tolerance on TSTR ratio (RF) (pima)' in v12 and 'not** meet' in v12
    assert list(edm.fast_table(df).setting[:3]) == ['default', 'v-prediction, 50 steps DDPM',
                                                    'v-prediction, 12 steps 2M, deterministic']


def test_decimals_study_pairs_each_rounded_sample_with_itself_unrounded(tmp_path):
    "The verdict pairs by (dataset, seed), shows detection before and after, and fails on copies or a loss."
    import edm
    import decimals as dec
    assert dec.load_decimals(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_shapes=0.97, column_pair_trends=0.97,
                dcr_share=0.52, exact_copies=0.0, rounded_columns=3)
    rows = [base | dict(dataset=ds, model_seed=s, decoding=dcd, detection_auc=0.62 - (0.04 if dcd == 'rounded' else 0)
                        + 0.01 * s) for ds in ('diamonds', 'abalone') for s in (0, 1, 2)
            for dcd in ('rounded', 'not rounded')]
    folder = tmp_path / 'bench' / 'validation' / 'decimals' / 'q1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'decimals.csv', index=False)
    df = dec.load_decimals(tmp_path)
    text = dec.decimals_verdict(df)
    assert '(6 pairs)' in text and 'detection AUC +0.040 [+0.040, +0.040]' in text
    assert 'diamonds 0.630 → 0.590' in text and text.endswith('Rounding **meets** the rule.')
    table = dec.decimals_table(df)
    assert list(table['rounded columns']) == ['3'] * 4 and len(table) == 4
    df.loc[(df.setting == 'rounded') & (df.dataset == 'abalone'), 'exact_copies'] = 1.0
    df.loc[(df.setting == 'rounded') & (df.dataset == 'abalone'), 'tstr_ratio_rf'] = 0.90
    text = dec.decimals_verdict(df)
    assert 'TSTR ratio (RF) (abalone)' in text and '3 rounded samples hold exact copies' in text
    assert text.endswith('does **not** meet the rule.') and edm.TOLERANCE == 0.005


def test_precision_study_pairs_bfloat16_with_float32_of_the_same_fit_and_seed(tmp_path):
    "bfloat16 rows pair with float32's offset-0 rows; the second float32 seed is the A/A pair; speed counts."
    import json
    import precision as prc
    assert prc.load_precision(tmp_path) is None and prc.precision_cpu(tmp_path) == '–'
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_shapes=0.97, column_pair_trends=0.97,
                dcr_share=0.52, exact_copies=0.0, detection_auc=0.60)
    rows = []
    for ds in ('diamonds', 'pima'):
        for s in (0, 1, 2):
            for prec, off, secs in (('float32', 0, 2.0), ('bfloat16', 0, 1.0), ('float32', 1, 2.0)):
                twin = dict(cat_agree=0.99, num_median_diff_sd=0.001 * (s + 1)) if prec == 'bfloat16' else {}
                rows.append(base | twin | dict(dataset=ds, model_seed=s, precision=prec, sample_offset=off,
                                               sample_s=secs, tstr_ratio_rf=0.95 + 0.01 * s + 0.02 * off))
    folder = tmp_path / 'bench' / 'precision' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'precision.csv', index=False)
    (folder / 'precision.json').write_text(json.dumps(dict(cpu='Xeon', commit='abc1234', config=dict(
        datasets=['diamonds', 'pima'], seeds=[0, 1, 2], amx=True))))
    df = prc.load_precision(tmp_path)
    assert set(df.setting) == {'float32', 'bfloat16', 'float32, second seed'}
    text = prc.precision_verdict(df)
    assert '(6 pairs)' in text and 'TSTR ratio (RF) +0.000 [+0.000, +0.000]' in text
    assert 'A second float32 seed, paired the same way: TSTR ratio (RF) +0.020' in text
    assert '99.0% of categorical cells agree' in text and 'largest 0.0030' in text
    assert 'took 6.0 s in bfloat16 against 12.0 s in float32' in text and text.endswith('**meets** the rule.')
    assert prc.precision_cpu(tmp_path) == 'Xeon, with AMX' and 'commit abc1234' in prc.precision_runs(tmp_path)
    table = prc.precision_table(df)
    assert len(table) == 6 and set(table['sample (s)']) == {'1.00', '2.00'}
    df.loc[(df.setting == 'bfloat16') & (df.dataset == 'pima'), 'tstr_ratio_rf'] -= 0.05
    df.loc[df.setting == 'bfloat16', 'sample_s'] = 3.0
    text = prc.precision_verdict(df)
    assert 'TSTR ratio (RF) (pima)' in text and text.endswith('does **not** meet the rule.')


def test_marginals_study_needs_higher_shapes_and_no_loss(tmp_path):
    "Fitted marginals pair with the model's values by (dataset, seed); shapes must rise, DCR stay within."
    import marginals as mg
    assert mg.load_marginals(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_pair_trends=0.97, dcr_share=0.52, exact_copies=0.0)
    rows = [base | dict(dataset=ds, model_seed=s, marginals=m, column_shapes=0.97 + (0.01 if m == 'fitted' else 0)
                        + 0.001 * s, detection_auc=0.60 - (0.02 if m == 'fitted' else 0))
            for ds in ('diamonds', 'pima') for s in (0, 1, 2) for m in ('model', 'fitted')]
    folder = tmp_path / 'bench' / 'validation' / 'marginals' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'marginals.csv', index=False)
    df = mg.load_marginals(tmp_path)
    text = mg.marginals_verdict(df)
    assert "paired with the same sample model's values (6 pairs)" in text and 'column shapes +0.010' in text
    assert "diamonds 0.600 → 0.580" in text and 'Column shapes are higher over all tables' in text
    assert text.endswith('Fitted marginals **meet** the rule.') and mg.marginals_pass(df)
    assert len(mg.marginals_table(df)) == 4
    df.loc[(df.setting == 'fitted marginals') & (df.dataset == 'pima'), 'dcr_share'] = 0.56
    text = mg.marginals_verdict(df)
    assert 'mean DCR share above 0.55 on pima' in text and text.endswith('do **not** meet the rule.')
    df.loc[df.setting == 'fitted marginals', 'dcr_share'] = 0.52
    df.loc[df.setting == 'fitted marginals', 'column_shapes'] -= 0.01
    assert not mg.marginals_pass(df) and 'not significantly higher' in mg.marginals_verdict(df)


def test_speed_text_names_the_precision_of_each_setting():
    "Settings timed in bfloat16 say so; float32 ones (and runs that predate the column) do not."
    import sampler as sm
    sp = pd.DataFrame(dict(sampler=['ddpm', 'ddpm', 'dpm++2m'], n_sample_steps=[50, 50, 15], n=100_000, n_jobs=2,
                           seconds=[20.5, 12.0, 7.9], load_average=0.9,
                           precision=['float32', 'bfloat16', 'bfloat16']))
    text = sm.speed_text(sp)
    assert 'ddpm at 50 steps 20.5 s; ddpm at 50 steps in bfloat16 12.0 s; dpm++2m at 15 steps in bfloat16 7.9 s' in text
    assert text.endswith('Within the target of 10 s: dpm++2m at 15 steps in bfloat16.')
    assert 'in bfloat16' not in sm.speed_text(sp.drop(columns='precision'))


def test_mass_check_reports_each_decoding_and_its_paired_rf_change(tmp_path):
    "Three decodings of one draw per fit; the share comes from the run's JSON; RF is paired with the model's values."
    import json
    import marginals as mg
    assert mg.load_mass(tmp_path) is None
    folder = tmp_path / 'bench' / 'validation' / 'marginals' / 'mass1'
    folder.mkdir(parents=True)
    rows = [dict(dataset='adult', model_seed=s, variant=v, stratified=cols, tstr_ratio_rf=rf + 0.01 * s,
                 tstr_ratio_gb=0.95, column_shapes=0.98)
            for s in (0, 1) for v, cols, rf in (("model's values", None, 0.97), ('fitted marginals', 'a, b, c', 0.95),
                                                ('fitted, no mass columns', 'a, b', 0.97))]
    pd.DataFrame(rows).to_csv(folder / 'mass.csv', index=False)
    (folder / 'mass.json').write_text(json.dumps(dict(config=dict(mass=0.1))))
    text = mg.mass_text(mg.load_mass(tmp_path))
    assert text.startswith('On the validation rows of adult (2 fits') and 'stratifies only a, b, the columns' in text
    assert 'at most 10% of the rows' in text and "fitted marginals: RF 0.955, GB 0.950" in text
    assert "RF paired with the model's values −0.020 [−0.020, −0.020]" in text
    assert text.endswith('+0.000, +0.000].')


def _three_decodings(folder, variant, datasets=('adult', 'pima'), shapes=0.987, rf=0.97, copies=None):
    "mass.csv of one draw per fit (seeds 0-2) decoded with the model's values, fitted marginals and `variant`."
    folder.mkdir(parents=True)
    base = dict(tstr_ratio_gb=0.95, column_pair_trends=0.97, detection_auc=0.55, dcr_share=0.52)
    sh = {"model's values": 0.97, 'fitted marginals': 0.99, variant: shapes}
    r = {"model's values": 0.97, 'fitted marginals': 0.95, variant: rf}
    pd.DataFrame([base | dict(dataset=d, model_seed=k, variant=v, tstr_ratio_rf=r[v] + 0.001 * k,
                              column_shapes=sh[v] + 0.001 * k, exact_copies=(copies or {}).get((k, v), 0))
                  for d in datasets for k in (0, 1, 2) for v in sh]).to_csv(folder / 'mass.csv', index=False)


def test_mass_rule_compares_with_the_current_fitted_marginals(tmp_path):
    "The variant must not lose to fitted marginals and must keep shapes above the model's values."
    import marginals as mg
    assert mg.load_mass_all(tmp_path) is None
    _three_decodings(tmp_path / 'bench' / 'validation' / 'marginals_mass' / 'part1', mg.NO_MASS)
    df = mg.load_mass_all(tmp_path)
    text = mg.mass_verdict(df)
    assert 'paired with the same sample fitted marginals (6 pairs)' in text and 'column shapes −0.003' in text
    assert text.endswith('It **meets** the rule.')  # a shapes loss of 0.003 is within the tolerance
    df.loc[df.setting == mg.NO_MASS, 'column_shapes'] = 0.97
    text = mg.mass_verdict(df)
    assert 'column shapes (all tables)' in text and text.endswith('It does **not** meet the rule.')


def test_held_rule_reads_its_own_folder_and_compares_with_fitted_marginals(tmp_path):
    "The point-mass variant is judged on marginals_held/ only, against fitted marginals and the model's shapes."
    import marginals as mg
    assert mg.load_held(tmp_path) is None
    for part, datasets in (('part1', ('adult',)), ('part2', ('pima',))):
        _three_decodings(tmp_path / 'bench' / 'validation' / 'marginals_held' / part, mg.HELD, datasets, 0.989)
    df = mg.load_held(tmp_path)
    assert sorted(df.dataset.unique()) == ['adult', 'pima'] and mg.load_mass_all(tmp_path) is None
    text = mg.held_verdict(df)
    assert "Keeping the model's point masses" in text and '(6 pairs)' in text and mg.held_pass(df)
    assert text.endswith('It **meets** the rule.')
    df.loc[(df.setting == mg.HELD) & (df.dataset == 'pima'), 'dcr_share'] = 0.56  # one table over the DCR limit
    assert not mg.held_pass(df) and mg.held_verdict(df).endswith('It does **not** meet the rule.')


def test_recheck_rule_compares_copies_table_by_table(tmp_path):
    "Copies before the filter fail HELD_RULE whenever a sample holds one; RECHECK_RULE only when a table adds some."
    import marginals as mg
    assert mg.load_recheck(tmp_path) is None
    copies = {(0, 'fitted marginals'): 1, (0, mg.HELD): 2, (1, 'fitted marginals'): 8, (1, mg.HELD): 7}
    _three_decodings(tmp_path / 'bench' / 'validation' / 'marginals_held_recheck' / 'part1', mg.HELD,
                     ('nlschools',), 0.989, 0.95, copies)
    df = mg.load_recheck(tmp_path)
    assert not mg.held_pass(df) and mg.recheck_pass(df)
    text = mg.recheck_verdict(df)
    assert "2 fitted, model's masses samples hold exact copies" in text
    assert "nlschools 9 → 9; no table has more)" in text and text.endswith('It **meets** the rule.')
    assert mg.copies_text(df) == ("Sample by sample, 2 fits hold copies under either decoding; the fitted, model's "
                                  "masses sample holds more than the fitted marginals sample on 1 (nlschools seed 0: "
                                  "2 against 1).")
    df.loc[(df.setting == mg.HELD) & (df.model_seed == 2), 'exact_copies'] = 1  # now the table adds one
    assert not mg.recheck_pass(df) and 'more on nlschools' in mg.recheck_verdict(df)
    assert mg.over_limit_text(df) == 'No decoding has a mean DCR share above 0.55 on any table.'
    df.loc[df.setting == 'fitted marginals', 'dcr_share'] = 0.56
    assert mg.over_limit_text(df) == ("Mean DCR share above 0.55 for some decoding on nlschools (model's values: "
                                      "0.520; fitted marginals: 0.560; fitted, model's masses: 0.520).")


def test_now_consequence_needs_the_rule_and_the_speed():
    "A setting that passes the sampler rule becomes the default only if its bfloat16 sample is within the target."
    import sampler as sm
    q = dict(tstr_ratio_rf=0.97, tstr_ratio_gb=0.96, column_shapes=0.99, column_pair_trends=0.97, dcr_share=0.52)
    rows = [q | dict(dataset=d, model_seed=k, n_sample_steps=st, order=o, eta=1.0, sample_offset=0,
                     detection_auc=0.55 + 0.001 * k) for d in ('diamonds', 'pima') for k in (0, 1, 2)
            for st, o in ((50, 1), (20, 2), (25, 2))]
    df = pd.DataFrame(rows)
    assert sm.chosen(df) == (20, 2, 1.0)
    assert sm.now_consequence(df, None).endswith('its speed has not been measured yet.')
    speed = pd.DataFrame(dict(sampler=['dpm++2m', 'dpm++2m'], n_sample_steps=[20, 20], n=[100_000] * 2,
                              precision=['float32', 'bfloat16'], seconds=[12.0, 8.5]))
    assert sm.now_consequence(df, speed).endswith("draws 100,000 rows in 8.5 s: it becomes the default "
                                                  "(`sampler='dpm++2m'`, `n_sample_steps=20`).")
    assert 'more than 10 s: the default stays' in sm.now_consequence(df, speed.assign(seconds=11.0))
    df.loc[df.order == 2, 'tstr_ratio_rf'] = 0.90  # both fast settings lose clearly
    assert sm.now_consequence(df, speed) == 'The default therefore stays at 50 DDPM steps.'
    df.loc[(df.dataset == 'pima') & (df.n_sample_steps == 20), 'dcr_share'] = 0.49
    assert sm.dcr_change(df, (20, 2, 1.0)) == 'diamonds 0.520 → 0.520, pima 0.520 → 0.490'


def test_confirm_check_pools_both_runs_and_weighs_the_dcr_share():
    "The 20-step sampler stays only if, pooled over both runs, no quality loss and no DCR rise is significant."
    import sampler as sm
    q = dict(tstr_ratio_rf=0.97, tstr_ratio_gb=0.96, column_shapes=0.99, column_pair_trends=0.97)
    def run(seeds, dcr_new):
        return pd.DataFrame([q | dict(dataset=d, model_seed=k, n_sample_steps=st, order=o, eta=1.0, sample_offset=0,
                                      detection_auc=0.55 + 0.001 * k,
                                      dcr_share=(dcr_new if o == 2 else 0.52) + 0.002 * k)
                             for d in ('diamonds', 'pima') for k in seeds for st, o in ((50, 1), (20, 2))])
    text, ok = sm.confirm_check(run((0, 1, 2), 0.52), run((3, 4, 5), 0.52))
    assert ok and text.startswith('Pooled over 12 fits of 2 tables') and text.endswith('**stays** the default.')
    text, ok = sm.confirm_check(run((0, 1, 2), 0.56), run((3, 4, 5), 0.56))  # +0.04 on every fit
    assert not ok and 'significantly above 0.005 on diamonds, pima' in text and 'returns to 50 DDPM' in text
    first, second = run((0, 1, 2), 0.52).assign(fit_s=80.0), run((3, 4, 5), 0.52).assign(fit_s=80.0)
    second.loc[(second.dataset == 'pima') & (second.model_seed == 4), 'fit_s'] = 12.0
    second.loc[(second.dataset == 'pima') & (second.model_seed == 4) & (second.order == 2), 'tstr_ratio_rf'] = 0.5
    assert sm.worst_pair(first, second) == ('The largest paired RF loss is on pima, model seed 4: 0.970 → 0.500, a '
                                            'fit of 12 s (the median fit of that table took 80 s).')


def test_dcr_text_names_rises_for_every_seed_and_crossings():
    "The DCR share of the paired test-bench runs: rises for every seed, and a mean that crosses the limit."
    import sampling_change as sch
    pairs = pd.DataFrame(dict(dataset=['pima'] * 3 + ['adult'] * 3, model_seed=[0, 1, 2] * 2,
                              dcr_share_before=[0.49, 0.50, 0.54, 0.52, 0.56, 0.55],
                              dcr_share_after=[0.54, 0.57, 0.56, 0.53, 0.54, 0.54]))
    assert sch.dcr_text(pairs) == ('The DCR share rose for every seed on pima (0.510 → 0.557). Its mean crossed the '
                                   'limit of 0.55 on pima.')
    assert sch.dcr_text(pairs[pairs.dataset == 'adult']) == ('On no table did the DCR share rise for every seed. '
                                                             "No table's mean crossed the limit of 0.55.")


def test_sampling_change_pairs_the_two_test_bench_runs_seed_by_seed(tmp_path):
    "Rows of the earlier run pair with the new run's by (dataset, seed); peers and reference rows are left out."
    import sampling_change as sch
    assert sch.load_pairs(tmp_path) is None
    bench = tmp_path / 'bench'
    (bench / 'before_sampling').mkdir(parents=True); (bench / 'ours' / 'big').mkdir(parents=True)
    base = dict(generator='tabdiffusion', tstr_ratio_gb=0.95, column_pair_trends=0.97, detection_auc=0.6,
                dcr_share=0.52)
    before = [base | dict(dataset=d, model_seed=s, tstr_ratio_rf=0.97, column_shapes=0.97)
              for d in ('diamonds', 'adult') for s in (0, 1)]
    after = [base | dict(dataset=d, model_seed=s, tstr_ratio_rf=0.97 - (0.03 if d == 'adult' else -0.01 * s),
                         column_shapes=0.99) for d in ('diamonds', 'adult') for s in (0, 1)]
    ref = dict(base, generator='real holdout', dataset='adult', model_seed=None, tstr_ratio_rf=1.0, column_shapes=1.0)
    pd.DataFrame(before[:2]).to_csv(bench / 'before_sampling' / 'bench.csv', index=False)
    pd.DataFrame(before[2:] + [ref]).to_csv(bench / 'before_sampling' / 'big_bench.csv', index=False)
    pd.DataFrame(after[:2]).to_csv(bench / 'ours' / 'bench.csv', index=False)
    pd.DataFrame(after[2:] + [ref]).to_csv(bench / 'ours' / 'big' / 'bench.csv', index=False)
    pairs = sch.load_pairs(tmp_path)
    assert len(pairs) == 4
    table = sch.change_table(pairs)
    assert list(table.dataset) == ['diamonds', 'adult'] and table['column shapes'].iloc[0] == '0.970 → 0.990'
    assert table['TSTR ratio (RF)'].iloc[1] == '0.970 → 0.940'
    assert sch.change_text(pairs) == ('Column shapes rose for every seed on diamonds, adult. The RF ratio fell for '
                                      'every seed on adult (−0.030).')


def test_refit_study_pairs_each_refit_fit_with_the_default_of_its_run(tmp_path):
    "Refit rows pair with the default's by (dataset, seed); the rule allows one table without a higher RF ratio."
    import json
    import refit
    assert refit.load_refit(tmp_path) is None
    folder = tmp_path / 'bench' / 'validation' / 'refit' / 'q1'
    folder.mkdir(parents=True)
    base = dict(tstr_ratio_gb=0.90, column_shapes=0.97, column_pair_trends=0.97, detection_auc=0.55,
                dcr_share=0.52, mia_auc=0.51, epochs_run=600)
    rows = [base | dict(dataset=ds, spec=spec, model_seed=s, fit_s=10.0 * (1 + 0.75 * (spec != 'tabdiffusion')),
                        tstr_ratio_rf=0.90 + 0.01 * s + (0.02 if spec != 'tabdiffusion' and ds != 'c' else 0.0))
            for ds in 'abc' for spec in ('tabdiffusion', 'tabdiffusion:refit=True') for s in (0, 1, 2)]
    pd.DataFrame(rows).to_csv(folder / 'validation.csv', index=False)
    (folder / 'validation.json').write_text(json.dumps(dict(commit='abcdef123', config=dict(
        datasets=['a', 'b', 'c'], seeds=[0, 1, 2]))))
    df = refit.load_refit(tmp_path)
    assert list(df.setting.value_counts().sort_index()) == [9, 9]
    verdict = refit.refit_verdict(df)
    assert verdict.startswith('**refit** (9 paired fits)') and 'higher on 2 of 3 tables (a, b)' in verdict
    assert 'It **meets** the rule.' in verdict and 'times the default\'s (a 1.75, b 1.75, c 1.75)' in verdict
    copies = df.assign(dcr_share=np.where((df.setting == 'refit') & (df.dataset == 'b'), 0.6, df.dcr_share))
    assert 'mean DCR share above 0.55 on b' in refit.refit_verdict(copies)
    table = refit.refit_table(df)
    assert len(table) == 6 and table.iloc[0]['TSTR ratio (RF)'] == '0.910 ± 0.010'
    assert refit.refit_runs(tmp_path) == '`refit/q1`: commit abcdef1, datasets a, b, c, model seeds 0, 1, 2.'


def test_target_fix_pairs_the_new_default_with_the_refit_studys_default_fits(tmp_path):
    "New default rows pair with the refit run's default rows by (dataset, seed); the refit rows are left out."
    import json
    import target_fix as tf
    assert tf.load_target_fix(tmp_path) is None
    val = tmp_path / 'bench' / 'validation'
    base = dict(tstr_ratio_gb=0.90, column_shapes=0.97, column_pair_trends=0.97, detection_auc=0.55, mia_auc=0.51)
    old = pd.DataFrame([base | dict(dataset=ds, spec=spec, model_seed=s, tstr_ratio_rf=0.9 + 0.01 * s, dcr_share=0.52)
                        for ds in 'ab' for spec in ('tabdiffusion', 'tabdiffusion:refit=True') for s in (0, 1, 2)])
    new = pd.DataFrame([base | dict(dataset=ds, spec='tabdiffusion', model_seed=s, tstr_ratio_rf=0.92 + 0.01 * s,
                                    dcr_share=0.56 if ds == 'b' else 0.52) for ds in 'ab' for s in (0, 1)])
    for folder, df in (('refit/q1', old), ('target_fix/q1', new)):
        (val / folder).mkdir(parents=True)
        df.to_csv(val / folder / 'validation.csv', index=False)
    (val / 'target_fix/q1/validation.json').write_text(json.dumps(dict(commit='1234567abc', config=dict(
        datasets=['a', 'b'], seeds=[0, 1]))))
    df = tf.load_target_fix(tmp_path)
    assert len(df) == 8 and set(df.setting) == {'default', 'trees without held rows'}  # seed 2 has no partner
    verdict = tf.target_fix_verdict(df)
    assert verdict.startswith('Trees without the held-back rows (4 paired fits)')
    assert 'TSTR ratio (RF) +0.020 [+0.020, +0.020]' in verdict and 'excludes zero for TSTR ratio (RF). ' \
        in verdict and verdict.endswith('above 0.55 on b.')
    assert tf.target_fix_runs(tmp_path) == '`target_fix/q1`: commit 1234567, datasets a, b, model seeds 0, 1.'


def test_more_steps_rule_needs_lower_detection_and_picks_the_fewest_steps(tmp_path):
    "100 and 200 steps both lower detection without losses: the rule picks 100; a setting that copies is refused."
    import more_steps as ms
    assert ms.load_more(tmp_path) is None and ms.steps_text(None) == '–'
    rows = []
    for ds in 'ab':
        for seed in (0, 1, 2):
            for steps, offset, det, dcr in ((50, 0, 0.60, 0.52), (50, 1, 0.601, 0.52), (100, 0, 0.58, 0.52),
                                            (200, 0, 0.575, 0.52), (1000, 0, 0.57, 0.6)):
                rows.append(dict(dataset=ds, model_seed=seed, n_sample_steps=steps, order=1, eta=1.0,
                                 sample_offset=offset, tstr_ratio_rf=0.95 + 0.01 * seed, tstr_ratio_gb=0.95,
                                 column_shapes=0.97, column_pair_trends=0.96, detection_auc=det + 0.001 * seed,
                                 dcr_share=dcr, sample_s=steps / 50))
    folder = tmp_path / 'bench' / 'sampler_more' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'sampler.csv', index=False)
    df = ms.load_more(tmp_path)
    assert ms.more_pick(df) == (100, 1, 1.0) and ms.steps_text(df) == '50, 100, 200 and 1,000'
    verdict = ms.more_verdict(df)
    assert '- 100 steps, DDPM (6 pairs)' in verdict and 'detection lower over all tables' in verdict
    assert 'mean DCR share above 0.55 on a table' in verdict and verdict.endswith('It picks **100 steps, DDPM**.')
    table = ms.more_table(df)
    assert list(table.columns[:3]) == ['dataset', 'sampler', 'samples'] and table['sample (s)'].iloc[1] == '2.00'
    assert ms.more_pick(df[df.n_sample_steps.isin([50, 1000])]) is None


def test_release_check_rule_pairs_the_arms_by_table_and_seed(tmp_path):
    "The release's draws are adopted only with no significant quality loss or DCR rise and no higher mean DCR."
    import release_check as rc
    assert rc.load_release_check(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.94, column_shapes=0.98, column_pair_trends=0.97,
                detection_auc=0.6, mia_auc=0.5, kept_epoch=100, check_dcr=0.54, fit_s=10.0)
    def write(arm, dcr, rf=0.0):
        rows = [base | dict(dataset=ds, model_seed=s, dcr_share=dcr + 0.001 * s, tstr_ratio_rf=0.95 + rf + 0.002 * s)
                for ds in ('pima', 'abalone') for s in range(3)]
        (tmp_path / 'bench' / 'validation' / 'release_check' / arm).mkdir(parents=True, exist_ok=True)
        pd.DataFrame(rows).to_csv(tmp_path / 'bench' / 'validation' / 'release_check' / arm / 'validation.csv')
    write('default', 0.55)
    assert rc.load_release_check(tmp_path) is None  # one arm is not a comparison
    write('release', 0.53)
    df = rc.load_release_check(tmp_path)
    text, ok = rc.release_check(df)
    assert ok and 'DCR share -0.020 (mean 0.551 → 0.531)' in text, text
    assert rc.release_verdict(df).endswith('**draw as the release does** from now on.')
    assert len(rc.release_table(df)) == 4
    assert rc.checkpoint_text(df).startswith('The release\'s draws kept another checkpoint on 0 of 6 fits.')
    write('release', 0.56)  # a higher mean DCR share fails, even where no table's rise is significant
    assert not rc.release_check(rc.load_release_check(tmp_path))[1]
    write('release', 0.53, rf=-0.05)  # a large RF loss on every seed is significant
    text, ok = rc.release_check(rc.load_release_check(tmp_path))
    assert not ok and 'pima TSTR RF (+0.050' in text, text


def test_cap_rule_picks_the_least_tstr_loss_under_the_speed_cap():
    "Among settings that pass the sampler rule and are fast enough, the smallest mean TSTR loss wins."
    import sampler as sm
    rows = []
    loss = {(50, 1, 1.0): 0.0, (20, 2, 1.0): 0.03, (30, 2, 1.0): 0.02, (25, 1, 1.0): 0.01, (30, 1, 1.0): 0.0}
    for ds in ('diamonds', 'abalone'):
        for seed in range(3):
            for (steps, order, eta), d in loss.items():
                rows.append(dict(dataset=ds, model_seed=seed, sample_offset=0, n_sample_steps=steps, order=order,
                                 eta=eta, tstr_ratio_rf=0.97 - d + 0.001 * seed, tstr_ratio_gb=0.96 - d,
                                 column_shapes=0.99, column_pair_trends=0.97, detection_auc=0.5, dcr_share=0.52))
    speed = pd.DataFrame(dict(sampler=['dpm++2m', 'dpm++2m', 'ddpm', 'ddpm'], n_sample_steps=[20, 30, 25, 30],
                              precision='bfloat16', seconds=[7.5, 9.6, 8.5, 10.4]))
    text, pick = sm.cap_choice(pd.DataFrame(rows), speed, tol=0.005)
    # 30 DDPM steps lose nothing but are too slow; every other setting loses on every fit: significant at 0.005
    assert '30 steps, DDPM +0.000, 10.4 s, too slow' in text, text
    assert '25 steps, DDPM +0.010, 8.5 s (fails the sampler rule: abalone tstr_ratio_rf +0.010' in text, text
    assert pick is None and text.endswith('No setting qualifies: the default stays as it is.')
    text, pick = sm.cap_choice(pd.DataFrame(rows), speed, tol=0.05)  # a loose tolerance: all pass, 25 DDPM least
    assert pick == (25, 1, 1.0) and text.endswith('has the smallest loss among those that qualify and becomes the '
                                                  'default.'), text


def test_speed_noise_names_fewer_steps_that_took_longer():
    "The timing note names settings where fewer steps took longer, and the settings timed in both runs."
    import sampler as sm
    now = pd.DataFrame(dict(sampler=['ddpm', 'ddpm', 'dpm++2m'], n_sample_steps=[25, 30, 20], precision='bfloat16',
                            seconds=[10.1, 9.8, 7.8]))
    then = pd.DataFrame(dict(sampler=['dpm++2m', 'ddpm'], n_sample_steps=[20, 50], precision='bfloat16',
                             seconds=[7.5, 13.5]))
    text = sm.speed_noise_text(now, then)
    assert text.startswith('The timings are noisy: ddpm at 25 steps took 10.1 s and at 30 steps 9.8 s. '), text
    assert text.endswith('(`sampler/speed.csv`): dpm++2m at 20 steps 7.5 s then, 7.8 s now. '), text
    assert sm.speed_noise_text(now.assign(seconds=[9.0, 9.8, 7.8]), None) == ''


def test_redraw_text_tells_the_held_back_set_from_copying(tmp_path):
    "A fit that failed its first look with its own held-back rows, refitted with others: the text says what changed."
    import redraw as rd
    assert rd.load_redraw(tmp_path) is None
    df = pd.DataFrame(dict(dataset='abalone', model_seed=[7, 7, 7, 6], shift=[0, 100, 200, 0],
                           first_look_share=[0.559, 0.503, 0.556, 0.52], first_look_ok=[False, True, False, True],
                           kept_epoch=[94, 1500, 163, 1500], fit_s=[16, 84, 11, 80],
                           tstr_ratio_rf=[0.376, 0.878, 0.936, 0.9], dcr_share=[0.517, 0.543, 0.537, 0.53]))
    text = rd.redraw_text(df)
    assert text.startswith('With its own held-back rows, the fit of model seed 7 failed the first look (share 0.559) '
                           'and kept a model of at most 94 passes.'), text
    assert text.endswith('1 of 2 refits passed the first look (share 0.503); it kept 1500 passes, and its sample\'s '
                         'DCR share on the validation holdout was 0.543 (within the limit of 0.55).'), text
    assert rd.redraw_text(df[df.model_seed == 6]) == 'With its own held-back rows, every fit passed its first look.'
    assert list(rd.redraw_table(df)['held-back rows'][:2]) == ["the default's", 'of seed + 100']


def test_short_fits_counts_fits_far_below_the_median_time():
    "Fits under a quarter of the table's median fit time are counted once per model seed."
    import redraw as rd
    run = pd.DataFrame(dict(dataset='abalone', model_seed=[0, 0, 1, 2, 3], fit_s=[80.0, 80.0, 12.0, 75.0, 90.0]))
    assert rd.short_fits([run, None]) == ("1 of 4 fits of the sampler studies on abalone's validation rows ended "
                                          'within 12 s (the median fit took 78 s)')
    assert rd.short_fits([run[run.model_seed != 1]]).startswith('none of 3 fits')
    assert rd.short_fits([None, None]) == ''


def test_redraw_verdict_applies_the_rule_stated_before_the_run(tmp_path):
    "The redraw candidate against the default: only fits with no passing checkpoint may change; the rule decides."
    import redraw as rd
    assert rd.load_redraw_check(tmp_path) is None
    base = dict(dataset='abalone', spec='tabdiffusion', model_seed=[10, 11, 12], kept_epoch=[94, 1200, 1200],
                fit_s=[12.0, 80.0, 81.0], tstr_ratio_rf=[0.40, 0.95, 0.96], tstr_ratio_gb=[0.4, 0.9, 0.9],
                column_shapes=0.98, column_pair_trends=0.97, dcr_share=[0.51, 0.52, 0.53], exact_copies=0)
    d = pd.DataFrame(base | dict(check_passed=[False, True, True]))
    c = pd.DataFrame(base | dict(check_passed=True, kept_epoch=[1200, 1200, 1200], fit_s=[92.0, 80.0, 81.0],
                                 tstr_ratio_rf=[0.93, 0.95, 0.96], dcr_share=[0.54, 0.52, 0.53]))
    for arm, frame in (('default', d), ('candidate', c)):
        (tmp_path / 'bench' / 'validation' / 'redraw' / arm).mkdir(parents=True)
        frame.to_csv(tmp_path / 'bench' / 'validation' / 'redraw' / arm / 'validation.csv', index=False)
    both = rd.load_redraw_check(tmp_path)
    assert sorted(both.arm.unique()) == ['candidate', 'default'] and len(both) == 6
    text = rd.redraw_verdict(both)
    assert text.startswith('The default left 1 of 3 fits with no passing checkpoint (condition 1 met). On it, the '
                           'redraw moved the mean TSTR ratio (RF) from 0.400 to 0.930 (condition 2 met)'), text
    assert text.endswith('the other 2 fits kept their scores (condition 4 met). The redraw becomes the default.'), text
    table = rd.redraw_check_table(both)
    assert list(table['model seed']) == [10, 11, 12] and table['candidate: kept pass'][0] == '1200'
    leaky = both.copy(); leaky.loc[(leaky.arm == 'candidate') & (leaky.model_seed == 10), 'dcr_share'] = 0.57
    assert rd.redraw_verdict(leaky).endswith('(condition 4 met). The default stays as it is.')
    assert '(condition 3 not met)' in rd.redraw_verdict(leaky)
    moved = both.copy(); moved.loc[(moved.arm == 'candidate') & (moved.model_seed == 11), 'tstr_ratio_rf'] = 0.9
    assert '(condition 4 not met)' in rd.redraw_verdict(moved)
    none = both.assign(check_passed=True)
    assert rd.redraw_verdict(none).startswith('None of the 3 fits of the default passed no checkpoint')


def test_trees_all_verdict_reads_the_paired_fits_by_its_rule(tmp_path):
    "Refitting the kept trees on every row against the default: paired gains, DCR per table, MIA, and the outcome."
    import target_fix as tfx
    assert tfx.load_trees_all(tmp_path) is None
    base = dict(spec='tabdiffusion', dataset=['diamonds'] * 3 + ['adult'] * 3, model_seed=[0, 1, 2] * 2,
                column_pair_trends=0.97, exact_copies=0, tstr_ratio_gb=0.95, mia_auc=0.52,
                tstr_ratio_rf=[0.96, 0.97, 0.98, 0.94, 0.95, 0.96], dcr_share=[0.52, 0.53, 0.52, 0.53, 0.54, 0.53])
    d, c = pd.DataFrame(base), pd.DataFrame(base)
    c['tstr_ratio_rf'] += 0.01; c['tstr_ratio_gb'] += 0.02; c['mia_auc'] += 0.004
    folder = tmp_path / 'bench' / 'validation' / 'trees_all'
    for arm, frame in (('default', d), ('candidate', pd.concat([c, c.iloc[:1].assign(model_seed=9)]))):
        (folder / arm).mkdir(parents=True); frame.to_csv(folder / arm / 'validation.csv', index=False)
    both = tfx.load_trees_all(tmp_path)
    assert len(both) == 12 and set(both.setting) == {'default', tfx.TREES_ALL}  # seed 9 has no pair: left out
    text = tfx.trees_all_verdict(both)
    assert text.startswith('Trees on every row against the default (6 paired fits; mean differences, 95% '
                           'intervals, positive = better): TSTR ratio (RF) +0.010'), text
    assert 'The mean DCR share per table was 0.523 to 0.533, with 0 exact copies (condition 2 met)' in text, text
    assert text.endswith('MIA AUC changed by +0.004 (condition 3 met). The refit becomes the default.'), text
    worse = both.copy(); worse.loc[worse.setting == tfx.TREES_ALL, 'tstr_ratio_gb'] -= 0.05
    assert '(condition 1 not met)' in tfx.trees_all_verdict(worse)
    assert tfx.trees_all_verdict(worse).endswith('The default stays as it is.')
    table = tfx.trees_all_table(both)
    assert list(table.setting) == ['default', tfx.TREES_ALL] * 2 and table.fits.tolist() == ['3'] * 4


def test_bf16_verdict_reads_both_arms_from_the_parts_by_its_rule(tmp_path):
    "bfloat16 training against the default: non-inferiority of TSTR, trends, DCR per table, MIA, fit time."
    import json
    import train_bf16 as tb
    assert tb.load_bf16(tmp_path) is None
    base = dict(dataset=['diamonds'] * 3 + ['adult'] * 3, model_seed=[0, 1, 2] * 2, column_pair_trends=0.97,
                exact_copies=0, tstr_ratio_gb=0.95, mia_auc=0.52, fit_s=100.0,
                tstr_ratio_rf=[0.96, 0.97, 0.98, 0.94, 0.95, 0.96], dcr_share=[0.52, 0.53, 0.52, 0.53, 0.54, 0.53])
    d, c = pd.DataFrame(base).assign(spec='tabdiffusion'), pd.DataFrame(base).assign(spec='tabdiffusion:bf16')
    c['tstr_ratio_rf'] += [0.01, -0.005, 0.0, 0.002, 0.004, -0.001]; c['tstr_ratio_gb'] += [0.0, 0.01] * 3
    c['mia_auc'] += 0.004; c['fit_s'] = [80.0, 78.0, 82.0, 75.0, 90.0, 70.0]
    folder = tmp_path / 'bench' / 'validation' / 'train_bf16'
    for part, rows in (('partA', slice(0, 3)), ('partB', slice(3, 6))):
        (folder / part).mkdir(parents=True)
        pd.concat([d.iloc[rows], c.iloc[rows]]).to_csv(folder / part / 'validation.csv', index=False)
    both = tb.load_bf16(tmp_path)
    assert len(both) == 12 and set(both.setting) == {'default', tb.BF16}
    assert tb.bf16_runs(tmp_path) == ''
    for part in ('partA', 'partB'):
        (folder / part / 'validation.json').write_text(json.dumps(
            dict(cpu='AMD EPYC', commit='abcdef0123', uncommitted=False, torch_threads=1)))
    assert tb.bf16_runs(tmp_path) == 'The 2 processes ran on AMD EPYC, at commit abcdef0, with 1 torch thread(s) each.'
    text = tb.bf16_verdict(both)
    assert text.startswith('bfloat16 training against the default (6 paired fits; on the 6 fits of diamonds, abalone, '
                           'pima, california, adult, mean differences, 95% intervals, positive = better: TSTR ratio '
                           '(RF) +0.002'), text
    assert '(condition 1 met)' in text and 'with 0 exact copies (condition 2 met)' in text, text
    assert text.endswith('MIA AUC changed by +0.004 (condition 3 met). The median fit took 21% less time '
                         '(condition 4 met). bfloat16 training becomes the default.'), text
    worse = both.copy(); worse.loc[worse.setting == tb.BF16, 'tstr_ratio_rf'] -= [0.0, 0.05, 0.0, 0.06, 0.0, 0.04]
    assert '(condition 1 not met)' in tb.bf16_verdict(worse)
    slow = both.copy(); slow.loc[slow.setting == tb.BF16, 'fit_s'] = 95.0
    assert tb.bf16_verdict(slow).endswith('(condition 4 not met). The default stays as it is.')
    table = tb.bf16_table(both)
    assert list(table.setting) == ['default', tb.BF16] * 2 and table.fits.tolist() == ['3'] * 4
    assert tb.bf16_speed_text(both) == ('Per table, the median paired fit took this much less time in bfloat16: '
                                        'diamonds 20% (100 → 80 s); adult 25% (100 → 78 s).')


def test_target_weight_pairs_its_tables_seeds_with_both_default_runs(tmp_path):
    "The target-weight check: default rows from its own run and the bfloat16 run, only the rule's seeds, paired."
    import target_weight as tw
    assert tw.load_target_weight(tmp_path) is None
    val = tmp_path / 'bench' / 'validation'
    row = dict(tstr_ratio_gb=0.95, column_pair_trends=0.97, exact_copies=0, mia_auc=0.52, dcr_share=0.52, fit_s=80.0)
    base = pd.DataFrame([dict(row, dataset=d, model_seed=s, spec='tabdiffusion', tstr_ratio_rf=0.95 + 0.01 * s)
                         for d in ('diamonds', 'abalone') for s in range(6)])
    (val / 'train_bf16' / 'partA').mkdir(parents=True)
    pd.concat([base[base.model_seed < 3], base.assign(spec='tabdiffusion:train_precision=auto')]).to_csv(
        val / 'train_bf16' / 'partA' / 'validation.csv', index=False)
    (val / 'target_weight' / 'partD').mkdir(parents=True)
    base[(base.dataset == 'abalone') & (base.model_seed >= 3)].to_csv(val / 'target_weight' / 'partD' /
                                                                    'validation.csv', index=False)
    cand = base.assign(spec=tw.TW_SPEC, tstr_ratio_rf=base.tstr_ratio_rf + [0.01, 0.02, 0.0] * 4,
                       tstr_ratio_gb=0.96, dcr_share=0.525)
    (val / 'target_weight' / 'partA').mkdir(parents=True)
    cand.to_csv(val / 'target_weight' / 'partA' / 'validation.csv', index=False)
    both = tw.load_target_weight(tmp_path)
    got = sorted(set(zip(both.dataset, both.model_seed)))
    assert got == [('abalone', 3), ('abalone', 4), ('abalone', 5), ('diamonds', 0), ('diamonds', 1), ('diamonds', 2)]
    assert len(both) == 12 and set(both.setting) == {'default', tw.TW}
    text = tw.tw_verdict(both)
    assert text.startswith('The target weighed ×4 against the default (6 paired fits; mean differences, 95% '
                           'intervals, positive = better): TSTR ratio (RF) +0.010'), text
    assert 'changed by +0.005 to +0.005, with 0 exact copies (condition 2 met)' in text, text
    assert text.endswith('(condition 3 met). The weight becomes the default.'), text
    worse = both.copy(); worse.loc[(worse.setting == tw.TW) & (worse.dataset == 'abalone'), 'dcr_share'] = 0.54
    assert '(condition 2 not met)' in tw.tw_verdict(worse) and tw.tw_verdict(worse).endswith('as it is.')
    assert list(tw.tw_table(both).setting) == ['default', tw.TW] * 2
    assert tw.tw_abalone_text(both) == ("On abalone's new seeds, which the first look did not see, the weighted fits' "
                                        'mean TSTR ratios were 1.000 (RF) and 0.960 (GB), the default\'s 0.990 and '
                                        '0.950.')


def test_gap_text_compares_each_variant_with_the_default_sample(tmp_path):
    "The TSTR gap diagnostic: one line per dataset, each variant's RF ratio against the default's sample."
    import gap
    assert gap.load_gap(tmp_path) is None
    folder = tmp_path / 'bench' / 'validation' / 'tstr_gap'; folder.mkdir(parents=True)
    rows = pd.DataFrame(dict(dataset='california', model_seed=[0] * 3 + [1] * 3, target_choice='trees',
                             table=['default', 'trees_y', 'long'] * 2,
                             tstr_ratio_rf=[0.96, 0.98, 0.95, 0.95, 0.97, 0.94], tstr_ratio_gb=0.9))
    rows.to_csv(folder / 'part_ca.csv', index=False)
    df = gap.load_gap(tmp_path)
    assert gap.gap_text(df) == ("On california (2 fits, trees kept in 2), the mean RF ratio of the default's sample "
                                'was 0.955; against it: its X, trees fitted on every row +0.020; a fit with twice '
                                'the passes −0.010.')
    t = gap.gap_table(df)
    assert list(t.table) == ["the default's sample", 'its X, trees fitted on every row', 'a fit with twice the passes']
    assert t['TSTR ratio (RF)'][0] == '0.955 ± 0.007' and t.fits.tolist() == [2, 2, 2]


def test_gap_runs_passes_and_where_the_x_holds_the_gap(tmp_path):
    "Each part's commit; passes run, kept and planned; the tables where real X beats the sample but longer fits do not."
    import gap, json
    folder = tmp_path / 'bench' / 'validation' / 'tstr_gap'; folder.mkdir(parents=True)
    base = dict(dataset='adult', target_choice='diffusion', kept_epoch=112, epochs_run=112, tstr_ratio_gb=0.95)
    rows = [base | dict(model_seed=s, table=t, tstr_ratio_rf=r + 0.002 * s,
                        **(dict(long_passes=224, long_kept=224) if t == 'long' else {}))
            for s in (0, 1) for t, r in (('default', 0.97), ('real_trees', 0.995), ('long', 0.968))]
    pd.DataFrame(rows).to_csv(folder / 'part_adult.csv', index=False)
    (folder / 'part_adult.json').write_text(json.dumps(dict(commit='93b9fc81', config=dict(datasets=['adult'],
                                                                                           seeds=[0, 1]))))
    df = gap.load_gap(tmp_path)
    assert gap.gap_runs(tmp_path) == '`part_adult`: commit 93b9fc8, datasets adult, model seeds 0, 1.'
    assert gap.passes_text(df) == ("On adult the default's fits ran 112 passes and kept 112; the longer fits "
                                   'planned 224 and kept 224.')
    assert gap.x_gap_text(df).startswith('On adult the gap sits in the synthetic `X`')
    df.loc[df.table == 'long', 'long_kept'] = 150  # the check ended a longer fit early: no claim about training
    assert gap.x_gap_text(df) == ''


def test_missed_on_lists_the_datasets_that_miss_a_target(tmp_path):
    "The datasets whose target of that name is not met; nothing before the target check ran."
    import benchmark as bm
    assert bm.missed_on('time / CTGAN', tmp_path) == []
    (tmp_path / 'bench').mkdir()
    pd.DataFrame(dict(dataset=['pima', 'pima', 'adult', 'abalone'], met=[False, True, True, None],
                      target=['time / CTGAN time < 1', 'dcr_share <= 0.55', 'time / CTGAN time < 1',
                              'time / CTGAN time < 1'], value=1.0)).to_csv(tmp_path / 'bench' / 'targets.csv',
                                                                          index=False)
    assert bm.missed_on('time / CTGAN', tmp_path) == ['pima']


def test_machines_text_names_the_machine_of_each_merged_run(tmp_path):
    "A merged benchmark whose runs came from two CPUs says so; one CPU, or no file, says nothing."
    import json
    import benchmark as bm
    assert bm.machines_text(tmp_path) == ''
    (tmp_path / 'bench').mkdir()
    src = {'results/bench/ours': {'environment': {'cpu': 'AMD EPYC'}},
           'results/bench/peers/a': {'environment': {'cpu': 'Intel Xeon'}},
           'results/bench/peers/b': {'environment': {'cpu': 'Intel Xeon'}}}
    (tmp_path / 'bench' / 'bench.json').write_text(json.dumps({'sources': src}))
    assert bm.machines_text(tmp_path).startswith('The merged runs were recorded on more than one machine: '
                                                 '`results/bench/ours` on AMD EPYC; `results/bench/peers/a`, '
                                                 '`results/bench/peers/b` on Intel Xeon.')
    assert 'CTGAN' not in bm.machines_text(tmp_path)  # no bench.csv: nothing said about CTGAN's rows
    rows = pd.DataFrame(dict(dataset='abalone', generator=['tabdiffusion', 'ctgan'],
                             run=['results/bench/ours', 'results/bench/peers/a']))
    rows.to_csv(tmp_path / 'bench' / 'bench.csv', index=False)
    assert bm.machines_text(tmp_path).endswith(' The time-vs-CTGAN targets compare CTGAN\'s rows and the '
                                               'default\'s across machines.')
    rows.assign(run='results/bench/ours').to_csv(tmp_path / 'bench' / 'bench.csv', index=False)
    assert bm.machines_text(tmp_path).endswith(' CTGAN\'s rows come from runs on the same machine as the '
                                               'default\'s (AMD EPYC), so the time-vs-CTGAN targets compare like '
                                               'with like.')
    src['results/bench/ours']['environment']['cpu'] = 'Intel Xeon'
    (tmp_path / 'bench' / 'bench.json').write_text(json.dumps({'sources': src}))
    assert bm.machines_text(tmp_path) == ''


def test_other_machine_speed_says_whether_the_target_holds_there(tmp_path):
    "Timings of the default sampler on another CPU, in both precisions, against the 10 s target."
    import sampler as sm
    assert sm.other_machine_speed(tmp_path) == ''
    (tmp_path / 'bench' / 'sampler').mkdir(parents=True)
    pd.DataFrame(dict(sampler='ddpm', n_sample_steps=[30, 50], precision='float32', n=100000, n_jobs=2,
                      seconds=[17.44, 28.7], cpu='AMD EPYC')).to_csv(tmp_path / 'bench' / 'sampler' / 'speed_amd.csv')
    text = sm.other_machine_speed(tmp_path)
    assert text == ('On the machine of the last test bench (AMD EPYC, 2 processes, 100,000 rows): ddpm at 30 steps '
                    '17.4 s; ddpm at 50 steps 28.7 s. The speed target of 10 s, met on the machine with AMX, is not '
                    'met there: the target holds for one kind of CPU only.'), text


def test_other_machine_speed_names_the_precision_that_meets_the_target(tmp_path):
    import sampler as sm
    (tmp_path / 'bench' / 'sampler').mkdir(parents=True)
    pd.DataFrame(dict(sampler='ddpm', n_sample_steps=30, precision=['float32', 'bfloat16'], n=100000, n_jobs=2,
                      seconds=[17.44, 8.94], cpu='AMD EPYC')).to_csv(tmp_path / 'bench' / 'sampler' / 'speed_amd.csv')
    text = sm.other_machine_speed(tmp_path)
    assert text.endswith('ddpm at 30 steps 17.4 s; ddpm at 30 steps in bfloat16 8.9 s. The speed target of 10 s is '
                         'met there in bfloat16, not in float32.'), text


def test_category_counts_study_needs_higher_shapes_no_loss_and_little_time(tmp_path):
    "Fitted class counts pair with the free draws by (dataset, seed); shapes must rise, DCR stay within, time too."
    import category_counts as cc
    assert cc.load_category_counts(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_pair_trends=0.97, dcr_share=0.52, exact_copies=0.0)
    rows = [base | dict(dataset=ds, model_seed=s, category_counts=m, sample_s=1.0 + 0.05 * (m == 'fitted'),
                        column_shapes=0.97 + (0.01 if m == 'fitted' else 0) + 0.001 * s,
                        detection_auc=0.60 - (0.02 if m == 'fitted' else 0))
            for ds in ('diamonds', 'adult') for s in (0, 1, 2) for m in ('model', 'fitted')]
    folder = tmp_path / 'bench' / 'validation' / 'category_counts' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'category_counts.csv', index=False)
    df = cc.load_category_counts(tmp_path)
    text = cc.cc_verdict(df)
    assert "paired with the same sample free draws (6 pairs)" in text and 'column shapes +0.010' in text
    assert 'A sample took +5% as long on average (within 10%)' in text
    assert text.endswith('Fitted class counts **meet** the rule.') and cc.cc_pass(df)
    assert len(cc.cc_table(df)) == 4 and 'longer to draw' in cc.CC_RULE
    df.loc[df.setting == 'fitted counts', 'sample_s'] = 1.2
    assert not cc.cc_pass(df) and '(beyond 10%)' in cc.cc_verdict(df)
    df.loc[df.setting == 'fitted counts', 'sample_s'] = 1.0
    df.loc[(df.setting == 'fitted counts') & (df.dataset == 'adult'), 'dcr_share'] = 0.56
    assert cc.cc_verdict(df).endswith('do **not** meet the rule.') and 'above 0.55 on adult' in cc.cc_verdict(df)


def test_category_counts_second_rule_compares_dcr_with_the_free_draws(tmp_path):
    "CC_RULE2: the DCR clause is relative to the free draws of the same fits; the rest as the first rule."
    import category_counts as cc
    assert cc.load_category_counts2(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_pair_trends=0.97, exact_copies=0.0, sample_s=1.0,
                detection_auc=0.6)
    rows = [base | dict(dataset=ds, model_seed=s, category_counts=m, dcr_share=0.552 + 0.002 * (m == 'fitted'),
                        column_shapes=0.97 + (0.01 if m == 'fitted' else 0) + 0.001 * s)
            for ds in ('diamonds', 'abalone') for s in (3, 4, 5) for m in ('model', 'fitted')]
    folder = tmp_path / 'bench' / 'validation' / 'category_counts_new' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'category_counts.csv', index=False)
    df = cc.load_category_counts2(tmp_path)
    text = cc.cc_verdict2(df)  # over 0.55 both ways, but within 0.005 of the free draws: met
    assert 'changed by +0.0020 to +0.0020 against the free draws (within 0.005)' in text and cc.cc_pass2(df)
    assert text.endswith('**meet** the rule.') and 'diamonds: free draws 0.5520' in cc.dcr_over_text(df)
    assert not cc.cc_pass(df)  # the first rule's absolute limit would fail it
    df.loc[(df.setting == 'fitted counts') & (df.dataset == 'abalone'), 'dcr_share'] += 0.004
    assert not cc.cc_pass2(df) and '(more than 0.005 on abalone)' in cc.cc_verdict2(df)
    df.loc[df.setting == 'fitted counts', 'dcr_share'] = 0.552
    df.loc[df.setting == 'fitted counts', 'exact_copies'] = 1.0
    assert not cc.cc_pass2(df)
    first = df.assign(dataset=df.dataset.replace({'abalone': 'adult'}))
    first.loc[(first.dataset == 'adult') & (first.setting == 'fitted counts'), 'detection_auc'] = 0.62
    assert 'both higher on no table' in cc.gain_text_all(first, None)  # trends the same both ways
    first.loc[first.setting == 'fitted counts', 'column_pair_trends'] += 0.004
    text = cc.gain_text_all(first, None)
    assert 'column shapes rose by +0.010 and pair trends by +0.004' in text and 'on every table' in text
    assert '0.600 → 0.620 in the first run' in cc.detection_text_all(first, None)


def test_correlations_study_needs_higher_trends_and_no_dcr_rise(tmp_path):
    "Matched correlations pair with the model's by (dataset, seed); trends must rise, DCR not rise over the model's."
    import correlations as co
    assert co.load_correlations(tmp_path) is None
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_shapes=0.98, exact_copies=0.0, sample_s=1.0,
                detection_auc=0.6, dcr_share=0.52)
    rows = [base | dict(dataset=ds, model_seed=s, correlations=m,
                        column_pair_trends=0.93 + (0.02 if m == 'fitted' else 0) + 0.001 * s)
            for ds in ('diabetes', 'pima') for s in (0, 1, 2) for m in ('model', 'fitted')]
    folder = tmp_path / 'bench' / 'validation' / 'correlations' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'correlations.csv', index=False)
    df = co.load_correlations(tmp_path)
    text = co.corr_verdict(df)
    assert 'Higher pair trends over all tables (one-sided 95%)' in text and text.endswith('**meet** the rule.')
    assert co.corr_pass(df) and len(co.corr_table(df)) == 4 and 'pair trends are higher' in co.CORR_RULE
    df.loc[(df.setting == 'matched correlations') & (df.dataset == 'diabetes'), 'dcr_share'] = 0.53
    assert not co.corr_pass(df) and '(more than 0.005 on diabetes)' in co.corr_verdict(df)
    moves = co.corr_moves_text(df)
    assert 'Pair trends: diabetes 0.931 → 0.951; pima 0.931 → 0.951' in moves
    assert 'DCR share: diabetes 0.520 → 0.530' in moves


def test_category_counts_third_run_reads_its_own_folder(tmp_path):
    "CC_RULE3: the second rule's clauses on new fits (seeds 6-8), read from category_counts_shared/."
    import category_counts as cc
    assert cc.load_category_counts3(tmp_path) is None and 'model seeds 6-8' in cc.CC_RULE3
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_pair_trends=0.97, exact_copies=0.0, sample_s=1.0,
                detection_auc=0.6, dcr_share=0.52)
    rows = [base | dict(dataset=ds, model_seed=s, category_counts=m, column_shapes=0.98 + 0.01 * (m == 'fitted')
                        + 0.001 * s) for ds in ('diamonds', 'adult') for s in (6, 7, 8) for m in ('model', 'fitted')]
    folder = tmp_path / 'bench' / 'validation' / 'category_counts_shared' / 'part1'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'category_counts.csv', index=False)
    df = cc.load_category_counts3(tmp_path)
    assert cc.cc_pass3(df) and cc.cc_verdict3(df).endswith('**meet** the rule.')
    df.loc[(df.setting == 'fitted counts') & (df.dataset == 'adult'), 'detection_auc'] = 0.62
    assert not cc.cc_pass3(df) and 'detection AUC (adult)' in cc.cc_verdict3(df)


def test_adults_detection_across_the_class_count_runs():
    "detection_text_all says 'every run' only when adult's detection AUC rose in each run given."
    import category_counts as cc
    run = lambda free, fit: pd.DataFrame(dict(dataset='adult', setting=['free draws', 'fitted counts'],
                                              detection_auc=[free, fit]))
    assert 'rose in every run (0.600 → 0.610 in the first run; 0.600 → 0.620 in the second run)' in \
        cc.detection_text_all(run(0.6, 0.61), run(0.6, 0.62))
    assert 'rose in 1 of 2 runs' in cc.detection_text_all(run(0.6, 0.61), run(0.6, 0.59), None)


def test_small_table_correlations_rule_pairs_new_fits_and_counts_fit_time(tmp_path):
    "SMALL_RULE: both specs' fits paired by seed from correlations_small/; the time clause counts fit plus sample."
    import correlations as co
    assert co.load_corr_small(tmp_path) is None and 'model seeds 3-8' in co.SMALL_RULE
    base = dict(tstr_ratio_rf=0.95, tstr_ratio_gb=0.95, column_shapes=0.98, exact_copies=0.0, sample_s=0.1,
                fit_s=10.0, detection_auc=0.55, dcr_share=0.52, kept_epoch=25, check_passed=False)
    rows = [base | dict(dataset=ds, model_seed=s, spec=spec, column_pair_trends=0.9 + 0.05 * ('auto' in spec)
                        + 0.001 * s) for ds in co.SMALL_TABLES for s in co.SMALL_SEEDS for spec in co.SMALL_SPECS]
    rows.append(base | dict(dataset='pima', model_seed=3, spec='tabdiffusion:other=1', column_pair_trends=0.5))
    folder = tmp_path / 'bench' / 'validation' / 'correlations_small' / 'part_pima'
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'validation.csv', index=False)
    df = co.load_corr_small(tmp_path)
    assert len(df) == 24 and set(df.setting) == set(co.SMALL_SPECS.values())  # another spec's rows left out
    text = co.corr_small_verdict(df)
    assert co.corr_small_pass(df) and 'A fit and its sample took +0% as long' in text, text
    assert 'paired by model seed with the fits with the' in text and co.below_half_text(df) == ''
    assert len(co.corr_small_table(df)) == 4
    df.loc[df.spec.str.contains('auto'), 'fit_s'] = 11.5  # the fit, not only the sample, counts
    assert not co.corr_small_pass(df) and 'took +15% as long on average (beyond 10%)' in co.corr_small_verdict(df)
    df.loc[df.spec.str.contains('auto') & (df.model_seed < 5), 'detection_auc'] = [0.40, 0.42, 0.38, 0.30]
    assert co.below_half_text(df) == '4 of the 12 fits with matched correlations gave a detection AUC below 0.45 ' \
                                     '(lowest 0.300)'
    df.loc[df.spec.str.contains('auto') & (df.dataset == 'pima'), 'kept_epoch'] = 20
    assert co.kept_text(df) == 'diabetes 25 → 25; pima 25 → 20'
    df.loc[df.spec.str.contains('auto') & (df.dataset == 'pima') & (df.model_seed > 6), 'check_passed'] = True
    assert co.passed_text(df) == ("diabetes: 0 of 6 with the model's correlations, 0 of 6 matched; pima: 0 of 6 "
                                  "with the model's correlations, 2 of 6 matched")


def test_fold_null_text_reports_single_fold_spread_and_pooled_seeds_above_the_limit(tmp_path):
    "fold_null.csv: per table and generator, one fold's share mean ± sd and the seeds whose 4-fold mean is > 0.55."
    import small_tables as st
    assert st.load_fold_null(tmp_path) is None
    rows = [dict(dataset='diabetes', seed=s, fold=f, n_train=105 + (f == 0), n_held=36 - (f == 0), generator=g,
                 share=(0.6 if g == 'copula' and s == 0 else 0.5) + 0.01 * f)
            for s in range(2) for f in range(4) for g in ('copula', 'real holdout rows')]
    folder = tmp_path / 'bench' / 'validation' / 'fold_null'; folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'fold_null.csv', index=False)
    text = st.fold_null_text(st.load_fold_null(tmp_path))
    assert text.startswith('On diabetes (about 105 rows to train on and 36 held back per fold): ')
    assert 'the Gaussian copula 0.565 ± 0.055 (above 0.55 for 1 of 2 seeds)' in text, text
    assert 'real holdout rows 0.515 ± 0.012 (above 0.55 for 0 of 2 seeds).' in text


def test_fold_frontier_table_and_text_read_share_and_trends_by_passes(tmp_path):
    "fold_frontier/*.csv: settings x passes as 'share / trends'; the default's trends within the copula's share."
    import small_tables as st
    assert st.load_frontier(tmp_path) is None
    rows = [dict(dataset='pima', seed=0, fold=0, n_train=184, setting='copula', passes=0, share=0.545, trends=0.96)]
    rows += [dict(dataset='pima', seed=0, fold=0, n_train=184, setting='default', passes=p, share=s, trends=t)
             for p, s, t in ((10, 0.53, 0.88), (50, 0.545, 0.93), (200, 0.58, 0.96))]
    folder = tmp_path / 'bench' / 'validation' / 'fold_frontier'; folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / 'pima.csv', index=False)
    df = st.load_frontier(tmp_path)
    t = st.frontier_table(df, 'pima')
    assert list(t.columns) == ['setting', 'copula', '10 passes', '50 passes', '200 passes']
    assert t.set_index('setting').loc['default', '50 passes'] == '0.545 / 0.930'
    text = st.frontier_text(df)
    assert "On pima the copula's share was 0.545 with pair trends 0.960; within the copula's share the default " \
           "got no further than pair trends 0.930 (50 passes), and within 0.55 the default got no further than " \
           "pair trends 0.930 (50 passes)." == text, text
    df.loc[df.setting == 'default', 'share'] += 0.1
    assert 'no number of passes kept the default within 0.55' in st.frontier_text(df)
