"""The day the shelf emptied: its sales are a lower bound of demand, not nothing.

A day that ends with nothing on hand is censored: demand ``D`` was at least the units sold
``s`` (``D >= s``) and possibly more. Reading it as unobserved (NaN) throws that bound away,
and on slow series (monthly car parts) the period that sold the last unit is often the only
one showing any demand. A censored day with ``s > 0`` therefore enters the forecast as

    x_t = max(s_t, m_t),
    m_t = mean of the series' observed (uncensored, non-NaN) days among t - W .. t - 1,

with ``W = 28`` periods. Since ``E[D | D >= s] >= max(s, E[D])``, ``x_t`` is a lower bound of
the day's expected demand given what was seen (``m_t`` standing in for ``E[D]``, causal: only
earlier days). A series with no observed day in the window has ``m_t`` NaN and gets
``x_t = s_t``. A censored day with ``s = 0`` (the shelf was already empty) stays NaN: it says
nothing about demand. Uncensored days are unchanged.

The rule was chosen on principle (before any benchmark figure was seen) and is not tuned.

Worked example (one series, W = 3, ``c`` = censored)::

    day        0    1    2    3c   4c   5    6c
    sales s    4    2    6    1    0    3    2
    m_t        NaN  4    3    4    4    6    3     (mean of observed days in t-3 .. t-1)
    x_t        4    2    6    4    NaN  3    3

Day 3: observed days 0..2 average 4, so max(1, 4) = 4. Day 4 sold nothing: NaN. Day 6:
of days 3..5 only day 5 is observed, so m = 3 and max(2, 3) = 3. A censored day whose sales
beat the recent mean keeps its sales (s = 9 on day 6 would give 9).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.base import FloatArray

BoolArray = npt.NDArray[np.bool_]

DEFAULT_WINDOW = 28
"""Periods before a censored day whose observed mean stands in for E[D] (``m_t``)."""


def observed_prefix_sums(values: FloatArray, observed: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Running totals of observed units and observed periods, each with a leading 0.

    Shapes: values, observed (n_series, n_periods); returns two (n_series, n_periods + 1)
    float64 arrays ``T``, ``C`` with ``T[:, t] = sum_{u<t} o_u y_u`` and
    ``C[:, t] = sum_{u<t} o_u`` (``o_u``: observed and not NaN), so the sums over periods
    ``a .. b - 1`` are ``T[:, b] - T[:, a]`` and ``C[:, b] - C[:, a]``.
    """
    seen = observed & ~np.isnan(values)
    zeros = np.zeros((values.shape[0], 1))
    total = np.concatenate([zeros, np.cumsum(np.where(seen, values, 0.0), axis=1)], axis=1)
    count = np.concatenate([zeros, np.cumsum(seen, axis=1, dtype=np.float64)], axis=1)
    return total, count


def trailing_observed_mean(
    values: FloatArray, observed: BoolArray, window: int = DEFAULT_WINDOW
) -> FloatArray:
    """Mean of the observed values among the ``window`` periods before each period.

    Shapes: values, observed (n_series, n_periods); returns (n_series, n_periods) float64,
    NaN where no period of ``t - window .. t - 1`` is observed (so always at t = 0).

        m_t = sum_{u=t-W}^{t-1} o_u y_u / sum_{u=t-W}^{t-1} o_u

    computed from cumulative sums along time (no loop over series or periods).
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 period, got {window}")
    total, count = observed_prefix_sums(values, observed)
    end = np.arange(values.shape[1])
    begin = np.maximum(end - window, 0)
    summed = total[:, end] - total[:, begin]
    counted = count[:, end] - count[:, begin]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted > 0, summed / np.maximum(counted, 1.0), np.nan)


def emptying_day_demand(
    values: FloatArray, censored: BoolArray, window: int = DEFAULT_WINDOW
) -> FloatArray:
    """Forecast input with censored days read as lower bounds of demand (module docstring).

    Args:
        values: (n_series, n_periods) units sold per period, NaN = nothing known.
        censored: (n_series, n_periods) True where the period ended out of stock.
        window: periods ``W`` whose observed mean is ``m_t``.

    Returns:
        (n_series, n_periods): ``values`` on uncensored periods; ``max(s, m_t)`` on censored
        periods with sales ``s > 0`` (``s`` when ``m_t`` is NaN); NaN on censored periods
        without sales and wherever ``values`` is NaN.
    """
    if censored.shape != values.shape:
        raise ValueError(
            f"censored mask shape {censored.shape} differs from values shape {values.shape}"
        )
    mean = trailing_observed_mean(values, ~censored, window)
    bound = np.fmax(values, mean)  # fmax: a NaN mean gives s
    with np.errstate(invalid="ignore"):
        sold = values > 0
    return np.where(censored, np.where(sold, bound, np.nan), values)
