"""Safety stock for a mix of lead-time demand distributions, row by row.

Each row names the distribution of its demand over the protection interval
(``DemandDistribution``); rows are grouped by distribution and each group goes to its
vectorised kernel:

* ``NORMAL``: ``safety_stock.normal_safety_stock`` from the mean and standard deviation;
* ``POISSON``: ``discrete.poisson_safety_stock`` from the mean (variance = mean);
* ``NEGATIVE_BINOMIAL``: ``discrete.negative_binomial_safety_stock`` from mean and
  standard deviation (Poisson where the variance does not exceed the mean);
* ``EMPIRICAL``: ``empirical.empirical_safety_stock`` from samples of the demand over the
  protection interval (forecast quantiles or a bootstrap, see ``empirical``).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import numpy as np

from stockguard.planning.inventory import discrete, empirical
from stockguard.planning.inventory._arrays import FloatArray
from stockguard.planning.inventory.safety_stock import SafetyStock, normal_safety_stock


class DemandDistribution(IntEnum):
    """Model of the demand over the protection interval (lead time, plus review period)."""

    NORMAL = 0
    POISSON = 1
    NEGATIVE_BINOMIAL = 2
    EMPIRICAL = 3


def safety_stock_by_distribution(
    *,
    distribution: Any,
    service_level: FloatArray,
    service_measure: Any,
    demand_mean: FloatArray,
    demand_std: FloatArray,
    order_quantity: FloatArray,
    demand_samples: FloatArray | None = None,
    allow_negative: bool = False,
) -> SafetyStock:
    """Safety stock per row with each row's own distribution.

    Args:
        distribution: a DemandDistribution for all rows, or (n,) ints.
        service_level: (n,) CSL or fill rate in (0, 1).
        service_measure: a ServiceMeasure for all rows, or (n,) ints.
        demand_mean: (n,) mean demand over the protection interval, units.
        demand_std: (n,) its standard deviation, units.
        order_quantity: (n,) units per cycle ``Q`` > 0 (used by fill-rate rows).
        demand_samples: (n, m) samples of protection-interval demand; required when some
            row is EMPIRICAL (other rows may hold NaN).
        allow_negative: keep negative safety stock where the fill-rate equation gives it.

    Returns: SafetyStock with (n,) arrays, in row order.
    """
    size = demand_mean.size
    kinds = np.broadcast_to(np.asarray(distribution, dtype=np.int64), (size,))
    unknown = np.flatnonzero(~np.isin(kinds, [int(d) for d in DemandDistribution]))
    if unknown.size:
        raise ValueError(
            f"distribution: row {int(unknown[0])} is {int(kinds[unknown[0]])}, expected one "
            f"of {[f'{d.name}={int(d)}' for d in DemandDistribution]}"
        )
    measure = np.broadcast_to(np.asarray(service_measure, dtype=np.int64), (size,))
    parts = [np.zeros(size) for _ in range(3)]
    for kind in DemandDistribution:
        rows = np.flatnonzero(kinds == kind)
        if rows.size == 0:
            continue
        result = _one_distribution(
            kind,
            rows,
            service_level=service_level,
            service_measure=measure,
            demand_mean=demand_mean,
            demand_std=demand_std,
            order_quantity=order_quantity,
            demand_samples=demand_samples,
            allow_negative=allow_negative,
        )
        for part, values in zip(parts, _fields(result), strict=True):
            part[rows] = values
    return SafetyStock(safety_stock=parts[0], reorder_point=parts[1], safety_factor=parts[2])


def _fields(result: SafetyStock) -> tuple[FloatArray, FloatArray, FloatArray]:
    return result.safety_stock, result.reorder_point, result.safety_factor


def _one_distribution(
    kind: DemandDistribution,
    rows: Any,
    *,
    service_level: FloatArray,
    service_measure: Any,
    demand_mean: FloatArray,
    demand_std: FloatArray,
    order_quantity: FloatArray,
    demand_samples: FloatArray | None,
    allow_negative: bool,
) -> SafetyStock:
    """The kernel of one distribution on the rows ``rows``."""
    if kind is DemandDistribution.NORMAL:
        return normal_safety_stock(
            service_level=service_level[rows],
            lead_time_demand_mean=demand_mean[rows],
            lead_time_demand_std=demand_std[rows],
            service_measure=service_measure[rows],
            order_quantity=order_quantity[rows],
            allow_negative=allow_negative,
        )
    common = {
        "service_level": service_level[rows],
        "service_measure": service_measure[rows],
        "order_quantity": order_quantity[rows],
        "allow_negative": allow_negative,
    }
    if kind is DemandDistribution.POISSON:
        return discrete.poisson_safety_stock(lead_time_demand_mean=demand_mean[rows], **common)
    if kind is DemandDistribution.NEGATIVE_BINOMIAL:
        return discrete.negative_binomial_safety_stock(
            lead_time_demand_mean=demand_mean[rows],
            lead_time_demand_std=demand_std[rows],
            **common,
        )
    if demand_samples is None:
        raise ValueError("demand_samples: required when a row's distribution is EMPIRICAL")
    if demand_samples.ndim != 2 or demand_samples.shape[0] != demand_mean.size:
        raise ValueError(
            f"demand_samples: expected shape ({demand_mean.size}, n_samples), "
            f"got {demand_samples.shape}"
        )
    empty = rows[np.all(np.isnan(demand_samples[rows]), axis=1)]
    if empty.size:
        raise ValueError(f"demand_samples: row {int(empty[0])} is EMPIRICAL and has no sample")
    return empirical.empirical_safety_stock(samples=demand_samples[rows], **common)
