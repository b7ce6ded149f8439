"""What the audit reads and writes, as ports (the database adapters implement them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AuditPosition:
    """A stock level with its product's price, unit cost (None when unknown) and category."""

    sku: str
    location: str
    on_hand: int
    price: Decimal
    unit_cost: Decimal | None
    currency: str
    category: str | None


@dataclass(frozen=True, slots=True)
class RiskEntry:
    """A row of the risk table (``stock_risk``) that is not ``ok``."""

    sku: str
    location: str
    state: str
    on_hand: int
    days_of_cover: float | None
    projected_stockout: date | None
    probability: float
    expected_lost_units: float
    expected_lost_revenue: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """When a SKU x location is next due for a count (``interval_days`` from its class)."""

    sku: str
    location: str
    abc_class: str
    interval_days: int
    last_counted_on: date | None
    next_due_on: date


@dataclass(frozen=True, slots=True)
class CountRecord:
    """A count recorded through the ledger: ``variance_units = counted - expected``."""

    sku: str
    location: str
    counted_at: datetime
    expected: int
    counted: int
    variance_units: int
    unit_cost: Decimal | None
    variance_value: Decimal | None
    currency: str
    counted_by: str | None
    idempotency_key: str


class AuditSource(Protocol):
    """Read-only inputs of the audit (each call its own short read)."""

    def positions(self) -> list[AuditPosition]:
        """Every stock level, sorted by (sku, location)."""
        ...

    def at_risk(self, *, limit: int) -> list[RiskEntry]:
        """Risk rows not ``ok``, by expected lost revenue, highest first (empty without any)."""
        ...


class CycleCountRepository(Protocol):
    """The count schedule and the counts, inside the unit of work's transaction."""

    def schedule(self, keys: Sequence[tuple[str, str]] = ()) -> list[ScheduleEntry]:
        """Entries of ``keys`` (every entry when empty), sorted by (sku, location)."""
        ...

    def put_schedule(self, entries: Sequence[ScheduleEntry], *, now: datetime) -> None:
        """Insert or replace the entries (by sku and location)."""
        ...

    def count(self, idempotency_key: str) -> CountRecord | None: ...

    def add_count(self, record: CountRecord) -> None: ...

    def counts(self, *, since: datetime | None, sku: str | None, limit: int) -> list[CountRecord]:
        """Counts newest first."""
        ...
