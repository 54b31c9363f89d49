"Property-based tests of `tabdiffusion.data`: random mixed-type frames survive the round trip."
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tabdiffusion.data as D
from tabdiffusion.data import TabularTransformer, infer_schema

KINDS = ["float", "int64", "Int64", "str", "object", "category", "bool", "boolean"]
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _column(data, kind: str, n: int) -> pd.Series:
    "One random column of `kind` with `n` rows; nullable kinds get random missing values (never all)."
    missing = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    missing[0] = False
    if kind in ("float", "int64", "Int64"):
        vals = data.draw(st.lists(st.integers(-1000, 1000) if kind != "float" else
                                  st.floats(-1e6, 1e6, allow_subnormal=False), min_size=n, max_size=n))
        if kind == "int64": return pd.Series(vals, dtype="int64")
        s = pd.Series(vals, dtype="float64" if kind == "float" else "Int64")
        return s.mask(missing)
    if kind in ("bool", "boolean"):
        vals = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return pd.Series(vals, dtype="bool") if kind == "bool" else pd.Series(vals, dtype="boolean").mask(missing)
    vals = data.draw(st.lists(st.sampled_from(["a", "b", "zz", "é"]), min_size=n, max_size=n))
    dtype = {"str": "str", "object": object, "category": "category"}[kind]
    s = pd.Series(vals, dtype=object).mask(missing, np.nan).astype(dtype)
    return s


@st.composite
def frames(draw):
    n = draw(st.integers(1, 40))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=6))
    data = draw(st.data())
    return pd.DataFrame({f"c{i}_{k}": _column(data, k, n) for i, k in enumerate(kinds)})


def _check_same(df: pd.DataFrame, out: pd.DataFrame, tt: TabularTransformer):
    assert list(out.columns) == list(df.columns)
    assert out.dtypes.astype(str).tolist() == df.dtypes.astype(str).tolist()
    np.testing.assert_array_equal(out.isna().to_numpy(), df.isna().to_numpy())
    for c in df.columns:
        spec = tt.schema_[c]
        if spec.kind == "float":
            a, b = df[c].to_numpy(float, na_value=np.nan), out[c].to_numpy(float, na_value=np.nan)
            tol = 1e-5 * (spec.max - spec.min) + 1e-9 * max(abs(spec.max), abs(spec.min), 1.0)
            np.testing.assert_allclose(b, a, atol=tol, rtol=0)
        else:
            pd.testing.assert_series_equal(out[c], df[c], check_names=False)


@SETTINGS
@given(frames())
def test_round_trip(df):
    tt = TabularTransformer().fit(df)
    x_num, x_cat = tt.transform(df)
    assert x_num.shape == (len(df), tt.n_num) and x_num.dtype == np.float32 and np.isfinite(x_num).all()
    assert x_cat.shape == (len(df), tt.n_cat) and x_cat.dtype == np.int64
    assert ((x_cat >= 0) & (x_cat < np.array(tt.n_classes, dtype=np.int64))).all()
    _check_same(df, tt.inverse_transform(x_num, x_cat), tt)


@SETTINGS
@given(frames(), st.integers(0, 2**31 - 1))
def test_any_model_output_decodes(df, seed):
    "Arbitrary model output (wild floats, out-of-range codes) decodes to valid values of the right dtypes."
    tt = TabularTransformer().fit(df)
    rng = np.random.default_rng(seed)
    out = tt.inverse_transform(rng.normal(0, 3, (17, tt.n_num)), rng.integers(-3, 9, (17, tt.n_cat)))
    assert out.dtypes.astype(str).tolist() == df.dtypes.astype(str).tolist()
    for c in df.columns:
        spec, s = tt.schema_[c], out[c].dropna()
        if spec.is_numeric: assert s.between(spec.min, spec.max).all()
        else: assert set(s.tolist()) <= set(spec.categories)
        if spec.values is not None: assert set(s.astype(float)) <= set(spec.values)  # few ints: seen only
        if not spec.has_nan: assert out[c].notna().all()


@SETTINGS
@given(frames())
def test_json_round_trip(df):
    tt = TabularTransformer(random_state=3).fit(df)
    tt2 = TabularTransformer.from_dict(json.loads(json.dumps(tt.to_dict())))
    (a, b), (a2, b2) = tt.transform(df), tt2.transform(df)
    np.testing.assert_array_equal(a, a2)
    np.testing.assert_array_equal(b, b2)
    pd.testing.assert_frame_equal(tt.inverse_transform(a, b), tt2.inverse_transform(a2, b2))


def test_snap_picks_the_nearest_observed_value():
    "Ties go to the lower value; one value, or inputs past the ends, snap to the end values."
    vals = [-2.0, 3.0, 5.0, 6.0, 9.0]
    got = D._snap(np.array([-50.0, 0.5, 0.6, 4.0, 4.01, 5.5, 7.5, 7.6, 50.0]), vals)
    np.testing.assert_array_equal(got, [-2, -2, 3, 3, 5, 5, 6, 9, 9])
    np.testing.assert_array_equal(D._snap(np.array([-1.0, 8.0]), [7.0]), [7.0, 7.0])


def test_few_int_values_only_for_int_columns():
    "`values` holds the observed values of `int` columns with at most `_MAX_SNAP_VALUES` of them, as floats."
    n, cap = 40, D._MAX_SNAP_VALUES
    df = pd.DataFrame({"f": np.linspace(0.5, 2.5, n), "i": pd.array([1, 40] * 19 + [None, 1], dtype="Int64"),
                       "edge": np.arange(n) % cap, "many": np.arange(n) % (cap + 1)})
    s = infer_schema(df)
    assert (s["f"].values, s["i"].values, s["many"].values) == (None, [1.0, 40.0], None)
    assert s["edge"].values == list(range(cap))
    assert all(type(v) is float for v in s["i"].values + s["edge"].values)  # JSON-ready


def test_schema_repr_lists_every_column():
    df = pd.DataFrame({"x": [1.5, 2.0], "s": pd.Series(["a", None], dtype="str")})
    text = repr(infer_schema(df))
    assert "2 columns (1 numeric, 1 categorical)" in text and "x" in text and "s" in text


def test_torch_tensors_accepted():
    torch = pytest.importorskip("torch")
    df = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0], "c": ["a", "b", "a", "b"]})
    tt = TabularTransformer().fit(df)
    x_num, x_cat = tt.transform(df)
    out = tt.inverse_transform(torch.from_numpy(x_num), torch.from_numpy(x_cat))
    pd.testing.assert_frame_equal(out, tt.inverse_transform(x_num, x_cat))


def test_round_trip_100k_by_30():
    "A large mixed table survives transform + inverse (its speed is measured by benchmarks/scaling.py)."
    rng = np.random.default_rng(0)
    n = 100_000
    df = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(15)}
                      | {f"c{i}": pd.Series(rng.choice(list("abcd"), n), dtype="str") for i in range(15)})
    df.loc[rng.random(n) < 0.1, "x0"] = np.nan
    tt = TabularTransformer().fit(df)
    out = tt.inverse_transform(*tt.transform(df))
    assert out.shape == df.shape and list(out.dtypes) == list(df.dtypes)
    assert out["x0"].isna().equals(df["x0"].isna())
    for c in ("c0", "c7", "c14"): assert (out[c] == df[c]).all()
    assert np.allclose(out["x3"], df["x3"], atol=0.05 * df["x3"].std())
