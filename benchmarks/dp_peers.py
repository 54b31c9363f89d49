"""Fit a smartnoise-synth DP peer (AIM, MST or DP-CTGAN) on a CSV; write a synthetic CSV and a JSON record.

Runs INSIDE `.venv-dp` (`make dp-peers-venv`), never in `.venv`: smartnoise-synth pins pandas < 3 and opacus
0.14, so this script imports neither tabdiffusion nor anything of ours. The bridge to `benchmarks/dp_bench.py`
is files: a training CSV in, a synthetic CSV and a JSON out.

Usage: .venv-dp/bin/python benchmarks/dp_peers.py --train train.csv --bounds bounds.json --generator aim
           --epsilon 1 [--delta D] [--n_rows N] [--n_bins 32] [--seed 0] [--epochs 300]
           --out_csv synth.csv --out_json fit.json

Public bounds (`--bounds`): a JSON object in the convention of `TabDiffusion(public_bounds=...)`: column ->
[lo, hi] for a numeric column, column -> [level, ...] for a categorical one. They must come from public
knowledge (a codebook, a published schema), not from the rows; nothing here reads a range or a level list from
the data. What is read from the data outside the DP mechanism is the same as in our DP mode: the column dtypes
(numeric or not, integer or not) and whether a column has missing values.

Encoding (no privacy budget spent on it, because it reads no data):
- AIM and MST model discrete data only. Each numeric column is cut into `--n_bins` equal-width bins between
  its public (lo, hi); values outside are clipped to the end bins; a missing value gets a code of its own when
  the column has any. Each categorical column is coded by its position in the public level list (missing: one
  more code); a value not in the list is refused. On the way back a numeric bin is mapped to a number drawn
  uniformly within the bin (rounded for integer columns), so the synthetic values are spread over the bin, not
  stacked at its centre.
- DP-CTGAN models numeric columns directly: they are clipped to the public bounds and scaled to [-1, 1] with
  those bounds (smartnoise's MinMaxTransformer given lower/upper, so it spends no ε); categoricals are coded
  as above and one-hot encoded.
smartnoise's table transformer is fitted on a small frame built from the bounds only (every code of every
column), so `fit` gets a transformer that is already complete and spends no preprocessing ε.

Accounting, as the library reports it (the JSON's `epsilon_spent`, `delta_spent`, `accounting`):
- AIM and MST work in zero-concentrated DP: they convert (epsilon, delta) to rho with smartnoise's `cdp_rho`
  and spend all of it by construction; the JSON records the target (epsilon, delta) as spent and the rho.
- DP-CTGAN (opacus 0.14, RDP accountant) checks the spent epsilon at the start of each epoch and stops once it
  exceeds the target, so it can overshoot by one epoch; the JSON records the last value its accountant
  reported (`epsilon_list[-1]`) and the epochs run. Caveats of the library, not fixed here: its batches are
  shuffled, not Poisson-sampled, while the accountant assumes Poisson sampling; its conditional sampler reads
  category frequencies from the data outside the accountant; opacus 0.14's per-sample gradients use module
  backward hooks that torch 2 deprecates. Only the discriminator is trained with DP-SGD (the generator sees
  data only through it).
"""

import json, random, time, warnings
from importlib.metadata import version
from pathlib import Path
import numpy as np
import pandas as pd
from fastcore.script import call_parse, Param

GENERATORS = ('aim', 'mst', 'dpctgan')


def read_bounds(path: str, df: pd.DataFrame, categorical=()) -> dict:
    "Bounds JSON -> {column: ('num', lo, hi) | ('cat', levels)}; every column of `df` needs an entry."
    bounds = json.loads(Path(path).read_text())
    if missing := [c for c in df.columns if c not in bounds]:
        raise SystemExit(f"error: the bounds file lacks columns {missing[:5]}: give [lo, hi] or levels")
    out = {}
    for c in df.columns:
        b = bounds[c]
        numeric = (c not in categorical and pd.api.types.is_numeric_dtype(df[c]) and len(b) == 2
                   and all(isinstance(v, (int, float)) for v in b))
        if numeric and not float(b[0]) < float(b[1]):
            raise SystemExit(f"error: bounds of {c!r} need lo < hi, got {b}")
        out[c] = ('num', float(b[0]), float(b[1])) if numeric else ('cat', list(b))
    return out


def encode(df: pd.DataFrame, bounds: dict, n_bins: int, bin_numeric: bool) -> tuple:
    "Integer codes (binned numerics; clipped numbers when not `bin_numeric`) and each column's code count."
    codes, sizes = {}, {}
    for c, b in bounds.items():
        s, nan = df[c], df[c].isna().to_numpy()
        if b[0] == 'num' and not bin_numeric:
            codes[c], sizes[c] = s.astype(float).clip(b[1], b[2]), None
            continue
        if b[0] == 'num':
            x = np.clip(s.to_numpy(dtype=float), b[1], b[2])
            k = np.minimum(np.nan_to_num((x - b[1]) / (b[2] - b[1]) * n_bins), n_bins - 1).astype('int64')
            n = n_bins
        else:
            lookup = {str(v): i for i, v in enumerate(b[1])}
            if bad := sorted({str(v) for v in s[~nan]} - set(lookup)):
                raise SystemExit(f"error: column {c!r} has values outside its public levels: {bad[:5]}")
            k = np.array([lookup.get(str(v), 0) for v in s], dtype='int64')
            n = len(b[1])
        if nan.any(): k[nan], n = n, n + 1  # missing values: one code more (NaN presence is schema, as ours)
        codes[c], sizes[c] = k, n
    return pd.DataFrame(codes, index=df.index), sizes


def decode(codes: pd.DataFrame, bounds: dict, sizes: dict, n_bins: int, train: pd.DataFrame,
           rng) -> pd.DataFrame:
    "Synthetic codes back to the training CSV's columns: a uniform draw within each bin, levels by position."
    out = {}
    for c, b in bounds.items():
        k = codes[c].to_numpy()
        if sizes[c] is None:  # DP-CTGAN's unbinned numbers
            v = np.clip(k.astype(float), b[1], b[2])
        elif b[0] == 'num':
            k = k.astype('int64'); width = (b[2] - b[1]) / n_bins
            v = b[1] + (np.minimum(k, n_bins - 1) + rng.random(len(k))) * width
            v[k >= n_bins] = np.nan
        else:
            k = k.astype('int64'); levels = list(b[1])
            v = np.array([levels[i] if i < len(levels) else None for i in k], dtype=object)
        if b[0] == 'num' and pd.api.types.is_integer_dtype(train[c]):
            v = np.round(v); v = v.astype('int64') if not np.isnan(v).any() else v
        out[c] = v
    return pd.DataFrame(out)[list(train.columns)]


def domain_frame(bounds: dict, sizes: dict) -> pd.DataFrame:
    "Every code of every column (and the bounds of unbinned numerics): fits smartnoise's transformer."
    n = max([s for s in sizes.values() if s] + [2])
    cols = {}
    for c, s in sizes.items():
        cols[c] = np.linspace(bounds[c][1], bounds[c][2], n) if s is None else np.arange(n) % s
    return pd.DataFrame(cols)


def fitted_transformer(bounds: dict, sizes: dict, style: str):
    "smartnoise `TableTransformer` fitted on `domain_frame` only: complete before `fit`, no preprocessing ε."
    from snsynth.transform import (TableTransformer, LabelTransformer, OneHotEncoder, MinMaxTransformer,
                                   ChainTransformer)
    parts = []
    for c, s in sizes.items():
        if s is None: parts.append(MinMaxTransformer(lower=bounds[c][1], upper=bounds[c][2]))
        elif style == 'gan':
            parts.append(ChainTransformer([LabelTransformer(nullable=False), OneHotEncoder()]))
        else: parts.append(LabelTransformer(nullable=False))
    tt = TableTransformer(parts)
    tt.fit(domain_frame(bounds, sizes))
    return tt


def spent(gen, name: str, epsilon: float, delta: float) -> dict:
    "The privacy the library reports having spent."
    if name == 'dpctgan':
        eps = gen.epsilon_list[-1] if gen.epsilon_list else float('nan')
        return dict(epsilon_spent=float(eps), delta_spent=float(gen.delta), epochs_run=len(gen.epsilon_list),
                    accounting='opacus 0.14 RDP, checked at the start of each epoch (epsilon_list[-1])')
    from snsynth.utils import cdp_rho
    return dict(epsilon_spent=float(gen.epsilon), delta_spent=float(gen.delta),
                rho=float(cdp_rho(epsilon, delta)),
                accounting='zCDP: all of rho = cdp_rho(epsilon, delta) spent by construction')


def versions() -> dict:
    names = ('smartnoise-synth', 'opacus', 'torch', 'mbi', 'pandas', 'numpy')
    return {n: version(n) for n in names}


@call_parse
def main(train: str = None,  # training CSV (the rows the peer is fitted on)
         bounds: str = None,  # JSON of public bounds: column -> [lo, hi] or a list of levels
         generator: Param("aim, mst or dpctgan", str) = 'aim',
         epsilon: float = 1.0,  # target epsilon
         delta: float = None,  # target delta (None: 1/(10 n))
         n_rows: int = None,  # synthetic rows (None: as many as the training rows)
         n_bins: int = 32,  # equal-width bins per numeric column for AIM and MST
         seed: int = 0,  # seeds numpy, random and torch
         epochs: int = 300,  # DP-CTGAN's cap on epochs (it stops earlier when epsilon is spent)
         batch_size: int = 500,  # DP-CTGAN's batch size (even)
         threads: int = 1,  # torch CPU threads (as our benchmark's fits)
         categorical: Param("columns to treat as categorical whatever their dtype", str, nargs='*') = None,
         out_csv: str = 'synth.csv',  # synthetic rows
         out_json: str = 'fit.json',  # fit time and spent epsilon/delta
        ):
    "Fit one smartnoise-synth generator on `train` at `epsilon` and write its sample and record."
    if not (train and bounds): raise SystemExit("error: give --train CSV and --bounds JSON")
    if generator not in GENERATORS: raise SystemExit(f"error: generator must be one of {GENERATORS}")
    import torch
    from snsynth import Synthesizer
    df = pd.read_csv(train)
    b = read_bounds(bounds, df, categorical or ())
    delta = 1 / (10 * len(df)) if delta is None else delta
    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed); torch.set_num_threads(threads)
    codes, sizes = encode(df, b, n_bins, bin_numeric=generator != 'dpctgan')
    tt = fitted_transformer(b, sizes, 'gan' if generator == 'dpctgan' else 'cube')
    kw = (dict(epochs=epochs, batch_size=batch_size, cuda=False, verbose=False) if generator == 'dpctgan'
          else {})
    gen = Synthesizer.create(generator, epsilon=float(epsilon), delta=float(delta), **kw)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # opacus 0.14 and mbi deprecation warnings
        t0 = time.perf_counter(); gen.fit(codes, transformer=tt, preprocessor_eps=0.0)
        t1 = time.perf_counter(); synth = gen.sample(n_rows or len(df))
        t2 = time.perf_counter()
    synth = pd.DataFrame(np.asarray(synth), columns=list(codes.columns))
    decode(synth, b, sizes, n_bins, df, np.random.default_rng(seed)).to_csv(out_csv, index=False)
    rec = dict(generator=generator, epsilon=float(epsilon), delta=float(delta), n_fit=len(df),
               n_synth=len(synth),
               n_bins=n_bins if generator != 'dpctgan' else None, seed=seed, fit_s=t1 - t0, sample_s=t2 - t1,
               **spent(gen, generator, epsilon, delta), versions=versions())
    Path(out_json).write_text(json.dumps(rec, indent=1))
    print(json.dumps({k: v for k, v in rec.items() if k != 'versions'}))
