"""Plain values the suppliers services compute on (read from purchase history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class OrderLineFacts:
    """One purchase-order line with its delivery record.

    ``first_received_on`` is the day of the line's first receipt (None: nothing received),
    ``received``/``rejected`` the units delivered so far and refused at receipt.
    """

    supplier: str
    sku: str
    order_number: str
    status: str
    ordered_on: date | None
    expected_on: date | None
    first_received_on: date | None
    quantity: int
    received: int
    rejected: int
    unit_cost: Decimal
    currency: str

    @property
    def lead_time_days(self) -> int | None:
        """First receipt day minus order day, when both are known."""
        if self.ordered_on is None or self.first_received_on is None:
            return None
        return (self.first_received_on - self.ordered_on).days

    @property
    def delay_days(self) -> int | None:
        """First receipt day minus promised day (negative = early), when both are known."""
        if self.expected_on is None or self.first_received_on is None:
            return None
        return (self.first_received_on - self.expected_on).days


@dataclass(frozen=True, slots=True)
class SupplierFacts:
    code: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class OfferFacts:
    supplier: str
    sku: str
    unit_cost: Decimal
    currency: str
    lead_time_days: int
    minimum_order_quantity: int


@dataclass(frozen=True, slots=True)
class SupplierRating:
    """The buyer's assessment of a supplier (see ``rating.validate_rating``)."""

    supplier: str
    financial_rating: str | None
    capacity_utilisation: float | None
    hazard_zone: str | None
    rated_at: datetime
