"Generator quality (issue 15): the privacy-checked training length and the target model, end to end."
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import torch

from tabdiffusion.holdback import MIN_CHECK_ROWS, MIN_FOLD_ROWS
from tabdiffusion.synthesizer import TabDiffusion
from tabdiffusion.target import TargetModel

TINY = dict(epochs=4, width=32, depth=1, timesteps=50, n_sample_steps=5, verbose=False, random_state=0)


def table(n=480, seed=0) -> pd.DataFrame:
    "A mixed table whose target depends on the other columns (and has a few gaps)."
    rng = np.random.default_rng(seed)
    x, k = rng.normal(size=n), rng.choice(["a", "b", "c"], n)
    y = 2 * x + (k == "b") + 0.3 * rng.normal(size=n)
    return pd.DataFrame({"x": x, "k": pd.Series(k, dtype="str"), "n": rng.integers(0, 4, n),
                         "y": np.where(rng.random(n) < 0.05, np.nan, y)})


@pytest.fixture(scope="module")
def fitted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TabDiffusion(**TINY).fit(table(), target="y")


def test_privacy_check_holds_back_rows_and_reports(fitted):
    rep = fitted.privacy_check_
    assert rep["held_rows"] == 120 and rep["checks"] >= 1 and 1 <= rep["kept_epoch"] <= 4 and "folds" not in rep
    assert 0 <= rep["dcr_share"] <= 1 and rep["limit"] == 0.55
    assert [h["dcr_share"] for h in fitted.history_ if "dcr_share" in h]  # recorded in the history


def test_small_tables_train_on_every_row_checked_by_folds():
    small = table(MIN_CHECK_ROWS - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY).fit(small, target="y")
        tiny = TabDiffusion(**TINY).fit(small.iloc[:MIN_FOLD_ROWS - 1], target="y")
    rep = m.privacy_check_  # every row was held back once, by one of the folds; the final model saw them all
    assert rep["held_rows"] == len(small) and rep["folds"] == 4 and rep["checks"] >= 1 and 1 <= rep["kept_epoch"] <= 4
    checks = [h for h in m.history_ if "check_ok" in h]
    assert all(h["folds"] == 4 and 0 <= h["dcr_share"] <= 1 for h in checks)
    assert tiny.privacy_check_ is None  # too few rows for folds: no check
    assert TabDiffusion(**TINY, privacy_check=None).fit(table(), target="y").privacy_check_ is None


def test_target_model_is_fitted_and_redraws_the_target(fitted):
    # four epochs leave the diffusion's own target poor, so the trees win on the held-back rows
    assert fitted.target_scores_["target_model"] > fitted.target_scores_["diffusion"]
    assert isinstance(fitted.target_model_, TargetModel) and fitted.target_model_.task == "regression"
    s = fitted.sample(400, random_state=1)
    assert list(s.dtypes) == list(table().dtypes)
    assert s["y"].notna().any() and s["y"].isna().any()  # missingness is the diffusion's, and stays possible
    real = table()["y"]
    assert s["y"].dropna().between(real.min(), real.max()).all()  # decoded and clipped like any column
    assert np.corrcoef(s.dropna()["x"], s.dropna()["y"])[0, 1] > 0.8  # p(y | x) follows x


def test_no_target_means_no_target_model_and_classification_targets():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert TabDiffusion(**TINY).fit(table()).target_model_ is None
        assert TabDiffusion(**TINY, target_model=None).fit(table(), target="y").target_model_ is None
        clf = TabDiffusion(**TINY).fit(table(), target="k")
        small = TabDiffusion(**TINY).fit(table(MIN_CHECK_ROWS - 1), target="y")
    scores = clf.target_scores_  # the trees are kept only when they score higher on the held-back rows
    assert (clf.target_model_ is None) == (scores["target_model"] <= scores["diffusion"])
    assert clf.target_model_ is None or clf.target_model_.task == "classification"
    assert set(clf.sample(200, random_state=0)["k"]) <= {"a", "b", "c"}
    assert small.target_model_ is None and small.target_scores_ is None  # no rows held back: no choice


def test_save_load_keeps_target_model_and_check(fitted, tmp_path):
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    assert meta["target_model"]["task"] == "regression" and "_compiled" not in meta["target_model"]["booster"]
    again = TabDiffusion.load(tmp_path)
    pd.testing.assert_frame_equal(again.sample(50, random_state=3), fitted.sample(50, random_state=3))
    assert again.privacy_check_ == fitted.privacy_check_ and again.target_scores_ == fitted.target_scores_


@pytest.mark.parametrize("kw, msg", [(dict(privacy_check=1.5), "privacy_check must be a number between 0 and 1"),
                                     (dict(check_fraction=0), "check_fraction must be a number between 0 and 1"),
                                     (dict(target_model="gbm"), "target_model must be 'auto' or None"),
                                     (dict(prediction="x0"), "Unknown prediction 'x0'"),
                                     (dict(noise_levels="edm"), "Unknown noise_levels 'edm'"),
                                     (dict(sample_precision="half"), "Unknown sample_precision 'half'"),
                                     (dict(train_precision="half"), "Unknown train_precision 'half'"),
                                     (dict(target_weight=0), "target_weight must be a positive number"),
                                     (dict(target_weight="4"), "target_weight must be a positive number")])
def test_bad_settings_are_refused_clearly(kw, msg):
    with pytest.raises(ValueError, match=msg):
        TabDiffusion(**TINY, **kw).fit(table(), target="y")


def test_edm_options_train_sample_and_survive_save_load(tmp_path):
    "v-prediction with log-normal noise levels fits, samples finite rows in range, and loads back identical."
    df = table(300)
    m = TabDiffusion(**TINY, prediction="v", noise_levels="lognormal", privacy_check=None).fit(df, target="y")
    assert m.diffusion_.gaussian.prediction == "v" and m.diffusion_.step_probs is not None
    out = m.sample(200, random_state=1)
    assert np.isfinite(out.x).all() and out.x.between(df.x.min(), df.x.max()).all()
    m.save(tmp_path)
    pd.testing.assert_frame_equal(TabDiffusion.load(tmp_path).sample(50, random_state=2), m.sample(50, random_state=2))


def test_checkpoint_saved_before_the_options_loads_as_eps(fitted, tmp_path):
    "A model.json without `prediction` and `noise_levels` (saved before they existed) decodes as ε, uniform steps."
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / "model.json").read_text())
    for k in ("prediction", "noise_levels"): del meta["params"][k]
    (tmp_path / "model.json").write_text(json.dumps(meta))
    again = TabDiffusion.load(tmp_path)
    assert again.diffusion_.gaussian.prediction == "eps" and again.diffusion_.step_probs is None
    pd.testing.assert_frame_equal(again.sample(50, random_state=3), fitted.sample(50, random_state=3))


def test_float_columns_come_back_with_their_decimal_places():
    "A price in cents comes back in cents; a full-precision column is not rounded."
    rng = np.random.default_rng(1)
    df = table(300).assign(price=rng.integers(100, 10_000, 300) / 100)
    out = TabDiffusion(**TINY, privacy_check=None, target_model=None).fit(df).sample(300, random_state=0)
    assert ((out.price * 100).round(6) % 1 == 0).all() and out.price.between(1, 100).all()
    assert ((out.x * 100).round(6) % 1 != 0).any()  # x is full precision: left as it is


def test_refit_trains_the_final_model_on_every_row_for_the_pilots_passes():
    df = table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY, refit=True).fit(df, target="y")
    rep = m.privacy_check_  # the pilot held 120 rows back; the final model replays its verdicts on all 480
    assert rep["held_rows"] == 120 and "folds" not in rep and 1 <= rep["kept_epoch"] <= 4
    assert m.params_["refit"] is True and len(m.history_) == rep["epochs_run"] <= 4
    assert set(m.target_scores_) == {"diffusion", "target_model"}  # the target is still chosen on the held rows
    assert len(m.sample(50, random_state=0)) == 50


def test_integer_count_target_with_a_class_seen_once_fits():
    # an integer target with few values is a numeric column: its p(y | x) is a regression on the model's scale,
    # and a count seen once must not break the trees' early-stopping split
    df = table()
    df["y"] = np.clip(np.round(df["y"].fillna(0) + 3), 0, 6).astype("int64")
    df.loc[0, "y"] = 12
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY).fit(df, target="y")
    assert m.target_scores_ is not None
    assert m.target_model_ is None or m.target_model_.task == "regression"
    assert set(m.sample(200, random_state=0)["y"]) <= set(df["y"])


def test_target_trees_never_see_the_rows_they_are_scored_on(monkeypatch):
    seen = []
    fit = TargetModel.fit
    monkeypatch.setattr(TargetModel, "fit", lambda self, x_num, x_cat, *a: seen.append(len(x_num)) or
                        fit(self, x_num, x_cat, *a))
    df = table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY).fit(df, target="y")
    held = m.privacy_check_["held_rows"]
    assert seen and seen[0] <= len(df) - held and seen[0] >= 0.9 * (len(df) - held)  # 5% of y are missing


def test_kept_target_trees_learn_from_every_row_after_the_choice(monkeypatch):
    refits, refit = [], TargetModel.refit
    monkeypatch.setattr(TargetModel, "refit", lambda self, x_num, x_cat, *a: refits.append(len(x_num)) or
                        refit(self, x_num, x_cat, *a))
    df = table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY).fit(df, target="y")  # four epochs: the trees win (see above)
        off = TabDiffusion(**TINY, target_model=None).fit(df, target="y")
    assert m.target_model_ is not None and refits == [int(df["y"].notna().sum())]  # held-back rows included
    assert off.target_model_ is None and refits == [int(df["y"].notna().sum())]  # no trees kept: none refitted


def test_bfloat16_sampling_draws_nearly_the_same_rows_as_float32(fitted):
    "Same model and seed: only the denoiser's arithmetic differs, so the rows barely move and keep their dtypes."
    fitted.set_params(sample_precision="float32")
    a = fitted.sample(300, random_state=5)
    fitted.set_params(sample_precision="bfloat16")
    try: b = fitted.sample(300, random_state=5)
    finally: fitted.set_params(sample_precision="float32")
    assert list(b.dtypes) == list(a.dtypes) and b.shape == a.shape
    assert (a.k == b.k).mean() > 0.9 and (a.n == b.n).mean() > 0.9
    assert np.nanmedian(np.abs(a.x - b.x)) < 0.05 * a.x.std()
    fitted.set_params(sample_precision="float16")
    try:
        with pytest.raises(ValueError, match="Unknown sample_precision 'float16'"): fitted.sample(3)
    finally: fitted.set_params(sample_precision="float32")


def test_train_precision_resolves_per_device_and_dp_trains_in_float32():
    "'bfloat16' trains under autocast; 'auto' follows the CPU's bfloat16 instructions; DP-SGD stays float32."
    from tabdiffusion.hybrid import _fast_bf16
    m = TabDiffusion(**TINY, train_precision="bfloat16")
    m.device_, m.condition_ = "cpu", None
    assert m._config(100, None).precision == "bfloat16"
    m.set_params(train_precision="auto")
    assert m._config(100, None).precision == ("bfloat16" if _fast_bf16() else "float32")
    m.set_params(train_precision="bfloat16", dp_epsilon=5.0)
    assert m._train_precision() == "float32"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bf = TabDiffusion(**TINY, train_precision="bfloat16").fit(table(), target="y")
    out = bf.sample(200, random_state=1)
    assert out.shape == (200, table().shape[1]) and np.isfinite(out.x.dropna()).all()
    assert {p.dtype for p in bf.denoiser_.parameters()} == {torch.float32}


def test_target_weight_weighs_a_numeric_targets_column_only():
    "target_weight=4: the target's column weighs 4 times each other numeric column, the weights average 1."
    df = table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY, target_weight=4.0).fit(df, target="y")
        plain = TabDiffusion(**TINY).fit(df, target="y")
        by_class = TabDiffusion(**TINY, target_weight=4.0).fit(df, target="k")
    w, cols = m.diffusion_.gaussian.col_weights, m.transformer_.num_columns
    assert len(w) == len(cols) and abs(float(w.mean()) - 1) < 1e-6
    others = [float(v) for c, v in zip(cols, w) if c != "y"]
    assert float(w[cols.index("y")]) == pytest.approx(4 * others[0]) and len(set(others)) == 1
    assert plain.diffusion_.gaussian.col_weights is None and by_class.diffusion_.gaussian.col_weights is None
    assert np.isfinite([h["loss"] for h in m.history_]).all() and m.sample(50, random_state=0).shape == (50, 4)


def test_fitted_marginals_keep_the_models_order_and_the_training_marginal(fitted):
    "Same model and seed: 'fitted' ranks the rows as 'model' does, with values drawn from the fitted quantiles."
    from scipy import stats
    train = table()
    fitted.set_params(marginals="model")
    a = fitted.sample(2000, random_state=3)
    fitted.set_params(marginals="fitted")
    try: b = fitted.sample(2000, random_state=3)
    finally: fitted.set_params(marginals="model")
    assert list(b.dtypes) == list(a.dtypes) and (a.k == b.k).all()  # categories are the model's either way
    assert (a.n == b.n).all()  # so is an 'int' column of 4 values: it behaves like a category
    g = b.x.groupby(a.x.to_numpy()).agg(["min", "max"])  # rows the model gave one value may get several
    assert (g["max"].to_numpy()[:-1] <= g["min"].to_numpy()[1:]).all()  # but a larger model value, never a smaller
    ks = lambda s: stats.ks_2samp(s, train.x).statistic
    assert ks(b.x) < 0.05 < ks(a.x), (ks(b.x), ks(a.x))  # a 4-epoch model is far off; the fitted grid is not
    assert b.x.min() >= train.x.min() and b.x.max() <= train.x.max()
    fitted.set_params(marginals="ranks")
    try:
        with pytest.raises(ValueError, match="Unknown marginals 'ranks'"): fitted.sample(3)
    finally: fitted.set_params(marginals="model")


def test_fitted_marginals_need_quantiles_fitted_on_the_data():
    "public_bounds replaces the grid: 'fitted' is refused, 'auto' falls back to the model's values."
    bounds = {"x": (-4, 4), "k": ["a", "b", "c"], "n": (0, 3), "y": (-10, 10)}
    with pytest.raises(ValueError, match="public_bounds replaces them"):
        TabDiffusion(**TINY, marginals="fitted", public_bounds=bounds).fit(table(), target="y")
    assert TabDiffusion(marginals="auto", public_bounds=bounds)._marginals() == "model"
    assert TabDiffusion(marginals="auto")._marginals() == "fitted"


def test_fitted_class_counts_follow_the_training_frequencies(fitted):
    "Same model and seed: 'fitted' keeps every numeric value and gives each class its training share of the rows."
    train, n = table(), 3000
    fitted.set_params(category_counts="model")
    a = fitted.sample(n, random_state=3)
    fitted.set_params(category_counts="fitted")
    try:
        b = fitted.sample(n, random_state=3)
        assert fitted.copies_filtered_ == 0
    finally: fitted.set_params(category_counts="auto")
    assert list(b.dtypes) == list(a.dtypes) and (a.x == b.x).all() and (a.n == b.n).all()
    share = train.k.value_counts(normalize=True)
    assert (b.k.value_counts().reindex(share.index) - n * share).abs().max() <= 1  # stratified: within one row
    assert abs(b.y.isna().sum() - n * train.y.isna().mean()) <= 1  # a missing flag is a class too
    tv = lambda s: 0.5 * (s.value_counts(normalize=True).reindex(share.index, fill_value=0) - share).abs().sum()
    assert tv(b.k) < 0.001 < tv(a.k), (tv(b.k), tv(a.k))  # a 4-epoch model is off; the counts are not
    # the free draw's noise is reused: about as few rows change class as the counts need (the total variation)
    assert (a.k != b.k).mean() <= 2 * tv(a.k) + 0.01, ((a.k != b.k).mean(), tv(a.k))


def test_fitted_class_counts_options_and_checkpoints(fitted, tmp_path):
    "Unknown values and public_bounds are refused; 'auto' resolves; a checkpoint keeps the frequencies."
    bounds = {"x": (-4, 4), "k": ["a", "b", "c"], "n": (0, 3), "y": (-10, 10)}
    with pytest.raises(ValueError, match="public_bounds promises preprocessing"):
        TabDiffusion(**TINY, category_counts="fitted", public_bounds=bounds).fit(table(), target="y")
    assert TabDiffusion(category_counts="auto", public_bounds=bounds)._category_counts() == "model"
    assert TabDiffusion(category_counts="auto")._category_counts() == "fitted"
    fitted.set_params(category_counts="counts")
    try:
        with pytest.raises(ValueError, match="Unknown category_counts 'counts'"): fitted.sample(3)
    finally: fitted.set_params(category_counts="auto")
    fitted.set_params(category_counts="fitted")
    try:
        back = TabDiffusion.load(fitted.save(tmp_path / "m"))  # with the parameters of the fit: set today's
        back.set_params(**fitted.get_params())
        assert back.class_freqs_ == fitted.class_freqs_
        pd.testing.assert_frame_equal(back.sample(500, random_state=2), fitted.sample(500, random_state=2))
    finally: fitted.set_params(category_counts="auto")


def test_a_class_target_keeps_the_models_draws():
    "With a class target, its column gets no set counts; the other categorical columns (a missing flag here) do."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY, category_counts="fitted").fit(table(), target="k")
    counts = m._class_counts(300, seed=0)
    cols = m.transformer_.cat_columns
    assert cols == ["k", "y__nan"] and counts[0] is None and counts[1].sum() == 300
    s = m.sample(300, random_state=0)
    assert abs(s.y.isna().sum() - 300 * table().y.isna().mean()) <= 1 and set(s.k) == {"a", "b", "c"}


def test_a_class_target_alone_gives_the_same_rows_either_way():
    "No categorical column but the class target: 'fitted' and 'model' draw the very same rows (pima's case)."
    df = table().drop(columns="k").assign(c=lambda d: np.where(d.x > 0, "hi", "lo")).dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY).fit(df, target="c")
    assert m.transformer_.cat_columns == ["c"]
    a = m.set_params(category_counts="model").sample(400, random_state=4)
    b = m.set_params(category_counts="fitted").sample(400, random_state=4)
    pd.testing.assert_frame_equal(a, b)


def test_fitted_correlations_match_the_training_scores_and_keep_the_rest():
    "Same model and seed: 'fitted' gives the numeric scores the training correlation; classes and marginals stay."
    rng = np.random.default_rng(1)
    a1 = rng.normal(size=600)
    df = pd.DataFrame({"a": a1, "b": 0.8 * a1 + 0.6 * rng.normal(size=600), "c": rng.exponential(size=600),
                       "k": rng.choice(["u", "v"], 600)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY).fit(df)
    want = np.asarray(m.score_corr_)
    scores = lambda s: np.corrcoef(m.transformer_.transform(s)[0], rowvar=False)
    assert want.shape == (3, 3) and np.allclose(want, scores(df)) and want[0, 1] > 0.6
    free = m.set_params(correlations="model").sample(3000, random_state=2)
    fit = m.set_params(correlations="fitted").sample(3000, random_state=2)
    m.set_params(correlations="model")
    gap = lambda s: np.abs(scores(s) - want).max()
    assert gap(fit) < 0.03 < gap(free), (gap(fit), gap(free))  # a 4-epoch model is far off; the matched one is not
    assert (fit.k == free.k).all() and list(fit.dtypes) == list(free.dtypes)
    from scipy import stats
    assert stats.ks_2samp(fit.c, df.c).statistic < 0.05  # marginals still the fitted ones


def test_fitted_correlations_options_targets_and_checkpoints(fitted, tmp_path):
    "A numeric target is left out; unknown values and public_bounds are refused; a checkpoint keeps the matrix."
    assert fitted.transformer_.num_columns == ["x", "n", "y"] and fitted._corr_columns() == [0, 1]
    assert np.asarray(fitted.score_corr_).shape == (2, 2)
    bounds = {"x": (-4, 4), "k": ["a", "b", "c"], "n": (0, 3), "y": (-10, 10)}
    with pytest.raises(ValueError, match="correlations='fitted' gives samples the numeric columns' correlation"):
        TabDiffusion(**TINY, correlations="fitted", public_bounds=bounds).fit(table(), target="y")
    assert TabDiffusion(correlations="auto", public_bounds=bounds)._correlations() == "model"
    assert TabDiffusion(correlations="auto")._correlations() == "model"  # unfitted: not known to be checked by folds
    assert not fitted.by_folds_ and fitted.set_params(correlations="auto")._correlations() == "model"  # 480 rows
    fitted.set_params(correlations="linear")
    try:
        with pytest.raises(ValueError, match="Unknown correlations 'linear'"): fitted.sample(3)
    finally: fitted.set_params(correlations="model")
    back = TabDiffusion.load(fitted.save(tmp_path / "m"))
    assert back.score_corr_ == fitted.score_corr_ and back.by_folds_ is False


def test_auto_correlations_match_on_tables_checked_by_folds_and_their_checks_judge_matched_draws(tmp_path):
    "'auto' matches only where the fold check ran; the check's draws then carry the correlation of its own rows."
    df = table(300).drop(columns="k").dropna()  # under 400 rows: checked by folds
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = TabDiffusion(**TINY, correlations="auto").fit(df, target="y")
    assert m.by_folds_ and m._correlations() == "fitted" and "folds" in m.privacy_check_
    assert TabDiffusion.load(m.save(tmp_path / "m"))._correlations() == "fitted"
    assert m.set_params(privacy_check=None)._by_folds(len(df)) is False  # no check, no folds, no matching
    m.set_params(privacy_check=0.55)
    fit_pos = np.arange(0, len(df), 2)  # a checked model's rows: the check matches to their correlation
    want = np.corrcoef(m.transformer_.transform(df.iloc[fit_pos], row_ids=fit_pos)[0][:, m._corr_columns()],
                       rowvar=False)
    z = np.random.default_rng(0).normal(size=(4000, m.transformer_.n_num))  # independent draws
    xn, xc = m._check_post(df, fit_pos, 0)(z, np.zeros((4000, 0), np.int64))
    assert want[0, 1] != 0 and np.allclose(np.corrcoef(xn[:, m._corr_columns()], rowvar=False), want, atol=1e-6)
    assert (xn[:, 2] == z[:, 2]).all() and xc.shape == (4000, 0)  # the target's column untouched
    assert m.set_params(correlations="model")._check_post(df, fit_pos, 0) is None


def test_fold_models_stop_with_the_pooled_checks_and_the_fit_is_unchanged(monkeypatch):
    "The folds advance side by side and stop once the final run would: the same model as folds trained to their end."
    import tabdiffusion.synthesizer as syn
    from tabdiffusion.holdback import fold_check, fold_rows, pooled_checks, replay_monitor
    df = table(200)

    def counting(train_fold, drawn):
        def counted(i, fit, held):
            for rec in train_fold(i, fit, held):
                drawn.append(i); yield rec
        return counted

    def fit(check):
        drawn = []
        monkeypatch.setattr(syn, "fold_check", lambda tf, *a, **kw: check(counting(tf, drawn), *a, **kw))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = TabDiffusion(**{**TINY, "epochs": 96}, privacy_check=0.53).fit(df, target="y")
        return m, drawn

    def to_the_end(train_fold, n_rows, limit, seed=0, k=4, patience=2):  # each fold trained alone, to its own stop
        return replay_monitor(pooled_checks([list(train_fold(i, f, h)) for i, (f, h)
                                             in enumerate(fold_rows(n_rows, k, seed))], limit))
    (side, drawn), (alone, drawn_alone) = fit(fold_check), fit(to_the_end)
    assert side.privacy_check_ == alone.privacy_check_ and side.privacy_check_["folds"] == 4
    assert all(torch.equal(a, b) for a, b in zip(side.denoiser_.state_dict().values(),
                                                 alone.denoiser_.state_dict().values()))
    assert len(drawn) < len(drawn_alone), (len(drawn), len(drawn_alone))  # fewer fold checks (and passes)
    assert sorted(set(drawn)) == [0, 1, 2, 3]
