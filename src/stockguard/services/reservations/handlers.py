"""Checkout reservations: hold, release, confirm, ship and expire, one unit of work each.

Every handler locks the stock level first (``uow.levels.get``: SELECT ... FOR UPDATE on
PostgreSQL, the write lock on SQLite), then reads the reservation again, so concurrent
requests on the same SKU x location queue and never oversell. Expired holds are released
lazily whenever their level is touched, and in batches by ``ReleaseExpired`` (worker).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from stockguard.domain import commands, errors
from stockguard.domain import reservations as r
from stockguard.domain.stock import StockLevel
from stockguard.services.unit_of_work import UnitOfWork

DEFAULT_TTL_MINUTES = 15


@dataclass(frozen=True, slots=True)
class Reserve(commands.Command):
    """Hold ``quantity`` units for ``cart_id``; ``location`` None: the location with the
    most available units. Replaying ``idempotency_key`` returns the first reservation."""

    sku: str
    quantity: int
    cart_id: str
    idempotency_key: str
    location: str | None = None
    ttl_minutes: int = DEFAULT_TTL_MINUTES
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReleaseReservation(commands.Command):
    reservation_id: str
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class ConfirmReservation(commands.Command):
    reservation_id: str
    order_number: str
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class ShipReservation(commands.Command):
    reservation_id: str
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class GetReservation(commands.Command):
    """Read one reservation, expiring it first when it is due (lazy expiry)."""

    reservation_id: str
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReleaseExpired(commands.Command):
    """Release up to ``limit`` holds whose expiry time has passed."""

    now: datetime | None = None
    limit: int = 500


@dataclass(frozen=True, slots=True)
class ReservationResult:
    reservation: r.Reservation
    created: bool
    available: int
    """Units available at the reservation's location after the command."""


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def reserve(cmd: Reserve, uow: UnitOfWork) -> ReservationResult:
    if not cmd.cart_id.strip() or len(cmd.cart_id) > 128:
        raise errors.InvalidQuantity(0, "cart_id must be 1 to 128 characters")
    now = _now(cmd.now)
    with uow:
        location = cmd.location or uow.reservations.best_location(cmd.sku)
        if uow.products.get(cmd.sku) is None:
            raise errors.UnknownSku(cmd.sku)
        if location is None:
            raise r.NotEnoughStock(cmd.sku, "any location", 0, cmd.quantity)
        if uow.locations.get(location) is None:
            raise errors.UnknownLocation(location)
        level = uow.levels.get(cmd.sku, location)  # the lock: requests queue here
        replay = uow.reservations.by_key(cmd.idempotency_key)
        if replay is not None:
            same = (replay.sku, replay.quantity, replay.cart_id) == (
                cmd.sku,
                cmd.quantity,
                cmd.cart_id,
            )
            if not same or (cmd.location and cmd.location != replay.location):
                raise errors.IdempotencyKeyReused(cmd.idempotency_key)
            return ReservationResult(replay, False, level.available)
        expire_due(uow, level, now)
        reservation = r.hold(
            level,
            reservation_id=uuid.uuid4().hex,
            quantity=cmd.quantity,
            cart_id=cmd.cart_id,
            ttl_minutes=cmd.ttl_minutes,
            now=now,
            idempotency_key=cmd.idempotency_key,
        )
        uow.reservations.add(reservation)
        uow.commit()
        return ReservationResult(reservation, True, level.available)


def expire_due(uow: UnitOfWork, level: StockLevel, now: datetime) -> int:
    """Release the due holds of ``level`` (locked by the caller); returns how many."""
    due = uow.reservations.due(now, sku=level.sku, location=level.location)
    for reservation in due:
        r.release(level, reservation, now=now, expired=True)
        uow.reservations.save(reservation)
    return len(due)


def _locked(uow: UnitOfWork, reservation_id: str) -> tuple[r.Reservation, StockLevel]:
    """The reservation, read again after its level is locked."""
    found = uow.reservations.get(reservation_id)
    if found is None:
        raise r.UnknownReservation(reservation_id)
    level = uow.levels.get(found.sku, found.location)
    fresh = uow.reservations.get(reservation_id)
    assert fresh is not None
    return fresh, level


def _expire_if_due(uow: UnitOfWork, reservation: r.Reservation, level: StockLevel,
                   now: datetime) -> bool:  # fmt: skip
    if reservation.is_due(now):
        r.release(level, reservation, now=now, expired=True)
        uow.reservations.save(reservation)
        return True
    return False


def release_reservation(cmd: ReleaseReservation, uow: UnitOfWork) -> ReservationResult:
    """Cancel a hold. Releasing an already released or expired one changes nothing."""
    now = _now(cmd.now)
    with uow:
        reservation, level = _locked(uow, cmd.reservation_id)
        if reservation.status in (r.ReservationStatus.RELEASED, r.ReservationStatus.EXPIRED):
            return ReservationResult(reservation, False, level.available)
        r.release(level, reservation, now=now, expired=reservation.is_due(now))
        uow.reservations.save(reservation)
        uow.commit()
        return ReservationResult(reservation, True, level.available)


def confirm_reservation(cmd: ConfirmReservation, uow: UnitOfWork) -> ReservationResult:
    """Allocate the held units to ``order_number``; an expired hold is refused (409).
    Confirming again with the same order number changes nothing."""
    now = _now(cmd.now)
    with uow:
        reservation, level = _locked(uow, cmd.reservation_id)
        if reservation.status is r.ReservationStatus.CONFIRMED and (
            reservation.order_number == cmd.order_number
        ):
            return ReservationResult(reservation, False, level.available)
        if _expire_if_due(uow, reservation, level, now):
            uow.commit()  # the expiry stays recorded
            raise r.ReservationClosed(reservation.id, reservation.status.value, "confirmed")
        r.confirm(level, reservation, order_number=cmd.order_number, now=now)
        uow.reservations.save(reservation)
        uow.commit()
        return ReservationResult(reservation, True, level.available)


def ship_reservation(cmd: ShipReservation, uow: UnitOfWork) -> ReservationResult:
    """The order of a confirmed reservation ships: free the allocation, record the sale."""
    now = _now(cmd.now)
    with uow:
        reservation, level = _locked(uow, cmd.reservation_id)
        if reservation.status is r.ReservationStatus.SHIPPED:
            return ReservationResult(reservation, False, level.available)
        movement = r.ship(level, reservation, now=now)
        uow.ledger.append(movement)
        uow.reservations.save(reservation)
        uow.commit()
        return ReservationResult(reservation, True, level.available)


def get_reservation(cmd: GetReservation, uow: UnitOfWork) -> ReservationResult:
    now = _now(cmd.now)
    with uow:
        found = uow.reservations.get(cmd.reservation_id)
        if found is None:
            raise r.UnknownReservation(cmd.reservation_id)
        if not found.is_due(now):
            return ReservationResult(
                found, False, uow.levels.get(found.sku, found.location).available
            )
        reservation, level = _locked(uow, cmd.reservation_id)
        expired = _expire_if_due(uow, reservation, level, now)
        uow.commit()
        return ReservationResult(reservation, expired, level.available)


def release_expired(cmd: ReleaseExpired, uow: UnitOfWork) -> int:
    """Release due holds, locking their levels in one order (location, then SKU)."""
    now = _now(cmd.now)
    with uow:
        due = uow.reservations.due(now, limit=cmd.limit)
        keys = sorted({(x.location, x.sku) for x in due})
        released = 0
        for location, sku in keys:
            released += expire_due(uow, uow.levels.get(sku, location), now)
        uow.commit()
        return released
