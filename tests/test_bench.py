"""Smoke tests of the benchmark command and the scaling script, at the quick profile (tiny tables, < 60 s)."""

import json, subprocess, sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "tabdiffusion.bench", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_bench_command_writes_table_and_environment(tmp_path):
    r = _bench("--datasets", "iris", "--generators", "copula", "tabdiffusion:epochs=1", "--quick",
               "--threads", "1", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "tstr_rf" in r.stdout and "torch threads 1" in r.stdout
    full = pd.read_csv(tmp_path / "bench.csv")
    assert list(full.generator) == ["copula", "tabdiffusion:epochs=1", "real holdout"]
    ref, table = full.iloc[-1], full.iloc[:-1]
    assert 0.8 < ref.column_shapes < 1 and pd.isna(ref.dcr_share) and pd.isna(ref.fit_s)  # the noise floor
    assert (table.exact_copies == 0).all() and table.dcr_share.between(0, 1).all()
    assert '"epochs": 1' in table.set_index("generator").params["tabdiffusion:epochs=1"]
    assert (table.fit_s > 0).all() and (table.sample_s > 0).all()
    doc = json.loads((tmp_path / "bench.json").read_text())
    assert doc["environment"]["torch_threads"] == 1 and doc["environment"]["device"] == "cpu"
    assert doc["datasets"]["iris"]["n_train"] == doc["datasets"]["iris"]["n_holdout"] == 60
    assert len(doc["rows"]) == 3 and doc["config"]["eval_seeds"] == [0] and doc["config"]["reference"]


def test_bench_bad_generator_is_one_clear_line(tmp_path):
    from tabdiffusion.bench import main
    with pytest.raises(SystemExit, match="error: unknown generator 'gan'"):
        main(["--datasets", "iris", "--generators", "copula", "gan", "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="write key=value"):
        main(["--datasets", "iris", "--generators", "smote:k_neighbors", "--out", str(tmp_path)])
    assert not (tmp_path / "bench.csv").exists()


@pytest.fixture(scope="module")
def scaling():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scaling as mod
    yield mod
    sys.path.remove(str(ROOT / "benchmarks"))


def test_synthetic_frame_is_mixed(scaling):
    df = scaling.synthetic_frame(300, 20, seed=1)
    assert df.shape == (300, 20)
    assert sum(pd.api.types.is_numeric_dtype(df[c]) for c in df) == 12
    assert df.c0.nunique() <= 3 and not df.isna().any().any()
    pd.testing.assert_frame_equal(df, scaling.synthetic_frame(300, 20, seed=1))


def test_scaling_writes_curves(scaling, tmp_path):
    table = scaling.main(["--rows", "150", "300", "--cols", "5", "8", "--base-rows", "100", "--threads", "1",
                          "--out", str(tmp_path)])
    assert list(table.curve) == ["rows", "rows", "cols", "cols"]
    assert (table.epoch_s > 0).all() and (table.sample_s > 0).all()
    assert list(table[table.curve == "cols"].cols) == [5, 8]
    for f in ("scaling.csv", "scaling_rows.png", "scaling_cols.png"):
        assert (tmp_path / f).stat().st_size > 0
