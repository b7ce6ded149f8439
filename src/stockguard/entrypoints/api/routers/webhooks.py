"""Signed webhooks from shops: orders and inventory (see docs/webhooks.md).

No API key here: the shop signs the raw body with its secret. The signature is checked
on the raw bytes before any JSON is parsed, and every authentication failure gets the
same 401, whatever its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from stockguard.domain import shops
from stockguard.entrypoints.api.deps import AppDep, BusDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Problem
from stockguard.entrypoints.api.schemas.webhooks import (
    InventoryWebhookCreate,
    OrderWebhookCreate,
    WebhookResultRead,
    request_body_schema,
)

MAX_BODY_BYTES = 1024 * 1024
MAX_DELIVERY_ID = 120
SHOP_HEADER = "X-Stockguard-Shop"
DELIVERY_HEADER = "X-Stockguard-Delivery"
SIGNATURE_HEADER = "X-Stockguard-Signature"
UNAUTHORIZED = (
    f"Send the shop's code in {SHOP_HEADER} and sha256=<hex HMAC-SHA256 of the raw body "
    f"with the shop's secret> in {SIGNATURE_HEADER}."
)

RESPONSES: dict[int | str, dict[str, Any]] = {
    **{status: PROBLEM_RESPONSES[status] for status in (404, 409, 422)},
    401: {**PROBLEM_RESPONSES[401], "description": "Unknown shop or a missing/wrong signature."},
    413: {
        "model": Problem,
        "content": {"application/problem+json": {}},
        "description": f"The body is larger than {MAX_BODY_BYTES} bytes.",
    },
}

router = APIRouter(prefix="/webhooks", tags=["webhooks"], responses=RESPONSES)

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class SignedDelivery:
    """A webhook whose body carries a valid signature of a known shop."""

    shop: str
    delivery_id: str
    body: bytes


async def read_body(request: Request) -> bytes:
    """The raw body, refused with 413 beyond ``MAX_BODY_BYTES`` (without reading it all)."""
    too_large = HTTPException(413, f"The body must not exceed {MAX_BODY_BYTES} bytes.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def signed_delivery(
    stockguard: AppDep,
    body: Annotated[bytes, Depends(read_body)],
    shop: Annotated[str | None, Header(alias=SHOP_HEADER, description="The shop's code.")] = None,
    signature: Annotated[
        str | None, Header(alias=SIGNATURE_HEADER, description="sha256=<hex HMAC of the body>")
    ] = None,
    delivery_id: Annotated[
        str | None, Header(alias=DELIVERY_HEADER, description="Unique per delivery (replays).")
    ] = None,
) -> SignedDelivery:
    known = _find_shop(stockguard, shop)
    if known is None or not known.signed(body, signature):
        raise HTTPException(401, UNAUTHORIZED)
    if not delivery_id or len(delivery_id) > MAX_DELIVERY_ID:
        reason = f"required, 1 to {MAX_DELIVERY_ID} characters"
        raise RequestValidationError(
            [{"loc": ("header", DELIVERY_HEADER), "msg": reason, "type": "value_error"}]
        )
    return SignedDelivery(known.code, delivery_id, body)


SignedDeliveryDep = Annotated[SignedDelivery, Depends(signed_delivery)]


@router.post("/orders", openapi_extra=request_body_schema(OrderWebhookCreate))
def receive_order_webhook(delivery: SignedDeliveryDep, bus: BusDep) -> WebhookResultRead:
    """Record a shop's order (body: ``OrderWebhookCreate``): the sales order, its lines and
    one sale per line, in one transaction. Answers 200 ``processed`` the first time a
    delivery id arrives and 200 ``duplicate`` (nothing written) after."""
    payload = _parse(OrderWebhookCreate, delivery.body)
    command = payload.to_command(delivery.shop, delivery.delivery_id, datetime.now(UTC))
    return WebhookResultRead.from_result(bus.handle(command))


@router.post("/inventory", openapi_extra=request_body_schema(InventoryWebhookCreate))
def receive_inventory_webhook(delivery: SignedDeliveryDep, bus: BusDep) -> WebhookResultRead:
    """Record counts and adjustments (body: ``InventoryWebhookCreate``) in one transaction;
    200 ``processed`` the first time a delivery id arrives, 200 ``duplicate`` after."""
    payload = _parse(InventoryWebhookCreate, delivery.body)
    command = payload.to_command(delivery.shop, delivery.delivery_id, datetime.now(UTC))
    return WebhookResultRead.from_result(bus.handle(command))


def _find_shop(stockguard: AppDep, code: str | None) -> shops.Shop | None:
    if not code or not shops.CODE_PATTERN.fullmatch(code):
        return None
    with stockguard.unit_of_work() as uow:
        return uow.shops.get(code)


def _parse(model: type[Model], body: bytes) -> Model:
    """Validate the JSON body; errors are reported like FastAPI's, under ``body``."""
    try:
        return model.model_validate_json(body)
    except ValidationError as error:
        invalid = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        raise RequestValidationError(invalid) from None
