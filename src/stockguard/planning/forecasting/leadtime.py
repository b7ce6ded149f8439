"""Demand summed over a (random) replenishment lead time: what safety stock needs.

Method (Silver, Pyke & Thomas 2017, "Inventory and Production Management in Supply
Chains", 4th ed., ch. 6, sections on the reorder point with random lead time; also
Nahmias & Olsen 2015, "Production and Operations Analysis", ch. 5):

* Mean: the sum of the per-day forecast means over the lead time ``L`` (a fractional
  last day counts in proportion; beyond the forecast horizon the average daily mean of
  the horizon is carried forward):
  ``E[D_L] = sum_t w_t mu_t`` with ``w_t = clip(L - (t - 1), 0, 1)``.
* Variance: per-day demands independent, plus lead-time variability:
  ``Var[D_L] = sum_t w_t sigma_t^2 + d^2 sigma_L^2`` with ``d = E[D_L] / L`` the average
  daily demand. For constant ``mu_t = d`` and ``sigma_t = sigma_d`` this is the textbook
  ``Var = L sigma_d^2 + d^2 sigma_L^2`` (SPT ch. 6).
* Quantiles: normal (the textbook default) or gamma with the same mean and variance
  (better for slow movers: skewed and never negative; SPT ch. 6).

Per-day ``sigma_t`` comes from the forecast's quantile spread under a normal reading,
``sigma_t = (q_hi - q_lo) / (z_hi - z_lo)`` (see ``std_from_quantiles``), or directly
from backtest errors. Independence across days understates the variance when forecast
errors are autocorrelated; pass ``demand_std`` from backtest errors of cumulative sums
when that matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import special, stats

from stockguard.planning.forecasting.base import (
    QUANTILE_LEVELS,
    FloatArray,
    ProbabilisticForecast,
)


@dataclass(frozen=True, slots=True)
class LeadTimeDemand:
    """Distribution of demand over the lead time, per series.

    Attributes:
        mean: (n_series,) expected units over the lead time, ``E[D_L]``.
        std: (n_series,) standard deviation of lead-time demand, units.
        levels: (n_levels,) increasing quantile levels.
        quantiles: (n_series, n_levels) units, >= 0, non-decreasing in level.
    """

    mean: FloatArray
    std: FloatArray
    levels: FloatArray
    quantiles: FloatArray


def std_from_quantiles(
    *, quantiles: FloatArray, levels: FloatArray, lower: float = 0.1, upper: float = 0.9
) -> FloatArray:
    """Per-day standard deviation from a quantile spread, reading it as normal.

    Equation: ``sigma = (q_upper - q_lower) / (z_upper - z_lower)``, ``z = Phi^-1(level)``.
    When ``lower`` is not among ``levels`` the median is used as the lower point.

    Shapes: quantiles (n_series, n_levels, horizon); levels (n_levels,).
    Returns (n_series, horizon) units/day.
    """
    levels = np.asarray(levels, dtype=np.float64)

    def column(level: float) -> int:
        index = np.flatnonzero(np.isclose(levels, level))
        if index.size == 0:
            raise KeyError(f"level {level} not in {levels.tolist()}")
        return int(index[0])

    low_level = lower if np.isclose(levels, lower).any() else 0.5
    low, high = column(low_level), column(upper)
    spread = quantiles[:, high, :] - quantiles[:, low, :]
    return np.asarray(spread / (special.ndtri(upper) - special.ndtri(low_level)), np.float64)


def _lead_time_weights(lead_time_mean: FloatArray, horizon: int) -> tuple[FloatArray, FloatArray]:
    """(n_series, horizon) day weights ``clip(L - (t-1), 0, 1)`` and (n_series,) days past it."""
    days = np.arange(horizon, dtype=np.float64)[None, :]
    weights = np.clip(lead_time_mean[:, None] - days, 0.0, 1.0)
    return weights, np.maximum(lead_time_mean - horizon, 0.0)


def lead_time_demand(
    *,
    demand_mean: FloatArray,
    demand_std: FloatArray,
    lead_time_mean: FloatArray,
    lead_time_std: FloatArray,
    levels: tuple[float, ...] = QUANTILE_LEVELS,
    distribution: Literal["normal", "gamma"] = "normal",
) -> LeadTimeDemand:
    """Mean, standard deviation and quantiles of demand over a random lead time.

    Equations (module docstring): ``E[D_L] = sum_t w_t mu_t``,
    ``Var[D_L] = sum_t w_t sigma_t^2 + (E[D_L] / L)^2 sigma_L^2``.

    Args:
        demand_mean: (n_series, horizon) forecast mean per day, units/day (``mu_t``).
        demand_std: (n_series, horizon) per-day standard deviation, units/day (``sigma_t``).
        lead_time_mean: (n_series,) mean lead time ``L`` in days, > 0.
        lead_time_std: (n_series,) standard deviation of the lead time ``sigma_L``, days.
        levels: quantile levels of the result.
        distribution: "normal" or "gamma" (moment-matched) for the quantiles.

    Example (SPT ch. 6 style): d = 10 units/day, sigma_d = 3, L = 4 days, sigma_L = 1 day
    gives E = 40 and Var = 4 * 9 + 100 * 1 = 136, std = 11.66.
    """
    mean_per_day = np.nan_to_num(demand_mean)
    variance_per_day = np.nan_to_num(demand_std) ** 2
    lead_time = np.asarray(lead_time_mean, dtype=np.float64)
    weights, extra_days = _lead_time_weights(lead_time, mean_per_day.shape[1])
    mean = np.sum(weights * mean_per_day, axis=1) + extra_days * mean_per_day.mean(axis=1)
    demand_variance = np.sum(
        weights * variance_per_day, axis=1
    ) + extra_days * variance_per_day.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        daily = np.where(lead_time > 0, mean / lead_time, 0.0)
    variance = demand_variance + daily**2 * np.asarray(lead_time_std, dtype=np.float64) ** 2
    std = np.sqrt(variance)
    level_array = np.asarray(levels, dtype=np.float64)
    return LeadTimeDemand(
        mean=mean,
        std=std,
        levels=level_array,
        quantiles=_quantiles(mean, std, level_array, distribution),
    )


def _quantiles(
    mean: FloatArray,
    std: FloatArray,
    levels: FloatArray,
    distribution: Literal["normal", "gamma"],
) -> FloatArray:
    """(n_series, n_levels) quantiles, clipped at 0 and non-decreasing in level."""
    if distribution == "normal":
        quantiles = mean[:, None] + std[:, None] * special.ndtri(levels)[None, :]
    else:
        valid = (std > 0) & (mean > 0)
        safe_mean, safe_std = np.where(valid, mean, 1.0), np.where(valid, std, 1.0)
        shape, scale = (safe_mean / safe_std) ** 2, safe_std**2 / safe_mean
        gamma = stats.gamma.ppf(levels[None, :], shape[:, None], scale=scale[:, None])
        quantiles = np.where(valid[:, None], gamma, mean[:, None])
    quantiles = np.where((mean > 0)[:, None], np.nan_to_num(quantiles), 0.0)
    return np.asarray(np.maximum.accumulate(np.maximum(quantiles, 0.0), axis=1), np.float64)


def lead_time_demand_from_forecast(
    *,
    forecast: ProbabilisticForecast,
    lead_time_mean: FloatArray,
    lead_time_std: FloatArray,
    levels: tuple[float, ...] = QUANTILE_LEVELS,
    distribution: Literal["normal", "gamma"] = "normal",
) -> LeadTimeDemand:
    """``lead_time_demand`` with per-day ``sigma_t`` read from the forecast's quantiles.

    Uses ``std_from_quantiles`` with the [0.1, 0.9] spread, or [0.5, 0.9] when the
    forecast has no 0.1 quantile.
    """
    return lead_time_demand(
        demand_mean=forecast.mean,
        demand_std=std_from_quantiles(quantiles=forecast.quantiles, levels=forecast.levels),
        lead_time_mean=lead_time_mean,
        lead_time_std=lead_time_std,
        levels=levels,
        distribution=distribution,
    )
