"""Commands of the audit area (handled in ``services.audit.counts``, registered on the bus)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from stockguard.domain import commands


@dataclass(frozen=True, slots=True)
class ScheduleCycleCounts(commands.Command):
    """Bring the count schedule in line with the SKU x locations' ABC classes.

    ``classes``: (sku, location, "A" | "B" | "C") of every stock level; ``intervals``:
    (class, days) pairs. New entries are due ``today``; an entry whose interval changed is
    due ``interval`` days after its last count (or keeps its date when never counted).
    """

    classes: tuple[tuple[str, str, str], ...]
    intervals: tuple[tuple[str, int], ...]
    today: date
    now: datetime


@dataclass(frozen=True, slots=True)
class StoreCycleCount(commands.Command):
    """Keep the variance of a count already in the ledger (movement ``idempotency_key``)
    and move the SKU x location's next due date."""

    sku: str
    location: str
    counted: int
    counted_at: datetime
    idempotency_key: str
    intervals: tuple[tuple[str, int], ...]
    counted_by: str | None = None
