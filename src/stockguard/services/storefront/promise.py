"""Restock promises from their bases: the service side of ``planning.promise``.

Conservative by design: a promise is the ``confidence``-quantile (95% by default) of
the restock date, never its mean, so a later date that is kept beats an earlier one
that is missed. A purchase order already late is conditioned on its lateness so far
(the promise moves out as the days pass without a receipt), and a day of handling is
added for receiving and putting away. Without a purchase order the next order is
assumed a review period away (``ORDER_LAG_DAYS``) unless the basis names its date.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray
from stockguard.planning.promise import quantile
from stockguard.services.storefront.ports import Pmf, PromiseBasis

DEFAULT_DELAY_PMF: Pmf = [[0.0, 0.5], [3.0, 0.2], [7.0, 0.15], [14.0, 0.1], [28.0, 0.05]]
"""Supplier lateness (days) assumed when nothing is known about the supplier: half on
time, one in twenty a month late; its 95% quantile is 14 days (chosen wide on purpose:
``benchmarks/promise_calibration.py`` keeps only 80% of the demo shop's promises with a
7-day tail)."""

ORDER_LAG_DAYS = 7
"""Days until the next order when a SKU has no open purchase order and no known next
order date: one weekly review period (a continuous review would order today; the
promise assumes the later of the two)."""

Z_HIGH = 2.0
"""Normal quantile used to turn a mean and variance into a one-point pmf (> 97.5%)."""


@dataclass(frozen=True, slots=True)
class Promise:
    promise_on: date | None
    basis: str | None


def promise(
    bases: Sequence[PromiseBasis], *, today: date, confidence: float, handling_days: float = 1.0
) -> list[Promise]:
    """One promise per basis (same order); ``None`` dates where nothing supports one."""
    if not bases:
        return []
    offsets, pmfs, elapsed, labels = [], [], [], []
    for basis in bases:
        offset, pmf, spent, label = _anchor(basis, today)
        offsets.append(offset)
        pmfs.append(pmf)
        elapsed.append(spent)
        labels.append(label)
    support, mass = _padded(pmfs)
    days = quantile.restock_days(
        np.asarray(offsets, dtype=float),
        support,
        mass,
        confidence,
        elapsed=np.asarray(elapsed, dtype=float),
        handling_days=handling_days,
    )
    return [
        Promise(today + timedelta(days=int(d)), label) if label else Promise(None, None)
        for d, label in zip(days, labels, strict=True)
    ]


def _anchor(basis: PromiseBasis, today: date) -> tuple[float, Pmf, float, str | None]:
    """(days to the anchor, pmf after it, delay already spent, basis label)."""
    if basis.expected_on is not None:
        offset = float((basis.expected_on - today).days)
        pmf = basis.delay_pmf or _one_point(basis.delay_mean, basis.delay_var, DEFAULT_DELAY_PMF)
        return offset, pmf, max(0.0, -offset), f"purchase_order:{basis.purchase_order}"
    if basis.lead_time_pmf is None and basis.lead_time_mean is None:
        return 0.0, [], 0.0, None
    order_on = max(basis.next_order_on or today + timedelta(days=ORDER_LAG_DAYS), today)
    pmf = basis.lead_time_pmf or _one_point(basis.lead_time_mean or 0.0, basis.lead_time_var, [])
    return float((order_on - today).days), pmf, 0.0, "policy"


def _one_point(mean: float, var: float, fallback: Pmf) -> Pmf:
    if mean == 0.0 and var == 0.0 and fallback:
        return fallback
    return [[float(math.ceil(mean + Z_HIGH * math.sqrt(max(var, 0.0)))), 1.0]]


def _padded(pmfs: list[Pmf]) -> tuple[FloatArray, FloatArray]:
    width = max(1, *(len(pmf) for pmf in pmfs))
    support = np.full((len(pmfs), width), np.nan)
    mass = np.zeros((len(pmfs), width))
    for i, pmf in enumerate(pmfs):
        for j, (days, share) in enumerate(sorted(pmf)):
            support[i, j], mass[i, j] = days, share
    return support, mass
