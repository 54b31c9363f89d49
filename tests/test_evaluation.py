"""Sanity checks of `tabdiffusion.evaluation` that fail when a metric is wrong; agreement with SDMetrics."""
import json

import numpy as np
import pandas as pd
import pytest

from tabdiffusion.evaluation import (column_report, evaluate, pair_report, privacy_scores, utility_scores)


def make_table(n, seed, noise=0.5):
    "Mixed-type table with dependent columns: numerics, a string category with missing values, a bool."
    r = np.random.default_rng(seed)
    x = r.normal(size=n)
    c = np.where(x + r.normal(scale=noise, size=n) > 0, "hi", "lo")
    df = pd.DataFrame({"x": x, "y": 2 * x + r.normal(scale=noise, size=n), "z": r.exponential(size=n),
                       "k": r.integers(0, 4, n), "c": pd.Series(c, dtype="str"),
                       "d": pd.Series(r.choice(["u", "v", "w", None], n), dtype="str"),
                       "b": r.random(n) < 0.3})
    df["target"] = df.x - df.y / 4 + (df.c == "hi") + r.normal(scale=0.3, size=n)
    return df


@pytest.fixture(scope="module")
def data():
    return dict(train=make_table(600, 0), test=make_table(300, 1), holdout=make_table(600, 2))


def test_copy_of_train_is_flagged(data):
    ev = evaluate(data["train"], data["test"], data["train"].copy(), target="target", holdout=data["holdout"],
                  models=("linear",), seeds=(0,), quick=True)
    p, f = ev.privacy, ev.fidelity
    assert p["dcr_median"] == pytest.approx(0, abs=1e-6) and p["dcr_p5"] == pytest.approx(0, abs=1e-6)
    assert p["dcr_share"] == pytest.approx(1.0) and p["exact_copies"] == 600 and p["mia_auc"] > 0.95
    assert f["detection_auc"] == pytest.approx(0.5, abs=0.07)
    assert f["column_shapes"] == pytest.approx(1.0) and f["column_pair_trends"] == pytest.approx(1.0)


def test_fresh_sample_is_private(data):
    p = privacy_scores(data["train"], make_table(600, 9), data["holdout"])
    assert p["dcr_share"] == pytest.approx(0.5, abs=0.07) and p["mia_auc"] == pytest.approx(0.5, abs=0.07)
    assert p["exact_copies"] == 0 and p["dcr_median"] > 0


def test_shuffled_columns_keep_shapes_but_lose_pairs(data):
    train = data["train"]
    shuffled = pd.DataFrame({c: train[c].sample(frac=1, random_state=i).to_numpy()
                             for i, c in enumerate(train.columns)})
    cols, pairs = column_report(train, shuffled), pair_report(train, shuffled)
    fresh_pairs = pair_report(train, make_table(600, 5))
    assert cols["shape"].min() == pytest.approx(1.0)
    assert pairs.score.mean() < fresh_pairs.score.mean() - 0.05
    xy = pairs.set_index(["column_a", "column_b"]).loc[("x", "y"), "score"]
    assert xy < 0.6  # real r = 0.97, shuffled r = 0


def test_noise_gives_tstr_far_below_trtr(data):
    train = data["train"]
    r = np.random.default_rng(3)
    noise = train.assign(**{c: r.normal(size=len(train)) for c in ("x", "y", "z", "target")})
    u = utility_scores(train, data["test"], noise, target="target", models=("linear", "gb"), seeds=(0, 1),
                       quick=True)
    for m in ("linear", "gb"):
        assert u[f"trtr_r2_{m}"] > 0.7 and u[f"tstr_r2_{m}"] < 0.1 and u[f"tstr_ratio_{m}"] < 0.15
        assert u[f"tstr_rmse_{m}"] > u[f"trtr_rmse_{m}"]


def test_classification_utility_and_tidy_output(data):
    train, test = data["train"], data["test"]
    ev = evaluate(train, test, make_table(600, 7), target="c", holdout=data["holdout"],
                  models=("rf", "linear"), seeds=(0, 1), quick=True)
    assert ev.info["task"] == "classification"
    assert 0.8 < ev.utility["tstr_ratio_rf"] < 1.2 and ev.utility["tstr_auc_rf_sd"] >= 0
    frame = ev.to_frame()
    assert list(frame.columns) == ["section", "metric", "value"] and len(frame) > 20
    blob = json.loads(json.dumps(ev.to_dict()))
    assert blob["metrics_version"] == "1.0" and blob["info"]["n_train"] == 600
    assert len(ev.worst_columns(3)) == 3 and ev.worst_pairs(2).score.is_monotonic_increasing


def test_clear_errors(data):
    train, test = data["train"], data["test"]
    with pytest.raises(ValueError, match="missing \\['z'\\]"):
        evaluate(train, test, train.drop(columns="z"), target="target")
    with pytest.raises(ValueError, match="extra \\['extra'\\]"):
        evaluate(train, test, train.assign(extra=1), target="target")
    with pytest.raises(ValueError, match="target 'nope' is not a column"):
        evaluate(train, test, train, target="nope")
    with pytest.raises(ValueError, match="`synthetic` is empty"):
        evaluate(train, test, train.iloc[:0], target="target")
    with pytest.raises(ValueError, match="`test` is empty"):
        evaluate(train, test.iloc[:0], train, target="target")
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        evaluate(train, test, train.to_numpy(), target="target")


def sdv_metadata(df):
    "SDMetrics metadata: numerics as numerical, the rest categorical."
    num = lambda s: pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    return {"columns": {c: {"sdtype": "numerical" if num(df[c]) else "categorical"} for c in df.columns}}


def test_agrees_with_sdmetrics(data):
    sdm = pytest.importorskip("sdmetrics")
    import sdmetrics.reports.single_table  # noqa: F401  (the report sub-package is not imported by default)
    from sdmetrics.column_pairs import ContingencySimilarity, CorrelationSimilarity
    from sdmetrics.single_column import KSComplement, TVComplement
    real = data["train"]
    synth = make_table(600, 11, noise=1.0).assign(z=lambda d: d.z * 1.3)
    synth.loc[synth.index[:40], "x"] = np.nan
    cols = column_report(real, synth).set_index("column")
    for c in ("x", "y", "z", "k", "target"):
        assert cols.loc[c, "shape"] == pytest.approx(KSComplement.compute(real[c], synth[c]), abs=0.01)
    for c in ("c", "d", "b"):
        assert cols.loc[c, "shape"] == pytest.approx(TVComplement.compute(real[c], synth[c]), abs=0.01)
    report = sdm.reports.single_table.QualityReport()
    report.generate(real, synth, sdv_metadata(real), verbose=False)
    assert cols["shape"].mean() == pytest.approx(report.get_properties().set_index("Property")["Score"]
                                                 ["Column Shapes"], abs=0.01)
    pairs = pair_report(real, synth)
    for a, b, metric, score in pairs[["column_a", "column_b", "metric", "score"]].itertuples(index=False):
        num = [c for c in (a, b) if c in ("x", "y", "z", "k", "target")]
        if metric == "correlation":
            ref = CorrelationSimilarity.compute(real[[a, b]], synth[[a, b]])
        else:  # numerics binned on 10 real-fitted bins, as `continuous_column_names` does
            ref = ContingencySimilarity.compute(real[[a, b]], synth[[a, b]],
                                                continuous_column_names=num or None)
        assert score == pytest.approx(ref, abs=0.01), (a, b)


def test_pair_trends_agree_with_sdmetrics_report_on_unmixed_pairs(data):
    "The report bins real and synthetic numerics on separate edges for mixed pairs; compare the other pairs."
    pytest.importorskip("sdmetrics")
    from sdmetrics.reports.single_table._properties import ColumnPairTrends
    real, synth = data["train"], make_table(600, 11, noise=1.0)
    prop = ColumnPairTrends()
    prop.get_score(real, synth, sdv_metadata(real))
    ref = prop.details.rename(columns={"Column 1": "column_a", "Column 2": "column_b"})
    both = ref.merge(pair_report(real, synth), on=["column_a", "column_b"])
    num = {"x", "y", "z", "k", "target"}
    unmixed = both[both.column_a.isin(num) == both.column_b.isin(num)]
    assert len(unmixed) == 13
    assert np.allclose(unmixed.Score, unmixed.score, atol=0.01)
    assert unmixed.score.mean() == pytest.approx(unmixed.Score.mean(), abs=0.01)
