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
