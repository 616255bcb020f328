"""Tests of lossviz.data and the shared input validation."""

import numpy as np
import pytest

import lossviz as lv
from lossviz._validation import as_int, as_scalar


def test_anchor_sample_is_the_posts_five_samples():
    y, y_hat = lv.anchor_sample()
    assert y.shape == y_hat.shape == (5,)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert np.all((y_hat > 0) & (y_hat < 1))
    # a fresh copy each call: callers may modify it
    y[0] = 1
    assert lv.anchor_sample()[0][0] == 0


def test_make_churn_is_deterministic_and_well_formed():
    x1, y1 = lv.make_churn(500, seed=3)
    x2, y2 = lv.make_churn(500, seed=3)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert x1.shape == y1.shape == (500,)
    assert set(np.unique(y1)) <= {0.0, 1.0}
    assert np.all(x1 > 0)
    x3, _ = lv.make_churn(500, seed=4)
    assert not np.array_equal(x1, x3)


def test_make_churn_is_not_separable_and_has_both_classes():
    x, y = lv.make_churn()
    assert 0.2 < y.mean() < 0.6
    # classes overlap: the ranges of x for churners and stayers intersect widely
    assert x[y == 1].min() < np.median(x[y == 0]) < x[y == 1].max()


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"m": 0}, ValueError, "m"),
        ({"m": 2.5}, TypeError, "m"),
        ({"m": "10"}, TypeError, "m"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_make_churn_rejects_bad_arguments(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        lv.make_churn(**kwargs)


def test_validation_helpers():
    assert as_int("n", 3.0) == 3
    with pytest.raises(TypeError, match="n must be an integer"):
        as_int("n", True)
    with pytest.raises(ValueError, match=r"lr must be > 0"):
        as_scalar("lr", 0.0, minimum=0.0, strict_minimum=True)
    assert as_scalar("lam", np.float32(0.5), minimum=0.0) == 0.5
    with pytest.raises(TypeError, match="lam must be a real number"):
        as_scalar("lam", np.array([1.0, 2.0]))
