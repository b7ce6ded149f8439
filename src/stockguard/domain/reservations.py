"""Checkout reservations and pre-orders: the rules, without I/O.

A *reservation* holds ``quantity`` units of a SKU at a location for a cart until
``expires_at``: the units move to the level's ``reserved`` and leave ``available``
(``available = on_hand - allocated - reserved``, never below zero through a hold).
It ends in one of three ways: released (cancelled by the cart, or expired), or
confirmed on an order, which moves its units from ``reserved`` to ``allocated``;
shipping the order then records the sale in the ledger and frees the allocation.

A *pre-order* asks for units of an out-of-stock SKU that open purchase orders will
bring. ``allocate_preorders`` fills pre-orders first-come-first-served from those
purchase orders, earliest expected date first; a pre-order's promised date is the
promise date of the last purchase order it draws from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from stockguard.domain import errors, events, ledger
from stockguard.domain.stock import StockLevel

MAX_TTL_MINUTES = 24 * 60


class ReservationStatus(enum.StrEnum):
    HELD = "held"
    RELEASED = "released"
    EXPIRED = "expired"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"


class PreorderStatus(enum.StrEnum):
    PROMISED = "promised"
    """Covered by an open purchase order, with a promised date."""
    UNPROMISED = "unpromised"
    """No open purchase order covers it any more (a PO was cancelled or short)."""
    ALLOCATED = "allocated"
    """The goods arrived: its units are allocated on the level."""
    CANCELLED = "cancelled"
    SHIPPED = "shipped"
    """Delivered to the customer: the sale is in the ledger."""


class NotEnoughStock(errors.DomainError):
    """A hold asked for more units than are available (answered with HTTP 409)."""

    code: ClassVar[str] = "not_enough_stock"

    def __init__(self, sku: str, location: str, available: int, requested: int) -> None:
        self.sku, self.location = sku, location
        self.available, self.requested = max(available, 0), requested
        if self.available <= 0:
            detail = f"SKU {sku} is out of stock at {location}; your cart asked for {requested}."
        else:
            detail = (
                f"Only {self.available} left of SKU {sku} at {location}; "
                f"your cart asked for {requested}."
            )
        super().__init__(detail)


class UnknownReservation(errors.DomainError):
    code: ClassVar[str] = "unknown_reservation"

    def __init__(self, reservation_id: str) -> None:
        self.reservation_id = reservation_id
        super().__init__(f"There is no reservation {reservation_id!r}.")


class ReservationClosed(errors.DomainError):
    """The reservation is no longer held (released, expired or already confirmed)."""

    code: ClassVar[str] = "reservation_closed"

    def __init__(self, reservation_id: str, status: str, action: str) -> None:
        self.reservation_id, self.reservation_status = reservation_id, status
        super().__init__(
            f"Reservation {reservation_id} is {status}; it cannot be {action}. "
            "Reserve the items again."
        )


class PreorderRefused(errors.DomainError):
    """A pre-order that cannot be accepted (in stock, or nothing left to promise)."""

    code: ClassVar[str] = "preorder_refused"

    def __init__(self, sku: str, location: str, reason: str) -> None:
        self.sku, self.location, self.reason = sku, location, reason
        super().__init__(f"Pre-order of SKU {sku} at {location} refused: {reason}")


class PreorderClosed(errors.DomainError):
    code: ClassVar[str] = "preorder_closed"

    def __init__(self, preorder_id: str, status: str, action: str) -> None:
        self.preorder_id, self.preorder_status = preorder_id, status
        super().__init__(f"Pre-order {preorder_id} is {status}; it cannot be {action}.")


class UnknownPreorder(errors.DomainError):
    code: ClassVar[str] = "unknown_preorder"

    def __init__(self, preorder_id: str) -> None:
        self.preorder_id = preorder_id
        super().__init__(f"There is no pre-order {preorder_id!r}.")


@dataclass(eq=False, slots=True)
class Reservation:
    """Units of one SKU at one location held for a cart until ``expires_at`` (UTC)."""

    id: str
    sku: str
    location: str
    quantity: int
    cart_id: str
    created_at: datetime
    expires_at: datetime
    idempotency_key: str
    status: ReservationStatus = ReservationStatus.HELD
    order_number: str | None = None
    closed_at: datetime | None = None

    def is_due(self, now: datetime) -> bool:
        """True when still held at or after its expiry time."""
        return self.status is ReservationStatus.HELD and now >= self.expires_at


def hold(
    level: StockLevel,
    *,
    reservation_id: str,
    quantity: int,
    cart_id: str,
    ttl_minutes: int,
    now: datetime,
    idempotency_key: str,
) -> Reservation:
    """Hold ``quantity`` units of ``level`` for ``ttl_minutes`` minutes.

    Refuses (``NotEnoughStock``) when ``quantity > available``, so ``available`` never
    goes below zero through a hold. The caller must hold the level's lock.
    """
    if quantity <= 0:
        raise errors.InvalidQuantity(quantity, "a reservation must hold at least one unit")
    if not 1 <= ttl_minutes <= MAX_TTL_MINUTES:
        raise errors.InvalidQuantity(
            ttl_minutes, f"ttl_minutes must be between 1 and {MAX_TTL_MINUTES}"
        )
    if quantity > level.available:
        raise NotEnoughStock(level.sku, level.location, level.available, quantity)
    level.reserved += quantity
    reservation = Reservation(
        id=reservation_id,
        sku=level.sku,
        location=level.location,
        quantity=quantity,
        cart_id=cart_id,
        created_at=now,
        expires_at=now + timedelta(minutes=ttl_minutes),
        idempotency_key=idempotency_key,
    )
    level.events.append(
        events.StockReserved(
            reservation=reservation_id,
            sku=level.sku,
            location=level.location,
            quantity=quantity,
            cart_id=cart_id,
            expires_at=reservation.expires_at.isoformat(),
            available=level.available,
        )
    )
    return reservation


def release(
    level: StockLevel, reservation: Reservation, *, now: datetime, expired: bool = False
) -> None:
    """Give the held units back to ``available`` (status released, or expired)."""
    action = "expired" if expired else "released"
    _require_held(reservation, action)
    level.reserved = max(level.reserved - reservation.quantity, 0)
    reservation.status = ReservationStatus.EXPIRED if expired else ReservationStatus.RELEASED
    reservation.closed_at = now
    level.events.append(
        events.ReservationReleased(
            reservation=reservation.id,
            sku=level.sku,
            location=level.location,
            quantity=reservation.quantity,
            reason=reservation.status.value,
            available=level.available,
        )
    )


def confirm(
    level: StockLevel, reservation: Reservation, *, order_number: str, now: datetime
) -> None:
    """Turn the hold into an allocation on ``order_number`` (reserved -> allocated)."""
    if not order_number.strip():
        raise errors.InvalidQuantity(0, "confirming a reservation needs an order number")
    _require_held(reservation, "confirmed")
    level.reserved = max(level.reserved - reservation.quantity, 0)
    level.allocated += reservation.quantity
    reservation.status = ReservationStatus.CONFIRMED
    reservation.order_number = order_number
    reservation.closed_at = now


def ship(level: StockLevel, reservation: Reservation, *, now: datetime) -> ledger.StockMovement:
    """The confirmed order ships: free the allocation and record the sale.

    Returns the SALE movement (``-quantity``, key ``reservation:<id>:sale``) already
    applied to ``level``; the caller appends it to the ledger.
    """
    if reservation.status is not ReservationStatus.CONFIRMED:
        raise ReservationClosed(reservation.id, reservation.status.value, "shipped")
    level.allocated = max(level.allocated - reservation.quantity, 0)
    movement = ledger.StockMovement(
        sku=reservation.sku,
        location=reservation.location,
        kind=ledger.MovementKind.SALE,
        quantity=-reservation.quantity,
        occurred_at=now,
        idempotency_key=f"reservation:{reservation.id}:sale",
        reference=reservation.order_number,
    )
    level.apply(movement)
    reservation.status = ReservationStatus.SHIPPED
    return movement


def _require_held(reservation: Reservation, action: str) -> None:
    if reservation.status is not ReservationStatus.HELD:
        raise ReservationClosed(reservation.id, reservation.status.value, action)


# --- pre-orders -------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Preorder:
    """A customer's pre-order of ``quantity`` units, with the PO that brings them."""

    id: str
    sku: str
    location: str
    quantity: int
    customer: str
    created_at: datetime
    status: PreorderStatus = PreorderStatus.PROMISED
    purchase_order: str | None = None
    promised_on: date | None = None

    @property
    def is_open(self) -> bool:
        """Waiting for goods (promised or not)."""
        return self.status in (PreorderStatus.PROMISED, PreorderStatus.UNPROMISED)


def cancel_preorder(level: StockLevel, preorder: Preorder) -> None:
    """Cancel a waiting or allocated pre-order; an allocated one frees its units."""
    if preorder.status in (PreorderStatus.SHIPPED, PreorderStatus.CANCELLED):
        raise PreorderClosed(preorder.id, preorder.status.value, "cancelled")
    if preorder.status is PreorderStatus.ALLOCATED:
        level.allocated = max(level.allocated - preorder.quantity, 0)
    preorder.status = PreorderStatus.CANCELLED


def ship_preorder(level: StockLevel, preorder: Preorder, *, now: datetime) -> ledger.StockMovement:
    """Ship an allocated pre-order: free the allocation and record the sale (key
    ``preorder:<id>:sale``), applied to ``level``; the caller appends it to the ledger."""
    if preorder.status is not PreorderStatus.ALLOCATED:
        raise PreorderClosed(preorder.id, preorder.status.value, "shipped")
    level.allocated = max(level.allocated - preorder.quantity, 0)
    movement = ledger.StockMovement(
        sku=preorder.sku,
        location=preorder.location,
        kind=ledger.MovementKind.SALE,
        quantity=-preorder.quantity,
        occurred_at=now,
        idempotency_key=f"preorder:{preorder.id}:sale",
        reference=f"preorder:{preorder.id}",
    )
    level.apply(movement)
    preorder.status = PreorderStatus.SHIPPED
    return movement


@dataclass(frozen=True, slots=True)
class Supply:
    """Outstanding units of one open purchase-order line for the SKU x location."""

    purchase_order: str
    quantity: int
    expected_on: date | None
    promised_on: date | None
    """The date the shop may promise for these units (conservative; None: unknown)."""


@dataclass(frozen=True, slots=True)
class Promise:
    purchase_order: str | None
    promised_on: date | None


def supply_order(supplies: Sequence[Supply]) -> list[Supply]:
    """Supplies by expected date (unknown dates last), then PO number."""
    return sorted(supplies, key=lambda s: (s.expected_on is None, s.expected_on, s.purchase_order))


def allocate_preorders(
    preorders: Sequence[Preorder], supplies: Sequence[Supply]
) -> dict[str, Promise]:
    """First-come-first-served: fill ``preorders`` (in the given creation order) from
    ``supplies`` taken earliest expected date first.

    Each pre-order draws its ``quantity`` units from the remaining supply in that order,
    possibly across several POs; its promise is the last PO it draws from and that PO's
    ``promised_on``. A pre-order that the remaining supply cannot fully cover gets
    ``Promise(None, None)`` and takes nothing, so later, smaller ones may still fit.
    Returns the promise per pre-order id.
    """
    ordered = supply_order(supplies)
    left = [s.quantity for s in ordered]
    promises: dict[str, Promise] = {}
    for preorder in preorders:
        if sum(left) < preorder.quantity:
            promises[preorder.id] = Promise(None, None)
            continue
        need, last = preorder.quantity, ordered[0]
        for i, supply in enumerate(ordered):
            take = min(need, left[i])
            if take <= 0:
                continue
            left[i] -= take
            need -= take
            last = supply
            if need == 0:
                break
        promises[preorder.id] = Promise(last.purchase_order, last.promised_on)
    return promises


def unpromised_units(preorders: Sequence[Preorder], supplies: Sequence[Supply]) -> int:
    """Units of ``supplies`` not yet promised to ``preorders`` (after FCFS allocation)."""
    promises = allocate_preorders(preorders, supplies)
    promised = sum(p.quantity for p in preorders if promises[p.id].purchase_order is not None)
    return sum(s.quantity for s in supplies) - promised


def repromise(
    preorders: Sequence[Preorder],
    supplies: Sequence[Supply],
    *,
    on_change: Callable[[Preorder, Promise, Promise], None],
) -> list[Preorder]:
    """Re-run the allocation of the open ``preorders`` and store the new promises;
    ``on_change(preorder, old, new)`` is called for each whose PO or date changed.
    Returns the pre-orders that changed."""
    open_ones = [p for p in preorders if p.is_open]
    promises = allocate_preorders(open_ones, supplies)
    changed = []
    for preorder in open_ones:
        old = Promise(preorder.purchase_order, preorder.promised_on)
        new = promises[preorder.id]
        if new == old:
            continue
        preorder.purchase_order, preorder.promised_on = new.purchase_order, new.promised_on
        covered = new.purchase_order is not None
        preorder.status = PreorderStatus.PROMISED if covered else PreorderStatus.UNPROMISED
        on_change(preorder, old, new)
        changed.append(preorder)
    return changed
