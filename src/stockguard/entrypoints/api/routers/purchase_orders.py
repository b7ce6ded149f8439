"""Purchase orders: list, read, create, edit, move along the life cycle, receive."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from stockguard.adapters.db.views import purchasing
from stockguard.bootstrap import App
from stockguard.domain import commands, errors
from stockguard.domain.purchasing import PurchaseOrderStatus
from stockguard.entrypoints.api.deps import AppDep, BusDep, Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.purchasing import (
    PurchaseOrderCreate,
    PurchaseOrderDetailRead,
    PurchaseOrderLineIn,
    PurchaseOrderRead,
    PurchaseOrderUpdate,
    ReceiptCreate,
)
from stockguard.entrypoints.api.schemas.stock import MovementRead, MovementResultRead
from stockguard.services.handlers.stock import MovementResult

router = APIRouter(prefix="/purchase-orders", tags=["purchasing"], responses=PROBLEM_RESPONSES)

Number = Annotated[str, Path(max_length=64, description="Purchase order number.")]


@router.get("", dependencies=[Planner])
def list_purchase_orders(
    session: SessionDep,
    status: PurchaseOrderStatus | None = None,
    supplier: Annotated[str | None, Query(max_length=64, description="Supplier code.")] = None,
    location: Annotated[str | None, Query(max_length=32)] = None,
    sku: Annotated[str | None, Query(max_length=64, description="Has a line of this SKU.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[PurchaseOrderRead]:
    """List purchase orders by number, filtered by status, supplier, location or SKU."""
    found = purchasing.purchase_orders(
        session, status=status, supplier=supplier, location=location, sku=sku,
        limit=limit, offset=offset,
    )  # fmt: skip
    items = [PurchaseOrderRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/{number}", dependencies=[Planner])
def get_purchase_order(stockguard: AppDep, number: Number) -> PurchaseOrderDetailRead:
    """One purchase order with its lines (ordered, received, outstanding) and receipts."""
    return _read(stockguard, number)


@router.post("", status_code=201, dependencies=[Planner])
def create_purchase_order(
    body: PurchaseOrderCreate, bus: BusDep, stockguard: AppDep
) -> PurchaseOrderDetailRead:
    """Create a draft purchase order. Its units count as on order once it is sent."""
    bus.handle(
        commands.CreatePurchaseOrder(
            number=body.number,
            supplier=body.supplier,
            location=body.location,
            lines=_lines(body.lines),
            ordered_on=body.ordered_on or datetime.now(UTC).date(),
            expected_on=body.expected_on,
            carrier=body.carrier,
            currency=body.currency,
        )
    )
    return _read(stockguard, body.number)


@router.patch("/{number}", dependencies=[Planner])
def update_purchase_order(
    number: Number, body: PurchaseOrderUpdate, bus: BusDep, stockguard: AppDep
) -> PurchaseOrderDetailRead:
    """Change the expected date or carrier; replace the lines while the order is a draft
    (409 ``invalid_transition`` afterwards)."""
    lines = _lines(body.lines) if body.lines is not None else None
    bus.handle(commands.UpdatePurchaseOrder(number, body.expected_on, body.carrier, lines))
    return _read(stockguard, number)


@router.post(
    "/{number}/receipts",
    status_code=201,
    dependencies=[Planner],
    responses={200: {"description": "Replayed key: nothing new was recorded."}},
)
def receive_purchase_order(
    number: Number, body: ReceiptCreate, bus: BusDep, response: Response
) -> MovementResultRead:
    """Receive units of one line; accepted units (quantity - rejected) enter stock.
    Posting the same ``idempotency_key`` again records nothing and answers 200."""
    occurred_at = body.occurred_at or datetime.now(UTC)
    result: MovementResult = bus.handle(
        commands.ReceivePurchaseOrderLine(
            number, body.sku, body.quantity, occurred_at, body.idempotency_key, body.rejected
        )
    )
    if not result.recorded:
        response.status_code = 200
    return MovementResultRead(
        recorded=result.recorded,
        movements=[MovementRead.model_validate(m) for m in result.movements],
        on_hand=result.on_hand,
    )


def _status_route(verb: str, status: PurchaseOrderStatus, doc: str) -> None:
    def change(number: Number, bus: BusDep, stockguard: AppDep) -> PurchaseOrderDetailRead:
        bus.handle(commands.ChangePurchaseOrderStatus(number, status.value))
        return _read(stockguard, number)

    change.__doc__ = doc
    change.__name__ = f"{verb}_purchase_order"
    router.post(f"/{{number}}/{verb}", dependencies=[Planner])(change)


for _verb, _status, _doc in (
    ("send", PurchaseOrderStatus.SENT,
     "Mark a draft as sent to the supplier; its outstanding units count as on order."),
    ("confirm", PurchaseOrderStatus.CONFIRMED, "Record the supplier's confirmation."),
    ("ship", PurchaseOrderStatus.SHIPPED, "Record that the goods have left the supplier."),
    ("cancel", PurchaseOrderStatus.CANCELLED,
     "Cancel the order; its outstanding units leave on order."),
):  # fmt: skip
    _status_route(_verb, _status, _doc + " A transition the life cycle forbids is a 409.")


def _read(stockguard: App, number: str) -> PurchaseOrderDetailRead:
    """Read the order in a fresh session (after the bus committed, when it wrote)."""
    with stockguard.reader() as session:
        view = purchasing.purchase_order(session, number)
        if view is None:
            raise errors.UnknownPurchaseOrder(number)
        return PurchaseOrderDetailRead.model_validate(
            {**_mapping(view.order), "lines": view.lines, "receipts": view.receipts}
        )


def _mapping(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


def _lines(lines: list[PurchaseOrderLineIn]) -> tuple[commands.PurchaseOrderLineInput, ...]:
    return tuple(commands.PurchaseOrderLineInput(x.sku, x.quantity, x.unit_cost) for x in lines)
