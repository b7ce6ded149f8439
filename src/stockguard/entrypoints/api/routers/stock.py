"""Stock levels and the movement ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from stockguard.adapters.db.views import stock
from stockguard.domain import commands
from stockguard.domain.ledger import MovementKind
from stockguard.entrypoints.api.deps import BusDep, Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.stock import (
    MovementCreate,
    MovementKindIn,
    MovementRead,
    MovementResultRead,
    StockLevelRead,
)
from stockguard.services.handlers.stock import MovementResult

router = APIRouter(tags=["stock"], responses=PROBLEM_RESPONSES)


@router.get("/stock-levels", dependencies=[Planner])
def list_stock_levels(
    session: SessionDep,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    location: Annotated[str | None, Query(max_length=32)] = None,
    out_of_stock: Annotated[
        bool | None, Query(description="Only levels with available <= 0.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[StockLevelRead]:
    """Stock per SKU and location, with ``available = on_hand - allocated - reserved``."""
    found = stock.levels(
        session, sku=sku, location=location, out_of_stock=out_of_stock, limit=limit,
        offset=offset,
    )  # fmt: skip
    items = [StockLevelRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/movements", dependencies=[Planner])
def list_movements(
    session: SessionDep,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    location: Annotated[str | None, Query(max_length=32)] = None,
    kind: Annotated[MovementKind | None, Query(description="Only movements of this kind.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[MovementRead]:
    """The ledger, newest first."""
    found = stock.movements(
        session, sku=sku, location=location, kind=kind, limit=limit, offset=offset
    )
    items = [MovementRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.post(
    "/movements",
    status_code=201,
    dependencies=[Planner],
    responses={200: {"description": "Replayed key: nothing new was recorded."}},
)
def post_movement(body: MovementCreate, bus: BusDep, response: Response) -> MovementResultRead:
    """Record a movement. Posting the same ``idempotency_key`` again records nothing and
    answers 200 with the movement first recorded."""
    result: MovementResult = bus.handle(_command(body))
    if not result.recorded:
        response.status_code = 200
    return MovementResultRead(
        recorded=result.recorded,
        movements=[MovementRead.model_validate(m) for m in result.movements],
        on_hand=result.on_hand,
    )


def _command(body: MovementCreate) -> commands.Command:
    at = body.occurred_at or datetime.now(UTC)
    args = (body.sku, body.location)
    if body.kind is MovementKindIn.SALE:
        return commands.RecordSale(*args, body.quantity, at, body.idempotency_key, body.reference)
    if body.kind is MovementKindIn.RETURN:
        return commands.RecordReturn(*args, body.quantity, at, body.idempotency_key, body.reference)
    if body.kind is MovementKindIn.ADJUSTMENT:
        return commands.RecordAdjustment(
            *args, body.quantity, at, body.idempotency_key, body.reference
        )
    return commands.RecordStockCount(*args, body.quantity, at, body.idempotency_key, body.reference)
