"""Self-checks for the post's five "Test Your Understanding" questions (notebook 05).

One object per question, in the pattern Kaggle's learntools made familiar::

    from lossviz.exercises import ____, q1, q2, q3, q4, q5

    full_batch_updates_per_second = ____      # replace ____ with your answer
    ...
    q1.check(full_batch_updates_per_second, ...)   # Correct / Incorrect / Not attempted
    q1.hint()                                      # a nudge
    q1.solution()                                  # a worked answer, with its numbers

``check`` says *Correct*; *Incorrect*, with what is wrong and in which direction
but not the answer; or *Not attempted*, while an answer is still the placeholder
``____``. Numbers and arrays are compared within the tolerance each question
states (``q1.tolerance``). ``check`` never raises on an answer of the wrong type
or shape: it says what it expected. Every expected answer is computed by
:mod:`lossviz` (the model, the optimisers and :mod:`lossviz.topics.batch_size`)
from the question's givens, the first time it is needed; none is typed in. The
machinery (``____``, ``Feedback``, ``Exercise``) is in :mod:`lossviz.exercises._core`.

The objects live here rather than at the top of :mod:`lossviz`, so that
``import lossviz`` stays the course's toolbox and the exercises are imported
where they are used.
"""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np

from ..data import anchor_features, make_churn
from ..model import gradient, per_sample_gradients
from ..optim.noise import minibatch_gradient_variance
from ..optim.sgd import online_pass
from ..topics.batch_size import (
    cost_reduction_target,
    loglog_slope,
    order_effect,
    simulate_wall_clock,
    updates_per_epoch,
)
from ._core import (
    Exercise,
    _choice,
    _close,
    _direction,
    _judge_number,
    _judge_vector,
    _number,
    _shape,
    _tolerance_note,
    _Unusable,
    _vector,
)

__all__ = ["Question1", "Question2", "Question3", "Question4", "Question5", "q1", "q2", "q3", "q4", "q5"]


# --------------------------------------------------------------------------- question 1


class Question1(Exercise):
    """Updates per second and per epoch; which reduces the cost faster.

    Givens (the post's): ``m = 1000`` samples; full batch takes 5 s per update,
    a mini-batch of 32 takes 0.02 s. The expected ``faster`` comes from a race on
    the course's data under simulated wall-clock time (:func:`simulate_wall_clock`
    with this object's ``lr``, ``budget`` and ``fraction``).
    """

    number = 1
    title = "updates per second"
    answers = (
        "full_batch_updates_per_second",
        "minibatch_updates_per_second",
        "minibatch_updates_per_epoch",
        "faster",
    )
    tolerance = "numbers within 0.1 % relative; updates per epoch exactly"
    hints = (
        "One update takes a fixed time, so updates per second is one over the seconds per "
        "update -- whatever the batch size. An epoch is one pass over all m samples: how many "
        "batches of 32 does it take to cover 1,000 samples?",
        "For `faster`, compare the time each needs for the same progress. If the noisy step "
        "makes about as much progress as the full step (the question's assumption), the one "
        "that makes more updates per second wins. The race in the worked notebook measures it.",
    )
    m = 1000
    batch_size = 32
    seconds_full = 5.0
    seconds_mini = 0.02
    #: Settings of the race (the worked notebook uses these too).
    lr = 1.0
    budget = 600.0
    fraction = 0.9
    _CHOICES: ClassVar[dict[str, tuple[str, ...]]] = {
        "full-batch": (
            "fullbatch",
            "full",
            "fullbatchgd",
            "fullbatchgradientdescent",
            "gd",
            "gradientdescent",
            "batch",
        ),
        "mini-batch": ("minibatch", "mini", "minibatchsgd", "sgd", "minibatchgd"),
    }

    def race(self) -> tuple[Any, Any, float]:
        """The two runs on ``make_churn()`` and the target cost: ``(full, mini, target)``."""
        x, y = make_churn()
        full = simulate_wall_clock(
            x, y, batch_size=self.m, seconds_per_step=self.seconds_full, seconds=self.budget, lr=self.lr
        )
        mini = simulate_wall_clock(
            x,
            y,
            batch_size=self.batch_size,
            seconds_per_step=self.seconds_mini,
            seconds=self.budget,
            lr=self.lr,
        )
        return full, mini, cost_reduction_target(x, y, self.fraction)

    def _read(self, name: str, value: Any) -> Any:
        if name == "faster":
            return _choice(name, value, self._CHOICES)
        return _number(name, value)

    def _compute(self) -> dict[str, Any]:
        full, mini, target = self.race()
        t_full, t_mini = full.time_to_cost(target), mini.time_to_cost(target)
        return {
            "full_batch_updates_per_second": 1.0 / self.seconds_full,
            "minibatch_updates_per_second": 1.0 / self.seconds_mini,
            "minibatch_updates_per_epoch": updates_per_epoch(self.m, self.batch_size),
            "faster": "mini-batch" if t_mini < t_full else "full-batch",
            "time_full": t_full,
            "time_mini": t_mini,
        }

    def _judge(self, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
        rtol, atol = 1e-3, 0.0
        problems = []
        for name, seconds, k in (
            ("full_batch_updates_per_second", self.seconds_full, self.m),
            ("minibatch_updates_per_second", self.seconds_mini, self.batch_size),
        ):
            problems.append(
                _judge_number(
                    name,
                    got[name],
                    want[name],
                    rtol=rtol,
                    atol=atol,
                    mistakes=[
                        (seconds, "is the seconds per update; the question asks for updates per second."),
                        (
                            k / seconds,
                            f"counts samples per second ({k} samples per update); the question "
                            "asks for updates.",
                        ),
                        (
                            1.0 / (seconds * updates_per_epoch(self.m, k)),
                            "counts epochs per second, not updates.",
                        ),
                    ],
                )
            )
        name = "minibatch_updates_per_epoch"
        n, want_n = got[name], want[name]
        if n != want_n:
            if n == self.m // self.batch_size and n == want_n - 1:
                problems.append(
                    f"`{name}` is one short: {self.m} is not a multiple of "
                    f"{self.batch_size}, and the last, smaller batch is an update too."
                )
            elif not float(n).is_integer():
                problems.append(f"`{name}` should be a whole number: each batch is one update.")
            elif n == 1:
                problems.append(f"`{name}`: one update per epoch is full-batch gradient descent.")
            else:
                problems.append(f"`{name}` {_direction(n, want_n)}.")
        if got["faster"] != want["faster"]:
            problems.append(
                f"`faster`: not {got['faster']!r}. Compare the time each needs to "
                "reduce the cost by the same amount, not the work per update."
            )
        return [p for p in problems if p]

    def _praise(self, want: dict[str, Any]) -> str:
        ratio = want["minibatch_updates_per_second"] / want["full_batch_updates_per_second"]
        return (
            f"mini-batch SGD makes {ratio:.0f} times as many updates per second, "
            f"{want['minibatch_updates_per_epoch']} per epoch to full batch's one. In the race "
            f"on the course's data it reached the target in {want['time_mini']:.3g} s, "
            f"full batch in {want['time_full']:.3g} s."
        )

    def _solution(self, want: dict[str, Any]) -> tuple[str, str]:
        code = (
            f"full_batch_updates_per_second = 1 / {self.seconds_full}    "
            f"# {want['full_batch_updates_per_second']:g}\n"
            f"minibatch_updates_per_second = 1 / {self.seconds_mini}    "
            f"# {want['minibatch_updates_per_second']:g}\n"
            f"minibatch_updates_per_epoch = math.ceil({self.m} / {self.batch_size})    "
            f"# {want['minibatch_updates_per_epoch']}: {self.m // self.batch_size} batches of "
            f"{self.batch_size} and one of {self.m % self.batch_size}\n"
            f"faster = {want['faster']!r}"
        )
        message = (
            "Updates per second is 1 / (seconds per update). Per epoch, full batch makes one "
            f"update in {self.seconds_full:g} s; mini-batch makes "
            f"{want['minibatch_updates_per_epoch']} in "
            f"{want['minibatch_updates_per_epoch'] * self.seconds_mini:.3g} s. When a noisy step "
            "makes about the progress of a full one, more steps per second win: on the course's "
            f"data (learning rate {self.lr:g}), mini-batch SGD went {self.fraction:.0%} of the way "
            f"to the minimum's cost in {want['time_mini']:.3g} simulated seconds, full batch in "
            f"{want['time_full']:.3g}."
        )
        return message, code


# --------------------------------------------------------------------------- question 2


class Question2(Exercise):
    """Online learning on the post's samples 1 and 2, in both orders.

    Givens: the features of :func:`anchor_features` (the course's model at
    ``params0 = (1, 0)`` predicts the post's ŷ), learning rate ``lr``, and the
    learning rates ``lrs`` over which to fit the log-log slope of the gap.
    """

    number = 2
    title = "online learning in two orders"
    answers = ("params_1_then_2", "params_2_then_1", "slope")
    tolerance = "(w, b) within 1e-6 relative; the slope within 0.05"
    hints = (
        "Online learning updates after every sample: start at `q2.params0`, update with "
        "sample 1's gradient, then with sample 2's gradient *at the new weights* "
        "(`lv.optim.online_pass` does this in the order of the arrays you pass). Then the other order.",
        "For the slope, compute the gap between the two orders' final (w, b) for each learning "
        "rate in `q2.lrs` (`lv.batch_size.order_effect`), and fit a line to log(gap) against log(η) "
        "(`lv.batch_size.loglog_slope`). The first-order terms of the two orders are equal.",
    )
    params0 = (1.0, 0.0)
    lr = 1.0
    lrs = tuple(float(v) for v in np.logspace(-3, -1, 9))
    samples = (0, 1)  # the post's samples 1 and 2, as indices

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the post's samples 1 and 2, from :func:`anchor_features`."""
        x, y = anchor_features(self.params0)
        idx = list(self.samples)
        return x[idx], y[idx]

    def _read(self, name: str, value: Any) -> Any:
        if name == "slope":
            return _number(name, value)
        shape = _shape(value)
        if shape is not None and len(shape) == 2 and shape[1] == 2:
            raise _Unusable(
                f"`{name}` should be the final (w, b), 2 numbers; got shape "
                f"{shape}, which looks like a whole trajectory -- take its last "
                "row, `trajectory[-1]`."
            )
        return _vector(name, value, 2, "the final (w, b), 2 numbers")

    def _compute(self) -> dict[str, Any]:
        x, y = self.data()
        gaps = order_effect(self.params0, x, y, self.lrs)
        g = per_sample_gradients(self.params0, x, y)
        p0 = np.asarray(self.params0)
        return {
            "params_1_then_2": online_pass(self.params0, x, y, lr=self.lr)[-1],
            "params_2_then_1": online_pass(self.params0, x[::-1], y[::-1], lr=self.lr)[-1],
            "slope": loglog_slope(self.lrs, gaps)[0],
            "full_batch_step": p0 - self.lr * g.mean(axis=0),
            "both_at_start": p0 - self.lr * g.sum(axis=0),
            "after_first": [p0 - self.lr * g[0], p0 - self.lr * g[1]],
            "gap": float(
                np.linalg.norm(
                    online_pass(self.params0, x, y, lr=self.lr)[-1]
                    - online_pass(self.params0, x[::-1], y[::-1], lr=self.lr)[-1]
                )
            ),
        }

    def _judge(self, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
        rtol, atol = 1e-6, 1e-9
        a, b = got["params_1_then_2"], got["params_2_then_1"]
        wa, wb = want["params_1_then_2"], want["params_2_then_1"]
        common = [
            (
                want["full_batch_step"],
                "is one full-batch step (the mean of both gradients at the start), not two online updates.",
            ),
            (
                want["both_at_start"],
                "uses both gradients at the starting weights. Online "
                "learning takes the second gradient at the weights the "
                "first update produced.",
            ),
            (want["after_first"][0], "is the weights after sample 1 only; then update with sample 2."),
            (want["after_first"][1], "is the weights after sample 2 only; then update with sample 1."),
        ]
        problems: list[str | None] = []
        if _close(a, wb, rtol, atol) and _close(b, wa, rtol, atol):
            problems.append(
                "`params_1_then_2` and `params_2_then_1` are swapped: "
                "`params_1_then_2` is where you end after sample 1, then sample 2."
            )
        elif _close(a, b, rtol, atol):
            known = [msg for value, msg in common if _close(a, value, rtol, atol)]
            problems.append(
                "your two orders end at the same (w, b)"
                + (f", and it {known[0]}" if known else ".")
                + " In online learning the orders differ: the second update's "
                "gradient is taken at the weights the first update produced."
            )
        else:
            for name in ("params_1_then_2", "params_2_then_1"):
                problems.append(
                    _judge_vector(
                        name, got[name], want[name], ("w", "b"), rtol=rtol, atol=atol, mistakes=common
                    )
                )
        slope, want_slope = got["slope"], want["slope"]
        if abs(slope - want_slope) > 0.05:
            if abs(slope - 1.0) < 0.1:
                problems.append(
                    "`slope` is too small: about 1 means the gap grows like η, but "
                    "the two orders agree to first order in η. Fit over small η "
                    "(`q2.lrs`), on log-log axes."
                )
            else:
                word = "too large" if slope > want_slope else "too small"
                problems.append(
                    f"`slope` is {word} (it must be within 0.05 of the fitted "
                    "exponent). Fit log10(gap) against log10(η) over `q2.lrs`."
                )
        return [p for p in problems if p]

    def _praise(self, want: dict[str, Any]) -> str:
        return (
            f"the orders end {want['gap']:.3g} apart at η = {self.lr:g}, and the gap grows "
            f"like η to the power {want['slope']:.2f}: order matters in online learning, at second order "
            "in the learning rate."
        )

    def _solution(self, want: dict[str, Any]) -> tuple[str, str]:
        a, b = want["params_1_then_2"], want["params_2_then_1"]
        code = (
            "x2, y2 = q2.data()        # samples 1 and 2 with features (lv.anchor_features)\n"
            "params_1_then_2 = lv.optim.online_pass(q2.params0, x2, y2, lr=q2.lr)[-1]\n"
            "params_2_then_1 = lv.optim.online_pass(q2.params0, x2[::-1], y2[::-1], lr=q2.lr)[-1]\n"
            "gaps = lv.batch_size.order_effect(q2.params0, x2, y2, q2.lrs)\n"
            "slope, _ = lv.batch_size.loglog_slope(q2.lrs, gaps)\n"
            f"# (w, b) = ({a[0]:.4f}, {a[1]:.4f}) and ({b[0]:.4f}, {b[1]:.4f}); "
            f"slope {want['slope']:.3f}"
        )
        message = (
            "The weights end in different places. Whichever sample comes second is seen at "
            "weights the first has already moved, and has the last word: after 1 then 2 both w and "
            "b end higher (sample 2, a churner, pulls the prediction up last). Expanding two steps "
            "θ₁ = θ₀ − η∇L₁(θ₀), θ₂ = θ₁ − η∇L₂(θ₁) to second order, the first-order terms are "
            "the same in both orders and the gap is η²·(H₂∇L₁ − H₁∇L₂) + O(η³): it shrinks like "
            "η². Full-batch gradient descent has no order: it averages both gradients at the "
            "same weights."
        )
        return message, code


# --------------------------------------------------------------------------- question 3


class Question3(Exercise):
    """The gradient of the cost is the mean of the per-sample gradients.

    Givens: the course's data ``make_churn()`` and ``params``. Expected: the
    model's :func:`lossviz.gradient` (the finite-difference gradient agrees to
    about 1e-9, so it passes too).
    """

    number = 3
    title = "the gradient of the cost"
    answers = ("grad_of_cost",)
    tolerance = "within 1e-6 relative (a finite-difference gradient passes)"
    hints = (
        "`lv.per_sample_gradients(params, x, y)` has one row per sample, ∂L⁽ⁱ⁾/∂(w, b). "
        "What does J = (1/m) Σ L⁽ⁱ⁾ make of them?",
        "The derivative of a sum is the sum of the derivatives, and the constant 1/m comes "
        "out of the derivative. Average the rows: axis 0.",
    )
    params = (1.0, -1.0)

    def _read(self, name: str, value: Any) -> Any:
        m = self.expected["m"]
        if _shape(value) == (m, 2):
            raise _Unusable(
                f"`{name}` has shape ({m}, 2): one gradient per sample. The cost's "
                "gradient is a single (∂J/∂w, ∂J/∂b) made from these rows."
            )
        return _vector(name, value, 2, "(∂J/∂w, ∂J/∂b), 2 numbers")

    def _compute(self) -> dict[str, Any]:
        x, y = make_churn()
        return {"grad_of_cost": gradient(self.params, x, y), "m": x.size}

    def _judge(self, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
        g, m = want["grad_of_cost"], want["m"]
        problem = _judge_vector(
            "grad_of_cost",
            got["grad_of_cost"],
            g,
            ("∂J/∂w", "∂J/∂b"),
            rtol=1e-6,
            atol=1e-12,
            mistakes=[
                (
                    m * g,
                    f"is {m} times too large: that is the sum of the per-sample gradients. "
                    "J has a 1/m in front, and so does its gradient.",
                ),
                (g / m, f"is {m} times too small: divide by m once, not twice."),
                (-g, "has the wrong sign: that is the descent direction −∇J, not the gradient."),
                (g[::-1], "has its components in the wrong order: (∂J/∂w, ∂J/∂b)."),
            ],
        )
        return [problem] if problem else []

    def _praise(self, want: dict[str, Any]) -> str:
        return "the gradient of the cost is the mean of the per-sample gradients."

    def _solution(self, want: dict[str, Any]) -> tuple[str, str]:
        g = want["grad_of_cost"]
        code = (
            "grad_of_cost = lv.per_sample_gradients(q3.params, x, y).mean(axis=0)\n"
            f"# ({g[0]:.6f}, {g[1]:.6f}); lv.gradient and lv.numerical_gradient agree"
        )
        message = (
            "∂J/∂W = ∂/∂W [(1/m) Σᵢ L⁽ⁱ⁾] = (1/m) Σᵢ ∂L⁽ⁱ⁾/∂W: differentiation is "
            "linear, so it passes through the constant 1/m and through the finite sum. "
            "Numerically: average the per-sample gradients over the samples."
        )
        return message, code


# --------------------------------------------------------------------------- question 4


class Question4(Exercise):
    """The mini-batch gradient's variance against the batch size, by the formula.

    Givens: the course's data ``make_churn()``, ``params`` and ``batch_sizes``.
    Expected: :func:`lossviz.minibatch_gradient_variance` for each batch size.
    """

    number = 4
    title = "batch size and noise"
    answers = ("variances",)
    tolerance = "each within 1 % relative"
    hints = (
        "The variance here is E‖ĝ_k − g‖², the mean squared distance between a batch's "
        "gradient and the full gradient. For k = 1 it is tr(Σ), the summed variance of the "
        "per-sample gradients (`np.var(G, axis=0).sum()`, dividing by m).",
        "Averaging k samples divides the variance by k; drawing them without replacement "
        "from only m multiplies it by (m − k)/(m − 1), so a full batch (k = m) has none.",
    )
    params = (0.0, 0.0)
    batch_sizes = (1, 8, 32, 128, 512, 1000)

    def _read(self, name: str, value: Any) -> Any:
        return _vector(
            name,
            value,
            len(self.batch_sizes),
            f"{len(self.batch_sizes)} numbers, one per batch size in q4.batch_sizes {self.batch_sizes}",
        )

    def _compute(self) -> dict[str, Any]:
        x, y = make_churn()
        want = np.array([minibatch_gradient_variance(self.params, x, y, k) for k in self.batch_sizes])
        tr_sigma = float(per_sample_gradients(self.params, x, y).var(axis=0).sum())
        return {"variances": want, "tr_sigma": tr_sigma, "m": x.size}

    def _judge(self, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
        v, w = got["variances"], want["variances"]
        rtol, atol = 1e-2, 1e-9 * want["tr_sigma"]
        if _close(v, w, rtol, atol):
            return []
        ks = np.asarray(self.batch_sizes, dtype=float)
        m, tr = want["m"], want["tr_sigma"]
        known = [
            (
                tr / ks,
                "shrinks like 1/k but is not zero for the full batch: batches are drawn "
                "without replacement from m samples, which multiplies by (m − k)/(m − 1).",
            ),
            (
                tr * (m - ks) / (m - 1),
                "does not shrink like 1/k: averaging k independent-ish "
                "gradients divides their variance by k.",
            ),
            (
                np.sqrt(w),
                "looks like a standard deviation (a square root); the question asks for the variance.",
            ),
        ]
        for value, message in known:
            if _close(v, value, rtol, atol):
                return [f"`variances` {message}"]
        off = [(k, a, b) for k, a, b in zip(self.batch_sizes, v, w) if not _close(a, b, rtol, atol)]
        text = "; ".join(f"at k = {k} it {_direction(a, b)}" for k, a, b in off)
        note = _tolerance_note(off, rtol)
        if np.all(np.abs(v - w) <= 0.15 * np.abs(w) + atol):
            note += (
                " If you measured by sampling batches, that is an estimate with a few "
                "percent of noise: the check wants the formula's values."
            )
        return [f"`variances`: {text}.{note}"]

    def _praise(self, want: dict[str, Any]) -> str:
        v, ks = want["variances"], self.batch_sizes
        return (
            f"the variance falls from {v[0]:.3g} at k = {ks[0]} to {v[-2]:.3g} at "
            f"k = {ks[-2]} and to {v[-1]:.3g} at k = {ks[-1]}: the larger the batch, the "
            "closer each step to the true gradient and the smoother the trajectory."
        )

    def _solution(self, want: dict[str, Any]) -> tuple[str, str]:
        v = want["variances"]
        code = (
            "G = lv.per_sample_gradients(q4.params, x, y)          # (m, 2)\n"
            "tr_sigma = G.var(axis=0).sum()                        # tr(Σ), Σ divided by m\n"
            "m = len(x)\n"
            "variances = [tr_sigma / k * (m - k) / (m - 1) for k in q4.batch_sizes]\n"
            "# = [lv.minibatch_gradient_variance(q4.params, x, y, k) for k in q4.batch_sizes]\n"
            "# " + ", ".join(f"{val:.4g}" for val in v)
        )
        message = (
            "A mini-batch gradient is the mean of k per-sample gradients drawn without "
            "replacement, so its variance about the full gradient is tr(Σ)/k · (m − k)/(m − 1). "
            "Each update's direction is off by about the square root of this, so small "
            "batches zig-zag and the cost jumps; the full batch does not. The trade-off: an "
            "update costs k gradient evaluations, its noise falls only like 1/k (the "
            "standard deviation like 1/√k), and some noise helps find flat minima that "
            "generalise."
        )
        return message, code


# --------------------------------------------------------------------------- question 5


class Question5(Exercise):
    """What the L2 penalty adds to the gradient, and what one sample's gradient holds.

    Givens: the course's data ``make_churn()``, ``params``, ``lam`` and the
    sample ``sample`` (index into the data). Expected: the model's gradient with
    λ minus the one without; and :func:`lossviz.per_sample_gradients` of the sample.
    """

    number = 5
    title = "the gradient of the L2 penalty"
    answers = ("penalty_gradient", "sample_gradient")
    tolerance = "within 1e-6 relative"
    hints = (
        "Differentiate λ/2 · Σⱼ wⱼ² with respect to one weight wⱼ: only the j-th term depends "
        "on it. The bias b is not in the penalty.",
        "One sample's loss L⁽ⁱ⁾ is the cross-entropy of that sample alone; the penalty belongs "
        "to the objective J_reg, not to any sample. `lv.per_sample_gradients(params, x[i:i+1], "
        "y[i:i+1])[0]` is its gradient.",
    )
    params = (2.5, -3.0)
    lam = 0.1
    sample = 0

    def _read(self, name: str, value: Any) -> Any:
        what = (
            "(∂/∂w, ∂/∂b) of the penalty, 2 numbers"
            if name == "penalty_gradient"
            else "(∂L/∂w, ∂L/∂b) of one sample, 2 numbers"
        )
        if name == "penalty_gradient" and isinstance(value, numbers.Real) and not isinstance(value, bool):
            raise _Unusable(
                f"`{name}` should be {what} -- one per parameter, w and b -- got the single number {value!r}."
            )
        return _vector(name, value, 2, what)

    def _compute(self) -> dict[str, Any]:
        x, y = make_churn()
        i = self.sample
        return {
            "penalty_gradient": gradient(self.params, x, y, self.lam) - gradient(self.params, x, y),
            "sample_gradient": per_sample_gradients(self.params, x[i : i + 1], y[i : i + 1])[0],
            "cost_gradient": gradient(self.params, x, y),
            "next_sample_gradient": per_sample_gradients(self.params, x[i + 1 : i + 2], y[i + 1 : i + 2])[0],
            "m": x.size,
        }

    def _judge(self, got: dict[str, Any], want: dict[str, Any]) -> list[str]:
        rtol, atol = 1e-6, 1e-12
        p, m = want["penalty_gradient"], want["m"]
        w, b = self.params
        lam = self.lam
        problems = [
            _judge_vector(
                "penalty_gradient",
                got["penalty_gradient"],
                p,
                ("∂/∂w", "∂/∂b"),
                rtol=rtol,
                atol=atol,
                mistakes=[
                    (
                        -p,
                        "has the wrong sign. The penalty grows as |w| grows, so its gradient points "
                        "the way w does; the update −η·λw then shrinks w toward 0 (weight decay).",
                    ),
                    (
                        p / 2,
                        "is half of what it should be: the derivative of w² is 2w, and that 2 "
                        "cancels the 1/2.",
                    ),
                    (np.array([lam / 2 * w**2, 0.0]), "is the penalty's value, not its derivative."),
                    (
                        np.array([lam * w, lam * b]),
                        "penalises the bias: b is not in Σ w², so its component is 0.",
                    ),
                    (
                        m * p,
                        f"is {m} times too large: the penalty is added once per update, not once per sample.",
                    ),
                    (
                        p / m,
                        f"is {m} times too small: the penalty is not averaged over the samples; "
                        "it is added once, whole.",
                    ),
                ],
            )
        ]
        s = want["sample_gradient"]
        problems.append(
            _judge_vector(
                "sample_gradient",
                got["sample_gradient"],
                s,
                ("∂L/∂w", "∂L/∂b"),
                rtol=rtol,
                atol=atol,
                mistakes=[
                    (
                        s + p,
                        "includes the penalty's λ·w. One sample's loss has no λ in it: the penalty "
                        "belongs to the objective, not to a sample.",
                    ),
                    (
                        want["cost_gradient"],
                        "is the cost's gradient (the mean over all samples); the "
                        "question asks for one sample's.",
                    ),
                    (
                        want["cost_gradient"] + p,
                        "is the objective's gradient (all samples, with the "
                        "penalty); the question asks for one sample's.",
                    ),
                    (
                        want["next_sample_gradient"],
                        f"is the gradient of sample {self.sample + 1}; use index {self.sample}.",
                    ),
                    (-s, "has the wrong sign."),
                ],
            )
        )
        return [q for q in problems if q]

    def _praise(self, want: dict[str, Any]) -> str:
        return (
            "the penalty adds λ·w to ∂/∂w (and nothing to ∂/∂b), whatever the data; one "
            "sample's gradient depends on that sample and has no λ in it."
        )

    def _solution(self, want: dict[str, Any]) -> tuple[str, str]:
        p, s = want["penalty_gradient"], want["sample_gradient"]
        i = self.sample
        code = (
            "w, b = q5.params\n"
            "penalty_gradient = np.array([q5.lam * w, 0.0])\n"
            f"sample_gradient = lv.per_sample_gradients(q5.params, x[{i}:{i + 1}], "
            f"y[{i}:{i + 1}])[0]\n"
            f"# ({p[0]:.4g}, {p[1]:.4g}) and ({s[0]:.6f}, {s[1]:.6f})"
        )
        message = (
            "∂/∂wⱼ [λ/2 · Σₖ wₖ²] = λ·wⱼ: the penalty pulls each weight toward 0 in "
            "proportion to its size (weight decay: w ← (1 − ηλ)·w − η·∂J/∂w). It does not "
            "depend on any sample and is added once per update, whatever the batch size. "
            "∂L⁽ⁱ⁾/∂wⱼ = (ŷᵢ − yᵢ)·xᵢⱼ depends on sample i alone and has no λ."
        )
        return message, code


q1 = Question1()
q2 = Question2()
q3 = Question3()
q4 = Question4()
q5 = Question5()
