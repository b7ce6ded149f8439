"""Repository ports the service layer needs; adapters.db implements them.

Repositories hand out plain domain objects and remember which ones they handed out, so
the unit of work can write changes and collect events on commit.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from stockguard.domain import (
    access,
    catalog,
    ledger,
    parties,
    purchasing,
    replenishment,
    sales,
    shops,
    stock,
)
from stockguard.services.suppliers.ports import SupplierHistory

FloatMatrix = npt.NDArray[np.float64]


class ProductRepository(Protocol):
    def get(self, sku: str) -> catalog.Product | None: ...
    def add(self, product: catalog.Product) -> None: ...


class ApiKeyRepository(Protocol):
    def get(self, prefix: str) -> access.ApiKey | None: ...
    def add(self, key: access.ApiKey) -> None: ...
    def list(self) -> list[access.ApiKey]: ...

    @property
    def seen(self) -> Sequence[access.ApiKey]: ...


class LocationRepository(Protocol):
    def get(self, code: str) -> catalog.Location | None: ...
    def add(self, location: catalog.Location) -> None: ...


class CarrierRepository(Protocol):
    def exists(self, code: str) -> bool: ...


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


class Entity(enum.StrEnum):
    """Tables an import can write, each identified by a natural key (see NATURAL_KEYS)."""

    PRODUCT = "product"
    LOCATION = "location"
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    SUPPLIER_OFFER = "supplier_offer"
    CARRIER = "carrier"
    SALES_ORDER = "sales_order"
    SALES_ORDER_LINE = "sales_order_line"
    PURCHASE_ORDER = "purchase_order"
    PURCHASE_ORDER_LINE = "purchase_order_line"
    PURCHASE_RECEIPT = "purchase_receipt"
    PROMOTION = "promotion"


NATURAL_KEYS: dict[Entity, tuple[str, ...]] = {
    Entity.PRODUCT: ("sku",),
    Entity.LOCATION: ("code",),
    Entity.CUSTOMER: ("external_id",),
    Entity.SUPPLIER: ("code",),
    Entity.SUPPLIER_OFFER: ("supplier", "sku"),
    Entity.CARRIER: ("code",),
    Entity.SALES_ORDER: ("number",),
    Entity.SALES_ORDER_LINE: ("order_number", "line_no"),
    Entity.PURCHASE_ORDER: ("number",),
    Entity.PURCHASE_ORDER_LINE: ("order_number", "sku"),
    Entity.PURCHASE_RECEIPT: ("idempotency_key",),
    Entity.PROMOTION: ("code",),
}


class BulkWriter(Protocol):
    """Set-based writes for imports and the demo, inside the unit of work's transaction.

    Rows are plain dicts whose keys are the entity's column names (see adapters.db.tables).
    """

    def existing_keys(self, entity: Entity, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` already exist (single-column natural keys only)."""
        ...

    def upsert(self, entity: Entity, rows: Sequence[Mapping[str, Any]]) -> int:
        """Insert rows, or update them where the natural key exists; returns rows written."""
        ...

    def record_movements(self, movements: Sequence[ledger.StockMovement]) -> int:
        """Append movements whose idempotency key is new and add their quantities to
        ``on_hand`` of the matching levels; returns how many were new."""
        ...

    def refresh_on_order(self, skus: Collection[str]) -> None:
        """Set ``on_order`` of these SKUs' levels to the outstanding units of open POs."""
        ...


@dataclass(frozen=True, slots=True)
class DailyTotal:
    """Ledger totals of one series on one UTC day: units sold and the net change of on_hand."""

    sku: str
    location: str
    day: date
    sold: int
    net_change: int


class LedgerHistory(Protocol):
    """Read-side access to the ledger, aggregated by day (no locks, no writes)."""

    def daily_totals(
        self, *, start: date, end: date, skus: Sequence[str], locations: Sequence[str]
    ) -> list[DailyTotal]:
        """Totals per series and day for ``start <= day <= end`` (empty filters = all)."""
        ...

    def balances_before(
        self, *, start: date, skus: Sequence[str], locations: Sequence[str]
    ) -> dict[tuple[str, str], int]:
        """``on_hand`` of each series at the start of ``start`` (sum of earlier movements)."""
        ...


class ShopRepository(Protocol):
    def get(self, code: str) -> shops.Shop | None: ...
    def add(self, shop: shops.Shop) -> None: ...
    def list(self) -> list[shops.Shop]: ...

    def record_delivery(
        self, shop: str, delivery_id: str, topic: shops.WebhookTopic, received_at: datetime
    ) -> bool:
        """Remember a webhook delivery in this transaction; False when it was seen before.

        Two transactions recording the same delivery at once: the later one raises
        ``ConcurrencyConflict`` (the bus retries it, and the retry sees the delivery).
        """
        ...


class SalesOrderRepository(Protocol):
    def exists(self, number: str) -> bool: ...

    def add(self, order: sales.SalesOrder, customer: parties.Customer | None = None) -> None:
        """Store the order and its lines; ``customer`` is stored first when not yet known."""
        ...


@dataclass(frozen=True, slots=True)
class PlanningRunRecord:
    """What a planning run stores about itself (its forecasts go in rows beside it)."""

    started_at: datetime
    finished_at: datetime
    seed: int
    horizon: int
    history_start_on: date
    history_end_on: date
    inputs_hash: str
    n_series: int
    status: str
    parameters: Mapping[str, Any]


class ForecastRepository(Protocol):
    def add_run(self, run: PlanningRunRecord, rows: Sequence[Mapping[str, Any]]) -> int:
        """Store ``run`` and its forecast rows in this transaction; returns the run's id.

        Rows are dicts keyed by the ``demand_forecast`` columns other than ``run_id``
        (sku, location, day, mean, p50, p80, p90, p95, p99, lower_80, lower_95,
        upper_95, model).
        """
        ...


@dataclass(frozen=True, slots=True)
class StoredForecast:
    """A run's daily forecast as (n_series, horizon) arrays of units/day, series sorted by
    (sku, location); ``p10`` and ``p90`` bound the central 80% interval."""

    run_id: int
    first_day: date
    skus: tuple[str, ...]
    locations: tuple[str, ...]
    mean: FloatMatrix
    p10: FloatMatrix
    p90: FloatMatrix


@dataclass(frozen=True, slots=True)
class PositionFacts:
    """A stock level, plus ``in_draft``: outstanding units of its draft purchase orders
    (approved proposals not yet sent, which ``on_order`` does not count yet)."""

    sku: str
    location: str
    on_hand: int
    allocated: int
    reserved: int
    on_order: int
    in_draft: int = 0


@dataclass(frozen=True, slots=True)
class ProductFacts:
    sku: str
    category: str | None
    price: Decimal
    unit_cost: Decimal | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A PO line's first receipt: ``delay_days`` = received day - expected day."""

    supplier: str
    delay_days: int


class ReplenishmentSource(Protocol):
    """What a replenishment run reads (no locks, no writes, its own short transactions)."""

    def latest_run(self) -> int | None:
        """Id of the latest completed planning run, or None."""
        ...

    def forecast(self, run_id: int) -> StoredForecast | None:
        """The run's forecast, or None when the run does not exist."""
        ...

    def positions(self) -> list[PositionFacts]: ...
    def products(self) -> list[ProductFacts]: ...
    def offers(self) -> list[parties.SupplierOffer]: ...
    def deliveries(self) -> list[Delivery]: ...
    def rules(self) -> list[replenishment.ReplenishmentRule]: ...
    def supplier_history(self) -> SupplierHistory:
        """Purchase history for supplier risk scores and observed lead times."""
        ...

    def ledger(self) -> LedgerHistory:
        """The ledger by day, for the rows' recent sales (the lost-sales fill-rate model)."""
        ...


class RuleRepository(Protocol):
    def list(self) -> list[replenishment.ReplenishmentRule]: ...

    def put(self, rule: replenishment.ReplenishmentRule) -> bool:
        """Create or replace the rule of its scope and key; True when it replaced one."""
        ...

    def remove(self, scope: replenishment.RuleScope, key: tuple[str, ...]) -> bool:
        """Delete the rule; False when there was none."""
        ...


class ProposalRepository(Protocol):
    def add(self, proposal: replenishment.ReplenishmentProposal) -> int:
        """Store the proposal with its lines and transfers; sets and returns its id."""
        ...

    def get(self, proposal_id: int) -> replenishment.ReplenishmentProposal | None:
        """The proposal with its lines, locked for update."""
        ...

    @property
    def seen(self) -> Sequence[replenishment.ReplenishmentProposal]: ...
