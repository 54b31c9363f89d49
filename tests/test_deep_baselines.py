"CTGAN, TVAE (issue 11) and Forest-Flow (issue 15) adapters (tabdiffusion.deep_baselines), at tiny sizes."

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest
import torch
from tabdiffusion.baselines import list_generators, make_generator
from tabdiffusion.datasets import load_dataset, make_splits

_missing = lambda m: importlib.util.find_spec(m) is None
needs_ctgan = pytest.mark.skipif(_missing("ctgan"), reason="make install adds ctgan (pip --no-deps); see Makefile")
needs_ff = pytest.mark.skipif(_missing("ForestDiffusion"), reason="pip install 'tabdiffusion[forestflow]'")
ALL = [pytest.param("ctgan", marks=needs_ctgan), pytest.param("tvae", marks=needs_ctgan),
       pytest.param("forestflow", marks=needs_ff)]

N_ROWS, N_SAMPLE = 200, 60
TINY = dict(ctgan=dict(epochs=1, batch_size=100), tvae=dict(epochs=1, batch_size=100),
            forestflow=dict(n_t=3, duplicate_K=2, n_estimators=3, max_depth=3))
# int + text (diamonds), text with NaN (adult), numbers and text with NaN (schooling)
DATASETS = ["diamonds", "adult", "schooling"]


@pytest.fixture(scope="module", params=DATASETS)
def data(request):
    try:
        return load_dataset(request.param, n_rows=N_ROWS, seed=0)
    except ImportError as e:
        pytest.skip(f"{request.param}: optional data extra missing ({e})")


@pytest.mark.parametrize("name", ALL)
def test_fit_sample_protocol(data, name):
    gen = make_generator(name, random_state=0, **TINY[name]).fit(data.df, target=data.target)
    s = gen.sample(N_SAMPLE, random_state=0)
    assert s.shape == (N_SAMPLE, data.df.shape[1]) and list(s.columns) == list(data.df.columns)
    assert (s.dtypes == data.df.dtypes).all(), (s.dtypes, data.df.dtypes)
    for c in data.df.columns:
        if pd.api.types.is_numeric_dtype(data.df[c]):
            assert s[c].isna().any() <= data.df[c].isna().any()  # NaN only where the data has them
            if name == "forestflow":  # it clips to the training range
                assert s[c].dropna().between(data.df[c].min(), data.df[c].max()).all(), c
        else:  # categories come from the real levels
            assert set(s[c].dropna()) <= set(data.df[c].dropna())
    pd.testing.assert_frame_equal(s, gen.sample(N_SAMPLE, random_state=0))  # seeded
    assert not s.equals(gen.sample(N_SAMPLE, random_state=1))


@pytest.mark.parametrize("name", ALL)
def test_seeded_fit_and_callers_state(name):
    ds = load_dataset("iris")
    torch.set_num_threads(1)
    np.random.seed(7)
    torch.manual_seed(7)
    before = np.random.get_state()[1].copy(), torch.get_rng_state()
    a = make_generator(name, random_state=3, **TINY[name]).fit(ds.df).sample(20)
    b = make_generator(name, random_state=3, **TINY[name]).fit(ds.df).sample(20)
    pd.testing.assert_frame_equal(a, b)
    assert torch.get_num_threads() == 1  # the adapters keep the caller's thread setting
    assert (np.random.get_state()[1] == before[0]).all() and torch.equal(torch.get_rng_state(), before[1])


@needs_ctgan
def test_defaults_are_the_libraries():
    ctgan = pytest.importorskip("ctgan")
    assert make_generator("ctgan").get_params()["epochs"] == ctgan.CTGAN()._epochs == 300
    assert make_generator("tvae").get_params()["epochs"] == ctgan.TVAE().epochs == 300
    assert {"ctgan", "tvae"} <= set(list_generators())


@needs_ctgan
def test_bad_settings_and_missing_package(monkeypatch):
    df = load_dataset("iris").df
    with pytest.raises(ValueError, match="multiple of pac"):
        make_generator("ctgan", batch_size=64).fit(df)
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        make_generator("tvae", epochs=0).fit(df)
    monkeypatch.setitem(sys.modules, "ctgan", None)  # as if not installed
    with pytest.raises(ImportError, match=r"pip install 'tabdiffusion\[ctgan\]'"):
        make_generator("tvae", epochs=1).fit(df)


@needs_ctgan
def test_bench_row_for_ctgan():
    import tabdiffusion.bench as B
    ds = load_dataset("iris")
    row = B._bench_one(ds, make_splits(ds.df, target=ds.target, seed=0), "ctgan:epochs=1,batch_size=60",
                    quick=True)
    assert row["note"] == "" and row["n_synth"] == row["n_fit"] == 60
    assert 0 <= row["dcr_share"] <= 1 and row["fit_s"] > 0 and '"pac": 10' in row["params"]


@needs_ff
def test_forestflow_categorical_target_and_levels():
    "Classification: one set of models per class; every level (missing included) comes from the training rows."
    ds = load_dataset("adult", n_rows=N_ROWS, seed=0)
    gen = make_generator("forestflow", random_state=0, **TINY["forestflow"]).fit(ds.df, target=ds.target)
    assert gen.condition_ == "income" and len(gen.model_.y_uniques) == ds.df.income.nunique(dropna=False)
    s = gen.sample(300, random_state=0)
    for c in gen.categorical_:
        assert set(s[c].dropna()) <= set(ds.df[c].dropna()), c
    assert s.workclass.isna().any() and s.income.nunique() == 2  # NaN is a level; both classes are drawn
    unconditioned = make_generator("forestflow", condition_on_target=False, **TINY["forestflow"])
    assert unconditioned.fit(ds.df, target=ds.target).condition_ is None


@needs_ff
def test_forestflow_bad_settings_and_missing_package(monkeypatch):
    df = load_dataset("iris").df
    with pytest.raises(ValueError, match="duplicate_K must be >= 1"):
        make_generator("forestflow", duplicate_K=0).fit(df)
    assert "forestflow" in list_generators()
    p = make_generator("forestflow").get_params()
    assert (p["n_t"], p["duplicate_K"], p["n_estimators"], p["n_jobs"]) == (10, 10, 100, 1)  # as documented
    monkeypatch.setitem(sys.modules, "ForestDiffusion", None)
    with pytest.raises(ImportError, match=r"pip install 'tabdiffusion\[forestflow\]'"):
        make_generator("forestflow").fit(df)


@needs_ff
def test_bench_row_for_forestflow():
    import tabdiffusion.bench as B
    from tabdiffusion.bench import PEERS
    ds = load_dataset("iris")
    row = B._bench_one(ds, make_splits(ds.df, target=ds.target, seed=0),
                    "forestflow:n_t=3,duplicate_K=2,n_estimators=3,max_depth=3", quick=True)
    assert row["note"] == "" and row["n_synth"] == row["n_fit"] == 60 and "forestflow" in PEERS
    assert 0 <= row["dcr_share"] <= 1 and row["peak_mb"] >= row["base_mb"] > 0 and '"n_t": 3' in row["params"]
