"""Safety stock and reorder point for normal lead-time demand, for two service measures.

Notation (Silver, Pyke & Thomas 2017, "Inventory and Production Management in Supply
Chains", 4th ed., ch. 6; Snyder & Shen 2019, "Fundamentals of Supply Chain Theory",
2nd ed., ch. 5):

* ``d``, ``sigma_d``: mean and standard deviation of demand per day (units/day);
* ``L``, ``sigma_LT``: mean and standard deviation of the lead time (days);
* ``mu_L = d L`` and ``sigma_L^2 = L sigma_d^2 + d^2 sigma_LT^2``: mean and variance of
  demand over the lead time (or over the protection interval ``L + R`` of a periodic
  review policy);
* ``s = mu_L + SS`` with ``SS = k sigma_L``: reorder point and safety stock, ``k`` the
  safety factor.

Service measures:

* **cycle service level** (SPT's P1, Snyder & Shen's type-1 service): the probability of
  no stock-out in a replenishment cycle, ``P(D_L <= s) = CSL`` so ``k = Phi^-1(CSL)``;
* **fill rate** (SPT's P2, type-2 service): the share of demand served from stock.
  The expected shortage per cycle is ``sigma_L G(k)`` with the standard normal loss
  function ``G(k) = phi(k) - k (1 - Phi(k))``; serving the share ``beta`` of the ``Q``
  units demanded per cycle means ``sigma_L G(k) = (1 - beta) Q``, so
  ``k = G^-1((1 - beta) Q / sigma_L)`` (SPT eq. 6.19 and the fill-rate section of ch. 6).

Zero variance (``sigma_L = 0``) gives zero safety stock for both measures. ``mu_L`` and
``sigma_L`` over a daily forecast come from ``forecasting.leadtime.lead_time_demand``
(``policies.compute_policies`` calls it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
from scipy import special

from stockguard.planning.inventory._arrays import BoolArray, FloatArray, as_float, check_range

_SQRT_HALF_PI = float(np.sqrt(np.pi / 2.0))
_LARGEST_SAFETY_FACTOR = 12.0
"""Upper end of the search for ``k``; G(12) is about 2e-34, far beyond any fill rate < 1."""
_FAR_LEFT = 40.0
"""Targets above this are solved as ``k = -t``: ``G(-t) = t + G(t)`` and ``G(40) < 1e-300``."""


class ServiceMeasure(IntEnum):
    """Which service target a row's ``service_level`` states."""

    CYCLE_SERVICE_LEVEL = 0
    FILL_RATE = 1


@dataclass(frozen=True, slots=True)
class SafetyStock:
    """Safety stock per row.

    Attributes:
        safety_stock: (n,) units, ``SS = s - mu_L``; 0 where demand has no variance.
        reorder_point: (n,) units, ``s = mu_L + SS``.
        safety_factor: (n,) ``k = SS / sigma_L``; 0 where ``sigma_L = 0``.
    """

    safety_stock: FloatArray
    reorder_point: FloatArray
    safety_factor: FloatArray


def normal_loss(safety_factor: Any) -> FloatArray:
    """Standard normal loss function ``G(k) = E[(Z - k)^+] = phi(k) - k (1 - Phi(k))``.

    Shape follows ``safety_factor``. For ``k > 0`` it is evaluated as
    ``phi(k) (1 - k sqrt(pi/2) erfcx(k / sqrt 2))`` to avoid cancellation in the tail.

    Example (any table of G, e.g. SPT appendix B): G(0) = 1/sqrt(2 pi) = 0.398942,
    G(1) = 0.083316, G(-k) = G(k) + k.
    """
    k = np.asarray(safety_factor, dtype=np.float64)
    density = np.exp(-0.5 * k**2) / np.sqrt(2.0 * np.pi)
    direct = density - k * special.ndtr(-k)
    positive = np.maximum(k, 0.0)
    tail = density * (1.0 - positive * _SQRT_HALF_PI * special.erfcx(positive / np.sqrt(2.0)))
    return np.asarray(np.where(k > 0, tail, direct), dtype=np.float64)


def normal_loss_inverse(expected_shortage: Any) -> FloatArray:
    """Safety factor ``k`` with ``G(k) = expected_shortage``, vectorised, shape preserved.

    ``G`` is strictly decreasing and convex, with ``G(k) > max(0, -k)``. The root is first
    bracketed in ``[-t - 1, 12]`` and narrowed by 16 bisection steps, then refined by
    Newton steps ``k += (G(k) - t) / (1 - Phi(k))`` that approach it from the left (the
    tangent of a convex decreasing function stays below it). Targets below ``G(12)`` give
    ``k = 12``; targets above 40 give ``k = -t`` (exact to double precision).

    Args:
        expected_shortage: ``t = (1 - beta) Q / sigma_L`` > 0, in units of ``sigma_L``.

    Example: G^-1(0.083316) = 1.0 (to the precision of the table value).
    """
    requested = np.asarray(expected_shortage, dtype=np.float64)
    target = np.minimum(requested, _FAR_LEFT)
    low = -target - 1.0
    high = np.full_like(target, _LARGEST_SAFETY_FACTOR)
    for _ in range(16):
        middle = 0.5 * (low + high)
        above = normal_loss(middle) >= target
        low = np.where(above, middle, low)
        high = np.where(above, high, middle)
    k = low
    for _ in range(30):
        step = (normal_loss(k) - target) / special.ndtr(-k)
        step = np.where(np.isfinite(step), np.clip(step, 0.0, high - k), 0.0)
        k = k + step
        if np.all(step <= 1e-14 * (1.0 + np.abs(k))):
            break
    return np.asarray(np.where(requested > _FAR_LEFT, -requested, k), dtype=np.float64)


def fill_rate_mask(service_measure: Any, size: int) -> BoolArray:
    """(size,) True on rows whose target is a fill rate (ServiceMeasure or int array)."""
    measure = np.broadcast_to(np.asarray(service_measure, dtype=np.int64), (size,))
    unknown = np.flatnonzero(~np.isin(measure, [int(m) for m in ServiceMeasure]))
    if unknown.size:
        raise ValueError(
            f"service_measure: row {int(unknown[0])} is {int(measure[unknown[0]])}, expected "
            f"one of {[f'{m.name}={int(m)}' for m in ServiceMeasure]}"
        )
    return np.asarray(measure == ServiceMeasure.FILL_RATE, dtype=np.bool_)


def normal_safety_stock(
    *,
    service_level: Any,
    lead_time_demand_mean: Any,
    lead_time_demand_std: Any,
    service_measure: Any = ServiceMeasure.CYCLE_SERVICE_LEVEL,
    order_quantity: Any = None,
    allow_negative: bool = False,
) -> SafetyStock:
    """Safety stock and reorder point for normal lead-time demand.

    Equations (module docstring): cycle service level ``k = Phi^-1(CSL)``; fill rate
    ``G(k) = (1 - beta) Q / sigma_L``; ``SS = k sigma_L``, ``s = mu_L + SS``. Unless
    ``allow_negative``, ``k`` is floored at 0 (a fill rate already reached without safety
    stock keeps none rather than a negative one).

    Args:
        service_level: (n,) CSL or fill rate ``beta`` in (0, 1).
        lead_time_demand_mean: (n,) ``mu_L``, units.
        lead_time_demand_std: (n,) ``sigma_L``, units.
        service_measure: a ServiceMeasure for all rows or (n,) ints.
        order_quantity: (n,) units ordered per cycle ``Q`` > 0; required for fill-rate rows
            (ignored on the others).
        allow_negative: keep negative safety factors from the fill-rate equation.

    Example (SPT ch. 6 style): mu_L = 40, sigma_L = 11.66, CSL = 0.95 gives
    k = 1.644854, SS = 19.18, s = 59.18.
    """
    mean = as_float("lead_time_demand_mean", lead_time_demand_mean)
    size = mean.size
    std = as_float("lead_time_demand_std", lead_time_demand_std, size)
    level = as_float("service_level", service_level, size)
    check_range(
        "service_level", level, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    check_range("lead_time_demand_std", std, low=0.0)
    fill = fill_rate_mask(service_measure, size)
    k = special.ndtri(level)
    if fill.any():
        if order_quantity is None:
            raise ValueError("order_quantity: required for fill-rate rows")
        quantity = as_float("order_quantity", order_quantity, size)
        check_range("order_quantity", quantity, low=0.0, low_inclusive=False, rows=fill)
        with np.errstate(divide="ignore", invalid="ignore"):
            target = np.where(std > 0, (1.0 - level) * quantity / std, 1.0)
        k = np.where(fill, normal_loss_inverse(target), k)
    if not allow_negative:
        k = np.maximum(k, 0.0)
    k = np.where(std > 0, k, 0.0)
    safety = k * std
    return SafetyStock(safety_stock=safety, reorder_point=mean + safety, safety_factor=k)
