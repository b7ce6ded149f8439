"""What the suppliers services read and write (implemented in adapters.db.suppliers_kpi)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from stockguard.services.suppliers.model import (
    OfferFacts,
    OrderLineFacts,
    SupplierFacts,
    SupplierRating,
)


class SupplierHistory(Protocol):
    """Read side of purchasing for KPIs and risk (no locks, no writes)."""

    def order_lines(
        self, *, supplier: str | None = None, sku: str | None = None, since: date | None = None
    ) -> list[OrderLineFacts]:
        """Lines of non-draft, non-cancelled POs (promised or ordered on/after ``since``)."""
        ...

    def suppliers(self) -> list[SupplierFacts]: ...

    def offers(self) -> list[OfferFacts]: ...

    def ratings(self) -> list[SupplierRating]: ...

    def country_scores(self) -> dict[str, float]:
        """The buyer's country risk overrides, by country as entered."""
        ...

    def product_categories(self) -> dict[str, str | None]:
        """SKU -> category of every product."""
        ...

    def revenue_by_sku(self, *, since: datetime) -> dict[str, Decimal]:
        """Sales revenue (quantity x unit price) per SKU of orders placed since ``since``."""
        ...


class RatingStore(Protocol):
    """Where the buyer's entries are kept."""

    def supplier_exists(self, code: str) -> bool: ...

    def save_rating(self, rating: SupplierRating) -> None:
        """Insert or replace the supplier's rating."""
        ...

    def save_country_scores(
        self, scores: Sequence[tuple[str, float]], *, source: str | None, at: datetime
    ) -> None:
        """Insert or replace country risk overrides."""
        ...
