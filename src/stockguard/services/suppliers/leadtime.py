"""The fitted lead-time distribution of a supplier x SKU, for safety stock and promises.

``lead_time_distribution`` returns mean, sd, quantiles, the fitted family with its
parameters and the empirical pmf. It uses the supplier x SKU's own receipts when there
are at least ``min_receipts`` of them, else all the supplier's receipts (``basis``
says which), else None: callers then keep the offer's stated lead time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stockguard.planning.suppliers import leadtime
from stockguard.services.suppliers.kpis import LEVELS, MIN_OBSERVATIONS, lead_time_summary
from stockguard.services.suppliers.model import OrderLineFacts
from stockguard.services.suppliers.ports import SupplierHistory

MIN_RECEIPTS = 8


@dataclass(frozen=True, slots=True)
class LeadTimeDistribution:
    """Lead time in days from order to first receipt.

    ``quantiles`` are the fitted distribution's (``p50``, ``p90``, ``p95``); ``pmf[k]``
    is the share of receipts that took ``first_day + k`` days.
    """

    supplier: str
    sku: str | None
    basis: str
    observations: int
    mean: float
    std: float
    quantiles: dict[str, float]
    family: str
    parameters: dict[str, float]
    first_day: int
    pmf: tuple[float, ...]


def distribution_of(
    lines: Sequence[OrderLineFacts], *, supplier: str, sku: str | None, basis: str
) -> LeadTimeDistribution | None:
    """The distribution of the lines' lead times (None without any)."""
    days = np.array([d for line in lines if (d := line.lead_time_days) is not None], dtype=np.int64)
    if days.size == 0:
        return None
    fits = leadtime.fit_lead_times(
        lead_time_days=days.astype(np.float64),
        group=np.zeros(days.size, dtype=np.int64),
        n_groups=1,
        levels=LEVELS,
        min_observations=MIN_OBSERVATIONS,
    )
    summary = lead_time_summary(fits, 0)
    first_day, pmf = leadtime.lead_time_pmf(days)
    return LeadTimeDistribution(
        supplier=supplier,
        sku=sku,
        basis=basis,
        observations=summary.observations,
        mean=float(summary.mean or 0.0),
        std=float(summary.std or 0.0),
        quantiles=summary.fitted,
        family=summary.family,
        parameters=summary.parameters,
        first_day=first_day,
        pmf=tuple(float(p) for p in pmf),
    )


def lead_time_distribution(
    history: SupplierHistory, *, supplier: str, sku: str, min_receipts: int = MIN_RECEIPTS
) -> LeadTimeDistribution | None:
    """The supplier x SKU's distribution, else the supplier's (module docstring)."""
    lines = history.order_lines(supplier=supplier)
    own = [line for line in lines if line.sku == sku and line.lead_time_days is not None]
    if len(own) >= min_receipts:
        return distribution_of(own, supplier=supplier, sku=sku, basis="supplier_sku")
    timed = [line for line in lines if line.lead_time_days is not None]
    if len(timed) >= min_receipts:
        return distribution_of(timed, supplier=supplier, sku=None, basis="supplier")
    return None
