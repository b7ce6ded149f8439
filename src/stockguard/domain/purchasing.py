"""Purchase orders: what was ordered from a supplier, when it is expected, what arrived."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from stockguard.domain import errors, events


class PurchaseOrderStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CANCELLED = "cancelled"


_S = PurchaseOrderStatus
ALLOWED_TRANSITIONS: dict[PurchaseOrderStatus, frozenset[PurchaseOrderStatus]] = {
    _S.DRAFT: frozenset({_S.SENT, _S.CANCELLED}),
    _S.SENT: frozenset({_S.CONFIRMED, _S.SHIPPED, _S.RECEIVED, _S.CANCELLED}),
    _S.CONFIRMED: frozenset({_S.SHIPPED, _S.RECEIVED, _S.CANCELLED}),
    _S.SHIPPED: frozenset({_S.RECEIVED}),
    _S.RECEIVED: frozenset(),
    _S.CANCELLED: frozenset(),
}
OPEN_STATUSES = frozenset({_S.SENT, _S.CONFIRMED, _S.SHIPPED})
"""Statuses whose outstanding quantities count as ``on_order``."""


@dataclass(eq=False, slots=True)
class PurchaseOrderLine:
    sku: str
    quantity: int
    unit_cost: Decimal
    received: int = 0
    rejected: int = 0

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise errors.InvalidQuantity(self.quantity, "a purchase order line must order units")

    @property
    def outstanding(self) -> int:
        return max(self.quantity - self.received, 0)


@dataclass(frozen=True, slots=True)
class Receipt:
    """One delivery against a PO line: ``quantity`` units arrived, ``rejected`` failed QC."""

    sku: str
    quantity: int
    rejected: int
    received_at: datetime
    idempotency_key: str


@dataclass(eq=False, slots=True)
class PurchaseOrder:
    """Aggregate: a purchase order and its lines, delivered to one location."""

    number: str
    supplier: str
    location: str
    lines: list[PurchaseOrderLine]
    status: PurchaseOrderStatus = PurchaseOrderStatus.DRAFT
    ordered_on: date | None = None
    expected_on: date | None = None
    carrier: str | None = None
    currency: str = "EUR"
    receipts: list[Receipt] = field(default_factory=list)
    version: int = 0
    events: list[events.Event] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        _refuse_duplicate_skus(self.number, self.lines)

    def replace_lines(self, lines: list[PurchaseOrderLine]) -> None:
        """Replace every line; only a draft may still change what it orders."""
        if self.status is not PurchaseOrderStatus.DRAFT:
            raise errors.InvalidTransition(
                f"Purchase order {self.number}", self.status.value, "edited (lines)"
            )
        _refuse_duplicate_skus(self.number, lines)
        self.lines = lines

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def line(self, sku: str) -> PurchaseOrderLine:
        for line in self.lines:
            if line.sku == sku:
                return line
        raise errors.UnknownSku(sku)

    def move_to(self, status: PurchaseOrderStatus) -> None:
        """Change status along the allowed transitions (draft -> sent -> ... -> received)."""
        if status is self.status:
            return
        if status not in ALLOWED_TRANSITIONS[self.status]:
            raise errors.InvalidTransition(
                f"Purchase order {self.number}", self.status.value, status.value
            )
        self.status = status
        self.events.append(events.PurchaseOrderStatusChanged(self.number, status.value))

    def receive(self, receipt: Receipt) -> None:
        """Record a delivery of ``receipt.quantity`` units against the line of its SKU.

        ``rejected`` units count as delivered but never enter stock. The PO becomes
        ``received`` when no line has anything outstanding.
        """
        sku, quantity = receipt.sku, receipt.quantity
        if not self.is_open:
            raise errors.InvalidTransition(
                f"Purchase order {self.number}", self.status.value, "received"
            )
        if quantity <= 0:
            raise errors.InvalidQuantity(quantity, "a receipt must bring units in")
        line = self.line(sku)
        if quantity > line.outstanding:
            raise errors.OverReceipt(self.number, sku, line.outstanding, quantity)
        if not 0 <= receipt.rejected <= quantity:
            raise errors.InvalidQuantity(
                receipt.rejected, "rejected units must be between 0 and the units delivered"
            )
        line.received += quantity
        line.rejected += receipt.rejected
        self.receipts.append(receipt)
        done = all(candidate.outstanding == 0 for candidate in self.lines)
        self.events.append(
            events.PurchaseOrderReceived(self.number, sku, self.location, quantity, done)
        )
        if done:
            self.move_to(PurchaseOrderStatus.RECEIVED)


def _refuse_duplicate_skus(number: str, lines: list[PurchaseOrderLine]) -> None:
    seen: set[str] = set()
    for line in lines:
        if line.sku in seen:
            raise errors.DuplicateLine(number, line.sku)
        seen.add(line.sku)
