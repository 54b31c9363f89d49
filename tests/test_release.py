"End-to-end tests of `tabdiffusion.release` (issue 9): the synthesize pipeline and the HTML release report."
import html
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tabdiffusion.evaluation import evaluate
import tabdiffusion.release as R
from tabdiffusion.release import AREAS, Thresholds, build_report, evaluate_release, synthesize, verdicts
from tabdiffusion.synthesizer import TabDiffusion

CHROMIUM = Path("/usr/bin/chromium")
TINY = {"verbose": False, "timesteps": 50, "width": 32, "depth": 1}
SECTIONS = ("Utility", "Fidelity", "Privacy", "The numbers and what they mean", "Real vs synthetic",
            "Worst columns", "Worst column pairs", "Nearest records", "Settings and versions", "Thresholds",
            "Only differential privacy gives a formal privacy guarantee")


def _table(n=300, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"age": rng.integers(18, 90, n), "income": rng.lognormal(10, 0.5, n).round(2),
                       "region": rng.choice(["north", "south", "east"], n), "owner": rng.random(n) < 0.4})
    df["price"] = df.income / 100 + df.age * 3 + df.region.map({"north": 0, "south": 20, "east": 40})
    return df


@pytest.fixture(scope="module")
def parts():
    "Train/test/holdout of the toy table and a leaky 'generator' (train rows with noise on one column)."
    df = _table()
    tr, te, ho = df.iloc[:120], df.iloc[120:180], df.iloc[180:300]
    leaky = tr.assign(income=tr.income * np.random.default_rng(1).normal(1, 0.05, len(tr)))
    ev = evaluate_release(tr, te, leaky, target="price", holdout=ho, quick=True)
    return tr, te, ho, leaky, ev


@pytest.fixture(scope="module")
def page(parts):
    tr, te, ho, leaky, ev = parts
    return build_report(tr, te, leaky, target="price", holdout=ho, evaluation=ev, model_info={"generator": "x"})


def test_thresholds_are_configurable_and_checked():
    assert Thresholds().utility_good == 0.9 and Thresholds().mia_good == 0.6 and Thresholds().copies_good == 0
    assert Thresholds.make({"dcr_share_good": 0.52}).dcr_share_good == 0.52
    with pytest.raises(ValueError, match="unknown thresholds"): Thresholds.make({"dcr_good": 0.5})
    with pytest.raises(TypeError, match="dict or Thresholds"): Thresholds.make(0.5)


def test_verdicts_catch_a_leaky_generator(parts):
    ev = parts[-1]
    v = verdicts(ev)
    assert v["privacy"]["verdict"] == "poor" and ev.privacy["dcr_share"] > 0.9
    assert v["fidelity"]["verdict"] == "fair" and ev.fidelity["detection_auc"] < 0.3  # near-copies: AUC far below 0.5
    lenient = verdicts(ev, {"dcr_share_good": 1.0, "dcr_share_fair": 1.0, "mia_good": 1.0, "mia_fair": 1.0})
    assert lenient["privacy"]["verdict"] == "good"  # thresholds really drive the verdict


def test_copies_make_privacy_poor_and_copies_are_found(parts):
    tr, te, ho, *_ = parts
    copies = pd.concat([tr.sample(60, random_state=0), _table(60, seed=5)], ignore_index=True)
    ev = evaluate(tr, None, copies, target="price", holdout=ho, utility=False, quick=True, seeds=(0,))
    v = verdicts(ev)
    assert v["utility"]["verdict"] == "not measured"
    assert next(c for c in v["privacy"]["checks"] if c["metric"] == "exact_copies")["verdict"] == "poor"
    near = R._nearest_records(tr, copies, n=3)
    assert (near.distance == 0).all() and list(near.row[:2]) == ["synthetic", "real (train)"]


def test_page_is_self_contained_and_complete(page):
    for s in SECTIONS: assert s in page, s
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert "<script" not in page.lower() and "@import" not in page
    imgs = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(imgs) == 3 and all(len(b) > 1000 for b in imgs)
    assert re.findall(r'class="card (\w+)', page) == ["good", "fair", "poor"]  # fidelity: near-copies (1 - AUC)
    assert "graded as 1 - AUC" in html.unescape(page)
    assert "not</b> trained with differential privacy" in page


def test_page_shows_epsilon_and_options(parts):
    tr, te, ho, leaky, ev = parts
    p = build_report(tr, te, leaky, target="price", holdout=ho, evaluation=ev, nearest=0,
                     model_info={"dp_epsilon": 2.5, "dp_delta": 1e-5}, thresholds={"mia_good": 0.99})
    assert "ε = 2.5" in p and "δ = 1.0e-05" in p and "Nearest records" not in p
    assert "≤ 0.990" in p  # the custom pass mark is shown next to the MIA AUC


def test_report_without_holdout_or_target_is_never_good_on_missing_evidence(parts):
    tr, te, ho, leaky, ev = parts
    fresh = _table(120, seed=9)
    p = build_report(tr, None, fresh, target=None, quick=True, nearest=2)
    cards = re.findall(r'class="card ([\w ]+)"', p)
    assert cards[0] == "not measured" and cards[2] in ("fair", "poor")
    assert "needs a holdout of real rows" in html.unescape(p)


def test_check_table_errors():
    df = _table(100)
    with pytest.raises(ValueError, match="target 'cost' is not a column"): R._check_table(df, target="cost")
    with pytest.raises(ValueError, match="'email' has a different value in every row"):
        R._check_table(df.assign(email=[f"u{i}@x.org" for i in range(100)]), target="price")
    with pytest.raises(ValueError, match="'rowid' has a different value"):
        R._check_table(df.assign(rowid=np.random.default_rng(0).permutation(100) + 1000))
    with pytest.raises(ValueError, match="cannot drop"): R._check_table(df, drop=["nope"])
    with pytest.raises(ValueError, match="has no values"):
        R._check_table(df.assign(price=np.nan), target="price")
    R._check_table(df.assign(noise=np.random.default_rng(0).normal(size=100)))  # unique floats are not IDs


def test_bad_input_stops_before_training(tmp_path, monkeypatch):
    def no_fit(self, *a, **k): raise AssertionError("training started")
    monkeypatch.setattr(TabDiffusion, "fit", no_fit)
    (tmp_path/"bad.parquet").write_text("not parquet")
    df = _table(100)
    cases = [(str(tmp_path/"none.csv"), {}, "No such file"), (str(tmp_path/"bad.parquet"), {}, "Could not read"),
             (df, {"target": "cost"}, "not a column"), (df.assign(id=range(100)), {}, "like an ID"),
             (df.assign(day=list(pd.date_range("2020", periods=100).date)), {}, "dates or times"),
             (df, {"thresholds": {"x": 1}}, "unknown thresholds"), (df, {"categorical": ["zz"]}, "not in the")]
    for data, kw, msg in cases:
        with pytest.raises((ValueError, TypeError, FileNotFoundError), match=msg):
            synthesize(data, out=tmp_path/"out", log=None, **kw)
    assert not (tmp_path/"out").exists()


def test_synthesize_end_to_end_from_parquet(tmp_path, monkeypatch):
    fit = TabDiffusion.fit
    def dp_fit(self, *a, **k):  # stands in for a DP-trained model: the report must show its ε
        out = fit(self, *a, **k); self.dp_epsilon_ = 4.0; return out
    monkeypatch.setattr(TabDiffusion, "fit", dp_fit)
    _table().to_parquet(tmp_path/"data.parquet")
    lines = []
    res = synthesize(str(tmp_path/"data.parquet"), target="price", rows=200, out=tmp_path/"rel", epochs=2,
                     categorical=["age"], quick=True, model_params=TINY, log=lines.append)
    assert "Schema" in lines[0] and "category" in lines[0].split("age")[1].split("\n")[0]
    files = {p.name for p in (tmp_path/"rel").iterdir()}
    assert files == {"synthetic.csv", "model", "report.html", "metrics.json"}
    syn = pd.read_csv(res["synthetic"])
    assert len(syn) == 200 and list(syn.columns) == list(_table().columns)
    metrics = json.loads(Path(res["metrics"]).read_text())
    assert set(metrics["verdicts"]) == set(AREAS) and metrics["model"]["dp_epsilon"] == 4.0
    assert metrics["evaluation"]["privacy"]["exact_copies"] == 0
    assert res["verdicts"]["privacy"] in ("good", "fair", "poor")
    page = Path(res["report"]).read_text()
    assert "ε = 4" in page and "TabDiffusion" in page
    assert len(TabDiffusion.load(res["model"]).sample(5)) == 5


def _probe(page: str) -> str:
    "The page with a script that records load errors and image sizes into a body attribute."
    script = ("<script>var E=[];addEventListener('error',function(e){E.push(String(e.message||e.target.src))},"
              "true);addEventListener('load',function(){var I=[].slice.call(document.images);document.body."
              "setAttribute('data-probe',JSON.stringify({errors:E,n:I.length,ok:I.filter(function(i){"
              "return i.complete&&i.naturalWidth>100}).length}))});</script>")
    return page.replace("<head>", "<head>" + script, 1)


def _chromium(*args, timeout=90):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,3000"]
    return subprocess.run([str(CHROMIUM), *flags, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_page_opens_in_chromium_with_visible_plots(page, tmp_path):
    (tmp_path/"probe.html").write_text(_probe(page), encoding="utf-8")
    dom = _chromium("--virtual-time-budget=10000", "--dump-dom", (tmp_path/"probe.html").as_uri()).stdout
    probe = json.loads(html.unescape(re.search(r'data-probe="([^"]*)"', dom).group(1)))
    assert probe == {"errors": [], "n": 3, "ok": 3}
    (tmp_path/"report.html").write_text(page, encoding="utf-8")
    _chromium(f"--screenshot={tmp_path/'shot.png'}", (tmp_path/"report.html").as_uri())
    import matplotlib.image as mpimg
    img = mpimg.imread(tmp_path/"shot.png")[..., :3]
    orange = (img[..., 0] > 0.9) & (np.abs(img[..., 1] - 0.5) < 0.15) & (img[..., 2] < 0.3)  # synthetic bars
    red_card = (np.abs(img[..., 0] - 1.0) < 0.02) & (np.abs(img[..., 1] - 0.92) < 0.02)  # the 'poor' card
    assert img.shape[:2] == (3000, 1200) and orange.sum() > 500 and red_card.sum() > 5000
