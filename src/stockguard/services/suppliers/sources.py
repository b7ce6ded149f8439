"""Who supplies each SKU: suppliers it was bought from, else suppliers offering it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from stockguard.services.suppliers.model import OfferFacts, OrderLineFacts


def sources_by_sku(
    lines: Sequence[OrderLineFacts], offers: Sequence[OfferFacts]
) -> dict[str, set[str]]:
    """SKU -> the suppliers it was bought from (in ``lines``); a SKU never bought gets
    the suppliers that offer it. A SKU with one source is **single-sourced**."""
    found: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        found[line.sku].add(line.supplier)
    bought = set(found)
    for offer in offers:
        if offer.sku not in bought:
            found[offer.sku].add(offer.supplier)
    return dict(found)


def skus_by_supplier(by_sku: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """Supplier -> the SKUs it is a source of (sorted)."""
    out: dict[str, list[str]] = defaultdict(list)
    for sku in sorted(by_sku):
        for supplier in by_sku[sku]:
            out[supplier].append(sku)
    return dict(out)


def spend_by_supplier_sku(
    lines: Sequence[OrderLineFacts], currency: str | None
) -> dict[tuple[str, str], float]:
    """Units ordered x unit cost per (supplier, SKU), lines in ``currency`` only."""
    spend: dict[tuple[str, str], float] = defaultdict(float)
    for line in lines:
        if line.currency == currency:
            spend[(line.supplier, line.sku)] += line.quantity * float(line.unit_cost)
    return dict(spend)
