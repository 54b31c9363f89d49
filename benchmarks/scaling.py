"""How the default TabDiffusion's cost grows: fit seconds per epoch and sample seconds vs rows and vs columns.

Usage: python benchmarks/scaling.py [--rows 1000 10000 100000 1000000] [--cols 5 20 50 100 200] [--threads 1]
                                    [--sample-cap 100000] [--profile] [--out results/bench]
Each point is one 1-epoch fit (all other settings default) and one `sample` call on a generated table (60%
numeric, 40% categorical). Writes scaling.csv, scaling_rows.png, scaling_cols.png (and profile.txt
with --profile). Peak memory is the process RSS above its value before the fit
(see `tabdiffusion.bench.PeakMemory`); `encoded_mb` is the size the encoded table would have (float32 numeric
and int64 categorical model columns), for scale: `fit` streams the table in chunks and never holds it whole.
"""

import cProfile, io, pstats, time, warnings
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from fastcore.script import Param, store_true
from tabdiffusion.cli import call
from tabdiffusion.bench import PeakMemory, environment
from tabdiffusion.synthesizer import TabDiffusion


def synthetic_frame(n_rows: int, n_cols: int, seed: int = 0) -> pd.DataFrame:
    "A mixed table: skewed and integer numerics plus 3-10-level text columns, with mild correlations."
    rng = np.random.default_rng(seed)
    n_num = max(1, round(0.6 * n_cols))
    z = rng.standard_normal((n_rows, 1)) + 0.8 * rng.standard_normal((n_rows, n_num))
    num = np.where(np.arange(n_num) % 3 == 1, np.exp(z / 2), z)  # every third column log-normal
    df = pd.DataFrame(num, columns=[f"x{j}" for j in range(n_num)])
    for j in range(2, n_num, 3): df[f"x{j}"] = np.round(df[f"x{j}"] * 10).astype("int64")
    for j in range(n_cols - n_num):
        k = 3 + j % 8
        codes = np.clip((z[:, 0] + rng.standard_normal(n_rows)) * k / 4 + k / 2, 0, k - 1).astype(int)
        df[f"c{j}"] = pd.Series(np.array([f"l{i}" for i in range(k)])[codes], dtype="str")
    return df


def measure(df: pd.DataFrame, n_sample: int, seed: int = 0) -> dict:
    "Seconds of a 1-epoch default fit (total and training loop), of sampling `n_sample` rows, peak MB."
    model = TabDiffusion(epochs=1, verbose=False, random_state=seed)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        model.fit(df)
        fit_s = time.perf_counter() - t0
    with PeakMemory() as mem_s, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        model.sample(n_sample, random_state=seed)
        sample_s = time.perf_counter() - t0
    steps = int(np.ceil(len(df) / model.batch_size))
    tt = model.transformer_
    return dict(rows=len(df), cols=df.shape[1], steps_per_epoch=steps, epoch_s=model.history_[0]["seconds"],
                fit_s=fit_s, step_ms=1000 * model.history_[0]["seconds"] / steps, fit_peak_mb=mem.peak_mb,
                encoded_mb=len(df) * (4 * tt.n_num + 8 * tt.n_cat) / 2**20,
                n_sample=n_sample, sample_s=sample_s, sample_peak_mb=mem_s.peak_mb,
                sample_rows_per_s=n_sample / sample_s)


def sweep(rows: list, cols: list, base_rows: int, base_cols: int, sample_cap: int) -> pd.DataFrame:
    "Both curves: rows at `base_cols` columns, then columns at `base_rows` rows."
    measure(synthetic_frame(512, base_cols), 64)  # warm imports, kernels and the allocator: not a point
    out = []
    for n in rows:
        out.append(dict(curve="rows", **measure(synthetic_frame(n, base_cols), min(n, sample_cap))))
        print(out[-1], flush=True)
    for c in cols:
        out.append(dict(curve="cols", **measure(synthetic_frame(base_rows, c), base_rows)))
        print(out[-1], flush=True)
    return pd.DataFrame(out)


def plot(table: pd.DataFrame, curve: str, x: str, path: Path):
    "Seconds (per epoch, per sample call) and peak memory against `x`, log-log."
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    d = table[table.curve == curve]
    whole = d[d.n_sample == d.rows] if curve == "rows" else d  # points where all `rows` rows were sampled
    fig, (ax, mx) = plt.subplots(1, 2, figsize=(9, 3.6))
    ax.plot(d[x], d.epoch_s, "o-", label="fit: seconds per epoch")
    ax.plot(whole[x], whole.sample_s, "s-", label="sample: seconds for all rows")
    mx.plot(d[x], d.fit_peak_mb.clip(lower=0.1), "o-", label="fit: peak RSS delta (MB)")
    mx.plot(d[x], d.sample_peak_mb.clip(lower=0.1), "s-", label="sample: peak RSS delta (MB)")
    if "encoded_mb" in d: mx.plot(d[x], d.encoded_mb, "k:", label="encoded table (MB), never held whole")
    threads = int(d.torch_threads.iloc[0]) if "torch_threads" in d else torch.get_num_threads()
    for a_, y in ((ax, "seconds"), (mx, "MB")):
        a_.set(xscale="log", yscale="log", xlabel=x, ylabel=y)
        a_.legend(fontsize=8); a_.grid(alpha=0.3, which="both")
    fig.suptitle(f"TabDiffusion defaults, 1-epoch fits, {threads} torch thread(s)", fontsize=10)
    fig.tight_layout(); fig.savefig(path, dpi=110); plt.close(fig)


def profile_report(n_rows: int = 4000, n_sample: int = 4000) -> str:
    "cProfile of 16 training steps and of one `sample` call (top functions by own time)."
    df = synthetic_frame(n_rows, 10)
    TabDiffusion(epochs=1, verbose=False, random_state=0).fit(df.head(512))  # warm imports and kernels
    report = []
    for what in ("fit (1 epoch, 16 steps)", f"sample {n_sample} rows"):
        pr = cProfile.Profile()
        if what.startswith("fit"):
            pr.enable(); m = TabDiffusion(epochs=1, verbose=False, random_state=0).fit(df); pr.disable()
        else:
            pr.enable(); m.sample(n_sample, random_state=1); pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(15)
        report.append(f"=== {what}\n{s.getvalue()}")
    return "\n".join(report)


def run(rows: Param("table sizes of the rows sweep", int, nargs="+") = (1000, 10_000, 100_000),
        cols: Param("column counts of the columns sweep", int, nargs="+") = (5, 20, 50, 100, 200),
        base_rows: int = 5000,  # rows while the columns vary
        base_cols: int = 10,  # columns while the rows vary
        sample_cap: int = 100_000,  # most rows sampled per point
        threads: int = None,  # torch threads (default: unchanged)
        profile: store_true = False,  # also write profile.txt (cProfile of one fit and one sample)
        out: str = "results/bench",  # folder for scaling.csv and the plots
        ) -> pd.DataFrame:
    "Fit and sample time and peak memory against rows and columns of a synthetic mixed table."
    if threads: torch.set_num_threads(threads)
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    if profile: (out / "profile.txt").write_text(profile_report())
    table = sweep(rows, cols, base_rows, base_cols, sample_cap)
    env = environment()
    table["torch_threads"], table["cpu"], table["device"] = env["torch_threads"], env["cpu"], env["device"]
    table.to_csv(out / "scaling.csv", index=False)
    plot(table, "rows", "rows", out / "scaling_rows.png")
    plot(table, "cols", "cols", out / "scaling_cols.png")
    print(table.drop(columns=["cpu", "device"]).to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    return table


def main(argv: list | None = None) -> pd.DataFrame:
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/scaling.py")


if __name__ == "__main__":
    main()
