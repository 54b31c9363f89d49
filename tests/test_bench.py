"""Smoke tests of the benchmark command and the scaling script, at the quick profile (tiny tables, < 60 s)."""

import json, subprocess, sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _bench(*args, cwd=ROOT):
    cmd = [sys.executable, "-c", "import sys; from tabdiffusion.cli import main; sys.exit(main())", "bench"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


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
    assert doc["config"]["split"] == "test" and doc["config"]["model_seeds"] == [0]
    assert (table.peak_mb >= table.base_mb).all() and (table.base_mb > 50).all()  # the process's own peak
    assert doc["environment"]["memory_method"].split(":")[0] in ("hwm", "sampled")


def test_bench_model_seeds_and_validation_split(tmp_path):
    r = _bench("--datasets", "iris", "--generators", "copula", "tabdiffusion:epochs=1", "--quick", "--threads", "1",
               "--model-seeds", "0", "1", "2", "--split", "validation", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "n_seeds" in r.stdout and "summary.csv" in r.stdout
    full = pd.read_csv(tmp_path / "bench.csv")
    assert list(full.model_seed.iloc[:6]) == [0, 1, 2] * 2 and pd.isna(full.model_seed.iloc[-1])
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary.generator) == ["copula", "tabdiffusion:epochs=1", "real holdout"]
    assert list(summary.n_seeds) == [3, 3, 1]
    assert {"tstr_ratio_rf_mean", "tstr_ratio_rf_sd", "dcr_share_mean", "peak_mb_sd"} <= set(summary.columns)
    copula = full[full.generator == "copula"]
    assert summary.tstr_ratio_rf_mean[0] == pytest.approx(copula.tstr_ratio_rf.mean())
    assert summary.tstr_ratio_rf_sd[0] == pytest.approx(copula.tstr_ratio_rf.std())
    targets = pd.read_csv(tmp_path / "targets.csv")  # checked on the means over the three fits
    ours = full[full.generator == "tabdiffusion:epochs=1"]
    assert targets.empty or targets.value[0] == pytest.approx(ours.tstr_ratio_rf.mean())
    doc = json.loads((tmp_path / "bench.json").read_text())
    assert doc["config"]["split"] == "validation" and doc["config"]["model_seeds"] == [0, 1, 2]
    # validation: 60 training rows of the final split, split again; its test rows come from them
    assert (doc["datasets"]["iris"]["n_train"], doc["datasets"]["iris"]["n_test"]) == (24, 12)


def test_targets_on_summarised_seeds():
    from tabdiffusion.bench import summarise_bench
    from tabdiffusion.targets import check_targets
    gens = [("tabdiffusion", [0.96, 0.98, 1.0], 0.5), ("copula", [0.9], 0.5), ("smote", [0.99], 0.95)]
    rows = [dict(dataset="adult", generator=g, model_seed=s, tstr_ratio_rf=v, tstr_ratio_gb=v,
                 column_shapes=0.99, column_pair_trends=0.97, dcr_share=dcr, exact_copies=0, fit_s=10.0,
                 sample_s=1.0, n_fit=4000, note="") for g, vals, dcr in gens for s, v in enumerate(vals)]
    table = pd.DataFrame(rows)
    summary = summarise_bench(table)
    assert list(summary.n_seeds) == [3, 1, 1] and summary.tstr_ratio_rf_sd[0] == pytest.approx(0.02)
    ct = check_targets(summary).set_index("target")
    assert ct.loc["tstr_ratio_rf >= 0.98", "value"] == pytest.approx(0.98)
    assert ct.loc["tstr_ratio_rf >= 0.98", "met"]
    assert ct.loc["tstr_ratio_rf - best peer > 0", "met"]  # SMOTE's DCR share is above 0.6: not a bar
    assert ct.loc["tstr_ratio_rf >= TabDDPM (0.975)", "met"]
    assert ct.loc["column_pair_trends - best peer > 0", "value"] == pytest.approx(0.0)  # a tie is not ahead
    assert ct.loc["time / CTGAN time < 1 (<= 5,000 rows)", "met"] is None  # CTGAN did not run
    pd.testing.assert_frame_equal(check_targets(table), check_targets(summary))


def test_new_datasets_capped_and_bad_split(tmp_path):
    import tabdiffusion.bench as B
    from tabdiffusion.bench import PEERS, ROW_CAPS, run_bench
    assert {"california", "adult"} <= set(B._DATASETS) and ROW_CAPS == dict(california=10_000, adult=10_000)
    assert "forestflow" in PEERS
    table = run_bench(["adult"], ["copula"], quick=True, n_rows=1000, row_caps=dict(adult=300), reference=False)
    info, config = table.attrs["datasets"]["adult"], table.attrs["config"]
    assert (info["n_rows"], info["n_train"], config["row_caps"]) == (300, 120, dict(adult=300))
    assert table.note[0] == "" and 0 <= table.dcr_share[0] <= 1
    with pytest.raises(ValueError, match="split must be one of"):
        run_bench(["iris"], ["copula"], split="holdout")


def test_bench_bad_generator_is_one_clear_line(tmp_path, capsys):
    from tabdiffusion.cli import main
    assert main(["bench", "--datasets", "iris", "--generators", "copula", "gan", "--out", str(tmp_path)]) == 1
    assert "error: unknown generator 'gan'" in capsys.readouterr().err
    assert main(["bench", "--datasets", "iris", "--generators", "smote:k_neighbors", "--out", str(tmp_path)]) == 1
    assert "write key=value" in capsys.readouterr().err
    assert not (tmp_path / "bench.csv").exists()


@pytest.fixture(scope="module")
def merge_bench():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import merge_bench as mod
    yield mod
    sys.path.remove(str(ROOT / "benchmarks"))


def _run_dir(folder, rows, **config):
    "A benchmark run's folder: bench.csv of `rows` and a bench.json with `config`."
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_csv(folder / "bench.csv", index=False)
    doc = dict(config=dict(split="test", seed=0, eval_seeds=[0, 1, 2], quick=False, reference=False) | config,
               datasets=dict(pima=dict(n_train=300)), environment=dict(device="cpu", torch_threads=1))
    commit = {"commit": "abc1234"} if "ours" in str(folder) else {}
    (folder / "bench.json").write_text(json.dumps(doc | commit))


def _row(generator, seed, rf, **kw):
    return dict(dataset="pima", generator=generator, model_seed=seed, tstr_ratio_rf=rf, tstr_ratio_gb=rf,
                column_shapes=0.95, column_pair_trends=0.96, dcr_share=0.52, exact_copies=0, fit_s=5.0,
                sample_s=0.5, n_fit=300, note="") | kw


def test_merge_bench_without_ours_then_with_it(merge_bench, tmp_path, capsys):
    out, ours, peers = tmp_path / "bench", tmp_path / "bench" / "ours", tmp_path / "bench" / "peers"
    _run_dir(peers / "a", [_row("copula", 0, 0.9), _row("ctgan", 0, 0.8, fit_s=50.0)], datasets=["pima"],
             generators=["copula", "ctgan", "tvae"], model_seeds=[0])
    pd.DataFrame([_row("tabdiffusion", None, 0.97)]).to_csv(out / "bench.csv", index=False)
    old = (out / "bench.csv").read_text()
    (out / "bench.json").write_text("{}"); (out / "targets.csv").write_text("dataset,target\n")
    args = ["--ours", str(ours), "--peers", str(peers / "a"), str(peers / "b"), "--out", str(out)]
    merge_bench.main(args)
    said = capsys.readouterr().out
    assert f"missing: {ours}/bench.csv" in said and f"missing: {peers / 'b'}/bench.csv" in said
    assert "lacks 1 rows: pima/tvae/seed 0" in said and "only the peers' rows" in said
    assert sorted(p.name for p in (out / "previous").iterdir()) == ["bench.csv", "bench.json", "targets.csv"]
    assert list(pd.read_csv(out / "bench.csv").generator) == ["copula", "ctgan"]
    _run_dir(ours, [*(_row("tabdiffusion", s, rf) for s, rf in enumerate([0.96, 0.98, 1.0])),
                    _row("real holdout", None, 1.0, dcr_share=None)], datasets=["pima"],
             generators=["tabdiffusion"], model_seeds=[0, 1, 2], reference=True, eval_seeds=[0, 1, 2])
    table = merge_bench.main(args)
    assert list(table.generator) == ["tabdiffusion"] * 3 + ["copula", "ctgan", "real holdout"]
    assert list(table.run.unique()) == [str(ours), str(peers / "a")]
    assert (out / "previous" / "bench.csv").read_text() == old  # moved once only
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.n_seeds) == [3, 1, 1, 1] and summary.tstr_ratio_rf_mean[0] == pytest.approx(0.98)
    targets = pd.read_csv(out / "targets.csv").set_index("target")
    assert targets.loc["tstr_ratio_rf >= 0.98", "real"] == 1.0 and targets.loc["dcr_share <= 0.55", "met"]
    assert targets.loc["time / CTGAN time < 1 (<= 5,000 rows)", "met"]  # 5.5 s against 50.5 s
    doc = json.loads((out / "bench.json").read_text())
    assert doc["sources"][str(ours)]["commit"] == "abc1234" and not doc["sources"][str(peers / "b")]["found"]
    assert doc["sources"][str(peers / "a")]["config"]["model_seeds"] == [0] and "commit" in doc["merge"]
    assert doc["environment"]["device"] == "cpu" and len(doc["rows"]) == 6


def test_merge_bench_dry_run_and_nothing_found(merge_bench, tmp_path, capsys):
    with pytest.raises(SystemExit, match="no benchmark run found"):
        merge_bench.main(["--ours", str(tmp_path / "x"), "--peers", str(tmp_path / "y"),
                          "--out", str(tmp_path)])
    _run_dir(tmp_path / "ours", [_row("tabdiffusion", 0, 0.9)], datasets=["pima"],
             generators=["tabdiffusion"], model_seeds=[0], seed=1)
    _run_dir(tmp_path / "a", [_row("copula", 0, 0.8)], datasets=["pima"], generators=["copula"],
             model_seeds=[0])
    merge_bench.main(["--ours", str(tmp_path / "ours"), "--peers", str(tmp_path / "a"),
                      "--out", str(tmp_path), "--dry-run"])
    said = capsys.readouterr().out
    assert "not comparable" in said and "in seed" in said and "nothing written" in said
    assert not (tmp_path / "bench.csv").exists() and not (tmp_path / "previous").exists()
    assert merge_bench.published_ratios(tmp_path / "none.csv")["abalone"] == 0.989
    pd.DataFrame(dict(generator=["TabDDPM (paper)"], dataset=["pima"], tstr_ratio_rf=[0.9])
                 ).to_csv(tmp_path / "ref.csv", index=False)
    assert merge_bench.published_ratios(tmp_path / "ref.csv")["pima"] == 0.9


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


def test_fold_null_share_is_one_for_training_rows_zero_for_held_and_half_for_fresh_rows():
    "benchmarks/fold_null.py measures the fold check's equal-size DCR share: copies of either set, and fresh rows."
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try: from fold_null import fold_share
    finally: sys.path.remove(str(ROOT / "benchmarks"))
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=400), "k": rng.choice(["a", "b"], 400)})
    train, held = df.iloc[:300], df.iloc[300:]
    assert fold_share(train, held, train) == 1.0 and fold_share(train, held, held) == 0.0
    fresh = pd.DataFrame({"x": rng.normal(size=4000), "k": rng.choice(["a", "b"], 4000)})
    assert abs(fold_share(train, held, fresh) - 0.5) < 0.05  # rows from the same distribution, in neither set
