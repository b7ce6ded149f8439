"""Suppliers' delivery records as the lateness pmfs a restock promise rests on.

Each open purchase order is promised from ITS supplier's observed receipts (days late
= first receipt day - the PO's expected day, one value per PO line). A supplier's own
record is used once it counts ``MIN_SUPPLIER_RECEIPTS`` receipts, shrunk towards the
pooled record of every supplier (``promise.shrunk``: the pooled record plays the
prior, weighted as ``PRIOR_RECEIPTS`` pseudo-receipts); a supplier with fewer
receipts, or none, is promised from the pooled record itself. The pooled record is in
turn shrunk towards the product's default lateness by its own size, so a young shop
with a handful of receipts keeps the wide default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stockguard.services.storefront.ports import Pmf
from stockguard.services.storefront.promise import DEFAULT_DELAY_PMF, PRIOR_RECEIPTS, shrunk

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
    """Lateness pmfs by supplier code (days late; shares sum to 1).

    ``own``: suppliers with at least ``min_receipts`` receipts -> their record shrunk
    towards ``pooled``; ``pooled``: every supplier's receipts, shrunk towards the
    default (None when no receipt is known at all); ``counts``: receipts per supplier.
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

    def source(self, supplier: str | None) -> str:
        """``supplier``, ``pooled`` or ``default``: which record ``delay_pmf`` used."""
        if supplier is not None and supplier in self.own:
            return "supplier"
        return "pooled" if self.pooled is not None else "default"


def supplier_records(
    delays: Mapping[str, Sequence[int]], *, min_receipts: int = MIN_SUPPLIER_RECEIPTS
) -> SupplierRecords:
    """``SupplierRecords`` of ``delays`` (supplier -> days late of each receipt).

        pooled(d) = (N * e_all(d) + w * default(d)) / (N + w)
        own_s(d)  = (n_s * e_s(d) + w * pooled(d)) / (n_s + w)      when n_s >= min_receipts

    with ``e`` the empirical pmfs, ``N`` and ``n_s`` the receipt counts and
    ``w = PRIOR_RECEIPTS`` (20) pseudo-receipts.
    """
    if min_receipts < 1:
        raise ValueError("min_receipts must be at least 1")
    counts = {supplier: len(values) for supplier, values in delays.items() if values}
    every = [value for values in delays.values() for value in values]
    if not every:
        return SupplierRecords({}, None, {}, min_receipts)
    pooled = shrunk(empirical_pmf(every), len(every), DEFAULT_DELAY_PMF, PRIOR_RECEIPTS)
    own = {
        supplier: shrunk(empirical_pmf(delays[supplier]), n, pooled, PRIOR_RECEIPTS)
        for supplier, n in counts.items()
        if n >= min_receipts
    }
    return SupplierRecords(own, pooled, counts, min_receipts)
