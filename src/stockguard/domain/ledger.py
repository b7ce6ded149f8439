"""The append-only stock ledger: one immutable row per stock movement.

Sign convention: ``quantity`` is the signed change of ``on_hand`` at the location.
Sales are negative, receipts and returns positive, adjustments and counts either way,
a transfer is two movements (out of the source, into the destination).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from stockguard.domain import errors


class MovementKind(enum.StrEnum):
    SALE = "sale"
    RECEIPT = "receipt"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"
    COUNT = "count"


_SIGN_RULES: dict[MovementKind, tuple[bool, bool, str]] = {
    # kind: (negative allowed, positive allowed, reason when refused)
    MovementKind.SALE: (True, False, "a sale must take stock out (negative quantity)"),
    MovementKind.RECEIPT: (False, True, "a receipt must bring stock in (positive quantity)"),
    MovementKind.RETURN: (False, True, "a return must bring stock back (positive quantity)"),
    MovementKind.ADJUSTMENT: (True, True, "an adjustment cannot be zero"),
    MovementKind.TRANSFER: (True, True, "a transfer leg cannot be zero"),
    MovementKind.COUNT: (True, True, ""),
}


@dataclass(frozen=True, slots=True)
class StockMovement:
    """One ledger row. Immutable; corrections are new movements."""

    sku: str
    location: str
    kind: MovementKind
    quantity: int
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None

    def __post_init__(self) -> None:
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware (UTC)")
        check_sign(self.kind, self.quantity)

    def same_movement_as(self, other: StockMovement) -> bool:
        """True when ``other`` carries the same facts (used to accept a replayed key)."""
        return (self.sku, self.location, self.kind, self.quantity) == (
            other.sku,
            other.location,
            other.kind,
            other.quantity,
        )


def check_sign(kind: MovementKind, quantity: int) -> None:
    """Raise InvalidQuantity when ``quantity``'s sign does not suit ``kind``.

    A count movement may be zero (the count confirmed the book quantity).
    """
    negative_ok, positive_ok, reason = _SIGN_RULES[kind]
    if quantity == 0 and kind is not MovementKind.COUNT:
        raise errors.InvalidQuantity(quantity, reason or "it cannot be zero")
    if (quantity < 0 and not negative_ok) or (quantity > 0 and not positive_ok):
        raise errors.InvalidQuantity(quantity, reason)
