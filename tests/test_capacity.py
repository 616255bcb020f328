"""Tests of lossviz.topics.capacity (and lossviz.plot.capacity): polynomial-feature logistic regression
and its sweeps."""

import numpy as np
import pytest

import lossviz as lv


def test_features_are_legendre_polynomials_of_the_rescaled_bill():
    x = np.array([0.5, 1.0, 1.5, 2.0])
    F = lv.capacity.poly_features(x, 3, centre=1.0, half_width=0.5)
    t = np.array([-1.0, 0.0, 1.0, 1.0])  # 2.0 lies outside and is clipped to t = 1
    np.testing.assert_allclose(F[:, 0], t)
    np.testing.assert_allclose(F[:, 1], (3 * t**2 - 1) / 2)
    np.testing.assert_allclose(F[:, 2], (5 * t**3 - 3 * t) / 2)
    assert F.shape == (4, 3)


def test_degree_one_fit_is_the_course_model_reparametrised():
    # With degree 1 the model is σ(w₁·t + b), t affine in x: the same minimiser as lv.minimise.
    x, y = lv.make_churn(300, seed=1)
    mdl = lv.capacity.fit_poly_logistic(x, y, 1, lam=0.0)
    w, b = lv.minimise(x, y)
    np.testing.assert_allclose(mdl.predict(x), lv.predict((w, b), x), rtol=1e-8)
    assert mdl.cost(x, y) == pytest.approx(lv.objective_at((w, b), x, y), rel=1e-10)


def test_fit_is_a_stationary_point_of_the_penalised_objective():
    x, y = lv.make_churn(25, seed=2)
    lam = 0.01
    mdl = lv.capacity.fit_poly_logistic(x, y, 6, lam)
    F = lv.capacity.poly_features(x, 6, centre=mdl.centre, half_width=mdl.half_width)
    r = mdl.predict(x) - y
    grad_w = F.T @ r / x.size + lam * mdl.weights
    grad_b = r.mean()
    assert np.linalg.norm(np.append(grad_w, grad_b)) < 1e-8


def test_training_cost_falls_with_degree_on_a_small_sample():
    x, y = lv.make_churn(20, seed=0)
    costs = [lv.capacity.fit_poly_logistic(x, y, d, 1e-6).cost(x, y) for d in (1, 5, 19)]
    assert costs[0] > costs[1] > costs[2]
    assert costs[2] < 0.2 * costs[0]


def test_separable_data_without_penalty():
    x = np.array([0.1, 0.2, 0.3, 0.4])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    # Too few iterations to flatten the gradient: reported, with the likely cause.
    with pytest.raises(RuntimeError, match="separable"):
        lv.capacity.fit_poly_logistic(x, y, 1, lam=0.0, max_iter=5)
    # Given time, Newton chases the infimum: finite but huge weights, training cost near 0.
    free = lv.capacity.fit_poly_logistic(x, y, 1, lam=0.0)
    assert np.all(np.isfinite(free.weights)) and free.cost(x, y) < 1e-6
    # Any penalty makes a proper minimum with moderate weights.
    held = lv.capacity.fit_poly_logistic(x, y, 1, lam=1e-3)
    assert abs(held.weights[0]) < abs(free.weights[0]) / 3 and held.error_rate(x, y) == 0.0


def test_error_rate_counts_misclassified_samples():
    x, y = lv.make_churn(50, seed=3)
    mdl = lv.capacity.fit_poly_logistic(x, y, 2, 0.1)
    assert mdl.error_rate(x, y) == pytest.approx(np.mean((mdl.predict(x) >= 0.5) != (y == 1)))


@pytest.fixture(scope="module")
def sets():
    train = [lv.make_churn(20, seed=s) for s in range(6)]
    return train, lv.make_churn(2000, seed=999)


def test_degree_curve_matches_fitting_one_by_one(sets):
    train, (xv, yv) = sets
    curve = lv.capacity.degree_curve(train, xv, yv, [1, 4], lam=1e-3)
    assert curve.name == "degree" and curve.train_cost.shape == (6, 2)
    mdl = lv.capacity.fit_poly_logistic(*train[2], 4, 1e-3)
    assert curve.train_cost[2, 1] == pytest.approx(mdl.cost(*train[2]))
    assert curve.test_cost[2, 1] == pytest.approx(mdl.cost(xv, yv))
    assert curve.test_error[2, 1] == pytest.approx(mdl.error_rate(xv, yv))


def test_lam_curve_finds_the_lowest_mean_held_out_cost(sets):
    train, (xv, yv) = sets
    lams = np.logspace(-5, 1, 7)
    curve = lv.capacity.lam_curve(train, xv, yv, lams, degree=10)
    assert curve.best_value == lams[np.argmin(curve.test_cost.mean(axis=0))]
    # little penalty overfits, a huge one underfits: the best λ lies strictly inside
    assert 0 < curve.best_index < lams.size - 1
    # the training cost rises with λ
    assert np.all(np.diff(curve.train_cost.mean(axis=0)) > 0)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda x, y: lv.capacity.fit_poly_logistic(x, y, 0), ValueError, "degree must be >= 1"),
        (lambda x, y: lv.capacity.fit_poly_logistic(x, y, 2.5), TypeError, "degree must be an integer"),
        (lambda x, y: lv.capacity.fit_poly_logistic(x, y, 2, lam=-1), ValueError, "lam must be >= 0"),
        (lambda x, y: lv.capacity.fit_poly_logistic(np.ones(5), y[:5], 2), ValueError, "two distinct values"),
        (
            lambda x, y: lv.capacity.poly_features(x, 2, centre=1.0, half_width=0.0),
            ValueError,
            "half_width must be > 0",
        ),
        (lambda x, y: lv.capacity.degree_curve((x, y), x, y, [1]), TypeError, "sequence of \\(x, y\\) pairs"),
        (
            lambda x, y: lv.capacity.degree_curve([], x, y, [1]),
            ValueError,
            "train_sets must hold at least one",
        ),
        (
            lambda x, y: lv.capacity.degree_curve([(x, y)], x, y, []),
            ValueError,
            "degrees must hold at least 1",
        ),
        (
            lambda x, y: lv.capacity.lam_curve([(x, y)], x, y, [-1.0], degree=2),
            ValueError,
            "lams must be >= 0",
        ),
        (
            lambda x, y: lv.capacity.lam_curve([x], x, y, [1.0], degree=2),
            TypeError,
            "must be an \\(x, y\\) pair",
        ),
    ],
)
def test_bad_arguments_are_named(call, exc, match):
    x, y = lv.make_churn(20, seed=0)
    with pytest.raises(exc, match=match):
        call(x, y)


def test_drawing_functions_return_their_axes(sets):
    train, (xv, yv) = sets
    curve = lv.capacity.lam_curve(train, xv, yv, [1e-3, 1e-1, 10.0], degree=5)
    ax = lv.plot.capacity_curve(curve, metric="error")
    assert ax.get_xscale() == "log" and len(ax.lines) == 3
    np.testing.assert_allclose(ax.lines[1].get_ydata(), curve.test_error.mean(axis=0))
    with pytest.raises(ValueError, match="metric must be"):
        lv.plot.capacity_curve(curve, metric="loss")
    models = [lv.capacity.fit_poly_logistic(*train[0], d, 1e-3) for d in (1, 3)]
    ax = lv.plot.poly_fits(*train[0], models)
    assert [ln.get_label() for ln in ax.lines] == ["degree 1, λ = 0.001", "degree 3, λ = 0.001"]
