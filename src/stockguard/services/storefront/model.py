"""The availability row of one SKU at one sellable location, and its states."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from stockguard.domain import events

DEFAULT_LOW_STOCK_THRESHOLD = 5
"""Units available at or below which a SKU shows ``low_stock`` with its count."""

DEFAULT_CONFIDENCE = 0.95
"""Probability that a restock promise is kept."""


class AvailabilityState(enum.StrEnum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"
    PREORDER = "preorder"
    DISCONTINUED = "discontinued"


COLOURS: dict[AvailabilityState, str] = {
    AvailabilityState.IN_STOCK: "green",
    AvailabilityState.LOW_STOCK: "orange",
    AvailabilityState.OUT_OF_STOCK: "red",
    AvailabilityState.PREORDER: "blue",
    AvailabilityState.DISCONTINUED: "red",
}


@dataclass(slots=True)
class Availability:
    """What the storefront shows for a SKU at a location, precomputed.

    Stock columns (units) follow every movement in its transaction; the promise (the
    date by which the SKU would be back if it is out now, kept with probability
    ``promise_confidence``) is written by a refresh and by a purchase order's change.
    ``preorder_open``: units on open purchase orders not yet promised to pre-orders.
    """

    sku: str
    location: str
    on_hand: int
    available: int
    on_order: int
    preorder_open: int
    discontinued: bool
    low_stock_threshold: int
    state: AvailabilityState
    promise_on: date | None
    promise_confidence: float | None
    promise_basis: str | None
    updated_at: datetime
    events: list[events.Event] = field(default_factory=list, repr=False)

    @property
    def count(self) -> int | None:
        """The units left, shown only when low."""
        return self.available if self.state is AvailabilityState.LOW_STOCK else None

    @property
    def colour(self) -> str:
        return COLOURS[self.state]

    @property
    def shows_promise(self) -> bool:
        return self.state in (AvailabilityState.OUT_OF_STOCK, AvailabilityState.PREORDER)


def state_of(
    available: int, preorder_open: int, *, discontinued: bool, low_stock_threshold: int
) -> AvailabilityState:
    """The state shown for ``available`` units (sellable now) and ``preorder_open`` units
    arriving and not yet promised.

    A discontinued product sells what is left (in/low stock) and then shows
    ``discontinued``; an active one with nothing available shows ``preorder`` when units
    are arriving, else ``out_of_stock``.
    """
    if available > 0:
        if available <= low_stock_threshold:
            return AvailabilityState.LOW_STOCK
        return AvailabilityState.IN_STOCK
    if discontinued:
        return AvailabilityState.DISCONTINUED
    if preorder_open > 0:
        return AvailabilityState.PREORDER
    return AvailabilityState.OUT_OF_STOCK
