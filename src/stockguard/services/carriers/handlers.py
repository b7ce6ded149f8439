"""Commands and handlers of the carriers area: book and track shipments, set lane
alternates (registered on the message bus)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from stockguard.domain import commands, errors, shipping
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class BookShipment(commands.Command):
    """A shipment booked with ``carrier`` on the lane ``origin -> destination``, promised
    for ``promised_on``; it carries a purchase order or a transfer (or neither)."""

    reference: str
    carrier: str
    origin: str
    destination: str
    promised_on: date
    booked_at: datetime
    purchase_order: str | None = None
    transfer: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateShipment(commands.Command):
    """A tracking report: the shipment's new status at ``at``, with an optional new
    arrival estimate and note."""

    reference: str
    status: str
    at: datetime
    expected_on: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class SetLaneAlternate(commands.Command):
    origin: str
    destination: str
    carrier: str
    at: datetime


def book_shipment(cmd: BookShipment, uow: UnitOfWork) -> str:
    """Store a new shipment (status booked); refuses a known reference, an unknown carrier
    or purchase order."""
    with uow:
        if uow.shipments.get(cmd.reference) is not None:
            raise shipping.DuplicateShipment(cmd.reference)
        _require_carrier(uow, cmd.carrier)
        if cmd.purchase_order and uow.purchase_orders.get(cmd.purchase_order) is None:
            raise errors.UnknownPurchaseOrder(cmd.purchase_order)
        shipment = shipping.Shipment(
            reference=cmd.reference,
            carrier=cmd.carrier,
            origin=cmd.origin,
            destination=cmd.destination,
            promised_on=cmd.promised_on,
            booked_at=cmd.booked_at,
            purchase_order=cmd.purchase_order,
            transfer=cmd.transfer,
        )
        shipment.tracking.append(shipping.TrackingEvent(shipment.status, cmd.booked_at))
        uow.shipments.add(shipment)
        uow.commit()
    return shipment.reference


def update_shipment(cmd: UpdateShipment, uow: UnitOfWork) -> shipping.ShipmentStatus:
    """Record a tracking report; a delay or exception queues ``ShipmentDelayed``."""
    try:
        status = shipping.ShipmentStatus(cmd.status)
    except ValueError:
        allowed = ", ".join(s.value for s in shipping.ShipmentStatus)
        raise errors.InvalidParameter("status", cmd.status, f"is not one of {allowed}") from None
    with uow:
        shipment = uow.shipments.get(cmd.reference)
        if shipment is None:
            raise shipping.UnknownShipment(cmd.reference)
        shipment.update(status, cmd.at, expected_on=cmd.expected_on, note=cmd.note)
        uow.shipments.save(shipment)
        uow.commit()
    return shipment.status


def set_lane_alternate(cmd: SetLaneAlternate, uow: UnitOfWork) -> bool:
    """Name the alternate carrier of a lane; True when it replaced an earlier choice."""
    with uow:
        _require_carrier(uow, cmd.carrier)
        replaced = uow.shipments.set_alternate(cmd.origin, cmd.destination, cmd.carrier, cmd.at)
        uow.commit()
    return replaced


def _require_carrier(uow: UnitOfWork, carrier: str) -> None:
    if not uow.carriers.exists(carrier):
        raise errors.UnknownCarrier(carrier)
