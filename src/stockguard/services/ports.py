"""Repository ports the service layer needs; adapters.db implements them.

Repositories hand out plain domain objects and remember which ones they handed out, so
the unit of work can write changes and collect events on commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from stockguard.domain import catalog, ledger, parties, purchasing, stock


class ProductRepository(Protocol):
    def get(self, sku: str) -> catalog.Product | None: ...
    def add(self, product: catalog.Product) -> None: ...


class LocationRepository(Protocol):
    def get(self, code: str) -> catalog.Location | None: ...
    def add(self, location: catalog.Location) -> None: ...


class SupplierRepository(Protocol):
    def get(self, code: str) -> parties.Supplier | None: ...
    def add(self, supplier: parties.Supplier) -> None: ...


class StockLevelRepository(Protocol):
    def get(self, sku: str, location: str) -> stock.StockLevel:
        """The level, locked for update; a zero level when none exists yet."""
        ...

    @property
    def seen(self) -> Sequence[stock.StockLevel]: ...


class LedgerRepository(Protocol):
    def find(self, idempotency_key: str) -> ledger.StockMovement | None: ...
    def append(self, movement: ledger.StockMovement) -> None: ...


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """What the ledger and open POs say the level should be."""

    sku: str
    location: str
    on_hand: int
    on_order: int


@dataclass(frozen=True, slots=True)
class RecordedLevel:
    sku: str
    location: str
    on_hand: int
    on_order: int


class ReconciliationSource(Protocol):
    def ledger_totals(self, skus: Sequence[str]) -> list[LedgerTotals]: ...
    def recorded_levels(self, skus: Sequence[str]) -> list[RecordedLevel]: ...


class PurchaseOrderRepository(Protocol):
    def get(self, number: str) -> purchasing.PurchaseOrder | None: ...
    def add(self, order: purchasing.PurchaseOrder) -> None: ...

    @property
    def seen(self) -> Sequence[purchasing.PurchaseOrder]: ...
