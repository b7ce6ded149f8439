"""Ports of the risk area: the ``stock_risk`` rows and the extra facts a refresh reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from stockguard.services.risk.model import StockRisk


class StockRiskRepository(Protocol):
    """``stock_risk`` rows inside a unit of work.

    ``get`` reads one row (the movement path: one read, one write); ``save`` marks it
    for writing on commit; ``replace`` writes a refresh's rows (insert or update by
    (sku, location)); ``seen`` are the rows saved, whose events go to the outbox.
    """

    def get(self, sku: str, location: str) -> StockRisk | None: ...
    def save(self, risk: StockRisk) -> None: ...
    def states(self) -> dict[tuple[str, str], tuple[str, int]]:
        """(state, position) of every stored row, by (sku, location)."""
        ...

    def replace(self, rows: Sequence[StockRisk]) -> int: ...
    @property
    def seen(self) -> Sequence[StockRisk]: ...


class NoStockRisk:
    """A repository without rows (units of work that do not follow risk, e.g. fakes)."""

    seen: Sequence[StockRisk] = ()

    def get(self, sku: str, location: str) -> StockRisk | None:
        return None

    def save(self, risk: StockRisk) -> None:
        raise NotImplementedError("this unit of work stores no risk rows")

    def states(self) -> dict[tuple[str, str], tuple[str, int]]:
        return {}

    def replace(self, rows: Sequence[StockRisk]) -> int:
        raise NotImplementedError("this unit of work stores no risk rows")


@dataclass(frozen=True, slots=True)
class OpenReceipt:
    """The earliest expected receipt of open purchase orders for a SKU x location."""

    sku: str
    location: str
    expected_on: date
    supplier: str


@dataclass(frozen=True, slots=True)
class PricedProduct:
    sku: str
    category: str | None
    price: Decimal
    currency: str


class RiskInputs(Protocol):
    """Read-only facts a refresh needs beyond the replenishment source, read in short
    sessions of their own (like ``ports.ReplenishmentSource``)."""

    def open_receipts(self) -> list[OpenReceipt]:
        """Per SKU x location, the open (sent, confirmed or shipped) purchase order line
        with units still to come that is expected first; POs without a date are left out."""
        ...

    def products(self, skus: Iterable[str] | None = None) -> list[PricedProduct]: ...
