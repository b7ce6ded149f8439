"""Pooled demand rates for slow and never-sold SKUs (empirical Bayes, gamma-Poisson).

A SKU that sold 2 units in 27 periods has a rate estimate ``2 / 27`` that is mostly
noise: among a group of such SKUs the ones that sold nothing are estimated at 0 and the
ones that sold a lump are over-estimated (regression to the mean; docs/forecasting.md,
"Bias by velocity band"). Pooling the SKUs of a group shares their information.

**Rate of a SKU that has sold (``POOLED``).** SKU ``i`` of group ``g`` sells a Poisson
number of units per period with its own rate ``lambda_i``, and the rates of the group's
slow SKUs spread as ``Gamma(a0, b0)`` (shape, rate). After ``S_i`` units in ``n_i``
observed periods the rate is ``Gamma(a0 + S_i, b0 + n_i)``, so

    lambda_hat_i = (a0 + S_i) / (b0 + n_i)                      units per period

and the demand over ``h`` periods is negative binomial with

    E[D_h]   = h lambda_hat_i
    Var[D_h] = h lambda_hat_i + h^2 lambda_hat_i / (b0 + n_i)

(Poisson noise plus what is still unknown about the rate). The prior comes from the
group by the method of moments with unequal exposures: with ``N = sum n_i``, the pooled
rate ``m = sum S_i / N`` and the rates ``r_i = S_i / n_i`` of its ``k`` SKUs,

    E[ sum n_i (r_i - m)^2 ] = (k - 1) m + Var[lambda] (N - sum n_i^2 / N)

gives ``Var[lambda]``, and ``a0 = m^2 / Var[lambda]``, ``b0 = m / Var[lambda]``. A group
whose rates spread no more than Poisson noise (``Var[lambda] <= 0``) pools completely
(``lambda_hat = m``); a group with fewer than ``min_group_rows`` SKUs borrows the prior
of all the slow SKUs together. This is the empirical-Bayes (compound) estimator
for many slow-moving items with short histories, as in Dolgui & Pashkevich (2008),
Int. J. Production Economics 112(2), who pool the items' demand probabilities through a
beta prior; here the counts are Poisson and the prior gamma (written for this module).

**Rate of a SKU that has never sold (``LAUNCH``).** Its own record says only "not yet".
Its group's **launch rate** is read off the history: the SKUs of the group that sold
nothing in the first half of the window, and what they sold in the second half. Their
per-period demand there has raw moments

    l_j = sum y_t^j / (observed periods),   j = 1, 2, 3

over those SKUs' second-half periods (``l_1`` is the launch rate, units per period).
The never-sold SKU takes ``l_1`` as its rate, ``l_2 - l_1^2`` as its per-period
variance, and its undershoot moments ``E[U] = (l_2 - l_1) / (2 l_1)``, ``E[U^2] =
(2 l_3 - 3 l_2 + l_1) / (6 l_1)`` and dispersion ``phi = (l_2 - l_1^2) / l_1`` (the
lost-sales model's, ``lost_sales`` items 1 and 4) from the same moments: a launch comes
as a lump (a first order of several units), which is what a stock of one unit misses.
Fewer than ``min_group_rows`` such SKUs in a group: all groups' together.

**The never-sold cohort (``Launch.COHORT``, ADR 0041; off by default).** Instead of one
origin (the history's middle) and one horizon (its second half), the launch moments can
come from every origin ``t = 1 .. T - H`` of the history: the cohort ``C_t`` is the SKUs
with at least one observed period before ``t`` and no sale in any of them, and

    l_j = sum_t sum_{i in C_t} sum_{k=t}^{t+H-1} y_ik^j / (observed periods summed alike)

per group (zeros included, SKUs that stay silent included), ``H`` the lead time plus one
review period (``cohort_moments``): what the shop's not-yet-sold SKUs sold over the
interval a run plans for.

Which SKUs are pooled (``eligible_rows``): those whose history is intermittent or lumpy
(Syntetos-Boylan ADI >= 1.32, ``forecasting.classification``) or shows no sale, or
whose forecast is zero, and that have at least one observed period. Smooth and erratic
SKUs keep their forecast. A SKU without a sale takes the launch only when its forecast
is zero too (a positive forecast learnt from older history, a seasonal part, is not a
part that never sold); the others are pooled. With fewer than ``min_group_rows`` slow
SKUs in all (or silent SKUs, for the launch) there is no population to learn a prior
from, and the forecast stays. Nothing is fitted to the period being planned: the prior and
the launch moments come from the same history the SKU's own rate does.

Worked example: a group of four slow SKUs observed 10 periods each sold 0, 1, 2 and 5
units. ``m = 8 / 40 = 0.2``; ``r = (0, .1, .2, .5)``, ``sum n (r - m)^2 = 10 (0.04 +
0.01 + 0 + 0.09) = 1.4``; ``(k - 1) m = 0.6``; ``N - sum n^2 / N = 40 - 10 = 30``;
``Var[lambda] = 0.8 / 30 = 0.02667``; ``a0 = 0.04 / 0.02667 = 1.5``, ``b0 = 0.2 /
0.02667 = 7.5``. The SKU that sold 1 unit gets ``(1.5 + 1) / (7.5 + 10) = 0.1429`` a
period instead of 0.1; the one that sold 5 gets ``6.5 / 17.5 = 0.3714`` instead of 0.5;
the one that sold none ``1.5 / 17.5 = 0.0857``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from stockguard.planning.forecasting import classification
from stockguard.planning.inventory._arrays import BoolArray, FloatArray, IntArray

MIN_GROUP_ROWS = 10
"""SKUs a group needs for its own prior (and its own launch moments); fewer: all groups'."""
COMPLETE_POOLING = 1e12
"""``b0`` of a group whose rates spread no more than Poisson noise (``lambda_hat = m``)."""


class Launch(IntEnum):
    """How a never-sold SKU's launch moments are read off the history."""

    HALVES = 0
    """SKUs silent in the first half, their demand in the second (ADR 0018)."""
    COHORT = 1
    """Every origin's never-sold cohort over the next ``H`` periods (ADR 0041)."""


LAUNCH_DEFAULT = Launch.HALVES
"""The launch estimator ``pooled_rates`` uses unless told (ADR 0041 decides)."""


class RateSource(IntEnum):
    """Where a row's demand rate comes from."""

    FORECAST = 0
    """Its own forecast (smooth or erratic demand, or no observed period)."""
    POOLED = 1
    """Its own sales shrunk toward its group's (gamma-Poisson posterior)."""
    LAUNCH = 2
    """It never sold: its group's launch rate and launch lumps."""


@dataclass(frozen=True, slots=True)
class GammaPrior:
    """Per group (n_groups,): the gamma prior of the slow SKUs' rates.

    Attributes:
        shape: ``a0`` >= 0; rate: ``b0`` > 0 (periods); ``mean = a0 / b0`` units per period.
        rows: SKUs the group's own figures rest on (0: it borrows all groups').
        total_rows: SKUs of all groups together (fewer than ``min_group_rows``: no
            prior is usable, ``pooled_rates`` keeps the forecast).
    """

    shape: FloatArray
    rate: FloatArray
    rows: IntArray
    total_rows: int = 0

    @property
    def mean(self) -> FloatArray:
        return np.asarray(self.shape / self.rate, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class LaunchMoments:
    """Per group (n_groups,): raw moments of a launching SKU's demand per period.

    Attributes:
        m1, m2, m3: ``l_1`` (the launch rate, units per period), ``l_2``, ``l_3``.
        rows: SKUs silent in the first half the group's figures rest on (0: borrowed).
        total_rows: silent SKUs of all groups together (fewer than ``min_group_rows``:
            no launch is known, ``pooled_rates`` does not use them).
    """

    m1: FloatArray
    m2: FloatArray
    m3: FloatArray
    rows: IntArray
    total_rows: int = 0


@dataclass(frozen=True, slots=True)
class PooledRates:
    """Per row (n,): the demand rate the policy uses and where it comes from.

    Attributes:
        source: ``RateSource`` per row.
        rate: units per period (the forecast's mean over its horizon on FORECAST rows).
        variance: per-period variance on POOLED and LAUNCH rows (for ``h`` periods of
            POOLED rows: ``lambda_hat (1 + h / (b0 + n))``, so ``h`` of them add up to
            the predictive ``Var[D_h]``); NaN on FORECAST rows.
        units, periods: ``S_i`` and ``n_i``, the row's own sales and observed periods.
        group_rate: the prior mean ``a0 / b0`` of the row's group (its launch rate on
            LAUNCH rows), units per period.
        undershoot_mean, undershoot_variance, dispersion: the lost-sales model's terms
            from the launch moments on LAUNCH rows; NaN elsewhere (the row's own history).
    """

    source: IntArray
    rate: FloatArray
    variance: FloatArray
    units: FloatArray
    periods: FloatArray
    group_rate: FloatArray
    undershoot_mean: FloatArray
    undershoot_variance: FloatArray
    dispersion: FloatArray

    @property
    def history_terms(self) -> FloatArray:
        """(n, 3) undershoot mean, variance and dispersion; NaN rows: own history."""
        return np.stack([self.undershoot_mean, self.undershoot_variance, self.dispersion], 1)


def gamma_prior(
    *, units: Any, periods: Any, group: Any, n_groups: int, min_group_rows: int = MIN_GROUP_ROWS
) -> GammaPrior:
    """Method-of-moments gamma prior of each group's rates (module docstring).

    Args:
        units: (k,) ``S_i`` units sold by the group members, >= 0.
        periods: (k,) ``n_i`` observed periods, > 0.
        group: (k,) int group index in ``[0, n_groups)``.
        n_groups: number of groups.
        min_group_rows: members a group needs for its own prior.

    Returns: GammaPrior per group; groups with fewer members take the prior of all.

    Example: the module docstring's group (0, 1, 2, 5 units in 10 periods each):
    ``a0 = 1.5``, ``b0 = 7.5``.
    """
    total = np.asarray(units, dtype=np.float64).reshape(-1)
    exposure = np.asarray(periods, dtype=np.float64).reshape(-1)
    member = np.asarray(group, dtype=np.int64).reshape(-1)
    if total.shape != exposure.shape or total.shape != member.shape:
        raise ValueError("units, periods, group: expected the same shape (k,)")
    if np.any(~(exposure > 0)) or np.any(~(total >= 0)):
        raise ValueError("units >= 0 and periods > 0 expected for every member")
    count = np.bincount(member, minlength=n_groups).astype(np.int64)
    sums = np.bincount(member, total, n_groups).astype(np.float64)
    exposures = np.bincount(member, exposure, n_groups).astype(np.float64)
    squares = np.bincount(member, exposure**2, n_groups).astype(np.float64)
    shape, rate = _moments_prior(total, exposure, member, count, sums, exposures, squares)
    all_shape, all_rate = _moments_prior(
        total,
        exposure,
        np.zeros_like(member),
        np.full(1, member.size, dtype=np.int64),
        np.full(1, total.sum(), dtype=np.float64),
        np.full(1, exposure.sum(), dtype=np.float64),
        np.full(1, (exposure**2).sum(), dtype=np.float64),
    )
    own = count >= min_group_rows
    return GammaPrior(
        shape=np.where(own, shape, all_shape[0]),
        rate=np.where(own, rate, all_rate[0]),
        rows=np.where(own, count, 0),
        total_rows=int(member.size),
    )


def _moments_prior(
    total: FloatArray,
    exposure: FloatArray,
    member: IntArray,
    count: IntArray,
    sums: FloatArray,
    exposures: FloatArray,
    squares: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """(a0, b0) per group from its members (module docstring's moment equation)."""
    n_groups = count.size
    safe_exposure = np.where(exposures > 0, exposures, 1.0)
    pooled = sums / safe_exposure
    deviation = exposure * (total / exposure - pooled[member]) ** 2
    spread = np.bincount(member, deviation, n_groups)
    denominator = exposures - squares / safe_exposure
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (spread - (count - 1) * pooled) / denominator
    heterogeneous = (count >= 2) & (denominator > 0) & (between > 0) & (pooled > 0)
    safe_between = np.where(heterogeneous, between, 1.0)
    rate = np.where(heterogeneous, pooled / safe_between, COMPLETE_POOLING)
    shape = np.where(heterogeneous, pooled**2 / safe_between, pooled * COMPLETE_POOLING)
    return np.asarray(shape, np.float64), np.asarray(rate, np.float64)


def launch_moments(
    *, sales: Any, group: Any, n_groups: int, min_group_rows: int = MIN_GROUP_ROWS
) -> LaunchMoments:
    """Raw moments of demand per period of the SKUs that were silent in the first half
    of ``sales`` and then had their chance to launch, per group (module docstring).

    Args:
        sales: (n, n_periods) units per period, NaN where not observed.
        group: (n,) int group index in ``[0, n_groups)``.
        n_groups: number of groups.
        min_group_rows: silent SKUs a group needs for its own moments.

    Returns: LaunchMoments per group (all 0 where no SKU was silent anywhere).

    Example: 20 SKUs silent for 5 periods, one of which then sells 3 units in one of
    the next 5 periods: ``l_1 = 3 / 100``, ``l_2 = 9 / 100``, ``l_3 = 27 / 100``.
    """
    values = np.asarray(sales, dtype=np.float64)
    member = np.asarray(group, dtype=np.int64).reshape(-1)
    if values.ndim != 2 or member.shape != (values.shape[0],):
        raise ValueError("sales (n, n_periods) and group (n,) expected")
    half = values.shape[1] // 2
    first, second = values[:, :half], values[:, half:]
    first_seen = np.isfinite(first)
    silent = (np.where(first_seen, first, 0.0).sum(axis=1) == 0) & first_seen.any(axis=1)
    rows = np.flatnonzero(silent)
    seen = np.isfinite(second[rows])
    y = np.where(seen, second[rows], 0.0)
    squares = y * y
    sums = (y.sum(axis=1), squares.sum(axis=1), np.einsum("ij,ij->i", squares, y))
    chosen = member[rows]
    periods = np.bincount(chosen, seen.sum(axis=1), n_groups)
    powers = [np.bincount(chosen, total, n_groups) for total in sums]
    count = np.bincount(chosen, seen.any(axis=1), n_groups).astype(np.int64)
    return _group_moments(periods, powers, count, min_group_rows)


def cohort_moments(
    *,
    sales: Any,
    group: Any,
    n_groups: int,
    horizon: int,
    min_group_rows: int = MIN_GROUP_ROWS,
) -> LaunchMoments:
    """Raw moments of demand per period of the never-sold cohorts over the next
    ``horizon`` periods, pooled over every origin, per group (module docstring, ADR 0041).

    Row ``i`` (first observed period ``o_i``, first sale ``f_i``, ``T`` if none) is in the
    cohort of origin ``t`` for ``lo_i = max(o_i + 1, 1) <= t <= hi_i = min(f_i, T - H)``;
    its period ``k`` then counts ``w_ik = max(0, min(hi_i, k) - max(lo_i, k - H + 1) + 1)``
    times and

        l_j(g) = sum_{i in g, k observed} w_ik y_ik^j / sum_{i in g, k observed} w_ik

    Args:
        sales: (n, T) units per period, NaN where not observed.
        group: (n,) int group index in ``[0, n_groups)``.
        n_groups: number of groups.
        horizon: ``H`` >= 1 periods after each origin.
        min_group_rows: distinct cohort rows a group needs for its own moments; fewer:
            all groups' together.

    Returns: LaunchMoments per group (``rows``: distinct rows in the group's cohorts, 0
    where borrowed; all 0 where no origin has a cohort).

    Example: 10 rows observed 4 periods, ``H = 2``; nine never sell and one sells 3 units
    in period 2. Origins 1 and 2; the seller is in both cohorts (silent before 1 and 2),
    so its period 2 counts twice (``w = 2``), its periods 1 and 3 once: ``l_1 = 6 / 40``.
    """
    values = np.asarray(sales, dtype=np.float64)
    member = np.asarray(group, dtype=np.int64).reshape(-1)
    if values.ndim != 2 or member.shape != (values.shape[0],):
        raise ValueError("sales (n, n_periods) and group (n,) expected")
    if horizon < 1:
        raise ValueError("horizon: expected at least 1 period")
    n_periods = values.shape[1]
    seen = np.isfinite(values)
    with np.errstate(invalid="ignore"):
        sold = values > 0
    first_sale = np.where(sold.any(axis=1), np.argmax(sold, axis=1), n_periods)
    first_seen = np.where(seen.any(axis=1), np.argmax(seen, axis=1), n_periods)
    low = np.maximum(first_seen + 1, 1)
    high = np.minimum(first_sale, n_periods - horizon)
    rows = np.flatnonzero(low <= high)
    k = np.arange(n_periods)[None, :]
    lo, hi = low[rows, None], high[rows, None]
    weight = np.maximum(np.minimum(hi, k) - np.maximum(lo, k - horizon + 1) + 1, 0)
    weight = np.where(seen[rows], weight, 0).astype(np.float64)
    y = np.where(seen[rows], values[rows], 0.0)
    chosen = member[rows]
    periods = np.bincount(chosen, weight.sum(axis=1), n_groups)
    wy = weight * y
    powers = [
        np.bincount(chosen, total, n_groups)
        for total in (wy.sum(axis=1), (wy * y).sum(axis=1), (wy * y * y).sum(axis=1))
    ]
    count = np.bincount(chosen, weight.sum(axis=1) > 0, n_groups).astype(np.int64)
    return _group_moments(periods, powers, count, min_group_rows)


def cohort_horizon(lead_time_mean: Any) -> int:
    """``H = ceil(mean E[L]) + 1`` periods: the rows' lead time (at least 1) plus one
    review period, the interval a never-sold row's order covers (ADR 0041)."""
    lead = np.maximum(np.asarray(lead_time_mean, dtype=np.float64).reshape(-1), 1.0)
    return int(np.ceil(lead.mean())) + 1 if lead.size else 2


def eligible_rows(*, sales: Any, forecast_rate: Any) -> BoolArray:
    """(n,) rows whose rate is pooled: intermittent, lumpy or no sale in ``sales`` (or a
    zero forecast), with at least one observed period (module docstring)."""
    values = np.asarray(sales, dtype=np.float64)
    rate = np.asarray(forecast_rate, dtype=np.float64).reshape(-1)
    slow = ~(demand_interval(values) < classification.ADI_CUTOFF) | ~(rate > 0)
    return np.asarray(slow & np.isfinite(values).any(axis=1), dtype=np.bool_)


def demand_interval(sales: Any) -> FloatArray:
    """(n,) ADI = observed periods through the last sale / periods with a sale (NaN
    without a sale): ``classification.classify_demand``'s, without the size CV^2 the
    choice here does not need (intermittent and lumpy are both ADI >= 1.32).

    Example: 0, 3, NaN, 0, 2, 0 -> 4 observed periods through the last sale, 2 sales:
    ADI = 2.
    """
    values = np.asarray(sales, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        sold = values > 0
    n_sold = sold.sum(axis=1)
    last = values.shape[1] - 1 - np.argmax(sold[:, ::-1], axis=1)
    after = np.isfinite(values) & (np.arange(values.shape[1])[None, :] > last[:, None])
    through = np.isfinite(values).sum(axis=1) - after.sum(axis=1)
    safe = np.maximum(n_sold, 1)
    return np.asarray(np.where(n_sold > 0, through / safe, np.nan), dtype=np.float64)


def pooled_rates(
    *,
    sales: Any,
    group: Any,
    forecast_rate: Any,
    horizon: Any,
    min_group_rows: int = MIN_GROUP_ROWS,
    shrink_forecast: bool = False,
    launch: Launch = LAUNCH_DEFAULT,
    launch_horizon: int = 2,
) -> PooledRates:
    """Each row's demand rate: pooled, launch or its forecast's (module docstring).

    Args:
        sales: (n, n_periods) units per period before now, NaN where not observed.
        group: (n,) int >= 0, the row's group (category; one group for all is fine).
        forecast_rate: (n,) the forecast's mean units per period (over the lead time).
        horizon: (n,) periods ``h`` the pooled variance is spread over (the lead time's
            protection interval), >= 0.
        min_group_rows: members a group needs for its own prior and launch moments.
        shrink_forecast: the posterior in its credibility form ``lambda_hat = w r + (1 -
            w) a0 / b0``, ``w = n_i / (b0 + n_i)``, with the forecast's rate as ``r``
            instead of ``S_i / n_i`` (the same weights; a SKU with much history keeps
            its forecast, trend and season included).
        launch: the launch moments' estimator (``Launch``; COHORT: ``cohort_moments``).
        launch_horizon: ``H`` of the cohort, periods (``cohort_horizon``).

    Returns: PooledRates.
    """
    values = np.asarray(sales, dtype=np.float64)
    rate = np.asarray(forecast_rate, dtype=np.float64).reshape(-1)
    h = np.maximum(np.asarray(horizon, dtype=np.float64).reshape(-1), 0.0)
    member = np.asarray(group, dtype=np.int64).reshape(-1)
    n_rows = values.shape[0] if values.ndim == 2 else -1
    if rate.shape != (n_rows,) or member.shape != (n_rows,) or h.shape != (n_rows,):
        raise ValueError("sales (n, n_periods), group, forecast_rate, horizon (n,) expected")
    if np.any(member < 0):
        raise ValueError("group: expected indices >= 0")
    n_groups = int(member.max()) + 1 if n_rows else 0
    seen = np.isfinite(values)
    units = np.where(seen, values, 0.0).sum(axis=1)
    periods = seen.sum(axis=1).astype(np.float64)
    chosen = eligible_rows(sales=values, forecast_rate=rate)
    prior = gamma_prior(
        units=units[chosen],
        periods=periods[chosen],
        group=member[chosen],
        n_groups=n_groups,
        min_group_rows=min_group_rows,
    )
    if launch == Launch.COHORT:
        moments = cohort_moments(
            sales=values,
            group=member,
            n_groups=n_groups,
            horizon=launch_horizon,
            min_group_rows=min_group_rows,
        )
    else:
        moments = launch_moments(
            sales=values, group=member, n_groups=n_groups, min_group_rows=min_group_rows
        )
    return apply_priors(
        sales=values,
        forecast_rate=rate,
        horizon=h,
        shape=prior.shape[member],
        rate_b0=prior.rate[member],
        launch=(moments.m1[member], moments.m2[member], moments.m3[member]),
        may_pool=bool(prior.total_rows >= min_group_rows),
        may_launch=bool(moments.total_rows >= min_group_rows),
        shrink_forecast=shrink_forecast,
    )


def apply_priors(
    *,
    sales: Any,
    forecast_rate: Any,
    horizon: Any,
    shape: Any,
    rate_b0: Any,
    launch: tuple[Any, Any, Any],
    may_pool: bool,
    may_launch: bool,
    shrink_forecast: bool = False,
) -> PooledRates:
    """Each row's rate from its group's figures, already looked up per row (the second
    half of ``pooled_rates``; a one-SKU computation calls it with a stored run's figures).

    Args:
        sales: (n, n_periods) units per period, NaN where not observed.
        forecast_rate: (n,) units per period; horizon: (n,) periods, >= 0.
        shape, rate_b0: (n,) the row's group prior ``a0`` >= 0 and ``b0`` > 0 (periods).
        launch: (n,) each, the group's launch moments ``l_1, l_2, l_3`` per period.
        may_pool, may_launch: whether the run had enough slow / silent rows to pool or to
            launch at all (``MIN_GROUP_ROWS``).
        shrink_forecast: the credibility form (``pooled_rates``).

    Equations (module docstring): launch rows (slow, no sale, no positive forecast) take
    ``l_1`` with variance ``l_2 - l_1^2``; pooled rows ``lambda_hat = (a0 + S) / (b0 + n)``
    (or ``w r + (1 - w) a0 / b0``, ``w = n / (b0 + n)``) with variance
    ``lambda_hat (1 + h / (b0 + n))``; other rows keep their forecast.
    """
    values = np.asarray(sales, dtype=np.float64)
    rate = np.asarray(forecast_rate, dtype=np.float64).reshape(-1)
    h = np.maximum(np.asarray(horizon, dtype=np.float64).reshape(-1), 0.0)
    a0 = np.asarray(shape, dtype=np.float64).reshape(-1)
    b0 = np.asarray(rate_b0, dtype=np.float64).reshape(-1)
    l1, l2, l3 = (np.asarray(m, dtype=np.float64).reshape(-1) for m in launch)
    seen = np.isfinite(values)
    units = np.where(seen, values, 0.0).sum(axis=1)
    periods = seen.sum(axis=1).astype(np.float64)
    chosen = eligible_rows(sales=values, forecast_rate=rate)
    launched = chosen & (units == 0) & ~(rate > 0) & may_launch
    pooled = chosen & ~launched & may_pool
    group_mean = a0 / b0
    posterior = (a0 + units) / (b0 + periods)
    if shrink_forecast:
        weight = periods / (b0 + periods)
        posterior = weight * np.maximum(rate, 0.0) + (1.0 - weight) * group_mean
    under_mean, under_variance, phi = launch_terms(l1, l2, l3)
    source = np.where(launched, RateSource.LAUNCH, np.where(pooled, RateSource.POOLED, 0))
    nan = np.full(rate.size, np.nan)
    return PooledRates(
        source=source.astype(np.int64),
        rate=np.where(launched, l1, np.where(pooled, posterior, rate)),
        variance=np.where(
            launched,
            np.maximum(l2 - l1**2, 0.0),
            np.where(pooled, posterior * (1 + h / (b0 + periods)), nan),
        ),
        units=units,
        periods=periods,
        group_rate=np.where(launched, l1, group_mean),
        undershoot_mean=np.where(launched, under_mean, nan),
        undershoot_variance=np.where(launched, under_variance, nan),
        dispersion=np.where(launched, phi, nan),
    )


def launch_terms(
    m1: FloatArray, m2: FloatArray, m3: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Undershoot mean ``E[U] = (m2 - m1) / (2 m1)``, variance ``E[U^2] - E[U]^2`` with
    ``E[U^2] = (2 m3 - 3 m2 + m1) / (6 m1)``, and dispersion ``phi = (m2 - m1^2) / m1``
    from raw moments per period, all (n,) (0, 0, 1 without demand);
    ``lost_sales.undershoot_moments`` on moments instead of sales."""
    safe = np.where(m1 > 0, m1, 1.0)
    mean = np.where(m1 > 0, np.maximum((m2 - m1) / (2.0 * safe), 0.0), 0.0)
    second = np.where(m1 > 0, (2.0 * m3 - 3.0 * m2 + m1) / (6.0 * safe), 0.0)
    phi = np.where(m1 > 0, np.maximum(m2 - m1**2, 0.0) / safe, 1.0)
    return mean, np.maximum(second - mean**2, 0.0), phi


def _group_moments(
    periods: Any, powers: list[Any], count: IntArray, min_group_rows: int
) -> LaunchMoments:
    """Per group ``g`` the raw moments ``m_k = P_k[g] / periods[g]`` (``powers`` = the
    sums ``P_1, P_2, P_3`` of ``y, y^2, y^3`` over the group's counted periods), for a
    group with at least ``min_group_rows`` rows and a counted period; the others read
    the moments pooled over every group, ``sum_g P_k / sum_g periods``. Arrays (G,)."""
    all_periods = max(float(periods.sum()), 1.0)
    own = (count >= min_group_rows) & (periods > 0)
    moments = [
        np.where(own, p / np.where(periods > 0, periods, 1.0), p.sum() / all_periods)
        for p in powers
    ]
    return LaunchMoments(
        m1=moments[0],
        m2=moments[1],
        m3=moments[2],
        rows=np.where(own, count, 0),
        total_rows=int(count.sum()),
    )
