"""Merge our default's benchmark run with the peers' runs into one table, its summary and the target check.

Usage: python benchmarks/merge_bench.py [--ours results/bench/ours] [--peers results/bench/peers/a ...]
                                        [--out results/bench] [--dry-run]
Our default runs with several model seeds and the real holdout rows (`tabdiffusion bench
--generators tabdiffusion --model-seeds 0 1 2 --out results/bench/ours`); the peers run with one model seed
and `--no-reference` (results/bench/peers/*). Every run uses the test split of seed 0 and the same evaluation
seeds, so their rows are comparable; a run whose split, seed or evaluation seeds differ is named in the
report. The merged bench.csv has one row per (dataset, generator, model seed) and a `run` column naming the
folder the row came from (a row found in two runs is kept from the later one). summary.csv is
`summarise_bench` of it, targets.csv `check_targets`, and bench.json records each run's configuration,
environment and commit (where the run recorded one) beside the merge's own commit.
Before the first merge, the files of the previous benchmark in --out (bench.csv, bench.json, summary.csv,
targets.csv) move to <out>/previous/, so the thesis can still show the previous default; once previous/
exists, a merge leaves it alone. A missing run or missing rows are reported, and the merge goes on with what
exists.
"""
import json, shutil, subprocess
from pathlib import Path
import pandas as pd
from fastcore.script import Param, store_true
from tabdiffusion.cli import call
from tabdiffusion.bench import REFERENCE, summarise_bench
from tabdiffusion.targets import TABDDPM_RATIOS, check_targets, format_summary

PEERS = tuple(f"results/bench/peers/{f}" for f in ("a", "b", "ff", "ctgan", "ctgan_big"))  # `make bench`'s runs
PREVIOUS = ("bench.csv", "bench.json", "summary.csv", "targets.csv")  # what moves to previous/
SAME = ("split", "seed", "eval_seeds", "quick")  # config keys that must agree for rows to be comparable


def read_run(folder: Path) -> tuple:
    "A run's `bench.csv` (None when missing or empty) and its `bench.json` (empty dict when missing)."
    csv, meta = folder / "bench.csv", folder / "bench.json"
    table = pd.read_csv(csv) if csv.exists() else None
    doc = json.loads(meta.read_text()) if meta.exists() else {}
    return (None if table is None or table.empty else table), doc


def missing_rows(table: pd.DataFrame, config: dict) -> list:
    "'dataset/generator/seed' of every row the run's configuration asks for that its table does not have."
    seeds = config.get("model_seeds") or [config.get("seed", 0)]
    want = {(d, g, int(s)) for d in config.get("datasets", []) for g in config.get("generators", [])
            for s in seeds}
    have = {(d, g, int(s)) for d, g, s in zip(table.dataset, table.generator, table.model_seed)
            if pd.notna(s)}
    out = [f"{d}/{g}/seed {s}" for d, g, s in sorted(want - have)]
    if config.get("reference"):
        out += [f"{d}/{REFERENCE}" for d in config.get("datasets", [])
                if not ((table.dataset == d) & (table.generator == REFERENCE)).any()]
    return out


def keep_previous(out: Path) -> list:
    "Move the previous benchmark's files from `out` to `out/previous/`, unless it exists or they are a merge."
    prev, meta = out / "previous", out / "bench.json"
    if prev.exists() or not (out / "bench.csv").exists(): return []
    if meta.exists() and "sources" in json.loads(meta.read_text()): return []  # already a merged table
    prev.mkdir(parents=True)
    moved = [f for f in PREVIOUS if (out / f).exists()]
    for f in moved: shutil.move(str(out / f), str(prev / f))
    return moved


def published_ratios(path: Path) -> dict:
    "TabDDPM's RF ratios per dataset from `reference_points.csv` where it lists them, else `TABDDPM_RATIOS`."
    ref = pd.read_csv(path) if path.exists() else pd.DataFrame()
    if not {"dataset", "generator", "tstr_ratio_rf"} <= set(ref.columns): return dict(TABDDPM_RATIOS)
    rows = ref[ref.generator.astype(str).str.startswith("TabDDPM") & ref.tstr_ratio_rf.notna()]
    return dict(TABDDPM_RATIOS) | dict(zip(rows.dataset, rows.tstr_ratio_rf.astype(float)))


def merge(runs: dict) -> pd.DataFrame:
    "One table from {folder: table}: a `run` column, one row per (dataset, generator, model seed), real last."
    table = pd.concat([t.assign(run=str(f)) for f, t in runs.items()], ignore_index=True)
    table = table.drop_duplicates(["dataset", "generator", "model_seed"], keep="last")
    order = list(dict.fromkeys(table.dataset))
    key = table.dataset.map(order.index) * 2 + (table.generator == REFERENCE)
    table = table.iloc[key.to_numpy().argsort(kind="stable")].reset_index(drop=True)
    table["model_seed"] = table.model_seed.astype("Int64")
    if "note" in table: table["note"] = [n if isinstance(n, str) else "" for n in table.note]  # CSV: NaN
    return table


def _git(*args) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def record(runs: dict, metas: dict, table: pd.DataFrame, ours: Path) -> dict:
    "bench.json of the merge: every run's config, environment and commit, the datasets, and the rows."
    sources = {str(f): dict(config=m.get("config"), environment=m.get("environment"),
                            commit=m.get("commit"), n_rows=len(runs[f]) if f in runs else 0, found=f in runs)
               for f, m in metas.items()}
    datasets = {}
    for m in metas.values(): datasets = m.get("datasets", {}) | datasets  # the first run's facts win
    env = (metas.get(ours) or next(iter(metas.values()), {})).get("environment", {})
    return dict(sources=sources, datasets=datasets, environment=env,
                merge=dict(commit=_git("rev-parse", "HEAD") or None,
                           uncommitted=bool(_git("status", "--porcelain"))),
                rows=json.loads(table.to_json(orient="records")))


def report(runs: dict, metas: dict) -> list:
    "Lines naming missing runs, missing rows, and runs whose split or seeds differ from the first one's."
    lines, first = [], None
    for f, m in metas.items():
        if f not in runs:
            lines.append(f"missing: {f}/bench.csv (not run yet, or not written yet)")
            continue
        config = m.get("config", {})
        gaps = missing_rows(runs[f], config) if config else []
        if gaps: lines.append(f"partial: {f} lacks {len(gaps)} rows: {', '.join(gaps[:8])}"
                              + (" ..." if len(gaps) > 8 else ""))
        first = first or (f, config)
        odd = [k for k in SAME if config.get(k) != first[1].get(k)]
        if odd: lines.append(f"not comparable: {f} differs from {first[0]} in {', '.join(odd)}")
    return lines


def run(ours: str = "results/bench/ours",  # our default's run folder
        peers: Param("the peers' run folders", str, nargs="+") = PEERS,
        out: str = "results/bench",  # folder of the merged table
        dry_run: store_true = False,  # report what would be merged, write nothing
        ) -> pd.DataFrame:
    "Merge our default's benchmark run with the peers' runs into one table, with the targets checked on it."
    ours, out = Path(ours), Path(out)
    metas, runs = {}, {}
    for f in [ours, *map(Path, peers)]:
        table, metas[f] = read_run(f)
        if table is not None: runs[f] = table
    for line in report(runs, metas): print(line)
    if not runs: raise SystemExit("error: no benchmark run found; nothing merged")
    if ours not in runs: print(f"our default's run ({ours}) is missing: the merge has only the peers' rows")
    table = merge(runs)
    doc = record(runs, metas, table, ours)
    table.attrs = dict(datasets=doc["datasets"])
    summary = summarise_bench(table)
    targets = check_targets(summary, published=published_ratios(out / "reference_points.csv"))
    print(format_summary(summary))
    if len(targets): print("\n" + targets.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if dry_run: print("\ndry run: nothing written"); return table
    out.mkdir(parents=True, exist_ok=True)
    moved = keep_previous(out)
    if moved: print(f"\nmoved the previous benchmark ({', '.join(moved)}) to {out / 'previous'}")
    table.to_csv(out / "bench.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    targets.to_csv(out / "targets.csv", index=False)
    (out / "bench.json").write_text(json.dumps(doc, indent=1, default=str))
    print(f"wrote bench.csv ({len(table)} rows from {len(runs)} runs), summary.csv, targets.csv and "
          f"bench.json to {out}")
    return table


def main(argv: list | None = None) -> pd.DataFrame:
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/merge_bench.py")


if __name__ == "__main__":
    main()
