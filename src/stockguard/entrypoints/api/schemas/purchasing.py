"""Purchase order and supplier models. Costs are private: planner scope only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field, model_validator

from stockguard.domain.purchasing import PurchaseOrderStatus

SKU = Field(min_length=1, max_length=64, examples=["MUG-RED-L"])
QUANTITY = Field(ge=1, le=1_000_000, description="Units, a whole number above 0.")
UNIT_COST = Field(ge=0, le=1_000_000, max_digits=14, decimal_places=4, examples=["3.10"])
CARRIER = Field(default=None, min_length=1, max_length=64, description="Carrier code.")
ORDER_NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class PurchaseOrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = SKU
    quantity: int = QUANTITY
    unit_cost: Decimal = UNIT_COST


class PurchaseOrderCreate(BaseModel):
    """A draft purchase order; send it to make its units count as on order."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "number": "PO-2026-0042",
                    "supplier": "POTTERY-CO",
                    "location": "PAR-GEN",
                    "lines": [{"sku": "MUG-RED-L", "quantity": 120, "unit_cost": "3.10"}],
                    "expected_on": "2026-09-20",
                    "currency": "EUR",
                }
            ]
        },
    )

    number: str = Field(min_length=1, max_length=64, pattern=ORDER_NUMBER_PATTERN)
    supplier: str = Field(min_length=1, max_length=64, description="Supplier code.")
    location: str = Field(min_length=1, max_length=32, description="Receiving location.")
    lines: list[PurchaseOrderLineIn] = Field(min_length=1, max_length=1000)
    ordered_on: date | None = Field(default=None, description="Default: today (UTC).")
    expected_on: date | None = None
    carrier: str | None = CARRIER
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$", description="ISO 4217.")

    @model_validator(mode="after")
    def _expected_after_ordered(self) -> Self:
        if self.ordered_on and self.expected_on and self.expected_on < self.ordered_on:
            raise ValueError("expected_on must not be before ordered_on")
        return self


class PurchaseOrderUpdate(BaseModel):
    """Fields to change; absent fields stay as they are. Lines change only on a draft."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "expected_on": "2026-09-25",
                    "lines": [{"sku": "MUG-RED-L", "quantity": 120, "unit_cost": "3.10"}],
                }
            ]
        },
    )

    expected_on: date | None = None
    carrier: str | None = CARRIER
    lines: list[PurchaseOrderLineIn] | None = Field(
        default=None, min_length=1, max_length=1000, description="Replaces every line."
    )


class ReceiptCreate(BaseModel):
    """A delivery against one line; ``rejected`` of the ``quantity`` units failed inspection."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "MUG-RED-L",
                    "quantity": 60,
                    "rejected": 2,
                    "idempotency_key": "PO-2026-0042:delivery-1:MUG-RED-L",
                    "occurred_at": "2026-09-19T09:15:00Z",
                }
            ]
        },
    )

    sku: str = SKU
    quantity: int = QUANTITY
    rejected: int = Field(default=0, ge=0, le=1_000_000, description="Units refused at QC.")
    idempotency_key: str = Field(
        min_length=1, max_length=200, description="The same key twice records once."
    )
    occurred_at: AwareDatetime | None = Field(
        default=None, description="When it arrived (timezone required); default: now."
    )


class PurchaseOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str = Field(examples=["PO-2026-0042"])
    supplier: str = Field(examples=["POTTERY-CO"])
    location: str = Field(examples=["PAR-GEN"])
    status: PurchaseOrderStatus
    ordered_on: date | None = None
    expected_on: date | None = None
    carrier: str | None = None
    currency: str = Field(examples=["EUR"])


class PurchaseOrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: int
    unit_cost: Decimal
    received: int = Field(description="Units delivered so far, rejected ones included.")
    rejected: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outstanding(self) -> int:
        return max(self.quantity - self.received, 0)


class PurchaseReceiptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: int
    rejected: int
    received_at: datetime
    idempotency_key: str


class PurchaseOrderDetailRead(PurchaseOrderRead):
    """A purchase order with its lines and every receipt booked against it."""

    lines: list[PurchaseOrderLineRead]
    receipts: list[PurchaseReceiptRead]


class SupplierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["POTTERY-CO"])
    name: str = Field(examples=["Pottery & Co"])
    country: str | None = Field(default=None, examples=["PT"])
    email: str | None = None
    currency: str = Field(examples=["EUR"])


class SupplierOfferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    unit_cost: Decimal
    currency: str
    minimum_order_quantity: int = Field(description="MOQ: the fewest units per order.")
    pack_size: int
    lead_time_days: int


class SupplierDetailRead(SupplierRead):
    """A supplier with what it offers, by SKU."""

    offers: list[SupplierOfferRead]
