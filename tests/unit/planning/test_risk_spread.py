"""The daily variance the risk figures read, floored by the sales' own (ADR 0027,
``planning.risk.spread``)."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.risk import spread
from stockguard.planning.risk.probability import (
    DemandSpread,
    level_variance,
    stockout_probability_over_points,
)


def test_the_trailing_variance_reads_the_last_finite_days_of_each_row() -> None:
    values = np.array(
        [
            [np.nan, 0.0, 0.0, 4.0, 0.0],  # window 3 reads (0, 4, 0)
            [5.0, np.nan, np.nan, 1.0, 3.0],  # reads (5, 1, 3): mean 3, variance 4
            [np.nan, np.nan, np.nan, np.nan, 2.0],  # one day: no variance
        ]
    )
    found = spread.trailing_variance(values, window=3)
    assert found == pytest.approx([16.0 / 3.0, 4.0, 0.0])
    # the whole row with a wide window: (0, 0, 4, 0), mean 1, (1 + 1 + 9 + 1) / 3
    assert spread.trailing_variance(values[:1], window=56)[0] == pytest.approx(4.0)


def test_the_floor_only_widens_and_reads_nan_as_zero() -> None:
    found = spread.floored_variance([0.15, 2.0, np.nan, 0.3], [0.41, 1.1, 0.2, np.nan])
    assert found == pytest.approx([0.41, 2.0, 0.2, 0.3])


@pytest.mark.parametrize(
    ("values", "window", "message"),
    [(np.zeros(5), 3, "shape"), (np.zeros((2, 5)), 1, "at least 2")],
)
def test_bad_input_is_refused(values: np.ndarray, window: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        spread.trailing_variance(values, window=window)


def test_a_lumpy_series_gets_a_higher_low_end_probability_and_a_smooth_one_keeps_its_own() -> None:
    """A series selling 0.3 a day as one order of 6 every 20 days: the forecast's
    normal reading of p10..p90 (0 and 1) gives 0.152; its sales say 1.71. With 5 units
    on hand and a 3-day wait, the floored figure is a hundred times the forecast's."""
    lumpy = np.zeros(56)
    lumpy[[5, 25, 45]] = 6.0
    smooth = np.full(56, 3.0)
    smooth[::2] = 2.0
    observed = spread.trailing_variance(np.stack([lumpy, smooth]))
    assert observed[0] == pytest.approx(float(np.var(lumpy, ddof=1)))
    forecast_var = np.array([(1.0 / 2.5631) ** 2, 4.0])  # the smooth one's forecast is wider
    used = spread.floored_variance(forecast_var, observed)
    assert used[1] == pytest.approx(4.0)
    mu, available = np.array([0.3, 2.5]), np.array([5.0, 20.0])
    days, mass = np.full((2, 1), 3.0), np.ones((2, 1))

    def probability(var: np.ndarray) -> np.ndarray:
        extra = DemandSpread(level_var=level_variance(var, 56))
        return stockout_probability_over_points(available, mu, var, days, mass, extra)

    before, after = probability(forecast_var), probability(used)
    # an order of 6 in 3 days of a 20-day cycle is about a 0.15 chance; the forecast's
    # reading says 0.0003, the floored one 0.046: still low, but a hundred times nearer
    assert before[0] < 0.001
    assert 0.03 < after[0] < 0.15
    assert after[1] == pytest.approx(before[1])


def test_blocks_of_rows_give_the_same_figures_as_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    values = rng.poisson(0.7, (11, 90)).astype(np.float64)
    values[rng.random(values.shape) < 0.2] = np.nan
    whole = spread.trailing_variance(values)
    monkeypatch.setattr(spread, "BLOCK_ROWS", 4)
    assert spread.trailing_variance(values) == pytest.approx(whole, rel=1e-12)
    row = values[7][np.isfinite(values[7])][-spread.WINDOW :]
    assert whole[7] == pytest.approx(float(np.var(row, ddof=1)), rel=1e-12)
