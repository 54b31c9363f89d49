"""The DP benchmark of issue 19: ours (DP-SGD), AIM, MST and DP-CTGAN at several epsilon, in one run.

Usage: python benchmarks/dp_bench.py [--datasets diamonds california adult] [--epsilons 0.5 1 3 10]
                                     [--seeds 0 1 2 3 4] [--generators tabdiffusion aim mst dpctgan]
                                     [--split test|validation] [--n_rows N] [--quick] [--out results/bench/dp]

For each dataset, `bench_splits` (split seed 0, as `make bench`; `--split validation` carves validation rows
out of the training rows, for any choice of settings; the test split is for the final table only) gives train,
test and holdout rows; california and adult are capped as in `make bench` (`ROW_CAPS`). Every generator is
fitted on the train rows at target epsilon with delta = 1/(10 n_train), under the same public bounds
(`PUBLIC_BOUNDS`: ranges from the datasets' documentation or plain plausibility, values beyond are clipped;
category levels are the published codebooks), sampled (as many rows as train) and scored with `score_sample`
(TSTR, column shapes, pair trends, DCR share against the holdout). Ours runs here (`OURS`: the DP recipe,
`--ours` to change it); AIM, MST and DP-CTGAN run in `.venv-dp` (`make dp-peers-venv`) through
`benchmarks/dp_peers.py`, with CSV files as the bridge. Rows are appended to dp.csv as they finish (a rerun
skips rows already there); dp.json records commit, versions and config; dp_utility.png plots utility against
epsilon, one line per generator.
"""

import json, subprocess, tempfile, time, warnings
from pathlib import Path
import pandas as pd
from fastcore.script import call_parse, Param
from tabdiffusion.baselines import make_generator
from tabdiffusion.bench import ROW_CAPS, bench_splits, environment, parse_spec, score_sample
from tabdiffusion.data import infer_schema
from tabdiffusion.datasets import load_dataset
from tabdiffusion.record import git_state

PEERS = ('aim', 'mst', 'dpctgan')
# the DP recipe under study (benchmarks/dp_recipe.py): large Poisson batches, few steps, a small denoiser
OURS = 'tabdiffusion:batch_size=1024,epochs=40,width=128,depth=2,lr=0.003'
# numeric ranges: documented top-codes and ranges (ggplot2's diamonds help page; the StatLib California
# housing file's caps; UCI adult.names) or plausibility limits where none is published; beyond: clipped
NUMERIC_BOUNDS = dict(
    diamonds=dict(carat=(0.2, 5.01), depth=(43, 79), table=(43, 95), price=(326, 18823), x=(0, 10.74),
                  y=(0, 58.9), z=(0, 31.8)),
    california=dict(MedInc=(0, 15.0001), HouseAge=(1, 52), AveRooms=(0, 20), AveBedrms=(0, 5),
                    Population=(0, 10000), AveOccup=(0, 10), Latitude=(32.5, 42.0),
                    Longitude=(-124.5, -114.0),
                    MedHouseVal=(0.14999, 5.00001)),
    adult={'age': (17, 90), 'fnlwgt': (0, 1_500_000), 'educational-num': (1, 16), 'capital-gain': (0, 99999),
           'capital-loss': (0, 5000), 'hours-per-week': (1, 99)})
METRICS = ('tstr_ratio_rf', 'column_shapes', 'column_pair_trends', 'dcr_share')


def public_bounds(ds) -> tuple:
    "`public_bounds` of `ds` in our convention, and the columns our schema treats as categorical."
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        schema = infer_schema(ds.df)
    nums, cats = NUMERIC_BOUNDS[ds.name], []
    bounds = {}
    for c in schema.columns:
        if c.is_numeric: bounds[c.name] = tuple(float(v) for v in nums[c.name])
        else:  # the codebook's levels; they are the distinct values of the whole published table
            cats.append(c.name)
            levels = sorted(ds.df[c.name].dropna().unique().tolist(), key=str)
            bounds[c.name] = [v.item() if hasattr(v, 'item') else v for v in levels]
    return bounds, cats


def fit_ours(spec: str, train: pd.DataFrame, ds, bounds: dict, eps: float, seed: int) -> tuple:
    "Fit and sample ours with DP; (sample, record)."
    name, params = parse_spec(spec)
    gen = make_generator(name, random_state=seed, **({'verbose': False} | params), dp_epsilon=eps,
                         public_bounds=bounds)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        t0 = time.perf_counter(); gen.fit(train, target=ds.target)
        t1 = time.perf_counter(); synth = gen.sample(len(train), random_state=seed)
    rec = dict(fit_s=t1 - t0, sample_s=time.perf_counter() - t1, epsilon_spent=gen.dp_epsilon_,
               delta_spent=gen.dp_delta_, epochs_run=len(gen.history_), accounting='opacus RDP (ours)',
               params=json.dumps(gen.get_params(), default=str))
    return synth, rec


def fit_peer(name: str, train: pd.DataFrame, bounds: dict, cats: list, eps: float, seed: int, python: str,
             extra: list) -> tuple:
    "Fit and sample a smartnoise peer in `.venv-dp` through CSV files; (sample, record)."
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        train.to_csv(tmp / 'train.csv', index=False)
        (tmp / 'bounds.json').write_text(json.dumps(bounds))
        cmd = [python, str(Path(__file__).with_name('dp_peers.py')), '--train', str(tmp / 'train.csv'),
               '--bounds', str(tmp / 'bounds.json'), '--generator', name, '--epsilon', str(eps),
               '--seed', str(seed), '--out_csv', str(tmp / 'synth.csv'), '--out_json', str(tmp / 'fit.json'),
               *(['--categorical', *cats] if cats else []), *extra]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode: raise RuntimeError(f"{name} failed: {done.stderr.strip().splitlines()[-1:]}")
        synth = pd.read_csv(tmp / 'synth.csv')
        rec = json.loads((tmp / 'fit.json').read_text())
    for c in train.columns:  # CSV round trip: give the sample the training rows' dtypes where they fit
        if not pd.api.types.is_numeric_dtype(train[c]): synth[c] = synth[c].astype(train[c].dtype)
    rec['params'] = json.dumps(dict(n_bins=rec.pop('n_bins'), extra=extra))
    return synth, {k: rec[k] for k in ('fit_s', 'sample_s', 'epsilon_spent', 'delta_spent', 'params',
                                       'accounting', 'versions')} | dict(epochs_run=rec.get('epochs_run'))


def plot_utility(table: pd.DataFrame, path: Path, metrics=METRICS):
    "Mean ± sd of `metrics` against target epsilon, one panel per (dataset, metric), one line per generator."
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    ok = table[table.error.isna()] if 'error' in table else table
    names = sorted(ok.dataset.unique())
    fig, axes = plt.subplots(len(names), len(metrics), figsize=(3.6 * len(metrics), 2.8 * len(names)),
                             squeeze=False)
    for row, name in zip(axes, names):
        for ax, m in zip(row, metrics):
            for gen, part in ok[ok.dataset == name].groupby('generator'):
                g = part.groupby('epsilon')[m].agg(['mean', 'std'])
                ax.errorbar(g.index, g['mean'], yerr=g['std'].fillna(0), marker='o', capsize=3, label=gen)
            ax.set_xscale('log'); ax.set_xlabel('target ε'); ax.set_title(f'{name}: {m}', fontsize=9)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout(); fig.savefig(path, dpi=110); plt.close(fig)


@call_parse
def main(datasets: Param("registry names", str, nargs='+') = ('diamonds', 'california', 'adult'),
         epsilons: Param("target epsilons", float, nargs='+') = (0.5, 1, 3, 10),
         seeds: Param("model seeds (the split's seed is 0)", int, nargs='+') = (0, 1, 2, 3, 4),
         generators: Param("tabdiffusion and smartnoise peers", str, nargs='+') = ('tabdiffusion', *PEERS),
         ours: str = OURS,  # spec of ours, as `tabdiffusion bench` takes it (dp_epsilon and bounds are added)
         split: str = 'test',  # 'validation': rows carved from the training rows (for choices)
         n_rows: int = None,  # subsample every dataset to at most this many rows (smoke runs)
         quick: bool = False,  # fewer trees in the scores
         peers_python: str = '.venv-dp/bin/python',  # the interpreter of `make dp-peers-venv`
         dpctgan_epochs: int = 300,  # DP-CTGAN's cap on epochs (it stops when epsilon is spent)
         out: str = 'results/bench/dp',  # folder of dp.csv, dp.json and dp_utility.png
        ):
    "Run the DP grid and write its table, record and plot."
    if any(g in PEERS for g in generators) and not Path(peers_python).exists():
        raise SystemExit(f"error: {peers_python} not found: run `make dp-peers-venv` first")
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    csv = out / 'dp.csv'
    table = pd.read_csv(csv) if csv.exists() else pd.DataFrame()
    key = lambda r: (r['dataset'], r['generator'], float(r['epsilon']), int(r['seed']), r['split'])
    done = {key(r) for r in table.to_dict('records')} if len(table) else set()
    info, peer_versions = {}, {}
    for name in datasets:
        cap = min([r for r in (n_rows, ROW_CAPS.get(name)) if r], default=None)
        ds = load_dataset(name, n_rows=cap, seed=0)
        sp = bench_splits(ds, seed=0, split=split)
        bounds, cats = public_bounds(ds)
        info[name] = dict(n_rows=len(ds.df), n_train=len(sp.train), n_test=len(sp.test), bounds=bounds)
        for eps in epsilons:
            for gen in generators:
                for seed in seeds:
                    row = dict(dataset=name, generator=gen, epsilon=float(eps), seed=seed, split=split,
                               n_fit=len(sp.train), delta=1 / (10 * len(sp.train)))
                    if key(row) in done: continue
                    try:
                        if gen in PEERS:
                            extra = ['--epochs', str(dpctgan_epochs)] if gen == 'dpctgan' else []
                            synth, rec = fit_peer(gen, sp.train, bounds, cats, eps, seed, peers_python, extra)
                            peer_versions = rec.pop('versions')
                        else:
                            spec = ours if gen == 'tabdiffusion' else gen
                            synth, rec = fit_ours(spec, sp.train, ds, bounds, eps, seed)
                        row |= rec | score_sample(ds, sp, synth, seed=seed, quick=quick, eval_seeds=(0,))
                    except Exception as e:  # one failed cell is recorded, the grid goes on
                        row['error'] = f'{type(e).__name__}: {e}'[:300]
                    print({k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()
                           if k not in ('params', 'accounting')}, flush=True)
                    table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
                    table.to_csv(csv, index=False)
    meta = dict(environment(), **git_state(),
                peer_versions=peer_versions, datasets=info,
                config=dict(datasets=datasets, epsilons=epsilons, seeds=seeds, generators=generators,
                            ours=ours,
                            split=split, n_rows=n_rows, quick=quick, dpctgan_epochs=dpctgan_epochs,
                            split_seed=0, row_caps=ROW_CAPS), protocol=__doc__)
    (out / 'dp.json').write_text(json.dumps(meta, indent=1, default=str))
    if len(table): plot_utility(table, out / 'dp_utility.png')
    cols = [c for c in ('fit_s', 'epsilon_spent', *METRICS) if c in table]
    print(table.groupby(['dataset', 'generator', 'epsilon'])[cols].mean().round(3).to_string())
