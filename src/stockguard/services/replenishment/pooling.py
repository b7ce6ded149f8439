"""Which demand rate a replenishment row plans with: its forecast's, or a pooled one.

A row (SKU x location) whose recent sales are intermittent, lumpy or nil plans with
``planning.inventory.pooled_rate``: a SKU that has sold takes its forecast's rate shrunk
toward its category's with the gamma-Poisson posterior's weights (``w = n / (b0 + n)``
on the forecast, the credibility form: a SKU with much history keeps its forecast's
trend), a SKU that never sold in the window takes its category's launch rate and launch
lumps. Rows without a category form one
group; a category with fewer than ``pooled_rate.MIN_GROUP_ROWS`` slow rows borrows the
prior of all of them. Smooth and erratic rows, and rows without an observed day, keep
their forecast. The run's ``Parameters.pooled_rates`` switches it (ADR 0018).

``pool_demand`` returns the per-day means and spreads the policy reads (the pooled rows'
replaced by a flat rate and the negative binomial predictive spread over their
protection interval) and the undershoot terms of the never-sold rows, learning the
group figures from its rows (``pooled_rate.pooled_rates``; the replays use it);
``pool_demand_with`` does the same with group figures given (``run_priors``): a run
learns them from all its rows and stores them with its proposal, one SKU's policy reads
them back, and both go through it. ``pooled_sentence`` says it in words for a line's
explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stockguard.planning.inventory import pooled_rate
from stockguard.planning.inventory.pooled_rate import PooledRates, RateSource
from stockguard.services.replenishment import run_priors
from stockguard.services.replenishment.settings import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class PooledDemand:
    """The demand the policy reads after pooling, per row.

    Attributes:
        daily_mean, daily_std: (n, horizon) units per period.
        terms: (n, 3) undershoot mean, variance and dispersion of never-sold rows (NaN
            rows: their own history), for ``compute_policies(lost_sales_terms=...)``.
        rates: the pooling's figures per row (``PooledRates``), for explanations.
    """

    daily_mean: FloatArray
    daily_std: FloatArray
    terms: FloatArray
    rates: PooledRates


def group_codes(categories: Sequence[str | None]) -> IntArray:
    """(n,) int group per row: one per category, rows without one together (code 0;
    ``run_priors.category_groups``)."""
    return run_priors.category_groups(categories)[1]


def pool_demand(
    *,
    daily_mean: FloatArray,
    daily_std: FloatArray,
    sales_history: FloatArray,
    group: IntArray,
    lead_time_mean: FloatArray,
    launch: pooled_rate.Launch = pooled_rate.LAUNCH_DEFAULT,
) -> PooledDemand:
    """The rows' demand with pooled rates where they apply (module docstring).

    Args:
        daily_mean, daily_std: (n, horizon) forecast per period, units.
        sales_history: (n, periods) units sold per period before now, NaN unobserved.
        group: (n,) int >= 0 (``group_codes``).
        lead_time_mean: (n,) periods; the forecast's rate is its mean over the first
            ``ceil(E[L])`` periods and the pooled variance is spread over ``E[L] - 1``.
        launch: the never-sold rows' launch estimator (``pooled_rate.Launch``; the
            cohort's horizon is ``pooled_rate.cohort_horizon(lead_time_mean)``, ADR 0041).

    Returns: PooledDemand (the forecast's own arrays on the other rows).
    """
    lead, forecast_rate = lead_time_rate(daily_mean, lead_time_mean)
    rates = pooled_rate.pooled_rates(
        sales=sales_history,
        group=group,
        forecast_rate=forecast_rate,
        horizon=lead - 1.0,
        shrink_forecast=True,
        launch=launch,
        launch_horizon=pooled_rate.cohort_horizon(lead),
    )
    return demand_of(rates, daily_mean=daily_mean, daily_std=daily_std)


def pool_demand_with(
    priors: run_priors.RunPriors | None,
    *,
    daily_mean: FloatArray,
    daily_std: FloatArray,
    sales_history: FloatArray,
    categories: Sequence[str | None],
    lead_time_mean: FloatArray,
    launch: pooled_rate.Launch = pooled_rate.LAUNCH_DEFAULT,
) -> tuple[PooledDemand, run_priors.RunPriors]:
    """``pool_demand`` with a run's group figures (``run_priors``): given (one SKU's
    rows, too few to learn them), or None to learn them from these rows
    (``run_priors.estimate``, what a run stores); the same result as ``pool_demand``
    when they are the run's own rows (``launch``: the estimator of the launch moments
    learnt, ``pool_demand``'s). Returns the demand and the figures used."""
    lead, forecast_rate = lead_time_rate(daily_mean, lead_time_mean)
    if priors is None:
        priors = run_priors.estimate(
            sales=sales_history,
            categories=categories,
            forecast_rate=forecast_rate,
            launch=launch,
            launch_horizon=pooled_rate.cohort_horizon(lead),
        )
    rates = run_priors.pooled_rates(
        priors,
        sales=sales_history,
        categories=categories,
        forecast_rate=forecast_rate,
        horizon=lead - 1.0,
    )
    return demand_of(rates, daily_mean=daily_mean, daily_std=daily_std), priors


def lead_time_rate(
    daily_mean: FloatArray, lead_time_mean: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(n,) lead time ``max(E[L], 1)`` periods and the forecast's mean rate over its first
    ``ceil(E[L])`` periods, units per period."""
    lead = np.maximum(np.asarray(lead_time_mean, dtype=np.float64), 1.0)
    columns = np.arange(daily_mean.shape[1])
    used = columns[None, :] < np.minimum(np.ceil(lead), daily_mean.shape[1])[:, None]
    forecast_rate = np.where(used, daily_mean, 0.0).sum(axis=1) / np.maximum(used.sum(1), 1)
    return lead, np.asarray(forecast_rate, dtype=np.float64)


def demand_of(rates: PooledRates, *, daily_mean: FloatArray, daily_std: FloatArray) -> PooledDemand:
    """The per-period demand the policy reads: pooled rows flat at their rate and spread."""
    chosen = rates.source != RateSource.FORECAST
    mean = np.where(chosen[:, None], rates.rate[:, None], daily_mean)
    spread = np.sqrt(np.where(chosen, rates.variance, 0.0))
    std = np.where(chosen[:, None], spread[:, None], daily_std)
    return PooledDemand(
        daily_mean=np.asarray(mean, np.float64),
        daily_std=np.asarray(std, np.float64),
        terms=rates.history_terms,
        rates=rates,
    )


SOURCE_NAMES = {
    int(RateSource.FORECAST): "forecast",
    int(RateSource.POOLED): "pooled",
    int(RateSource.LAUNCH): "launch",
}
"""A row's ``RateSource`` as explanations and policies name it."""


def pooled_sentence(
    *,
    sku: str,
    source: int,
    units: float,
    periods: float,
    rate: float,
    group_rate: float,
    group: str | None,
) -> str | None:
    """One sentence on a row's pooled rate, days as the period (None: its own forecast).

    Example: ``BOLT has sold 2 units in 91 days; its rate is pooled with its category's
    (Fasteners, 0.0410 a day): 0.0315 a day.``
    """
    whose = f"its category's ({group}, {group_rate:.4f} a day)"
    if group is None:
        whose = f"that of all slow SKUs without a category ({group_rate:.4f} a day)"
    if source == RateSource.POOLED:
        return (
            f"{sku} has sold {units:g} units in {periods:g} days; its rate is pooled with "
            f"{whose}: {rate:.4f} a day."
        )
    if source == RateSource.LAUNCH:
        where = f"in {group}" if group is not None else "without a category"
        return (
            f"{sku} has not sold in {periods:g} days; it plans with the rate at which SKUs "
            f"{where} that had not sold started selling ({rate:.4f} a day), in the lumps "
            "they started with."
        )
    return None
