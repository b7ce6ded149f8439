"""Order lines as the arrays the ``planning.suppliers`` kernels take."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray
from stockguard.planning.suppliers import kpis as kernels
from stockguard.services.suppliers.model import OfferFacts, OrderLineFacts


@dataclass(frozen=True, slots=True)
class LineArrays:
    """(n_lines,) arrays aligned with the lines; NaN where a figure is unknown.

    ``unit_price`` and ``reference_price`` are NaN for lines in another currency than
    the one spend is counted in (those lines leave spend and price variance only).
    """

    lead_time: FloatArray
    delay: FloatArray
    ordered: FloatArray
    received: FloatArray
    rejected: FloatArray
    unit_price: FloatArray
    reference_price: FloatArray


def index_of(keys: Sequence[Hashable]) -> tuple[list[Hashable], IntArray]:
    """Distinct keys in first-seen order and each key's group index."""
    groups: dict[Hashable, int] = {}
    index = np.fromiter((groups.setdefault(k, len(groups)) for k in keys), np.int64, len(keys))
    return list(groups), index


def main_currency(lines: Sequence[OrderLineFacts]) -> str | None:
    """The currency most lines are in (ties: alphabetical), None without lines."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.currency] = counts.get(line.currency, 0) + 1
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None


def line_arrays(
    lines: Sequence[OrderLineFacts], offers: Sequence[OfferFacts], currency: str | None
) -> LineArrays:
    """Arrays of the lines; reference price = the offer's unit cost in ``currency``, else
    the SKU's quantity-weighted mean price over the lines in ``currency``."""
    same = np.array([line.currency == currency for line in lines], dtype=bool)
    price = np.array([float(line.unit_cost) for line in lines], dtype=np.float64)
    ordered = np.array([line.quantity for line in lines], dtype=np.float64)
    skus, sku_index = index_of([line.sku for line in lines])
    mean_price = kernels.weighted_mean_price(
        item=sku_index, n_items=len(skus), quantity=np.where(same, ordered, 0.0), unit_price=price
    )
    offered = {(o.supplier, o.sku): float(o.unit_cost) for o in offers if o.currency == currency}
    reference = np.array(
        [offered.get((line.supplier, line.sku), np.nan) for line in lines], dtype=np.float64
    )
    reference = np.where(np.isnan(reference), mean_price[sku_index], reference)
    return LineArrays(
        lead_time=_optional([line.lead_time_days for line in lines]),
        delay=_optional([line.delay_days for line in lines]),
        ordered=ordered,
        received=np.array([line.received for line in lines], dtype=np.float64),
        rejected=np.array([line.rejected for line in lines], dtype=np.float64),
        unit_price=np.where(same, price, np.nan),
        reference_price=np.where(same, reference, np.nan),
    )


def _optional(values: list[int | None]) -> FloatArray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
