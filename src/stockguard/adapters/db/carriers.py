"""SQL repository of shipments, their tracking reports and lane alternates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables_contracts as tc
from stockguard.adapters.db.tables import table_of
from stockguard.domain import errors, events, shipping

SHIPMENT_FIELDS = (
    "carrier",
    "origin",
    "destination",
    "promised_on",
    "booked_at",
    "purchase_order",
    "transfer",
    "expected_on",
    "delivered_at",
)


def shipment_from_rows(row: Row[Any], tracking: list[Row[Any]]) -> shipping.Shipment:
    return shipping.Shipment(
        reference=row.reference,
        status=shipping.ShipmentStatus(row.status),
        version=row.version,
        tracking=[
            shipping.TrackingEvent(
                shipping.ShipmentStatus(event.status), event.at, event.expected_on, event.note
            )
            for event in tracking
        ],
        **{name: getattr(row, name) for name in SHIPMENT_FIELDS},
    )


class SqlShipmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._shipments = table_of(tc.ShipmentRow)
        self._tracking = table_of(tc.ShipmentEventRow)
        self._lanes = table_of(tc.CarrierLaneRow)
        self._seen: dict[str, tuple[shipping.Shipment, int]] = {}
        """Shipments handed out, with the number of tracking reports already stored."""

    def get(self, reference: str) -> shipping.Shipment | None:
        table = self._shipments
        row = self._session.execute(select(table).where(table.c.reference == reference)).first()
        if row is None:
            return None
        tracking = self._session.execute(
            select(self._tracking)
            .where(self._tracking.c.shipment == reference)
            .order_by(self._tracking.c.seq)
        ).all()
        shipment = shipment_from_rows(row, list(tracking))
        self._seen[reference] = (shipment, len(shipment.tracking))
        return shipment

    def add(self, shipment: shipping.Shipment) -> None:
        values = {name: getattr(shipment, name) for name in SHIPMENT_FIELDS}
        self._session.execute(
            insert(self._shipments).values(
                reference=shipment.reference,
                status=shipment.status.value,
                version=shipment.version,
                **values,
            )
        )
        self._seen[shipment.reference] = (shipment, 0)
        self._write_tracking(shipment, 0)

    def save(self, shipment: shipping.Shipment) -> None:
        """Write a shipment got from ``get``; its version must not have moved meanwhile."""
        _, stored = self._seen[shipment.reference]
        table = self._shipments
        result = self._session.execute(
            update(table)
            .where(table.c.reference == shipment.reference, table.c.version == shipment.version)
            .values(
                status=shipment.status.value,
                expected_on=shipment.expected_on,
                delivered_at=shipment.delivered_at,
                version=shipment.version + 1,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise errors.ConcurrencyConflict(shipment.reference, str(shipment.version))
        shipment.version += 1
        self._write_tracking(shipment, stored)
        self._seen[shipment.reference] = (shipment, len(shipment.tracking))

    def _write_tracking(self, shipment: shipping.Shipment, stored: int) -> None:
        rows = [
            {
                "shipment": shipment.reference,
                "seq": seq,
                "status": event.status.value,
                "at": event.at,
                "expected_on": event.expected_on,
                "note": event.note[:300],
            }
            for seq, event in enumerate(shipment.tracking, start=1)
            if seq > stored
        ]
        if rows:
            self._session.execute(insert(self._tracking), rows)

    def set_alternate(self, origin: str, destination: str, carrier: str, now: datetime) -> bool:
        table = self._lanes
        where = (table.c.origin == origin, table.c.destination == destination)
        result = self._session.execute(
            update(table).where(*where).values(alternate_carrier=carrier, updated_at=now)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            return True
        self._session.execute(
            insert(table).values(
                origin=origin, destination=destination, alternate_carrier=carrier, updated_at=now
            )
        )
        return False

    def drain_events(self) -> list[events.Event]:
        drained: list[events.Event] = []
        for shipment, _ in self._seen.values():
            drained.extend(shipment.events)
            shipment.events.clear()
        return drained
