"Tests of the `tabdiffusion` command line (issue 9): round trips, one-line errors and exit codes."
import contextlib
import io
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import tabdiffusion.cli as C
from tabdiffusion.cli import main

RUN = [sys.executable, "-c", "import sys; from tabdiffusion.cli import main; sys.exit(main())"]


def cli(*args, timeout=300):
    "Run `tabdiffusion ARGS` in a fresh process."
    env = {**os.environ, "OMP_NUM_THREADS": "1"}  # tiny models train far faster on one thread
    return subprocess.run([*RUN, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env)


def call(*args):
    "Run `main` in this process: (exit status, stdout, stderr)."
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err): rc = main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({"x": rng.normal(size=n).round(4), "k": rng.choice(["a", "b", "c"], n),
                       "n": rng.integers(0, 5, n)})
    df["y"] = (2 * df.x + df.n + rng.normal(0, 0.1, n)).round(4)
    path = tmp_path_factory.mktemp("data")/"data.csv"
    df.to_csv(path, index=False)
    return path


def _one_error_line(err: str, text: str):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and text in lines[0], err


def test_usage_lists_every_command():
    rc, out, _ = call()
    assert rc == 0 and all(c in out for c in C._COMMANDS)
    assert {"train", "sample", "synthesize", "report", "experiment", "demo"} <= set(C._COMMANDS)
    rc, _, err = call("fly")
    assert rc == 2 and "unknown command 'fly'" in err


def test_train_sample_round_trip(csv, tmp_path):
    r = cli("train", "--dataset", csv, "--target", "y", "--out", tmp_path/"m", "--epochs", 1, "--timesteps", 20,
            "--width", 16, "--depth", 1, "--quiet")
    assert r.returncode == 0 and "saved to" in r.stdout, r.stderr
    r = cli("sample", "--model", tmp_path/"m", "--n", 37, "--out", tmp_path/"s.parquet", "--seed", 1)
    assert r.returncode == 0, r.stderr
    syn, real = pd.read_parquet(tmp_path/"s.parquet"), pd.read_csv(csv)
    assert len(syn) == 37 and list(syn.columns) == list(real.columns)
    assert set(syn.k) <= set(real.k) and syn.n.between(0, 4).all()
    outs = [tmp_path/f"big{j}.csv" for j in (1, 2)]  # two chunks: drawn by 1 and by 2 processes
    for j, o in zip((1, 2), outs):
        r = cli("sample", "--model", tmp_path/"m", "--n", 10_500, "--out", o, "--seed", 2, "--jobs", j,
                "--steps", 3)
        assert r.returncode == 0, r.stderr
    pd.testing.assert_frame_equal(pd.read_csv(outs[0]), pd.read_csv(outs[1]))
    _one_error_line(call("sample", "--model", tmp_path/"m", "--jobs", 0)[2], "n_jobs must be a non-zero integer")


def test_errors_are_one_line_with_status_1(csv, tmp_path):
    _one_error_line(call("sample", "--model", tmp_path/"none")[2], "No checkpoint folder")
    _one_error_line(call("synthesize", tmp_path/"none.csv")[2], "No such file")
    (tmp_path/"bad.parquet").write_text("nope")
    rc, _, err = call("synthesize", tmp_path/"bad.parquet")
    assert rc == 1; _one_error_line(err, "Could not read")
    rc, out, err = call("synthesize", csv, "--target", "price", "--out", tmp_path/"rel")
    assert rc == 1 and "target 'price' is not a column" in err and not (tmp_path/"rel").exists()
    _one_error_line(call("synthesize", csv, "--thresholds", "{oops")[2], "neither a JSON file nor JSON")
    _one_error_line(call("report", csv, csv, "--target", "nope")[2], "target 'nope' is not a column")


def test_id_column_stops_before_training_and_verbose_shows_traceback(csv, tmp_path):
    df = pd.read_csv(csv).assign(customer=lambda d: [f"C{i}" for i in range(len(d))])
    df.to_csv(tmp_path/"ids.csv", index=False)
    r = cli("synthesize", tmp_path/"ids.csv", "--target", "y", "--out", tmp_path/"rel", timeout=120)
    assert r.returncode == 1 and not (tmp_path/"rel").exists()
    _one_error_line(r.stderr, "column 'customer' has a different value in every row, like an ID")
    rc, _, err = call("synthesize", tmp_path/"ids.csv", "--verbose")
    assert rc == 1 and "Traceback" in err
    rc, out, _ = call("synthesize", tmp_path/"ids.csv", "--target", "y", "--drop", "customer", "--check")
    assert rc == 0 and "Schema" in out and "customer" not in out


def test_synthesize_then_report(csv, tmp_path):
    rc, out, err = call("synthesize", csv, "--target", "y", "--rows", 150, "--out", tmp_path/"rel", "--epochs", 1,
                        "--categorical", "n", "--quick", "--quiet", "--nearest", 2,
                        "--thresholds", '{"mia_good": 0.65}')
    assert rc == 0, err
    assert "Schema" in out and "verdicts: utility" in out
    syn = pd.read_csv(tmp_path/"rel"/"synthetic.csv")
    assert len(syn) == 150 and list(syn.columns) == ["x", "k", "n", "y"]
    metrics = json.loads((tmp_path/"rel"/"metrics.json").read_text())
    assert metrics["thresholds"]["mia_good"] == 0.65 and (tmp_path/"rel"/"model"/"model.json").exists()
    rc, out, err = call("report", csv, tmp_path/"rel"/"synthetic.csv", "--target", "y", "--quick",
                        "--out", tmp_path/"r"/"report.html")
    assert rc == 0, err
    assert out.startswith("utility ") and "wrote" in out
    page = (tmp_path/"r"/"report.html").read_text()
    assert "no --test given" in page and "data:image/png;base64," in page


def test_synthesize_keep_copies_on_a_table_with_no_new_rows(tmp_path):
    "Every row this table allows is a training row: a clear error, and --keep-copies lets the user go on."
    full = pd.DataFrame({"a": ["x", "y", "x", "y"] * 30, "b": ["u", "u", "v", "v"] * 30})
    full.to_csv(tmp_path/"full.csv", index=False)
    args = ("synthesize", tmp_path/"full.csv", "--epochs", 1, "--quick", "--quiet", "--nearest", 0)
    rc, _, err = call(*args, "--out", tmp_path/"a")
    assert rc == 1
    _one_error_line(err, "--keep-copies")
    rc, out, err = call(*args, "--out", tmp_path/"b", "--keep-copies")
    assert rc == 0, err
    syn = pd.read_csv(tmp_path/"b"/"synthetic.csv")
    assert len(syn) == len(full) and set(map(tuple, syn.values)) <= set(map(tuple, full.values))
