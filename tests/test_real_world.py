"Real-world tables (issue 18): dates, times and durations, sample(0), tables with no room for new rows, log output."
import io
import warnings

import numpy as np
import pandas as pd
import pytest

from tabdiffusion.data import TabularTransformer, infer_schema
from tabdiffusion.datetimes import from_number, to_number
from tabdiffusion.progress import progress
from tabdiffusion.synthesizer import TabDiffusion

FAST = dict(width=64, depth=2, timesteps=100, n_sample_steps=20, privacy_check=None, target_model=None,
            verbose=False, random_state=0)
GAPS = {"when": 0.15, "day": 0.10, "stay": 0.20}  # share of NaT injected per column


def dated(n=600, seed=0) -> pd.DataFrame:
    "Timestamps, dates in Paris, durations (each with NaT), a number and a category."
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "x": rng.normal(size=n),
        "when": pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 86400 * 365, n), "s"),
        "day": (pd.Timestamp("2022-03-01", tz="Europe/Paris")
                + pd.to_timedelta(rng.integers(0, 60, n), "D")).normalize(),  # across the DST change
        "stay": pd.to_timedelta(rng.exponential(3, n), "h").round("s"),
        "g": pd.Series(rng.choice(["a", "b"], n), dtype="str")})
    for c, p in GAPS.items(): df.loc[rng.random(n) < p, c] = pd.NaT
    return df


@pytest.fixture(scope="module")
def fitted():
    df = dated()
    return df, TabDiffusion(epochs=30, **FAST).fit(df)


@pytest.mark.parametrize("dtype", ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]",
                                   "datetime64[ns, Europe/Paris]", "datetime64[us, UTC]", "timedelta64[ns]",
                                   "timedelta64[s]"])
def test_transformer_round_trip_keeps_dtype_and_nat(dtype):
    base = pd.Series(pd.to_datetime(["2020-03-28 09:30:00", None, "2020-03-29 23:59:59", "1969-12-31 12:00:00"]))
    s = base - pd.Timestamp("2020-01-01") if dtype.startswith("timedelta") else base
    s = s.astype(dtype) if "," not in dtype else s.dt.tz_localize(dtype.split(", ")[1][:-1]).astype(dtype)
    df = pd.DataFrame({"t": s, "y": [1.0, 2.0, 3.0, 4.0]})
    tt = TabularTransformer().fit(df)
    back = tt.inverse_transform(*tt.transform(df))
    assert str(back.t.dtype) == dtype
    pd.testing.assert_frame_equal(back, df)


def test_date_only_columns_come_back_as_dates(fitted):
    df, model = fitted
    assert model.schema_["day"].date_only and not model.schema_["when"].date_only
    s = model.sample(500, random_state=1)
    days = s.day.dropna()
    assert (days == days.dt.normalize()).all() and len(days) > 300
    assert not (s.when.dropna() == s.when.dropna().dt.normalize()).all()


def test_sample_keeps_dtypes_and_range(fitted):
    df, model = fitted
    s = model.sample(300, random_state=2)
    assert s.dtypes.to_dict() == df.dtypes.to_dict()
    for c in ("when", "day", "stay"):
        assert df[c].min() <= s[c].min() and s[c].max() <= df[c].max()


def test_nat_rate_is_kept(fitted):
    df, model = fitted
    s = model.sample(2000, random_state=3)
    for c in GAPS:  # 2,000 rows: the sampling noise of a rate near 0.15 is about 0.008
        assert abs(s[c].isna().mean() - df[c].isna().mean()) <= 0.03, (c, s[c].isna().mean())


def test_save_load_keeps_datetime_columns(fitted, tmp_path):
    df, model = fitted
    model.save(tmp_path / "m")
    back = TabDiffusion.load(tmp_path / "m")
    assert back.schema_["day"].date_only
    assert back.sample(20, random_state=0).dtypes.to_dict() == df.dtypes.to_dict()


def test_evaluation_reads_times_as_numbers(fitted):
    from tabdiffusion.evaluation import column_report, dcr_distances
    df, model = fitted
    s = model.sample(300, random_state=4)
    rep = column_report(df, s).set_index("column")
    assert (rep.loc[["when", "day", "stay"], "kind"] == "numeric").all()
    assert rep.loc["when", "shape"] > 0.7  # compared by KS as numbers, not as 500 distinct levels
    d = dcr_distances(df.iloc[:300], s, df.iloc[300:])
    assert np.isfinite(d.to_numpy()).all() and d.dcr_train.median() < 0.5


def test_bad_time_columns_say_what_to_do():
    days = pd.date_range("2020", periods=30)
    with pytest.raises(TypeError, match=r"pd.to_datetime\(df\['d'\]\)"):
        infer_schema(pd.DataFrame({"d": list(days.date)}))
    with pytest.raises(TypeError, match="to_timestamp"): infer_schema(pd.DataFrame({"d": days.to_period("D")}))
    with pytest.raises(ValueError, match="remove it from categorical="):
        infer_schema(pd.DataFrame({"d": days}), categorical=["d"])
    with pytest.raises(ValueError, match="all missing"):
        infer_schema(pd.DataFrame({"d": pd.Series([pd.NaT] * 3, dtype="datetime64[s]"), "x": [1, 2, 3]}))


def test_from_number_rounds_dates_to_local_midnight():
    paris = pd.Series(pd.date_range("2021-10-29", periods=4, freq="D", tz="Europe/Paris"))  # DST ends on the 31st
    x = to_number(paris) + np.array([-3, 5, 11, -11]) * 3600.0
    pd.testing.assert_series_equal(from_number(x, str(paris.dtype), date_only=True), paris)


# ---------------------------------------------------------------- sample(0), tiny tables
def test_sample_zero_rows_has_columns_and_dtypes(fitted):
    df, model = fitted
    empty = model.sample(0)
    assert empty.shape == (0, df.shape[1]) and list(empty.columns) == list(df.columns)
    assert empty.dtypes.to_dict() == df.dtypes.to_dict()
    for bad in (-1, 2.5, True, "10"):
        with pytest.raises(ValueError, match="0 or more"): model.sample(bad)


def test_table_with_every_possible_row_says_so_before_sampling():
    full = pd.DataFrame({"a": ["x", "y", "x", "y"] * 15, "b": pd.array([1, 1, 2, 2] * 15, dtype="Int64")})
    model = TabDiffusion(epochs=2, **FAST).fit(full)
    model._generate = lambda *a, **k: pytest.fail("rows were drawn")
    with pytest.raises(ValueError, match="every one of the 4 rows this table allows") as e: model.sample(10)
    assert "filter_copies=False" in str(e.value)
    del model._generate
    out = model.set_params(filter_copies=False).sample(10, random_state=0)
    assert len(out) == 10 and out.dtypes.to_dict() == full.dtypes.to_dict()


def test_table_with_room_for_new_rows_samples():
    some = pd.DataFrame({"a": ["x", "y"] * 30, "b": ["u", "v"] * 30})  # (x, v) and (y, u) are new
    model = TabDiffusion(epochs=2, **FAST).fit(some)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = model.sample(20, random_state=0)
    assert len(out.merge(some.drop_duplicates())) == 0


# ---------------------------------------------------------------- logs
def test_progress_in_a_log_is_a_few_short_lines():
    buf = io.StringIO()  # not a terminal, like `make demo | tee log`
    bar = progress(range(5000), "training", file=buf)
    for epoch in bar: bar.set_postfix(loss=f"{1 / (epoch + 1):.4f}")
    text = buf.getvalue()
    assert "\r" not in text and len(text.splitlines()) <= 12 and max(map(len, text.splitlines())) < 80


def test_fit_writes_a_few_lines_to_a_non_terminal_stderr(capsys):
    TabDiffusion(epochs=200, **{**FAST, "verbose": True}).fit(dated(200))
    err = capsys.readouterr().err
    lines = [l for l in err.splitlines() if l.startswith("training")]
    assert "\r" not in err and 2 <= len(lines) <= 12 and max(map(len, lines)) < 100
    assert lines[-1].startswith("training: 200/200 (100%)")
