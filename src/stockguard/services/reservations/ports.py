"""Ports of the reservations area: checkout holds and pre-orders inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from stockguard.domain.reservations import Preorder, Reservation, Supply


class ReservationRepository(Protocol):
    """Reservations and pre-orders; writes go to the unit of work's transaction at once.

    Callers lock the stock level (``uow.levels.get``) before changing a reservation or
    pre-order of that SKU x location, so two requests never change them side by side.
    """

    def add(self, reservation: Reservation) -> None: ...

    def save(self, reservation: Reservation) -> None:
        """Write the reservation's status, order number and closing time."""
        ...

    def get(self, reservation_id: str) -> Reservation | None: ...

    def by_key(self, idempotency_key: str) -> Reservation | None: ...

    def due(self, now: datetime, *, sku: str | None = None, location: str | None = None,
            limit: int = 500) -> list[Reservation]:  # fmt: skip
        """Held reservations whose expiry is at or before ``now``, oldest expiry first."""
        ...

    def add_preorder(self, preorder: Preorder, idempotency_key: str) -> None: ...

    def save_preorder(self, preorder: Preorder) -> None: ...

    def get_preorder(self, preorder_id: str) -> Preorder | None: ...

    def preorder_by_key(self, idempotency_key: str) -> Preorder | None: ...

    def open_preorders(self, sku: str, location: str) -> list[Preorder]:
        """Promised or unpromised pre-orders of the SKU x location, in creation order."""
        ...

    def supply(self, sku: str, location: str) -> list[Supply]:
        """Outstanding units of the open purchase orders (as stored, not locked) with a
        line for the SKU that deliver to the location; ``promised_on`` = expected date."""
        ...

    def best_location(self, sku: str, *, with_supply: bool = False) -> str | None:
        """The location with the most available units of the SKU (``with_supply``: the
        first location that open purchase orders deliver it to); None when there is none."""
        ...

    def list_reservations(
        self, *, status: str | None = None, sku: str | None = None, limit: int = 100
    ) -> list[Reservation]:
        """Reservations, newest first."""
        ...

    def list_preorders(self, *, sku: str | None = None, limit: int = 100) -> list[Preorder]:
        """Pre-orders, oldest first."""
        ...


class NoReservations:
    """A unit of work without reservations (fakes): nothing is stored."""

    def add(self, reservation: Reservation) -> None:
        raise NotImplementedError("this unit of work does not store reservations")

    def save(self, reservation: Reservation) -> None:
        raise NotImplementedError("this unit of work does not store reservations")

    def get(self, reservation_id: str) -> Reservation | None:
        return None

    def by_key(self, idempotency_key: str) -> Reservation | None:
        return None

    def due(self, now: datetime, *, sku: str | None = None, location: str | None = None,
            limit: int = 500) -> list[Reservation]:  # fmt: skip
        return []

    def add_preorder(self, preorder: Preorder, idempotency_key: str) -> None:
        raise NotImplementedError("this unit of work does not store pre-orders")

    def save_preorder(self, preorder: Preorder) -> None:
        raise NotImplementedError("this unit of work does not store pre-orders")

    def get_preorder(self, preorder_id: str) -> Preorder | None:
        return None

    def preorder_by_key(self, idempotency_key: str) -> Preorder | None:
        return None

    def open_preorders(self, sku: str, location: str) -> list[Preorder]:
        return []

    def supply(self, sku: str, location: str) -> list[Supply]:
        return []

    def best_location(self, sku: str, *, with_supply: bool = False) -> str | None:
        return None

    def list_reservations(
        self, *, status: str | None = None, sku: str | None = None, limit: int = 100
    ) -> list[Reservation]:
        return []

    def list_preorders(self, *, sku: str | None = None, limit: int = 100) -> list[Preorder]:
        return []
