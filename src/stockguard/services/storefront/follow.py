"""Keep availability rows in step inside the unit of work that changed their inputs.

Movements: constant work per level touched (one row read, its state recomputed from
stored columns, one row written). A level without a row at a sellable location gets
one, with no promise until the next refresh. Purchase orders touched and shipments
reported delayed: the lines' SKU x location are re-promised (a few indexed reads each)
and a ``RestockPromiseChanged`` event is recorded when the date moved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from stockguard.domain import events, stock
from stockguard.services.storefront import promise as promising
from stockguard.services.storefront.model import (
    DEFAULT_CONFIDENCE,
    DEFAULT_LOW_STOCK_THRESHOLD,
    Availability,
    state_of,
)
from stockguard.services.storefront.ports import AvailabilityRepository


def follow_levels(
    levels: Iterable[stock.StockLevel], rows: AvailabilityRepository, *, now: datetime
) -> int:
    """Bring the rows of ``levels`` in step with them; returns the rows written."""
    written = 0
    for level in levels:
        before = rows.get(level.sku, level.location)
        if before is None:
            before = _new_row(level, rows, now)
            if before is None:
                continue
        elif (before.on_hand, before.available, before.on_order) == (
            level.on_hand,
            level.available,
            level.on_order,
        ):
            continue
        arriving = max(0, before.preorder_open + level.on_order - before.on_order)
        after = dataclasses.replace(
            before,
            on_hand=level.on_hand,
            available=level.available,
            on_order=level.on_order,
            preorder_open=arriving,
            state=state_of(
                level.available,
                arriving,
                discontinued=before.discontinued,
                low_stock_threshold=before.low_stock_threshold,
            ),
            updated_at=now,
            events=[],
        )
        rows.save(after)
        written += 1
    return written


def _new_row(
    level: stock.StockLevel, rows: AvailabilityRepository, now: datetime
) -> Availability | None:
    found = rows.new_stock(level.sku, level.location)
    if found is None:
        return None
    return Availability(
        sku=level.sku,
        location=level.location,
        on_hand=-1,
        available=-1,
        on_order=0,
        preorder_open=0,
        discontinued=found.discontinued,
        low_stock_threshold=DEFAULT_LOW_STOCK_THRESHOLD,
        state=state_of(0, 0, discontinued=found.discontinued, low_stock_threshold=0),
        promise_on=None,
        promise_confidence=None,
        promise_basis=None,
        updated_at=now,
    )


def follow_unavailable(
    levels: Iterable[stock.StockLevel], rows: AvailabilityRepository, *, now: datetime
) -> int:
    """Re-promise the levels touched whose row shows a promise (out of stock or
    pre-order): their pre-order room may have changed (a pre-order placed) and a late
    purchase order's promise moves out with each day without a receipt."""
    showing = [
        (level.sku, level.location)
        for level in levels
        if (row := rows.get(level.sku, level.location)) is not None and row.shows_promise
    ]
    return repromise(showing, rows, now=now, reason="stock") if showing else 0


def repromise(
    keys: Iterable[tuple[str, str]],
    rows: AvailabilityRepository,
    *,
    now: datetime,
    reason: str,
    confidence: float = DEFAULT_CONFIDENCE,
) -> int:
    """Recompute the promises and pre-order room of ``keys`` (sku, location); returns the
    promises that moved. Each moved promise records ``RestockPromiseChanged`` on its row
    (to the outbox)."""
    wanted = sorted(set(keys))
    current = {key: row for key in wanted if (row := rows.get(*key)) is not None}
    if not current:
        return 0
    bases = rows.bases(list(current), today=now.date())
    made = promising.promise(bases, today=now.date(), confidence=confidence)
    preordered = rows.preordered(list(current))
    moved = 0
    for basis, new in zip(bases, made, strict=True):
        key = (basis.sku, basis.location)
        before = current[key]
        arriving = max(0, before.on_order - preordered.get(key, 0))
        if (before.promise_on, before.promise_basis, before.preorder_open) == (
            new.promise_on,
            new.basis,
            arriving,
        ):
            continue
        after = dataclasses.replace(
            before,
            preorder_open=arriving,
            state=state_of(
                before.available,
                arriving,
                discontinued=before.discontinued,
                low_stock_threshold=before.low_stock_threshold,
            ),
            promise_on=new.promise_on,
            promise_confidence=confidence if new.promise_on else None,
            promise_basis=new.basis,
            updated_at=now,
            events=[],
        )
        if before.promise_on != after.promise_on:
            after.events.append(change_event(before, after, reason))
            moved += 1
        rows.save(after)
    return moved


def change_event(before: Availability, after: Availability, reason: str) -> events.Event:
    return events.RestockPromiseChanged(
        sku=after.sku,
        location=after.location,
        promised_on=after.promise_on.isoformat() if after.promise_on else None,
        previous_promised_on=before.promise_on.isoformat() if before.promise_on else None,
        confidence=after.promise_confidence,
        state=after.state.value,
        reason=reason,
    )
