"""Restock promises from their bases: the service side of ``planning.promise``.

Conservative by design: a promise is the ``confidence``-quantile (95% by default) of
the restock date, never its mean, so a later date that is kept beats an earlier one
that is missed. A purchase order already late is conditioned on its lateness so far
(the promise moves out as the days pass without a receipt), and a day of handling is
added for receiving and putting away. With several open purchase orders the promise is
the quantile of the earliest arrival among them (and of an order placed on the basis's
``next_order_on`` when it names one). Without a purchase order the next order is
placed on the basis's ``next_order_on`` (the stored policy's next order date:
``storefront.policy``), or a review period away (``ORDER_LAG_DAYS``) when the basis
names none. The database bases give each open purchase order ITS supplier's lateness
record (``storefront.records``: the shop's law, the pooled receipts shrunk towards
``DEFAULT_DELAY_PMF`` counted in suppliers, ADR 0029; a supplier's receipts shrunk
towards it, and from 19 receipts read as a predictive bound that keeps a share of the
shop's law, ADR 0039). Such a record comes without a receipt count and is taken as it
is; a record that states its count (``records.DEFAULT_PRIOR``, the rule before) is
shrunk here (``shrunk``).
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
order date (no risk basis yet, or a policy that foresees no order): one weekly review
period (a continuous review would order today; the promise assumes the later of the
two)."""

PRIOR_RECEIPTS = 20.0
"""Weight of the default lateness pmf, in pseudo-receipts, when a record says how many
receipts it counts (``shrunk``): 1 / (1 - 0.95) = 20, the record size from which one
receipt in the tail beyond a 95% quantile is expected; fixed a priori, not fitted to
``benchmarks/promise_calibration.py``."""

Z_HIGH = 2.0
"""Normal quantile used to turn a mean and variance into a one-point pmf (> 97.5%)."""


@dataclass(frozen=True, slots=True)
class Promise:
    promise_on: date | None
    basis: str | None


def promise(
    bases: Sequence[PromiseBasis], *, today: date, confidence: float, handling_days: float = 1.0
) -> list[Promise]:
    """One promise per basis (same order); ``None`` dates where nothing supports one.

    Each basis gives one or more sources of restock (its purchase order, its
    ``other_orders``, an order placed on ``next_order_on``); the promise is the
    ``confidence``-quantile of the earliest arrival among them
    (``quantile.earliest_restock_days``), plus ``handling_days``.
    """
    if not bases:
        return []
    sources = [_sources(basis, today) for basis in bases]
    width = max(1, *(len(found) for found, _ in sources))
    offsets = np.full((len(bases), width), np.nan)
    elapsed = np.zeros((len(bases), width))
    pmfs: list[Pmf] = []
    for i, (found, _) in enumerate(sources):
        for j, (offset, pmf, spent) in enumerate(found):
            offsets[i, j], elapsed[i, j] = offset, spent
            pmfs.append(pmf)
        pmfs.extend([] for _ in range(width - len(found)))
    support, mass = _padded(pmfs)
    days = quantile.earliest_restock_days(
        offsets,
        support.reshape(len(bases), width, -1),
        mass.reshape(len(bases), width, -1),
        confidence,
        elapsed=elapsed,
        handling_days=handling_days,
    )
    return [
        Promise(today + timedelta(days=int(d)), label) if label else Promise(None, None)
        for d, (_, label) in zip(days, sources, strict=True)
    ]


Source = tuple[float, Pmf, float]
"""(days from today to the anchor, delay pmf after it, delay already spent)."""


def _sources(basis: PromiseBasis, today: date) -> tuple[list[Source], str | None]:
    """A basis's restock sources and its label (None: nothing supports a promise)."""
    found: list[Source] = []
    if basis.expected_on is not None:
        pmf = basis.delay_pmf or _one_point(basis.delay_mean, basis.delay_var, DEFAULT_DELAY_PMF)
        if basis.delay_pmf and basis.delay_count is not None:
            pmf = shrunk(pmf, basis.delay_count, DEFAULT_DELAY_PMF)
        found.append(_order_source(basis.expected_on, pmf, today))
        for other in basis.other_orders:
            own = other.delay_pmf
            if own and other.delay_count is not None:
                own = shrunk(own, other.delay_count, DEFAULT_DELAY_PMF)
            found.append(_order_source(other.expected_on, own or pmf, today))
    has_lead = basis.lead_time_pmf is not None or basis.lead_time_mean is not None
    if has_lead and (not found or basis.next_order_on is not None):
        order_on = max(basis.next_order_on or today + timedelta(days=ORDER_LAG_DAYS), today)
        lead = basis.lead_time_pmf or _one_point(
            basis.lead_time_mean or 0.0, basis.lead_time_var, []
        )
        found.append((float((order_on - today).days), lead, 0.0))
    if basis.expected_on is not None:
        return found, f"purchase_order:{basis.purchase_order}"
    return found, "policy" if found else None


def _order_source(expected_on: date, pmf: Pmf, today: date) -> Source:
    """An open order: known not to have arrived before today, so its lateness is at
    least ``-offset`` (negative while it is not yet due: an early arrival between today
    and the expected date is still possible; an earlier one is not)."""
    offset = float((expected_on - today).days)
    return offset, pmf, -offset


def shrunk(pmf: Pmf, count: int, prior: Pmf, weight: float = PRIOR_RECEIPTS) -> Pmf:
    """A record's pmf shrunk towards ``prior`` by its size (days; shares sum to 1).

        p(d) = (n * record(d) + w * prior(d)) / (n + w)

    with ``n = count`` receipts and ``w = weight`` pseudo-receipts: a short record's 95%
    quantile, which falls short of the true one more often than not, is pulled towards
    the wide default; a long record keeps its own shape (n = 2000: 1% prior). For a
    lead time the prior is the record's median plus the default lateness.
    """
    n = max(float(count), 0.0)
    total_record = sum(share for _, share in pmf) or 1.0
    merged: dict[float, float] = {}
    for days, share in pmf:
        merged[days] = merged.get(days, 0.0) + n * share / total_record
    for days, share in prior:
        merged[days] = merged.get(days, 0.0) + weight * share
    total = sum(merged.values())
    return [[days, share / total] for days, share in sorted(merged.items())]


def _median(pmf: Pmf) -> float:
    total, seen = sum(share for _, share in pmf), 0.0
    for days, share in sorted(pmf):
        seen += share
        if seen >= total / 2:
            return days
    return 0.0


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
