"""Customer and sales order models (personal data: planner scope only)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    external_id: str = Field(examples=["shop-10023"])
    email: str | None = Field(default=None, examples=["ada@example.com"])
    phone: str | None = None
    name: str | None = Field(default=None, examples=["Ada Lovelace"])
    locale: str = Field(examples=["en"])
    country: str | None = None
    email_consent_at: datetime | None = None
    sms_consent_at: datetime | None = None


class SalesOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str = Field(examples=["1001"])
    customer: str | None = Field(default=None, examples=["shop-10023"])
    ordered_at: datetime
    channel: str = Field(examples=["web"])
    currency: str = Field(examples=["EUR"])
    status: str = Field(examples=["fulfilled"])


class SalesOrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal


class SalesOrderDetailRead(SalesOrderRead):
    """A sales order with its lines."""

    lines: list[SalesOrderLineRead]
