"""Carriers, shipments and lanes, as the CLI, API and dashboard list them (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_contracts as tc
from stockguard.adapters.db.views.paging import Slice, page
from stockguard.services.carriers.kpis import DeliveredShipment


def carriers(session: Session) -> list[Any]:
    """Carriers by code with their shipment counts (``shipments``, ``delivered``)."""
    carrier = t.table_of(t.CarrierRow)
    shipment = t.table_of(tc.ShipmentRow)
    counts = (
        select(
            shipment.c.carrier,
            func.count().label("shipments"),
            func.count(shipment.c.delivered_at).label("delivered"),
        )
        .group_by(shipment.c.carrier)
        .subquery()
    )
    query = (
        select(
            carrier.c.code,
            carrier.c.name,
            func.coalesce(counts.c.shipments, 0).label("shipments"),
            func.coalesce(counts.c.delivered, 0).label("delivered"),
        )
        .select_from(carrier.outerjoin(counts, counts.c.carrier == carrier.c.code))
        .order_by(carrier.c.code)
    )
    return list(session.execute(query).all())


def carrier_exists(session: Session, code: str) -> bool:
    carrier = t.table_of(t.CarrierRow)
    return session.execute(select(carrier.c.id).where(carrier.c.code == code)).first() is not None


def delivered(session: Session, carrier: str | None = None) -> list[DeliveredShipment]:
    """Every delivered shipment (optionally of one carrier), for the KPIs."""
    shipment = t.table_of(tc.ShipmentRow)
    query = select(
        shipment.c.carrier,
        shipment.c.origin,
        shipment.c.destination,
        shipment.c.promised_on,
        shipment.c.delivered_at,
    ).where(shipment.c.delivered_at.is_not(None))
    if carrier is not None:
        query = query.where(shipment.c.carrier == carrier)
    return [
        DeliveredShipment(
            row.carrier, row.origin, row.destination, row.promised_on, row.delivered_at.date()
        )
        for row in session.execute(query)
    ]


def shipments(
    session: Session,
    *,
    carrier: str | None = None,
    status: str | None = None,
    purchase_order: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Shipments, latest booked first."""
    shipment = t.table_of(tc.ShipmentRow)
    query = select(shipment).order_by(shipment.c.booked_at.desc(), shipment.c.reference)
    if carrier:
        query = query.where(shipment.c.carrier == carrier)
    if status:
        query = query.where(shipment.c.status == status)
    if purchase_order:
        query = query.where(shipment.c.purchase_order == purchase_order)
    return page(session, query, limit=limit, offset=offset)


@dataclass(frozen=True, slots=True)
class ShipmentView:
    shipment: Any
    tracking: list[Any]


def shipment(session: Session, reference: str) -> ShipmentView | None:
    table = t.table_of(tc.ShipmentRow)
    row = session.execute(select(table).where(table.c.reference == reference)).first()
    if row is None:
        return None
    events = t.table_of(tc.ShipmentEventRow)
    tracking = session.execute(
        select(events).where(events.c.shipment == reference).order_by(events.c.seq)
    ).all()
    return ShipmentView(row, list(tracking))


@dataclass(frozen=True, slots=True)
class LaneUse:
    """A lane (origin -> destination): shipments per carrier and the configured alternate."""

    origin: str
    destination: str
    shipments_by_carrier: dict[str, int]
    alternate: str | None

    @property
    def lane(self) -> str:
        return f"{self.origin}->{self.destination}"

    @property
    def primary(self) -> str | None:
        """The carrier that carried most shipments on the lane (ties: first by code)."""
        if not self.shipments_by_carrier:
            return None
        return min(self.shipments_by_carrier.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def lanes(session: Session) -> list[LaneUse]:
    """Every lane used by a shipment or given an alternate, ordered by origin, destination."""
    shipment = t.table_of(tc.ShipmentRow)
    lane_table = t.table_of(tc.CarrierLaneRow)
    found: dict[tuple[str, str], dict[str, int]] = {}
    query = select(
        shipment.c.origin, shipment.c.destination, shipment.c.carrier, func.count()
    ).group_by(shipment.c.origin, shipment.c.destination, shipment.c.carrier)
    for origin, destination, carrier, count in session.execute(query):
        found.setdefault((origin, destination), {})[carrier] = int(count)
    alternates = {
        (row.origin, row.destination): row.alternate_carrier
        for row in session.execute(select(lane_table))
    }
    keys = sorted(set(found) | set(alternates))
    return [LaneUse(o, d, found.get((o, d), {}), alternates.get((o, d))) for o, d in keys]
