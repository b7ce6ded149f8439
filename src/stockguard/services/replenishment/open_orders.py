"""Open purchase orders in the supplier's lead-time record (right-censored lead times).

A planning run reads its lead-time figures from recorded deliveries. An order still open
tells something too: its lead time is at least its age so far. Left out, a record runs
short while late orders are outstanding (the late ones are exactly those not yet in it).
Here every line of a sent, confirmed or shipped purchase order without a receipt counts
as right-censored, ``L > today - ordered_on`` (and its delay ``> today - expected_on``),
where ``today`` is the last day the run's data covers (the day before the forecast's
first day). The figures are those of the Kaplan-Meier distribution over received and
open lines (``planning.inventory.censored``; an open order older than every receipt keeps
its mass at its age, a lower bound).

Only groups with at least one open line change; every other figure is the receipts-only
one, unchanged:

* **observed lead time** per supplier x SKU (``sourcing_facts``, at least
  ``MIN_RECEIPTS`` receipts): mean and std (ddof 1) from order day to first receipt;
* **delay** per supplier (``sourcing.supplier_reliability``): the KM mean ``m`` and
  plug-in variance ``v`` over received and open lines take the places of the sample's
  in its shrinkage to the prior, weighted by the ``n`` receipts (an open line is not a
  whole observation), ``delay_mean = n m / (n + w)``, ``delay_std = sqrt((n v + w
  s0^2) / (n + w))`` (with no open line: ``n m`` is the sum of delays and ``n v`` the sum
  of squares, the receipts-only figures);
* **crossing spread** per supplier (``history.crossing_by_supplier``, at least
  ``MIN_DELIVERIES`` receipts): ``sum S (1 - S)`` of the KM distribution of delays.

The on-time rate stays a share of receipts here. Which lines are open is
``services.suppliers.open_lines``'s rule, shared with the supplier KPIs and scorecards
(which also count an overdue open line late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from stockguard.planning.inventory import censored, sourcing
from stockguard.services import ports
from stockguard.services.replenishment.history import MIN_DELIVERIES
from stockguard.services.replenishment.settings import FloatArray, IntArray
from stockguard.services.suppliers import open_lines as suppliers_open_lines
from stockguard.services.suppliers import sourcing_facts as supplier_facts
from stockguard.services.suppliers.model import OrderLineFacts
from stockguard.services.suppliers.open_lines import open_lines


def censored_delays(
    deliveries: Sequence[ports.Delivery],
    lines: Sequence[OrderLineFacts],
    suppliers: dict[str, int],
    today: date,
) -> censored.CensoredLeadTimes | None:
    """Per supplier index: KM figures of delays (days past the expected day), receipts
    exact and open lines censored at ``today - expected_on`` (ddof 0); None when no
    open line of a known supplier states an expected day."""
    waiting = [
        x for x in open_lines(lines) if x.expected_on is not None and x.supplier in suppliers
    ]
    if not waiting:
        return None
    days = [d.delay_days for d in deliveries] + [
        (today - x.expected_on).days for x in waiting if x.expected_on is not None
    ]
    group = [suppliers[d.supplier] for d in deliveries] + [suppliers[x.supplier] for x in waiting]
    received = np.r_[np.ones(len(deliveries), bool), np.zeros(len(waiting), bool)]
    return censored.kaplan_meier_lead_times(
        days=np.array(days, dtype=np.float64),
        received=received,
        group=np.array(group, dtype=np.int64),
        n_groups=len(suppliers),
        ddof=0,
    )


def with_open_delays(
    reliability: sourcing.SupplierReliability, delays: censored.CensoredLeadTimes | None
) -> sourcing.SupplierReliability:
    """``reliability`` with the delay mean and std of suppliers with open lines read from
    ``delays`` (module docstring: the same shrinkage to the prior)."""
    if delays is None:
        return reliability
    changed = delays.censored > 0
    n = delays.exact.astype(np.float64)
    mean, std = sourcing.shrunk_delay(
        n, np.nan_to_num(delays.mean) * n, np.nan_to_num(delays.std) ** 2 * n
    )
    return replace(
        reliability,
        delay_mean=np.where(changed, mean, reliability.delay_mean),
        delay_std=np.where(changed, std, reliability.delay_std),
    )


def with_open_crossing(
    crossing: FloatArray, delays: censored.CensoredLeadTimes | None
) -> FloatArray:
    """(n_suppliers,) crossing spread, days: the KM one where a supplier with at least
    ``MIN_DELIVERIES`` receipts has open lines, ``crossing`` elsewhere."""
    if delays is None:
        return crossing
    changed = (delays.censored > 0) & (delays.exact >= MIN_DELIVERIES)
    return np.asarray(np.where(changed, delays.crossing, crossing), dtype=np.float64)


def with_open_lead_times(
    facts: supplier_facts.SourcingFacts, lines: Sequence[OrderLineFacts], today: date
) -> supplier_facts.SourcingFacts:
    """``facts`` with each observed supplier x SKU lead time that has open lines replaced
    by its KM mean and std (ddof 1): receipts exact (order day to first receipt), open
    lines censored at ``today - ordered_on`` (``suppliers.open_lines.open_line_figures``,
    the figures the supplier KPIs show)."""
    keys = list(facts.lead_times)
    index = {key: i for i, key in enumerate(keys)}
    if not any((x.supplier, x.sku) in index and x.ordered_on for x in open_lines(lines)):
        return facts
    kept = [x for x in lines if (x.supplier, x.sku) in index]
    group = np.array([index[(x.supplier, x.sku)] for x in kept], dtype=np.int64)
    figures = suppliers_open_lines.open_line_figures(kept, group, len(keys), today)
    lead_times = dict(facts.lead_times)
    for i in np.flatnonzero(figures.open > 0):
        before = lead_times[keys[i]]
        lead_times[keys[i]] = replace(
            before, mean=float(figures.mean[i]), std=float(np.nan_to_num(figures.std[i]))
        )
    return replace(facts, lead_times=lead_times)


@dataclass(frozen=True, slots=True)
class OpenOrderCounts:
    """Per offer (n_offers,), the record its lead time rests on, for the explanation.

    Attributes:
        receipts: int64 receipts of the supplier x SKU when its observed lead time is
            used, else the supplier's deliveries (its mean delay's record).
        open: int64 open lines counted in that figure (censored at their age).
        oldest: int64 days since the oldest of them was ordered (-1: none).
    """

    receipts: IntArray
    open: IntArray
    oldest: IntArray


def open_order_counts(
    offers: tuple[Sequence[str], Sequence[str]],
    deliveries: IntArray,
    facts: supplier_facts.SourcingFacts,
    lines: Sequence[OrderLineFacts],
    today: date,
) -> OpenOrderCounts:
    """What each offer's lead time rests on: ``offers`` = (suppliers, SKUs), aligned
    (n_offers,); ``deliveries`` the suppliers' delivery counts. An offer with an observed
    supplier x SKU lead time counts that pair's open lines with an order day (as
    ``with_open_lead_times``), any other its supplier's open lines with a promised day
    (as ``censored_delays``; none when the supplier has no delivery, since open lines
    weigh by the receipts there)."""
    by_pair: dict[tuple[str, str], list[int]] = {}
    by_supplier: dict[str, list[int]] = {}
    for x in open_lines(lines):
        if x.ordered_on is None:
            continue
        age = (today - x.ordered_on).days
        by_pair.setdefault((x.supplier, x.sku), []).append(age)
        if x.expected_on is not None:
            by_supplier.setdefault(x.supplier, []).append(age)
    receipts, counted, oldest = [], [], []
    for i, (supplier, sku) in enumerate(zip(*offers, strict=True)):
        observed = facts.lead_times.get((supplier, sku))
        ages = by_pair.get((supplier, sku), []) if observed else by_supplier.get(supplier, [])
        if not observed and not deliveries[i]:
            ages = []  # no delivery: the delay's prior alone (open lines weigh by receipts)
        receipts.append(observed.receipts if observed else int(deliveries[i]))
        counted.append(len(ages))
        oldest.append(max(ages, default=-1))
    return OpenOrderCounts(
        receipts=np.array(receipts, dtype=np.int64),
        open=np.array(counted, dtype=np.int64),
        oldest=np.array(oldest, dtype=np.int64),
    )
