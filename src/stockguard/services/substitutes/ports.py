"""Ports of the substitutes area: the catalogue and baskets a refresh reads, the neighbour
table it writes, the one read a request makes, promotions and event counts."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol


class NeighbourKind(enum.StrEnum):
    SUBSTITUTE = "substitute"
    COMPLEMENT = "complement"


class SubstituteAction(enum.StrEnum):
    """What the storefront widget reports about a proposed substitute."""

    SHOWN = "shown"
    CLICKED = "clicked"
    CONVERTED = "converted"


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """A product as the ranking sees it (``price`` in the shop's currency)."""

    sku: str
    title: str
    family: str | None
    category: str | None
    attributes: dict[str, Any]
    price: float
    active: bool = True
    """False for a discontinued (or otherwise inactive) product: a source, never proposed."""


@dataclass(frozen=True, slots=True)
class NeighbourRecord:
    """One precomputed neighbour (scores in [0, 1]; rank 1 = best)."""

    sku: str
    kind: NeighbourKind
    neighbour: str
    rank: int
    score: float
    similarity: float
    copurchase: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """A precomputed neighbour joined with its product and its available stock (on hand
    less allocated and reserved, summed over the requested locations)."""

    neighbour: str
    kind: NeighbourKind
    rank: int
    score: float
    similarity: float
    copurchase: float
    title: str
    category: str | None
    price: Decimal
    currency: str
    status: str
    available: int


@dataclass(frozen=True, slots=True)
class SubstituteStat:
    sku: str
    substitute: str
    shown: int
    clicked: int
    converted: int


class SubstituteRepository(Protocol):
    """Substitutes inside a unit of work (refresh, promotions, event counts)."""

    def catalogue(self) -> list[CatalogueItem]:
        """Every active product."""
        ...

    def basket_lines(self) -> list[tuple[str, str]]:
        """``(order number, sku)`` of every line of every order not cancelled."""
        ...

    def replace_neighbours(self, records: Sequence[NeighbourRecord], now: datetime) -> None:
        """Delete every stored neighbour and store ``records``."""
        ...

    def set_promotion(self, scope: str, discount_percent: Decimal, now: datetime) -> None: ...

    def clear_promotion(self, scope: str) -> bool:
        """Remove the scope's discount; False when it had none."""
        ...

    def record(self, sku: str, substitute: str, action: SubstituteAction, now: datetime) -> None:
        """Add one to the action's count for ``sku`` x ``substitute``."""
        ...

    def stats(self, sku: str | None) -> list[SubstituteStat]: ...


class NoSubstitutes:
    """A repository without substitutes (units of work that do not hold them, e.g. fakes)."""

    def catalogue(self) -> list[CatalogueItem]:
        return []

    def basket_lines(self) -> list[tuple[str, str]]:
        return []

    def replace_neighbours(self, records: Sequence[NeighbourRecord], now: datetime) -> None:
        raise NotImplementedError("this unit of work stores no substitutes")

    def set_promotion(self, scope: str, discount_percent: Decimal, now: datetime) -> None:
        raise NotImplementedError("this unit of work stores no substitute promotions")

    def clear_promotion(self, scope: str) -> bool:
        raise NotImplementedError("this unit of work stores no substitute promotions")

    def record(self, sku: str, substitute: str, action: SubstituteAction, now: datetime) -> None:
        raise NotImplementedError("this unit of work stores no substitute events")

    def stats(self, sku: str | None) -> list[SubstituteStat]:
        return []


class SubstituteReader(Protocol):
    """The read side a storefront request uses (its own read session)."""

    def product_status(self, sku: str) -> str | None:
        """The product's status, None when there is no such SKU."""
        ...

    def unknown_locations(self, locations: Sequence[str]) -> list[str]: ...

    def candidates(self, sku: str, locations: Sequence[str] | None) -> list[Candidate]:
        """The stored neighbours of ``sku`` with their product and available stock at
        ``locations`` (None: every sellable location)."""
        ...

    def available(self, sku: str, locations: Sequence[str] | None) -> int: ...

    def customer_history(self, customer: str) -> tuple[set[str], set[str]]:
        """SKUs and categories the customer bought (orders not cancelled)."""
        ...

    def discount(self, sku: str) -> Decimal | None:
        """The discount on ``sku``'s substitutes: its own, else the global one (``*``)."""
        ...
