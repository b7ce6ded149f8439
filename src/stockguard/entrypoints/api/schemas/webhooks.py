"""Webhook payloads from shops (orders, inventory) and what stockguard answers.

The router parses these models itself, after checking the signature on the raw body, so
``request_body_schema`` writes them into the OpenAPI document by hand.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from stockguard.domain import commands, ledger
from stockguard.entrypoints.api.schemas.stock import MovementRead
from stockguard.services.handlers.webhooks import WebhookResult

MAX_LINES = 500

ORDER_EXAMPLE: dict[str, Any] = {
    "order_number": "SHOP-1001",
    "ordered_at": "2026-09-01T14:30:00Z",
    "customer": {"external_id": "C-4242", "email": "ada@example.com"},
    "lines": [
        {"sku": "MUG-RED-L", "quantity": 2, "unit_price": "12.90"},
        {"sku": "TEA-EARL-100", "quantity": 1, "unit_price": "6.50"},
    ],
    "currency": "EUR",
}
INVENTORY_EXAMPLE: dict[str, Any] = {
    "occurred_at": "2026-09-01T18:00:00Z",
    "adjustments": [
        {"sku": "MUG-RED-L", "kind": "count", "quantity": 40},
        {"sku": "TEA-EARL-100", "location": "PAR-GEN", "kind": "adjustment", "quantity": -3},
    ],
}


class WebhookCustomerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=64, description="The shop's customer id.")
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")


class OrderWebhookLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=1_000_000, description="Units sold (positive).")
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=4, examples=["12.90"])


class OrderWebhookCreate(BaseModel):
    """A placed order: recorded with its lines, and each line takes its units out of
    ``location`` (default: the shop's location) as a sale."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ORDER_EXAMPLE]})

    order_number: str = Field(min_length=1, max_length=64)
    ordered_at: AwareDatetime = Field(description="When the order was placed (with timezone).")
    customer: WebhookCustomerCreate | None = None
    lines: list[OrderWebhookLineCreate] = Field(min_length=1, max_length=MAX_LINES)
    location: str | None = Field(default=None, min_length=1, max_length=32)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")

    def to_command(
        self, shop: str, delivery_id: str, received_at: datetime
    ) -> commands.RecordOrderWebhook:
        customer = self.customer
        return commands.RecordOrderWebhook(
            shop=shop,
            delivery_id=delivery_id,
            received_at=received_at,
            order_number=self.order_number,
            ordered_at=self.ordered_at,
            lines=tuple(
                commands.WebhookOrderLine(line.sku, line.quantity, line.unit_price)
                for line in self.lines
            ),
            customer=commands.WebhookCustomer(customer.external_id, customer.email)
            if customer
            else None,
            location=self.location,
            currency=self.currency,
        )


class InventoryKindIn(enum.StrEnum):
    COUNT = "count"
    ADJUSTMENT = "adjustment"


class InventoryAdjustmentCreate(BaseModel):
    """``count``: ``quantity`` is the units counted (>= 0); ``adjustment``: a signed,
    non-zero change of on hand."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    location: str | None = Field(default=None, min_length=1, max_length=32)
    kind: InventoryKindIn
    quantity: int = Field(ge=-1_000_000, le=1_000_000)


class InventoryWebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [INVENTORY_EXAMPLE]})

    occurred_at: AwareDatetime = Field(description="When the stock was counted or changed.")
    adjustments: list[InventoryAdjustmentCreate] = Field(min_length=1, max_length=MAX_LINES)

    def to_command(
        self, shop: str, delivery_id: str, received_at: datetime
    ) -> commands.RecordInventoryWebhook:
        return commands.RecordInventoryWebhook(
            shop=shop,
            delivery_id=delivery_id,
            received_at=received_at,
            occurred_at=self.occurred_at,
            adjustments=tuple(
                commands.WebhookAdjustment(
                    a.sku, ledger.MovementKind(a.kind.value), a.quantity, a.location
                )
                for a in self.adjustments
            ),
        )


class WebhookResultRead(BaseModel):
    """``processed`` the first time a delivery id arrives; ``duplicate`` (nothing written)
    every time after."""

    status: Literal["processed", "duplicate"]
    shop: str = Field(examples=["acme-web"])
    delivery_id: str = Field(examples=["d-2026-09-01-0001"])
    topic: str = Field(examples=["orders"])
    movements: list[MovementRead] = Field(description="Movements recorded (none if duplicate).")

    @classmethod
    def from_result(cls, result: WebhookResult) -> WebhookResultRead:
        return cls(
            status="processed" if result.processed else "duplicate",
            shop=result.shop,
            delivery_id=result.delivery_id,
            topic=result.topic.value,
            movements=[MovementRead.model_validate(m) for m in result.movements],
        )


def request_body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """An OpenAPI ``requestBody`` for ``model``, with nested models inlined."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(schema, definitions)}},
        }
    }


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            return _inline(definitions[reference.removeprefix("#/$defs/")], definitions)
        return {key: _inline(value, definitions) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    return node
