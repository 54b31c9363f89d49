"Differentially private training (issue 8): ε reported and stored, clear errors, no data leak via hashes."
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from tabdiffusion.release import _privacy_note
from tabdiffusion.synthesizer import TabDiffusion

SMALL = dict(epochs=4, batch_size=64, width=32, depth=1, timesteps=50, n_sample_steps=10, verbose=False,
             random_state=0)
BOUNDS = {"x": (-5.0, 5.0), "k": (0, 9), "c": ["a", "b"]}


def frame(n=200, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "k": rng.integers(0, 10, n),
                         "c": pd.Series(rng.choice(["a", "b"], n), dtype="str")})


@pytest.fixture(scope="module")
def dp_model():
    return TabDiffusion(dp_epsilon=2.0, public_bounds=BOUNDS, **SMALL).fit(frame())


def test_spent_epsilon_reported(dp_model):
    assert 0 < dp_model.dp_epsilon_ <= 2.0 + 1e-6 and dp_model.dp_delta_ == pytest.approx(1 / 2000)
    assert dp_model.history_[0]["noise_multiplier"] > 0


def test_dp_model_samples_and_keeps_no_row_hashes(dp_model):
    s = dp_model.sample(50, random_state=0)
    assert list(s.columns) == ["x", "k", "c"] and len(s) == 50 and len(dp_model.train_hashes_) == 0


def test_public_bounds_replace_data_ranges(dp_model):
    assert dp_model.schema_["x"].min == -5.0 and dp_model.schema_["c"].categories == ["a", "b"]
    assert np.allclose(dp_model.transformer_.quantiles_[:, 0], np.linspace(-5, 5, 101))


def test_epsilon_stored_in_checkpoint(dp_model, tmp_path):
    dp_model.save(tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "model.json").read_text())
    assert meta["dp_epsilon"] == dp_model.dp_epsilon_ and meta["dp_delta"] == dp_model.dp_delta_
    m2 = TabDiffusion.load(tmp_path / "m")
    assert m2.dp_epsilon_ == dp_model.dp_epsilon_
    pd.testing.assert_frame_equal(m2.sample(10, random_state=1), dp_model.sample(10, random_state=1))


def test_dp_without_bounds_warns_about_preprocessing():
    with pytest.warns(UserWarning, match="not private"):
        TabDiffusion(dp_epsilon=5.0, **SMALL).fit(frame())


def test_conditional_dp_model():
    m = TabDiffusion(dp_epsilon=5.0, public_bounds=BOUNDS, condition_on="c", **SMALL).fit(frame())
    assert (m.sample(10, conditions={"c": "a"}, random_state=0).c == "a").all()


@pytest.mark.parametrize("kw, fragment", [
    (dict(dp_epsilon=0), "positive finite"), (dict(dp_epsilon=float("inf")), "positive finite"),
    (dict(dp_epsilon=1.0, dp_delta=1.5), "dp_delta must be in (0, 1)"),
    (dict(dp_epsilon=1.0, val_fraction=0.2), "not covered by ε"),
    (dict(dp_epsilon=1.0, public_bounds={"x": (0, 1)}), "lacks columns"),
])
def test_bad_dp_settings(kw, fragment):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError) as e: TabDiffusion(**{**SMALL, **kw}).fit(frame())
    assert fragment in str(e.value), str(e.value)


def test_release_report_shows_epsilon(dp_model):
    info = {k: getattr(dp_model, f"{k}_") for k in ("dp_epsilon", "dp_delta")}
    assert f"ε = {dp_model.dp_epsilon_:.3g}" in _privacy_note(info)
