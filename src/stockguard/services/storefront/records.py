"""Suppliers' delivery records as the lateness pmfs a restock promise rests on.

Each open purchase order is promised from ITS supplier's observed receipts (days late
= first receipt day - the PO's expected day, one value per PO line), in a three-level
hierarchy: the wide default lateness, the shop's pooled record, the supplier's own.

* A supplier with ``MIN_SUPPLIER_RECEIPTS`` receipts or more: its own record, counted
  from its ``n`` receipts.
* A supplier with fewer (a short record, ``0 < n < 20``): its own receipts blended with
  the pooled record of every supplier weighing ``POOLED_WEIGHT`` pseudo-receipts,
  ``p = (n * own + 20 * pooled) / (n + 20)``, counted from ``n + 20`` receipts: the
  pooled record says what a supplier of this shop is like, not what THIS one is like,
  so it weighs as 20 receipts of evidence and not as its total.
* A supplier without any receipt (or a PO without a supplier): the pooled record,
  counted from its total (as before the short records were blended; the alternative,
  counting it as 20 like a short record's, was compared on the held-out window of
  ``benchmarks/promise_calibration.py --window development`` and kept fewer promises
  there: 85.4% against 85.7%, pooled; docs/storefront.md).

The promise shrinks each record by its count towards the wide default (``promise.shrunk``,
20 pseudo-receipts): a short record keeps a large share of the default, a long one its
own shape; a supplier worse than the others is not pulled towards them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stockguard.services.storefront.ports import Pmf

MIN_SUPPLIER_RECEIPTS = 20
"""Receipts a supplier needs before its own record is used (else the pooled record).

20 = 1 / (1 - 0.95): the record size from which one receipt beyond the default 95%
quantile is expected, so a shorter record cannot show the tail the promise is about.
Fixed a priori (the same reasoning as ``promise.PRIOR_RECEIPTS``), not fitted to
``benchmarks/promise_calibration.py``."""


POOLED_WEIGHT = 20
"""Weight of the pooled record in a short supplier record, in pseudo-receipts: the same
1 / (1 - 0.95) = 20 as ``MIN_SUPPLIER_RECEIPTS`` (a record of 20 receipts weighs as much
as what the shop's other suppliers say), fixed a priori."""

METHOD = (
    "own record from 20 receipts; below, own receipts blended with the pooled record "
    "weighing 20 (counted n + 20); none: the pooled record (counted as its total)"
)
"""How records are made (written into ``benchmarks/promise_calibration.py``'s JSON)."""


def empirical_pmf(values: Iterable[int]) -> Pmf:
    """Shares of each distinct value: ``[[days, count / n], ...]``, days ascending.

    p(d) = #{v_i = d} / n; an empty record gives ``[]``.
    """
    counts: dict[float, int] = {}
    total = 0
    for value in values:
        counts[float(value)] = counts.get(float(value), 0) + 1
        total += 1
    return [[days, count / total] for days, count in sorted(counts.items())]


@dataclass(frozen=True, slots=True)
class SupplierRecords:
    """Lateness records by supplier code (days late; shares sum to 1).

    ``own``: suppliers with at least ``min_receipts`` receipts -> their empirical pmf;
    ``pooled``: the empirical pmf of every supplier's receipts (None when no receipt is
    known at all); ``counts``: receipts per supplier; ``short``: suppliers with fewer
    receipts -> their receipts blended with the pooled record (module docstring).
    """

    own: Mapping[str, Pmf]
    pooled: Pmf | None
    counts: Mapping[str, int]
    min_receipts: int = MIN_SUPPLIER_RECEIPTS
    short: Mapping[str, Pmf] = field(default_factory=dict)

    def delay_pmf(self, supplier: str | None) -> Pmf | None:
        """The pmf a PO of ``supplier`` is promised from: its own record, its short
        record blended with the pooled one, else the pooled one; None when no receipt is
        known (the promise takes its default)."""
        if supplier is not None and supplier in self.own:
            return self.own[supplier]
        if supplier is not None and supplier in self.short:
            return self.short[supplier]
        return self.pooled

    def delay_count(self, supplier: str | None) -> int | None:
        """Receipts behind ``delay_pmf(supplier)`` (the promise shrinks by it): the
        supplier's own ``n``, ``n + POOLED_WEIGHT`` for a short record, the pooled total
        for a supplier without receipts."""
        if supplier is not None and supplier in self.own:
            return self.counts[supplier]
        if supplier is not None and supplier in self.short:
            return self.counts[supplier] + POOLED_WEIGHT
        return sum(self.counts.values()) if self.pooled is not None else None

    def source(self, supplier: str | None) -> str:
        """``supplier``, ``blended``, ``pooled`` or ``default``: which record
        ``delay_pmf`` used."""
        if supplier is not None and supplier in self.own:
            return "supplier"
        if supplier is not None and supplier in self.short:
            return "blended"
        return "pooled" if self.pooled is not None else "default"


def supplier_records(
    delays: Mapping[str, Sequence[int]], *, min_receipts: int = MIN_SUPPLIER_RECEIPTS
) -> SupplierRecords:
    """``SupplierRecords`` of ``delays`` (supplier -> days late of each receipt):

    own_s(d)   = #{receipts of s, d late} / n_s                 when n_s >= min_receipts
    pooled(d)  = #{receipts, d late} / N
    short_s(d) = (n_s own_s(d) + w pooled(d)) / (n_s + w)      when 0 < n_s < min_receipts

    with ``w = POOLED_WEIGHT``. Example: 5 receipts all on time beside a pooled record
    with 10% at 20 days late: short = (5 x [0: 1] + 20 x [0: 0.9, 20: 0.1]) / 25
    = [0: 0.92, 20: 0.08].
    """
    if min_receipts < 1:
        raise ValueError("min_receipts must be at least 1")
    counts = {supplier: len(values) for supplier, values in delays.items() if values}
    every = [value for values in delays.values() for value in values]
    if not every:
        return SupplierRecords({}, None, {}, min_receipts)
    pooled = empirical_pmf(every)
    own = {
        supplier: empirical_pmf(delays[supplier])
        for supplier, n in counts.items()
        if n >= min_receipts
    }
    short = {
        supplier: blended(empirical_pmf(delays[supplier]), n, pooled, POOLED_WEIGHT)
        for supplier, n in counts.items()
        if n < min_receipts
    }
    return SupplierRecords(own, pooled, counts, min_receipts, short)


def blended(record: Pmf, count: int, prior: Pmf, weight: float) -> Pmf:
    """``(count * record + weight * prior) / (count + weight)`` (days; shares sum to 1)."""
    merged: dict[float, float] = {}
    for days, share in record:
        merged[days] = merged.get(days, 0.0) + count * share
    for days, share in prior:
        merged[days] = merged.get(days, 0.0) + weight * share
    total = count + weight
    return [[days, share / total] for days, share in sorted(merged.items())]
