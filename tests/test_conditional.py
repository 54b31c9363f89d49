"Conditional generation (issue 8): exact conditions, clear errors, guidance, checkpoints."
import warnings

import numpy as np
import pandas as pd
import pytest

from tabdiffusion.synthesizer import TabDiffusion

SMALL = dict(epochs=60, batch_size=64, width=64, depth=2, timesteps=50, n_sample_steps=10, verbose=False,
             random_state=0)


def frame(n=300, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    c = rng.choice(["a", "b", "rare"], n, p=[0.6, 0.34, 0.06])
    return pd.DataFrame({"x": rng.normal(size=n) + 3 * (c == "rare"), "k": rng.integers(0, 10, n),
                         "c": pd.Series(c, dtype="str")})


@pytest.fixture(scope="module")
def cond_model():
    return TabDiffusion(condition_on="c", **SMALL).fit(frame())


@pytest.fixture(scope="module")
def plain_model():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TabDiffusion(**SMALL).fit(frame(), target="x")


def test_category_condition_is_exact(cond_model):
    s = cond_model.sample(80, conditions={"c": "rare"}, random_state=1)
    assert len(s) == 80 and (s.c == "rare").all()
    assert list(s.dtypes) == list(frame().dtypes)


def test_several_conditions_and_ranges_are_exact(cond_model):
    s = cond_model.sample(40, conditions={"c": ["a", "rare"], "x": (0.0, 2.0), "k": (2, 7)}, random_state=2)
    assert len(s) == 40 and s.c.isin(["a", "rare"]).all() and s.x.between(0, 2).all() and s.k.between(2, 7).all()


def test_guidance_steers_towards_the_label(cond_model):
    "The label is used: raw guided draws for 'rare' sit at the rare rows' x (about 3), those for 'a' near 0."
    rare = cond_model._generate(400, 5, np.full(400, 2))  # codes follow the sorted levels: a, b, rare
    common = cond_model._generate(400, 5, np.full(400, 0))
    assert rare.x.mean() > common.x.mean() + 1.5, (rare.x.mean(), common.x.mean())


def test_numeric_target_condition_uses_bins():
    df = frame()
    m = TabDiffusion(condition_on="target", condition_bins=4, **SMALL).fit(df, target="x")
    assert m.condition_["kind"] == "bins" and m.condition_["n_labels"] == 4
    hi = float(df.x.quantile(0.9))
    s = m.sample(30, conditions={"x": (hi, float(df.x.max()))}, random_state=0)
    assert s.x.between(hi, df.x.max()).all()


def test_unconditional_model_honours_conditions_by_rejection(plain_model):
    s = plain_model.sample(30, conditions={"c": "b"}, random_state=0)
    assert (s.c == "b").all() and len(s) == 30


@pytest.mark.parametrize("conditions, err, fragment", [
    ({"nope": 1}, ValueError, "unknown column 'nope'"),
    ({"c": "zzz"}, ValueError, "'zzz' is not a category of column 'c'"),
    ({"c": []}, ValueError, "empty list"),
    ({"x": (50.0, 60.0)}, ValueError, "outside the training range"),
    ({"x": (2.0, 1.0)}, ValueError, "is empty"),
    ({"x": "high"}, TypeError, "must be a number or a (lo, hi)"),
    ([("c", "a")], TypeError, "must be a dict"),
])
def test_unknown_condition(cond_model, conditions, err, fragment):
    with pytest.raises(err) as e: cond_model.sample(5, conditions=conditions)
    assert fragment in str(e.value), str(e.value)


def test_too_rare_condition_fails_clearly(plain_model):
    with pytest.raises(ValueError, match="too rare for the model"):
        plain_model.sample(20, conditions={"x": (3.999, 4.0), "c": "a", "k": 9})


def test_bad_condition_on():
    with pytest.raises(ValueError, match="needs a target"): TabDiffusion(condition_on="target", **SMALL).fit(frame())
    with pytest.raises(ValueError, match="is not a column"): TabDiffusion(condition_on="q", **SMALL).fit(frame())


def test_conditional_checkpoint_round_trip(cond_model, tmp_path):
    cond_model.save(tmp_path / "m")
    m2 = TabDiffusion.load(tmp_path / "m")
    assert m2.condition_ == cond_model.condition_
    pd.testing.assert_frame_equal(m2.sample(20, conditions={"c": "rare"}, random_state=4),
                                  cond_model.sample(20, conditions={"c": "rare"}, random_state=4))


def test_unconditional_sampling_unchanged_by_new_params(plain_model):
    "Defaults train no label and sample as before: same seed, same rows."
    a = plain_model.sample(20, random_state=9)
    pd.testing.assert_frame_equal(a, plain_model.sample(20, random_state=9))
    assert plain_model.condition_ is None and not hasattr(plain_model, "dp_epsilon_")
