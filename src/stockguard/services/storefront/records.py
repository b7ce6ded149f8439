"""Suppliers' delivery records as the lateness pmfs a restock promise rests on.

Each open purchase order is promised from ITS supplier's observed receipts (days late
= first receipt day - the PO's expected day, one value per PO line). A supplier's own
record is used once it counts ``MIN_SUPPLIER_RECEIPTS`` receipts; a supplier with fewer
receipts, or none, is promised from the pooled record of every supplier. Either comes
with its receipt count, so the promise shrinks it towards the wide default lateness
(``promise.shrunk``, 20 pseudo-receipts): conservative by design, a supplier worse than
the others is not pulled towards them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stockguard.services.storefront.ports import Pmf

MIN_SUPPLIER_RECEIPTS = 20
"""Receipts a supplier needs before its own record is used (else the pooled record).

20 = 1 / (1 - 0.95): the record size from which one receipt beyond the default 95%
quantile is expected, so a shorter record cannot show the tail the promise is about.
Fixed a priori (the same reasoning as ``promise.PRIOR_RECEIPTS``), not fitted to
``benchmarks/promise_calibration.py``."""


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
    known at all); ``counts``: receipts per supplier.
    """

    own: Mapping[str, Pmf]
    pooled: Pmf | None
    counts: Mapping[str, int]
    min_receipts: int = MIN_SUPPLIER_RECEIPTS

    def delay_pmf(self, supplier: str | None) -> Pmf | None:
        """The pmf a PO of ``supplier`` is promised from: its own record, else the
        pooled one; None when no receipt is known (the promise takes its default)."""
        if supplier is not None and supplier in self.own:
            return self.own[supplier]
        return self.pooled

    def delay_count(self, supplier: str | None) -> int | None:
        """Receipts behind ``delay_pmf(supplier)`` (the promise shrinks by it)."""
        if supplier is not None and supplier in self.own:
            return self.counts[supplier]
        return sum(self.counts.values()) if self.pooled is not None else None

    def source(self, supplier: str | None) -> str:
        """``supplier``, ``pooled`` or ``default``: which record ``delay_pmf`` used."""
        if supplier is not None and supplier in self.own:
            return "supplier"
        return "pooled" if self.pooled is not None else "default"


def supplier_records(
    delays: Mapping[str, Sequence[int]], *, min_receipts: int = MIN_SUPPLIER_RECEIPTS
) -> SupplierRecords:
    """``SupplierRecords`` of ``delays`` (supplier -> days late of each receipt):

    own_s(d)  = #{receipts of s, d late} / n_s          when n_s >= min_receipts
    pooled(d) = #{receipts, d late} / N
    """
    if min_receipts < 1:
        raise ValueError("min_receipts must be at least 1")
    counts = {supplier: len(values) for supplier, values in delays.items() if values}
    every = [value for values in delays.values() for value in values]
    if not every:
        return SupplierRecords({}, None, {}, min_receipts)
    own = {
        supplier: empirical_pmf(delays[supplier])
        for supplier, n in counts.items()
        if n >= min_receipts
    }
    return SupplierRecords(own, empirical_pmf(every), counts, min_receipts)
