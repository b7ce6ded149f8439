"""Shipments carried by logistics partners, and their tracking status.

A shipment carries a purchase order (or a transfer) along a lane, from an origin to a
destination (location codes or ISO country codes), for a carrier that promised a
delivery date. Each tracking update is kept with its timestamp; a delay or an exception
records ``ShipmentDelayed`` so the worker can tell the buyer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from stockguard.domain import errors, events


class ShipmentStatus(enum.StrEnum):
    BOOKED = "booked"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    EXCEPTION = "exception"


_S = ShipmentStatus
_MOVING = frozenset({_S.IN_TRANSIT, _S.DELAYED, _S.DELIVERED, _S.EXCEPTION})
ALLOWED_TRANSITIONS: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    _S.BOOKED: _MOVING | {_S.PICKED_UP},
    _S.PICKED_UP: _MOVING,
    _S.IN_TRANSIT: _MOVING,
    _S.DELAYED: _MOVING,
    _S.EXCEPTION: _MOVING,
    _S.DELIVERED: frozenset(),
}
"""A shipment moves forward; ``delayed`` and ``exception`` may be reported again (a new
estimate); ``delivered`` is final."""

LATE_STATUSES = frozenset({_S.DELAYED, _S.EXCEPTION})


class UnknownShipment(errors.DomainError):
    code: ClassVar[str] = "unknown_shipment"

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"There is no shipment with reference {reference!r}.")


class DuplicateShipment(errors.DomainError):
    code: ClassVar[str] = "duplicate_shipment"

    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"A shipment with reference {reference!r} already exists.")


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    """One status report: when it happened, the status, a new arrival estimate, a note."""

    status: ShipmentStatus
    at: datetime
    expected_on: date | None = None
    note: str = ""


@dataclass(eq=False, slots=True)
class Shipment:
    """Aggregate: one shipment and its tracking history."""

    reference: str
    carrier: str
    origin: str
    destination: str
    promised_on: date
    booked_at: datetime
    purchase_order: str | None = None
    transfer: str | None = None
    status: ShipmentStatus = ShipmentStatus.BOOKED
    expected_on: date | None = None
    delivered_at: datetime | None = None
    tracking: list[TrackingEvent] = field(default_factory=list)
    version: int = 0
    events: list[events.Event] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise errors.InvalidParameter("reference", self.reference, "must not be empty")
        if not self.origin.strip() or not self.destination.strip():
            raise errors.InvalidParameter(
                "lane", f"{self.origin}->{self.destination}", "needs an origin and a destination"
            )
        if self.promised_on < self.booked_at.date():
            raise errors.InvalidParameter(
                "promised_on", self.promised_on.isoformat(), "is before the booking date"
            )

    @property
    def lane(self) -> str:
        return f"{self.origin}->{self.destination}"

    @property
    def delay_days(self) -> int | None:
        """Days delivered after the promised date (0 when on time); None until delivered."""
        if self.delivered_at is None:
            return None
        return max((self.delivered_at.date() - self.promised_on).days, 0)

    def update(
        self,
        status: ShipmentStatus,
        at: datetime,
        *,
        expected_on: date | None = None,
        note: str = "",
    ) -> None:
        """Record a tracking report; refuses a move back (e.g. delivered -> in transit)
        and a report older than the last one."""
        same_late = status is self.status and status in LATE_STATUSES
        if status not in ALLOWED_TRANSITIONS[self.status] and not same_late:
            raise errors.InvalidTransition(
                f"Shipment {self.reference}", self.status.value, status.value
            )
        if self.tracking and at < self.tracking[-1].at:
            raise errors.InvalidParameter(
                "at", at.isoformat(), "is before the shipment's last tracking report"
            )
        previous = self.status
        self.tracking.append(TrackingEvent(status, at, expected_on, note))
        self.status = status
        if expected_on is not None:
            self.expected_on = expected_on
        if status is ShipmentStatus.DELIVERED:
            self.delivered_at = at
        self._record(
            previous, at, late_estimate=bool(expected_on and expected_on > self.promised_on)
        )

    def _record(self, previous: ShipmentStatus, at: datetime, *, late_estimate: bool) -> None:
        self.events.append(
            events.ShipmentStatusChanged(
                self.reference, self.carrier, self.status.value, previous.value, at.isoformat()
            )
        )
        delivered_late = bool(self.delay_days)
        if self.status in LATE_STATUSES or late_estimate or delivered_late:
            self.events.append(_delayed_event(self))


def _delayed_event(shipment: Shipment) -> events.ShipmentDelayed:
    if shipment.delay_days is not None:
        delay: int | None = shipment.delay_days
    elif shipment.expected_on is not None:
        delay = max((shipment.expected_on - shipment.promised_on).days, 0)
    else:
        delay = None
    return events.ShipmentDelayed(
        reference=shipment.reference,
        carrier=shipment.carrier,
        status=shipment.status.value,
        promised_on=shipment.promised_on.isoformat(),
        expected_on=shipment.expected_on.isoformat() if shipment.expected_on else None,
        delay_days=delay,
        purchase_order=shipment.purchase_order,
    )
