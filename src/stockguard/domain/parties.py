"""Customers, suppliers, their offers, and carriers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(eq=False, slots=True)
class Customer:
    external_id: str
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    locale: str = "en"
    country: str | None = None
    email_consent_at: datetime | None = None
    sms_consent_at: datetime | None = None


@dataclass(eq=False, slots=True)
class Supplier:
    code: str
    name: str
    country: str | None = None
    email: str | None = None
    currency: str = "EUR"


@dataclass(eq=False, slots=True)
class SupplierOffer:
    """What one supplier charges for one SKU and how fast it says it delivers."""

    supplier: str
    sku: str
    unit_cost: Decimal
    currency: str = "EUR"
    minimum_order_quantity: int = 1
    pack_size: int = 1
    lead_time_days: int = 7


@dataclass(eq=False, slots=True)
class Carrier:
    code: str
    name: str
