"""Ports of the promotions area: planned promotions, inbound supply, warnings sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from stockguard.domain import events
from stockguard.domain.marketing import Promotion


@dataclass(frozen=True, slots=True)
class Inbound:
    """Outstanding units of one open purchase-order line, due at a location on a day."""

    sku: str
    location: str
    quantity: int
    expected_on: date


@dataclass(frozen=True, slots=True)
class SentWarning:
    """The figures of the last ``PromotionAtRisk`` sent for a promotion x SKU x location."""

    promotion: str
    sku: str
    location: str
    projected_demand: int
    available: int
    order_quantity: int
    last_order_date: date
    warned_at: datetime


class PromotionRepository(Protocol):
    """Promotions and their warnings inside a unit of work.

    ``record`` stores (insert or update) a warning and queues its event; the unit of work
    writes the queued events to the outbox on commit (``drain_events``).
    """

    def promotions(self, *, ending_on_or_after: date) -> list[Promotion]:
        """Promotions whose last day is ``ending_on_or_after`` or later, by start date."""
        ...

    def past_promotions(self, *, start: date, end: date) -> list[Promotion]:
        """Promotions that ran, at least partly, between ``start`` and ``end``."""
        ...

    def categories(self) -> dict[str, str | None]:
        """Category of every product, by SKU."""
        ...

    def inbound(self) -> list[Inbound]:
        """Outstanding units of open purchase orders that have an expected date."""
        ...

    def uplift_overrides(self) -> dict[str, float]:
        """Uplifts set by hand, by promotion code."""
        ...

    def set_uplift(self, promotion: str, uplift: float, now: datetime) -> None: ...

    def warnings(self) -> dict[tuple[str, str, str], SentWarning]:
        """Last warning per (promotion, sku, location)."""
        ...

    def record(self, warning: SentWarning, event: events.PromotionAtRisk) -> None: ...

    def drain_events(self) -> list[events.Event]: ...


class NoPromotions:
    """A repository without promotions (units of work that do not hold them, e.g. fakes)."""

    def promotions(self, *, ending_on_or_after: date) -> list[Promotion]:
        return []

    def past_promotions(self, *, start: date, end: date) -> list[Promotion]:
        return []

    def categories(self) -> dict[str, str | None]:
        return {}

    def inbound(self) -> list[Inbound]:
        return []

    def uplift_overrides(self) -> dict[str, float]:
        return {}

    def set_uplift(self, promotion: str, uplift: float, now: datetime) -> None:
        raise NotImplementedError("this unit of work stores no promotions")

    def warnings(self) -> dict[tuple[str, str, str], SentWarning]:
        return {}

    def record(self, warning: SentWarning, event: events.PromotionAtRisk) -> None:
        raise NotImplementedError("this unit of work stores no promotion warnings")

    def drain_events(self) -> list[events.Event]:
        return []
