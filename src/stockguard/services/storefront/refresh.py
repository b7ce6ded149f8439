"""``stockguard storefront refresh``: rebuild every availability row and its promise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stockguard.services.storefront import promise as promising
from stockguard.services.storefront.follow import change_event
from stockguard.services.storefront.model import (
    DEFAULT_CONFIDENCE,
    DEFAULT_LOW_STOCK_THRESHOLD,
    Availability,
    state_of,
)
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    rows: int
    states: dict[str, int]
    promises_changed: int


def refresh_availability(
    uow: UnitOfWork,
    *,
    now: datetime,
    low_stock_threshold: int = DEFAULT_LOW_STOCK_THRESHOLD,
    confidence: float = DEFAULT_CONFIDENCE,
) -> RefreshSummary:
    """Recompute every SKU x sellable location's row: stock, state and promise.

    A promise that moved on a row showing it (out of stock or pre-order) records a
    ``RestockPromiseChanged`` event."""
    if low_stock_threshold < 0:
        raise ValueError("the low-stock threshold must be 0 or more units")
    if not 0.5 <= confidence < 1.0:
        raise ValueError("the confidence must be between 0.5 and 1 (excluded)")
    with uow:
        rows = uow.storefront
        stock = rows.stock()
        keys = [(s.sku, s.location) for s in stock]
        bases = {(b.sku, b.location): b for b in rows.bases(keys, today=now.date())}
        made = promising.promise(
            [bases[key] for key in keys], today=now.date(), confidence=confidence
        )
        preordered = rows.preordered(keys)
        stored = rows.existing()
        fresh: list[Availability] = []
        changed = 0
        for item, new in zip(stock, made, strict=True):
            key = (item.sku, item.location)
            arriving = max(0, item.on_order - preordered.get(key, 0))
            row = Availability(
                sku=item.sku,
                location=item.location,
                on_hand=item.on_hand,
                available=item.available,
                on_order=item.on_order,
                preorder_open=arriving,
                discontinued=item.discontinued,
                low_stock_threshold=low_stock_threshold,
                state=state_of(
                    item.available,
                    arriving,
                    discontinued=item.discontinued,
                    low_stock_threshold=low_stock_threshold,
                ),
                promise_on=new.promise_on,
                promise_confidence=confidence if new.promise_on else None,
                promise_basis=new.basis,
                updated_at=now,
            )
            before = stored.get(key)
            if before is not None and row.shows_promise and before.promise_on != row.promise_on:
                row.events.append(change_event(before, row, "refresh"))
                changed += 1
            fresh.append(row)
        rows.replace(fresh)
        uow.commit()
    states: dict[str, int] = {}
    for row in fresh:
        states[row.state.value] = states.get(row.state.value, 0) + 1
    return RefreshSummary(rows=len(fresh), states=states, promises_changed=changed)
