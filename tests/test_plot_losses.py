"""Tests of lossviz.plot.losses (drawing only; values come from the caller)."""

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

import lossviz as lv


def test_bars_and_cost_line_show_the_values_given():
    y, y_hat = lv.anchor_sample()
    losses = lv.bce_loss(y, y_hat)
    fig, ax = plt.subplots()
    out = lv.plot.losses(losses, lv.cost(y, y_hat), ax=ax)
    assert out is ax
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, losses)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), [lv.cost(y, y_hat)] * 2)
    # the largest loss is hatched, the others are not; all have the colour of a loss
    hatches = [p.get_hatch() for p in ax.patches]
    assert hatches[int(np.argmax(losses))] == "//" and hatches.count(None) == losses.size - 1
    assert {mcolors.to_hex(p.get_facecolor()) for p in ax.patches} == {lv.plot.COLOURS["loss"].lower()}
    plt.close(fig)


def test_new_axes_and_default_cost_is_the_mean():
    ax = lv.plot.losses([1.0, 3.0])
    assert ax.get_lines()[0].get_ydata()[0] == pytest.approx(2.0)
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "kwargs, exc, word",
    [
        ({"losses": [np.nan]}, ValueError, "losses"),
        ({"losses": [1.0], "labels": ["a", "b"]}, ValueError, "labels"),
        ({"losses": [1.0], "ax": "axes"}, TypeError, "ax"),
    ],
)
def test_bad_input(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        lv.plot.losses(**kwargs)
