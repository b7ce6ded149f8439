"""Facts the domain records; the unit of work writes them to the outbox on commit."""

from __future__ import annotations

from dataclasses import dataclass


class Event:
    """Base class of domain events (plain dataclasses)."""


@dataclass(frozen=True, slots=True)
class MovementRecorded(Event):
    sku: str
    location: str
    kind: str
    quantity: int
    on_hand: int
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class StockedOut(Event):
    sku: str
    location: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class BackInStock(Event):
    sku: str
    location: str
    available: int


@dataclass(frozen=True, slots=True)
class PurchaseOrderStatusChanged(Event):
    number: str
    status: str


@dataclass(frozen=True, slots=True)
class PurchaseOrderReceived(Event):
    number: str
    sku: str
    location: str
    quantity: int
    fully_received: bool


@dataclass(frozen=True, slots=True)
class ReplenishmentProposed(Event):
    proposal_id: int
    run_id: int
    lines: int
    transfers: int


@dataclass(frozen=True, slots=True)
class ProposalDecided(Event):
    """A proposal was approved (its draft purchase orders named) or rejected."""

    proposal_id: int
    status: str
    purchase_orders: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class StockoutRiskRaised(Event):
    """The risk state of a SKU at a location got worse (ok -> watch -> at_risk).

    ``probability`` is P(stock-out before the next receipt), 0..1; ``projected_stockout``
    an ISO date or None; ``expected_lost_revenue`` a decimal string in the shop currency.
    """

    sku: str
    location: str
    state: str
    previous_state: str
    probability: float
    projected_stockout: str | None
    expected_lost_revenue: str


@dataclass(frozen=True, slots=True)
class RiskCleared(Event):
    """The risk state of a SKU at a location got better (back to ok or watch)."""

    sku: str
    location: str
    state: str
    previous_state: str


@dataclass(frozen=True, slots=True)
class ReorderPointCrossed(Event):
    """The inventory position fell to or below the reorder point (units)."""

    sku: str
    location: str
    position: int
    reorder_point: int


@dataclass(frozen=True, slots=True)
class PromotionAtRisk(Event):
    """A planned promotion would stock out: order ``order_quantity`` units by ``last_order_date``
    (ISO date). ``owner`` is the promotion owner's e-mail or name, if known."""

    promotion: str
    sku: str
    location: str
    projected_demand: int
    available: int
    order_quantity: int
    last_order_date: str
    owner: str | None


@dataclass(frozen=True, slots=True)
class PenaltyCharged(Event):
    """A supplier owes a contract penalty (``amount``: decimal string in ``currency``;
    ``kind``: late, quality or short_fill)."""

    supplier: str
    order_number: str
    sku: str
    kind: str
    amount: str
    currency: str
    key: str


@dataclass(frozen=True, slots=True)
class ShipmentStatusChanged(Event):
    """A shipment's tracking status changed (``at``: ISO timestamp, UTC)."""

    reference: str
    carrier: str
    status: str
    previous_status: str
    at: str


@dataclass(frozen=True, slots=True)
class ShipmentDelayed(Event):
    """A shipment was reported delayed or in exception; ``expected_on`` (ISO date or None)
    is the new arrival date when known, ``delay_days`` its lateness against the promise."""

    reference: str
    carrier: str
    status: str
    promised_on: str
    expected_on: str | None
    delay_days: int | None
    purchase_order: str | None


@dataclass(frozen=True, slots=True)
class StockReserved(Event):
    """Units held for a checkout cart until ``expires_at`` (ISO timestamp, UTC);
    ``available`` is the level's available units after the hold."""

    reservation: str
    sku: str
    location: str
    quantity: int
    cart_id: str
    expires_at: str
    available: int


@dataclass(frozen=True, slots=True)
class ReservationReleased(Event):
    """A checkout hold gave its units back (``reason``: released or expired)."""

    reservation: str
    sku: str
    location: str
    quantity: int
    reason: str
    available: int


@dataclass(frozen=True, slots=True)
class PreorderRepromised(Event):
    """A pre-order's promise changed because a purchase order slipped, came short or was
    cancelled. Dates are ISO dates; ``promised_on`` None: no open PO covers it any more."""

    preorder: str
    sku: str
    location: str
    quantity: int
    customer: str
    purchase_order: str | None
    previous_purchase_order: str | None
    promised_on: str | None
    previous_promised_on: str | None


@dataclass(frozen=True, slots=True)
class RestockPromiseChanged(Event):
    """The date by which an out-of-stock SKU is promised back at a location moved.

    ``promised_on``/``previous_promised_on``: ISO dates or None (no promise);
    ``confidence``: probability the promise is kept (0..1); ``state``: the availability
    state now; ``reason``: ``refresh``, ``stock``, ``purchase_order`` or ``shipment_delayed``.
    """

    sku: str
    location: str
    promised_on: str | None
    previous_promised_on: str | None
    confidence: float | None
    state: str
    reason: str
