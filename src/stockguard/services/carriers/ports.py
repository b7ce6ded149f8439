"""Ports of the carriers area: shipments and lane alternates."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from stockguard.domain import events, shipping


class ShipmentRepository(Protocol):
    """Shipments inside a unit of work; ``save`` writes a changed shipment (and its new
    tracking reports), ``drain_events`` hands their events to the outbox on commit."""

    def get(self, reference: str) -> shipping.Shipment | None: ...

    def add(self, shipment: shipping.Shipment) -> None: ...

    def save(self, shipment: shipping.Shipment) -> None: ...

    def set_alternate(self, origin: str, destination: str, carrier: str, now: datetime) -> bool:
        """Set the lane's alternate carrier; True when an earlier choice was replaced."""
        ...

    def drain_events(self) -> list[events.Event]: ...


class NoShipments:
    """A repository without shipments (units of work that do not hold them, e.g. fakes)."""

    def get(self, reference: str) -> shipping.Shipment | None:
        return None

    def add(self, shipment: shipping.Shipment) -> None:
        raise NotImplementedError("this unit of work stores no shipments")

    def save(self, shipment: shipping.Shipment) -> None:
        raise NotImplementedError("this unit of work stores no shipments")

    def set_alternate(self, origin: str, destination: str, carrier: str, now: datetime) -> bool:
        raise NotImplementedError("this unit of work stores no lanes")

    def drain_events(self) -> list[events.Event]:
        return []
