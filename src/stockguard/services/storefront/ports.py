"""Ports of the storefront area: availability rows and the facts a promise needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from stockguard.services.storefront.model import Availability

Pmf = list[list[float]]
"""``[[days, mass], ...]``, days ascending."""


@dataclass(frozen=True, slots=True)
class PromiseBasis:
    """What a restock promise for a SKU at a location rests on.

    ``expected_on``/``purchase_order``: the open purchase order expected first (its
    shipment's newer expected date when a carrier reported one), None without one;
    ``delay_pmf``: that supplier's lateness in days (None: from ``delay_mean`` and
    ``delay_var``, days and days^2); ``lead_time_pmf``: the lead time in days of an
    order placed on ``next_order_on`` (None: from ``lead_time_mean``/``lead_time_var``;
    ``lead_time_mean`` None: no lead-time basis at all); ``other_orders``: the other
    open purchase orders (the restock is the earliest arrival of all of them, and of an
    order placed on ``next_order_on`` when the basis names that date);
    ``delay_count``/``lead_time_count``: how many receipts the pmfs were counted from
    (None: trusted as they are; a count shrinks a short record towards the default,
    see ``promise.shrunk``).
    """

    sku: str
    location: str
    expected_on: date | None = None
    purchase_order: str | None = None
    delay_pmf: Pmf | None = None
    delay_mean: float = 0.0
    delay_var: float = 0.0
    next_order_on: date | None = None
    lead_time_pmf: Pmf | None = None
    lead_time_mean: float | None = None
    lead_time_var: float = 0.0
    other_orders: tuple[OpenOrder, ...] = ()
    delay_count: int | None = None
    lead_time_count: int | None = None


@dataclass(frozen=True, slots=True)
class OpenOrder:
    """Another open purchase order of the same SKU x location (``PromiseBasis``).

    ``expected_on``: its (shipment's newer) expected date; ``delay_pmf``: its supplier's
    lateness in days (None: the basis's own ``delay_pmf``/default), counted from
    ``delay_count`` receipts (None: trusted as it is). The promise is the
    quantile of the EARLIEST arrival among the basis's order and these.
    """

    expected_on: date
    purchase_order: str
    delay_pmf: Pmf | None = None
    delay_count: int | None = None


@dataclass(frozen=True, slots=True)
class Stock:
    """Stock of a SKU at a sellable location as a refresh reads it (units)."""

    sku: str
    location: str
    on_hand: int
    available: int
    on_order: int
    discontinued: bool


class AvailabilityRepository(Protocol):
    """``storefront_availability`` rows inside a unit of work.

    ``get`` reads one row by (sku, location); ``save`` writes it (insert or update) at
    once; ``replace`` writes a refresh's rows; ``seen`` are the rows saved, whose events
    go to the outbox.
    """

    def get(self, sku: str, location: str) -> Availability | None: ...
    def existing(self) -> dict[tuple[str, str], Availability]:
        """Every stored row, by (sku, location) (a refresh compares with them)."""
        ...

    def save(self, row: Availability) -> None: ...
    def replace(self, rows: Sequence[Availability]) -> int: ...
    @property
    def seen(self) -> Sequence[Availability]: ...
    def stock(self) -> list[Stock]:
        """Every SKU x sellable location with a stock level."""
        ...

    def new_stock(self, sku: str, location: str) -> Stock | None:
        """One SKU x location's stock, None when the location is not sellable."""
        ...

    def bases(
        self, keys: Sequence[tuple[str, str]] | None = None, *, today: date | None = None
    ) -> list[PromiseBasis]:
        """Promise bases of ``keys`` (every stock row when None); each open purchase
        order carries its supplier's lateness record, a key without one the policy's
        next order date as of ``today`` (the UTC date when None)."""
        ...

    def preordered(
        self, keys: Sequence[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str], int]:
        """Units already promised to pre-orders (empty until pre-orders exist)."""
        ...


class NoAvailability:
    """A repository without rows (units of work that do not follow the storefront)."""

    seen: Sequence[Availability] = ()

    def get(self, sku: str, location: str) -> Availability | None:
        return None

    def existing(self) -> dict[tuple[str, str], Availability]:
        return {}

    def save(self, row: Availability) -> None:
        raise NotImplementedError("this unit of work stores no availability rows")

    def replace(self, rows: Sequence[Availability]) -> int:
        raise NotImplementedError("this unit of work stores no availability rows")

    def stock(self) -> list[Stock]:
        return []

    def new_stock(self, sku: str, location: str) -> Stock | None:
        return None

    def bases(
        self, keys: Sequence[tuple[str, str]] | None = None, *, today: date | None = None
    ) -> list[PromiseBasis]:
        return []

    def preordered(
        self, keys: Sequence[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str], int]:
        return {}
