"""History audit: stock-out periods per SKU x location, from the same mask the forecast uses.

``stockout_history`` reads the ledger panel (``services.queries.ledger_arrays``), asks
``planning.audit.stockouts`` for the mask the planning run censors with and for its
periods, and returns them as rows: start, end, days, source (``ledger`` where stock levels
exist, ``inferred`` from zero-sale runs while on sale where they don't), and the lost units
estimated by the trailing 28-day in-stock mean times the days. With ``second_opinion``
the inferred periods of series that have stock levels are listed too (source
``inferred``), to compare with the ledger's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from stockguard.planning.audit import stockouts
from stockguard.services import ports, queries


@dataclass(frozen=True, slots=True)
class StockoutPeriod:
    """One stock-out period; ``ongoing`` when it runs to the last day of the history."""

    sku: str
    location: str
    start: date
    end: date
    days: int
    source: str
    lost_units: float
    lost_revenue: Decimal | None
    ongoing: bool


def stockout_history(
    history: ports.LedgerHistory,
    *,
    today: date,
    days: int = 365,
    sku: str | None = None,
    location: str | None = None,
    second_opinion: bool = False,
    prices: Mapping[str, Decimal] | None = None,
) -> list[StockoutPeriod]:
    """Stock-out periods over the ``days`` days before ``today``, by SKU, location, start.

    ``prices`` (unit price per SKU) turns lost units into lost revenue when given.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    end = today - timedelta(days=1)
    start = today - timedelta(days=days)
    ledger = queries.ledger_arrays(
        history,
        start=start,
        end=end,
        skus=(sku,) if sku else (),
        locations=(location,) if location else (),
    )
    return periods_of(
        ledger, ledger.stockouts(), start=start, prices=prices, second_opinion=second_opinion
    )


def periods_of(
    ledger: queries.LedgerArrays,
    mask: stockouts.StockoutMask,
    *,
    start: date,
    prices: Mapping[str, Decimal] | None = None,
    second_opinion: bool = False,
) -> list[StockoutPeriod]:
    """The periods of ``mask`` over ``ledger`` (column 0 is ``start``) as rows."""
    found = stockouts.stockout_periods(
        stockouts=mask, sales=ledger.sold, second_opinion=second_opinion
    )
    last = ledger.sold.shape[1] - 1
    rows = []
    for i in range(len(found)):
        row_sku, row_location = ledger.series[int(found.series[i])]
        lost = float(found.lost_units[i])
        price = (prices or {}).get(row_sku)
        rows.append(
            StockoutPeriod(
                sku=row_sku,
                location=row_location,
                start=start + timedelta(days=int(found.start[i])),
                end=start + timedelta(days=int(found.end[i])),
                days=int(found.days[i]),
                source=stockouts.SOURCE_NAMES[int(found.source[i])],
                lost_units=round(lost, 1),
                lost_revenue=None if price is None else round(price * Decimal(str(lost)), 2),
                ongoing=int(found.end[i]) == last,
            )
        )
    return rows
