"""Sales orders and their lines, as received from the shop."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


class SalesOrderStatus(enum.StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


@dataclass(eq=False, slots=True)
class SalesOrderLine:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(eq=False, slots=True)
class SalesOrder:
    number: str
    ordered_at: datetime
    customer: str | None = None
    channel: str = "web"
    currency: str = "EUR"
    status: SalesOrderStatus = SalesOrderStatus.FULFILLED
    lines: list[SalesOrderLine] = field(default_factory=list)
