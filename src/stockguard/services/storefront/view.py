"""What the storefront API answers for a SKU: its rows combined and put into words."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from stockguard.services.storefront import messages
from stockguard.services.storefront.model import (
    DEFAULT_LOW_STOCK_THRESHOLD,
    Availability,
    AvailabilityState,
    state_of,
)

ALL_LOCATIONS = "*"
"""The location of a combined row: every sellable location of the SKU."""
NEVER = datetime.min.replace(tzinfo=UTC)
"""``updated_at`` of a combined row without rows (shown as None)."""


@dataclass(frozen=True, slots=True)
class Shown:
    """One SKU's answer: state, colour, the count when low, the promise and a message."""

    sku: str
    location: str
    state: str
    colour: str
    count: int | None
    message: str
    lang: str
    promise_on: date | None
    promise_confidence: float | None
    updated_at: datetime | None


def combine(sku: str, rows: Sequence[Availability], *, discontinued: bool) -> Availability:
    """The SKU over several locations: units summed (a negative ``available`` counts 0),
    the state recomputed, and the earliest promise among the locations showing one
    (kept with at least its own confidence: the SKU is back when any location is).
    Without rows: nothing available anywhere."""
    if len(rows) == 1:
        return dataclasses.replace(rows[0], location=ALL_LOCATIONS, events=[])
    available = sum(max(0, row.available) for row in rows)
    arriving = sum(row.preorder_open for row in rows)
    threshold = max((row.low_stock_threshold for row in rows), default=DEFAULT_LOW_STOCK_THRESHOLD)
    promised = [row for row in rows if row.promise_on is not None]
    first = min(promised, key=lambda row: row.promise_on or date.max, default=None)
    return Availability(
        sku=sku,
        location=ALL_LOCATIONS,
        on_hand=sum(row.on_hand for row in rows),
        available=available,
        on_order=sum(row.on_order for row in rows),
        preorder_open=arriving,
        discontinued=discontinued,
        low_stock_threshold=threshold,
        state=state_of(
            available, arriving, discontinued=discontinued, low_stock_threshold=threshold
        ),
        promise_on=first.promise_on if first else None,
        promise_confidence=first.promise_confidence if first else None,
        promise_basis=first.promise_basis if first else None,
        updated_at=max((row.updated_at for row in rows), default=NEVER),
    )


def show(row: Availability, lang: str) -> Shown:
    """``row`` in ``lang`` (en or fr); the promise only where the SKU is not available."""
    promise_on = row.promise_on if row.shows_promise else None
    return Shown(
        sku=row.sku,
        location=row.location,
        state=row.state.value,
        colour=row.colour,
        count=row.count,
        message=messages.message(row.state, row.count, promise_on, lang),
        lang=lang,
        promise_on=promise_on,
        promise_confidence=row.promise_confidence if promise_on else None,
        updated_at=None if row.updated_at == NEVER else row.updated_at,
    )


__all__ = ["ALL_LOCATIONS", "AvailabilityState", "Shown", "combine", "show"]
