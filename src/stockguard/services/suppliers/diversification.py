"""Diversification report: single-sourced SKUs, revenue at risk per supplier, second sources.

- A SKU is **single-sourced** when it was bought from one supplier only in the history
  read (or, never bought, one supplier offers it).
- **Revenue at risk** of a supplier = the sales revenue, over the window asked, of the
  SKUs single-sourced from it: what a failure of that supplier alone would put at risk.
- **Suggested second sources** for a single-sourced SKU: other suppliers with an offer for
  it (cheapest first, then fastest); when there is none, suppliers already delivering
  other SKUs of the same category (to ask for a quote), the most lines first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from stockguard.services.suppliers import sources
from stockguard.services.suppliers.model import OfferFacts, OrderLineFacts, SupplierFacts

MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class SecondSource:
    supplier: str
    basis: str
    """``offer`` (an existing offer for the SKU) or ``category`` (supplies the category)."""
    unit_cost: Decimal | None
    currency: str | None
    lead_time_days: int | None


@dataclass(frozen=True, slots=True)
class SingleSourcedSku:
    sku: str
    category: str | None
    supplier: str
    revenue: Decimal
    suggestions: tuple[SecondSource, ...]


@dataclass(frozen=True, slots=True)
class SupplierExposure:
    supplier: str
    name: str
    skus: int
    single_source_skus: int
    revenue_at_risk: Decimal
    share_of_revenue: float | None


@dataclass(frozen=True, slots=True)
class DiversificationReport:
    single_sourced: list[SingleSourcedSku]
    exposure: list[SupplierExposure]
    total_revenue: Decimal
    skus: int


@dataclass(frozen=True, slots=True)
class DiversificationInputs:
    suppliers: Sequence[SupplierFacts]
    lines: Sequence[OrderLineFacts]
    offers: Sequence[OfferFacts]
    categories: Mapping[str, str | None]
    revenue: Mapping[str, Decimal]


def diversification(inputs: DiversificationInputs) -> DiversificationReport:
    """The report (module definitions); SKUs and suppliers by revenue at risk, largest first."""
    by_sku = sources.sources_by_sku(inputs.lines, inputs.offers)
    supplied = sources.skus_by_supplier(by_sku)
    peers = _category_suppliers(inputs.lines, inputs.categories)
    offers = defaultdict(list)
    for offer in inputs.offers:
        offers[offer.sku].append(offer)
    single = [
        _single(sku, next(iter(found)), inputs, offers[sku], peers)
        for sku, found in by_sku.items()
        if len(found) == 1
    ]
    single.sort(key=lambda s: (-s.revenue, s.sku))
    total = sum(inputs.revenue.values(), Decimal(0))
    at_risk: dict[str, Decimal] = defaultdict(Decimal)
    counts: Counter[str] = Counter()
    for item in single:
        at_risk[item.supplier] += item.revenue
        counts[item.supplier] += 1
    exposure = [
        SupplierExposure(
            supplier=s.code,
            name=s.name,
            skus=len(supplied.get(s.code, [])),
            single_source_skus=counts[s.code],
            revenue_at_risk=at_risk[s.code],
            share_of_revenue=float(at_risk[s.code] / total) if total > 0 else None,
        )
        for s in inputs.suppliers
    ]
    exposure.sort(key=lambda e: (-e.revenue_at_risk, -e.single_source_skus, e.supplier))
    return DiversificationReport(single, exposure, total, len(by_sku))


def _single(
    sku: str,
    supplier: str,
    inputs: DiversificationInputs,
    offers: list[OfferFacts],
    peers: Mapping[str | None, Counter[str]],
) -> SingleSourcedSku:
    category = inputs.categories.get(sku)
    suggestions = [
        SecondSource(o.supplier, "offer", o.unit_cost, o.currency, o.lead_time_days)
        for o in sorted(offers, key=lambda o: (o.unit_cost, o.lead_time_days, o.supplier))
        if o.supplier != supplier
    ]
    if not suggestions and category is not None:
        suggestions = [
            SecondSource(peer, "category", None, None, None)
            for peer, _ in sorted(peers[category].items(), key=lambda kv: (-kv[1], kv[0]))
            if peer != supplier
        ]
    return SingleSourcedSku(
        sku=sku,
        category=category,
        supplier=supplier,
        revenue=inputs.revenue.get(sku, Decimal(0)),
        suggestions=tuple(suggestions[:MAX_SUGGESTIONS]),
    )


def _category_suppliers(
    lines: Sequence[OrderLineFacts], categories: Mapping[str, str | None]
) -> dict[str | None, Counter[str]]:
    """Category -> lines bought per supplier in it."""
    found: dict[str | None, Counter[str]] = defaultdict(Counter)
    for line in lines:
        found[categories.get(line.sku)][line.supplier] += 1
    return found
