"""Stock levels per SKU x location, kept in step with the ledger.

Vocabulary (Saleor's): ``on_hand`` physically present, ``allocated`` committed to
orders, ``reserved`` held for carts until they expire, ``on_order`` inbound on open
purchase orders, ``available = on_hand - allocated - reserved``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stockguard.domain import events, ledger


@dataclass(eq=False, slots=True)
class StockLevel:
    """Aggregate for one SKU at one location; every change goes through a movement."""

    sku: str
    location: str
    on_hand: int = 0
    allocated: int = 0
    reserved: int = 0
    on_order: int = 0
    version: int = 0
    events: list[events.Event] = field(default_factory=list, repr=False)

    @property
    def available(self) -> int:
        return self.on_hand - self.allocated - self.reserved

    def apply(self, movement: ledger.StockMovement) -> None:
        """Apply one ledger movement to ``on_hand`` and record what changed.

        Sales are recorded even when they take ``on_hand`` below zero: the sale
        happened, and the ledger must say so. Overselling is prevented earlier,
        by reservations and allocations.
        """
        was_available = self.available > 0
        self.on_hand += movement.quantity
        self.events.append(
            events.MovementRecorded(
                sku=self.sku,
                location=self.location,
                kind=movement.kind.value,
                quantity=movement.quantity,
                on_hand=self.on_hand,
                idempotency_key=movement.idempotency_key,
            )
        )
        self._record_availability_change(was_available)

    def expect(self, quantity: int) -> None:
        """Change ``on_order`` by ``quantity`` (positive when a PO is sent, negative on receipt)."""
        self.on_order = max(self.on_order + quantity, 0)

    def _record_availability_change(self, was_available: bool) -> None:
        now_available = self.available > 0
        if was_available and not now_available:
            self.events.append(events.StockedOut(self.sku, self.location, self.on_hand))
        elif now_available and not was_available:
            self.events.append(events.BackInStock(self.sku, self.location, self.available))


def count_movement_quantity(level: StockLevel, counted: int) -> int:
    """Signed quantity that brings ``on_hand`` to the ``counted`` units."""
    return counted - level.on_hand
