"""Storefront checkout: reservations (holds with expiry, confirm, ship) and pre-orders.

Under ``/storefront/v1``, for keys with the ``storefront`` scope. A hold that cannot be
served answers 409 with a problem document such as "Only 3 left of SKU X at Paris;
your cart asked for 5.". Send ``Idempotency-Key`` so a retried request does not hold
twice: the same key answers 200 with the first reservation.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from stockguard.domain import reservations as r
from stockguard.entrypoints.api.deps import AppDep, BusDep, Storefront
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.preorders import handlers as pre
from stockguard.services.preorders.handlers import GetPreorder, PlacePreorder, PreorderResult
from stockguard.services.reservations import handlers as h

router = APIRouter(prefix="/storefront/v1", tags=["checkout"], responses=PROBLEM_RESPONSES)

ReservationId = Annotated[str, Path(min_length=1, max_length=32)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=100,
           description="Retries with the same key do not hold or pre-order twice."),
]  # fmt: skip


class ReservationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"sku": "MUG-RED-L", "location": "PAR-GEN", "quantity": 2, "cart_id": "cart-81f3",
                 "ttl_minutes": 15}
            ]
        },
    )  # fmt: skip
    sku: str = Field(min_length=1, max_length=64)
    location: str | None = Field(default=None, min_length=1, max_length=32)
    quantity: int = Field(ge=1, le=10_000)
    cart_id: str = Field(min_length=1, max_length=128)
    ttl_minutes: int | None = Field(default=None, ge=1, le=r.MAX_TTL_MINUTES)


class ReservationConfirm(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"order_number": "WEB-10042"}]}
    )
    order_number: str = Field(min_length=1, max_length=64)


class ReservationRead(BaseModel):
    id: str
    sku: str
    location: str
    quantity: int
    cart_id: str
    status: str
    created_at: datetime
    expires_at: datetime
    order_number: str | None
    closed_at: datetime | None
    available: int
    """Units still available at the location after this request."""


class PreorderCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"sku": "MUG-RED-L", "quantity": 1, "customer": "ada@example.com"}]
        },
    )
    sku: str = Field(min_length=1, max_length=64)
    location: str | None = Field(default=None, min_length=1, max_length=32)
    quantity: int = Field(ge=1, le=10_000)
    customer: str = Field(min_length=1, max_length=254, description="E-mail, phone or id.")


class PreorderRead(BaseModel):
    id: str
    sku: str
    location: str
    quantity: int
    customer: str
    status: str
    purchase_order: str | None
    promised_on: date | None
    created_at: datetime


def _read(result: h.ReservationResult) -> ReservationRead:
    x = result.reservation
    return ReservationRead(
        id=x.id, sku=x.sku, location=x.location, quantity=x.quantity, cart_id=x.cart_id,
        status=x.status.value, created_at=x.created_at, expires_at=x.expires_at,
        order_number=x.order_number, closed_at=x.closed_at, available=result.available,
    )  # fmt: skip


def _preorder(result: PreorderResult) -> PreorderRead:
    p = result.preorder
    return PreorderRead(
        id=p.id, sku=p.sku, location=p.location, quantity=p.quantity, customer=p.customer,
        status=p.status.value, purchase_order=p.purchase_order, promised_on=p.promised_on,
        created_at=p.created_at,
    )  # fmt: skip


@router.post(
    "/reservations",
    status_code=201,
    dependencies=[Storefront],
    responses={200: {"description": "Replayed Idempotency-Key: the first reservation."}},
)
def create_reservation(
    body: ReservationCreate,
    bus: BusDep,
    stockguard: AppDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ReservationRead:
    """Hold stock for a cart until ``expires_at`` (409 when not enough is available)."""
    ttl = body.ttl_minutes or stockguard.settings.checkout.reservation_ttl_minutes
    command = h.Reserve(
        sku=body.sku,
        quantity=body.quantity,
        cart_id=body.cart_id,
        idempotency_key=idempotency_key or f"auto:{uuid.uuid4().hex}",
        location=body.location,
        ttl_minutes=ttl,
    )
    result: h.ReservationResult = bus.handle(command)
    if not result.created:
        response.status_code = 200
    return _read(result)


@router.get("/reservations/{reservation_id}", dependencies=[Storefront])
def get_reservation(reservation_id: ReservationId, bus: BusDep) -> ReservationRead:
    """One reservation; a hold past its expiry is released first (status ``expired``)."""
    return _read(bus.handle(h.GetReservation(reservation_id)))


@router.delete("/reservations/{reservation_id}", dependencies=[Storefront])
def release_reservation(reservation_id: ReservationId, bus: BusDep) -> ReservationRead:
    """Cancel a hold: its units are available again. Repeating it changes nothing."""
    return _read(bus.handle(h.ReleaseReservation(reservation_id)))


@router.post("/reservations/{reservation_id}/confirm", dependencies=[Storefront])
def confirm_reservation(
    reservation_id: ReservationId, body: ReservationConfirm, bus: BusDep
) -> ReservationRead:
    """The cart became an order: the held units are allocated to ``order_number``."""
    return _read(bus.handle(h.ConfirmReservation(reservation_id, body.order_number)))


@router.post("/reservations/{reservation_id}/ship", dependencies=[Storefront])
def ship_reservation(reservation_id: ReservationId, bus: BusDep) -> ReservationRead:
    """The order shipped: the allocation is freed and the sale recorded in the ledger."""
    return _read(bus.handle(h.ShipReservation(reservation_id)))


@router.post(
    "/preorders",
    status_code=201,
    dependencies=[Storefront],
    responses={200: {"description": "Replayed Idempotency-Key: the first pre-order."}},
)
def create_preorder(
    body: PreorderCreate,
    bus: BusDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> PreorderRead:
    """Pre-order an out-of-stock SKU against open purchase orders (409 with the reason
    when it is in stock or the open POs have nothing left to promise)."""
    command = PlacePreorder(
        sku=body.sku,
        quantity=body.quantity,
        customer=body.customer,
        idempotency_key=idempotency_key or f"auto:{uuid.uuid4().hex}",
        location=body.location,
    )
    result: PreorderResult = bus.handle(command)
    if not result.created:
        response.status_code = 200
    return _preorder(result)


@router.get("/preorders/{preorder_id}", dependencies=[Storefront])
def get_preorder(preorder_id: ReservationId, bus: BusDep) -> PreorderRead:
    """One pre-order: its status, the purchase order bringing it and the promised date
    (moved when that PO is late, short or cancelled)."""
    return _preorder(bus.handle(GetPreorder(preorder_id)))


@router.delete("/preorders/{preorder_id}", dependencies=[Storefront])
def cancel_preorder(preorder_id: ReservationId, bus: BusDep) -> PreorderRead:
    """Cancel a pre-order (an allocated one frees its units); the pre-orders after it may
    be promised earlier. Repeating it changes nothing."""
    return _preorder(bus.handle(pre.CancelPreorder(preorder_id)))


@router.post("/preorders/{preorder_id}/ship", dependencies=[Storefront])
def ship_preorder(preorder_id: ReservationId, bus: BusDep) -> PreorderRead:
    """Ship an allocated pre-order (its goods arrived): the sale is recorded in the ledger."""
    return _preorder(bus.handle(pre.ShipPreorder(preorder_id)))
