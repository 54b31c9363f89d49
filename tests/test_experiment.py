"Runner, config and papermill tests of `tabdiffusion.experiment` (issue 5)."
import importlib.util
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import tabdiffusion.experiment as E
from tabdiffusion.experiment import RunData, aggregate, format_table, run_experiment, write_result

CONFIGS = sorted(p.stem for p in E._experiments_dir().glob("exp*.yaml"))
TOY = """name: exp900_toy
dataset: toy
generators: [copula, {name: smogn, label: smogn_k3, params: {k: 3}}]
seeds: [0, 1, 2, 3, 4]
modes: [tstr, augment]
quick: {seeds: [0, 1], max_rows: 50}
"""


def _fake_runner(spec, results_dir, device=None, threads=None):
    "Writes a result whose metric depends on the seed; crashes on seed 2 while `crash` exists."
    if spec.seed == 2 and (Path(results_dir)/"crash").exists(): raise RuntimeError("simulated crash")
    rng = np.random.default_rng(spec.seed)
    df = pd.DataFrame({"a": rng.normal(size=30), "y": rng.normal(size=30)})
    data = RunData(df.iloc[:10], df.iloc[10:20], df.iloc[20:], "y", "regression")
    metrics = {"tstr_r2_rf": 0.1 * spec.seed, "dcr_share": 0.5}
    timings = {"fit_seconds": 0.01, "sample_seconds": 0.001}
    return write_result(spec, data, metrics, timings, Path(results_dir)/spec.experiment/spec.run_id, device=device)


@pytest.fixture
def toy_dir(tmp_path):
    (tmp_path/"cfg").mkdir()
    (tmp_path/"cfg"/"exp900_toy.yaml").write_text(TOY)
    return tmp_path


@pytest.mark.parametrize("name", CONFIGS)
def test_shipped_configs(name):
    cfg = E._load_config(name)
    assert cfg["name"] == name and len(cfg["seeds"]) >= 5
    runs, quick = E._expand_runs(cfg), E._expand_runs(cfg, quick=True)
    assert len({r.run_id for r in runs}) == len(runs)
    assert len({r.seed for r in quick}) == 2 and all(r.max_rows is None or r.max_rows <= 300 for r in quick)
    for r in quick:
        if r.generator == "tabdiffusion": assert r.params["epochs"] <= 5


def test_expected_experiments_exist():
    for prefix in ("exp001", "exp002", "exp003", "exp011", "exp012", "exp013", "exp020"):
        assert any(c.startswith(prefix) for c in CONFIGS), prefix
    sweep = E._load_config("exp020")
    assert sweep["features"] == [2, 5, 10, 20, 30]
    assert {g["name"] for g in sweep["generators"]} == {"tabdiffusion", "smogn"}


def test_grid_and_run_ids(toy_dir):
    runs = E._expand_runs(E._load_config("exp900", config_dir=toy_dir/"cfg"))
    assert len(runs) == 2 * 5 * 2
    ids = {r.run_id for r in runs}
    assert {"copula-toy-s0", "smogn_k3-toy-s4-augment"} <= ids
    assert [r.params for r in runs if r.label == "smogn_k3"][0] == {"k": 3}


def test_process_pool_resume_and_force(toy_dir):
    kw = dict(quick=False, config_dir=toy_dir/"cfg", results_dir=toy_dir/"res", runner=_fake_runner)
    (toy_dir/"res").mkdir(); (toy_dir/"res"/"crash").touch()
    with pytest.warns(UserWarning, match="simulated crash"):
        s1 = run_experiment("exp900", n_workers=2, **kw)
    assert len(s1) == 16 and len(s1.attrs["failed"]) == 4
    exp = toy_dir/"res"/"exp900_toy"
    notes = sorted(exp.glob("*/failed.json"))  # each failure is on record, with its error and the commit
    assert [n.parent.name for n in notes] == sorted(s1.attrs["failed"])
    note = json.loads(notes[0].read_text())
    assert note["error"] == "RuntimeError: simulated crash" and "commit" in note
    (toy_dir/"res"/"crash").unlink()
    before = (exp/"copula-toy-s0"/"result.json").stat().st_mtime_ns
    s2 = run_experiment("exp900", n_workers=2, **kw)
    assert len(s2) == 20 and not s2.attrs["failed"] and not list(exp.glob("*/failed.json"))  # cleared once run
    assert (exp/"copula-toy-s0"/"result.json").stat().st_mtime_ns == before  # finished runs are skipped
    with pytest.warns(UserWarning, match="result.prev.json"):
        run_experiment("exp900", n_workers=1, force=True, **kw)
    assert len(list(exp.glob("*/result.prev.json"))) == 20


def test_summary_and_aggregate(toy_dir):
    s = run_experiment("exp900", config_dir=toy_dir/"cfg", results_dir=toy_dir/"res", runner=_fake_runner,
                       n_workers=1)
    csv = pd.read_csv(toy_dir/"res"/"exp900_toy"/"summary.csv")
    assert list(csv.columns) == E._SUMMARY_COLUMNS + ["tstr_r2_rf", "dcr_share"]
    assert len(csv) == len(s) == 20
    agg = pd.read_csv(toy_dir/"res"/"exp900_toy"/"aggregate.csv")
    assert len(agg) == 4 and set(agg["n"]) == {5}
    np.testing.assert_allclose(agg["tstr_r2_rf_mean"], 0.2)
    np.testing.assert_allclose(agg["tstr_r2_rf_sd"], np.std([0, .1, .2, .3, .4], ddof=1))
    table = format_table(aggregate(s))
    assert table.loc[0, "tstr_r2_rf"] == "0.200 ± 0.158"


def test_quick_goes_to_separate_dir(toy_dir, monkeypatch):
    monkeypatch.chdir(toy_dir)
    s = run_experiment("exp900", quick=True, config_dir=toy_dir/"cfg", runner=_fake_runner, n_workers=1)
    assert len(s) == 2 * 2 * 2
    assert (toy_dir/"results_quick"/"exp900_toy"/"summary.csv").exists()
    assert not (toy_dir/"results").exists()


def test_dask_local_cluster(toy_dir):
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster:
            s = run_experiment("exp900", config_dir=toy_dir/"cfg", results_dir=toy_dir/"res",
                               runner=_fake_runner, scheduler=cluster.scheduler_address, device="cpu")
    assert len(s) == 20 and not s.attrs["failed"]
    assert set(s["device"]) == {"cpu"}


def test_bad_config_name():
    with pytest.raises(ValueError, match="matches no config"):
        E._load_config("exp999_nope")


_REAL = all(importlib.util.find_spec(f"tabdiffusion.{m}") for m in ("datasets", "baselines", "evaluation"))
E2E = """name: exp901_e2e
dataset: iris
generators:
  - {name: tabdiffusion, params: {epochs: 50, timesteps: 100, n_sample_steps: 20, verbose: false}}
  - copula
seeds: [0, 1, 2, 3, 4]
quick:
  seeds: [0]
  eval_seeds: [0]
  params: {tabdiffusion: {epochs: 2, timesteps: 20, n_sample_steps: 10}}
"""


@pytest.mark.skipif(not _REAL, reason="needs tabdiffusion.datasets, .baselines and .evaluation")
def test_papermill_quick_end_to_end(tmp_path, monkeypatch):
    (tmp_path/"cfg").mkdir(); (tmp_path/"cfg"/"exp901_e2e.yaml").write_text(E2E)
    monkeypatch.chdir(tmp_path)
    s = run_experiment("exp901", quick=True, config_dir=tmp_path/"cfg", n_workers=2)
    assert not s.attrs["failed"], s.attrs["failed"]
    exp = tmp_path/"results_quick"/"exp901_e2e"
    res = json.loads((exp/"tabdiffusion-iris-s0"/"result.json").read_text())
    assert res["config"]["params"]["epochs"] == 2 and res["versions"]["torch"]
    assert res["parameters"]["epochs"] == 2 and res["parameters"]["epochs_run"] == 2 and "commit" in res
    assert {"tstr_accuracy_rf", "column_shapes", "dcr_share"} <= set(res["metrics"])
    assert 0 <= res["metrics"]["dcr_share"] <= 1 and res["n_synthetic"] == res["n_train"]
    assert {p.name for p in (exp/"copula-iris-s0"/"figures").glob("*.png")} == {
        "marginals.png", "correlations.png", "dcr.png"}
    assert (tmp_path/"runs"/"exp901_e2e"/"tabdiffusion-iris-s0.ipynb").exists()
    assert list(pd.read_csv(exp/"summary.csv").columns[:len(E._SUMMARY_COLUMNS)]) == E._SUMMARY_COLUMNS
