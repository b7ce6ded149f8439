"""Cycle counts: the schedule by ABC class, counts recorded through the ledger, variances.

Recording a count takes two commands on the bus, tied by one idempotency key:

1. ``RecordStockCount`` (the ledger's own handler): ``on_hand`` becomes the counted units
   and the ledger records the difference as a ``count`` movement, under the level's lock;
2. ``StoreCycleCount``: reads that movement back, keeps the variance
   ``counted - expected`` (``expected = counted - movement.quantity``, the on-hand the
   ledger held) in units and at unit cost, and moves the next due date to
   ``counted day + interval of the class``.

A crash between the two leaves the ledger right; recording the same count again (same
key) replays step 1 and completes step 2. A refused count (unknown SKU or location,
negative units) is refused before step 1, so nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from stockguard.domain import commands, errors, ledger
from stockguard.services import ports
from stockguard.services.audit.commands import ScheduleCycleCounts, StoreCycleCount
from stockguard.services.audit.ports import AuditSource, CountRecord, ScheduleEntry
from stockguard.services.audit.report import audit_report
from stockguard.services.audit.settings import AuditSettings
from stockguard.services.unit_of_work import UnitOfWork

UNSCHEDULED_CLASS = "C"
"""Class given to a SKU x location counted before the schedule knew it (next sync fixes it)."""
MAX_COUNTED_BY = 120
CENTS = Decimal("0.01")


class Bus(Protocol):
    """What the audit needs of ``services.messagebus.MessageBus``."""

    def handle(self, command: commands.Command) -> Any: ...


def count_key(sku: str, location: str, counted_at: datetime) -> str:
    """Default idempotency key of a count: one count per SKU x location and instant."""
    return f"cycle-count:{sku}@{location}:{counted_at.isoformat()}"


def record_cycle_count(
    bus: Bus,
    *,
    sku: str,
    location: str,
    counted: int,
    counted_at: datetime,
    intervals: Mapping[str, int],
    counted_by: str | None = None,
    idempotency_key: str | None = None,
) -> CountRecord:
    """Record a physical count through the ledger and keep its variance (module docstring)."""
    if counted < 0:
        raise errors.InvalidQuantity(counted, "a count cannot find fewer than zero units")
    if counted_by is not None and len(counted_by) > MAX_COUNTED_BY:
        raise errors.InvalidParameter(
            "counted_by", counted_by[:20] + "...", f"must be at most {MAX_COUNTED_BY} characters"
        )
    key = idempotency_key or count_key(sku, location, counted_at)
    reference = f"cycle count by {counted_by}" if counted_by else "cycle count"
    bus.handle(
        commands.RecordStockCount(
            sku=sku,
            location=location,
            counted=counted,
            occurred_at=counted_at,
            idempotency_key=key,
            reference=reference[:120],
        )
    )
    stored = bus.handle(
        StoreCycleCount(
            sku=sku,
            location=location,
            counted=counted,
            counted_at=counted_at,
            idempotency_key=key,
            intervals=tuple(sorted(intervals.items())),
            counted_by=counted_by,
        )
    )
    assert isinstance(stored, CountRecord)
    return stored


def store_cycle_count(cmd: StoreCycleCount, uow: UnitOfWork) -> CountRecord:
    """Handler of ``StoreCycleCount``: the variance from the ledger's count movement."""
    with uow:
        existing = uow.cycle_counts.count(cmd.idempotency_key)
        if existing is not None:
            return existing
        movement = uow.ledger.find(cmd.idempotency_key)
        if movement is None or movement.kind != ledger.MovementKind.COUNT:
            raise errors.InvalidParameter(
                "idempotency_key", cmd.idempotency_key, "is not a stock count in the ledger"
            )
        product = uow.products.get(cmd.sku)
        if product is None:
            raise errors.UnknownSku(cmd.sku)
        counted = cmd.counted
        record = CountRecord(
            sku=movement.sku,
            location=movement.location,
            counted_at=movement.occurred_at,
            expected=counted - movement.quantity,
            counted=counted,
            variance_units=movement.quantity,
            unit_cost=product.unit_cost,
            variance_value=None
            if product.unit_cost is None
            else (product.unit_cost * movement.quantity).quantize(CENTS),
            currency=product.currency,
            counted_by=cmd.counted_by,
            idempotency_key=cmd.idempotency_key,
        )
        uow.cycle_counts.add_count(record)
        uow.cycle_counts.put_schedule(
            [_after_count(uow, record, dict(cmd.intervals))], now=cmd.counted_at
        )
        uow.commit()
        return record


def _after_count(uow: UnitOfWork, record: CountRecord, intervals: dict[str, int]) -> ScheduleEntry:
    found = uow.cycle_counts.schedule([(record.sku, record.location)])
    day = record.counted_at.date()
    if found:
        entry = found[0]
        return replace(
            entry, last_counted_on=day, next_due_on=day + timedelta(days=entry.interval_days)
        )
    interval = intervals[UNSCHEDULED_CLASS]
    return ScheduleEntry(
        sku=record.sku,
        location=record.location,
        abc_class=UNSCHEDULED_CLASS,
        interval_days=interval,
        last_counted_on=day,
        next_due_on=day + timedelta(days=interval),
    )


def schedule_cycle_counts(cmd: ScheduleCycleCounts, uow: UnitOfWork) -> list[ScheduleEntry]:
    """Handler of ``ScheduleCycleCounts``; returns the whole schedule after the change."""
    intervals = dict(cmd.intervals)
    with uow:
        current = {(e.sku, e.location): e for e in uow.cycle_counts.schedule()}
        changed = []
        for sku, location, abc_class in cmd.classes:
            before = current.get((sku, location))
            entry = _scheduled(before, sku, location, abc_class, intervals, cmd.today)
            if entry != before:
                changed.append(entry)
                current[(sku, location)] = entry
        if changed:
            uow.cycle_counts.put_schedule(changed, now=cmd.now)
            uow.commit()
        return sorted(current.values(), key=lambda e: (e.sku, e.location))


def _scheduled(
    entry: ScheduleEntry | None,
    sku: str,
    location: str,
    abc_class: str,
    intervals: dict[str, int],
    today: date,
) -> ScheduleEntry:
    interval = intervals[abc_class]
    if entry is None:
        return ScheduleEntry(sku, location, abc_class, interval, None, today)
    if (entry.abc_class, entry.interval_days) == (abc_class, interval):
        return entry
    due = entry.next_due_on
    if entry.last_counted_on is not None:
        due = entry.last_counted_on + timedelta(days=interval)
    return replace(entry, abc_class=abc_class, interval_days=interval, next_due_on=due)


@dataclass(frozen=True, slots=True)
class DueCount:
    """A SKU x location to count: its class, due date, last count and current on-hand."""

    sku: str
    location: str
    abc_class: str
    next_due_on: date
    last_counted_on: date | None
    on_hand: int
    overdue_days: int


def due_counts(
    schedule: Sequence[ScheduleEntry], on_hand: Mapping[tuple[str, str], int], *, on: date
) -> list[DueCount]:
    """Entries due on or before ``on``, most overdue first, then A before B before C."""
    due = [
        DueCount(
            sku=e.sku,
            location=e.location,
            abc_class=e.abc_class,
            next_due_on=e.next_due_on,
            last_counted_on=e.last_counted_on,
            on_hand=on_hand.get((e.sku, e.location), 0),
            overdue_days=(on - e.next_due_on).days,
        )
        for e in schedule
        if e.next_due_on <= on
    ]
    return sorted(due, key=lambda d: (d.next_due_on, d.abc_class, d.sku, d.location))


def counts_due(
    bus: Bus,
    history: ports.LedgerHistory,
    source: AuditSource,
    *,
    today: date,
    on: date,
    now: datetime,
    settings: AuditSettings,
) -> list[DueCount]:
    """Sync the schedule with today's ABC classes (``ScheduleCycleCounts``), then list what
    is due on or before ``on``."""
    report = audit_report(history, source, today=today, settings=settings)
    schedule = bus.handle(
        ScheduleCycleCounts(
            classes=tuple((r.sku, r.location, r.abc_class) for r in report.rows),
            intervals=tuple(sorted(settings.count_intervals.items())),
            today=today,
            now=now,
        )
    )
    on_hand = {(r.sku, r.location): r.on_hand for r in report.rows}
    return due_counts(schedule, on_hand, on=on)
