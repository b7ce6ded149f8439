"""Carriers, their on-time KPIs, and shipments with tracking (planner scope)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.orm import Session

from stockguard.adapters.db.views import carriers as views
from stockguard.domain import errors, shipping
from stockguard.entrypoints.api.deps import AppDep, BusDep, Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.carriers import (
    CarrierKpisRead,
    CarrierRead,
    KpiRead,
    ShipmentCreate,
    ShipmentDetailRead,
    ShipmentRead,
    ShipmentUpdate,
    TrackingRead,
)
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.services.carriers import handlers
from stockguard.services.carriers.kpis import carrier_kpis, kpi

router = APIRouter(tags=["purchasing"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

Code = Annotated[str, Path(min_length=1, max_length=64, description="Carrier code.")]
Reference = Annotated[str, Path(min_length=1, max_length=64, description="Shipment reference.")]


@router.get("/carriers")
def list_carriers(session: SessionDep) -> list[CarrierRead]:
    """Carriers by code with their shipment counts."""
    return [CarrierRead.model_validate(row) for row in views.carriers(session)]


@router.get("/carriers/{code}/kpis")
def carrier_kpis_of(session: SessionDep, code: Code) -> CarrierKpisRead:
    """On-time rate (delivered by the promised date), mean and p90 delay (days) over the
    carrier's delivered shipments, overall and per lane."""
    if not views.carrier_exists(session, code):
        raise errors.UnknownCarrier(code)
    delivered = views.delivered(session, code)
    return CarrierKpisRead(
        overall=KpiRead.model_validate(kpi(code, None, delivered)),
        lanes=[KpiRead.model_validate(k) for k in carrier_kpis(delivered, by_lane=True)],
    )


@router.get("/shipments")
def list_shipments(
    session: SessionDep,
    carrier: str | None = None,
    status: shipping.ShipmentStatus | None = None,
    purchase_order: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[ShipmentRead]:
    """Shipments, latest booked first."""
    found = views.shipments(
        session,
        carrier=carrier,
        status=status.value if status else None,
        purchase_order=purchase_order,
        limit=limit,
        offset=offset,
    )
    items = [ShipmentRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/shipments/{reference}")
def get_shipment(session: SessionDep, reference: Reference) -> ShipmentDetailRead:
    """One shipment with its tracking reports in order."""
    return _detail(session, reference)


@router.post("/shipments", status_code=201)
def create_shipment(
    body: ShipmentCreate, bus: BusDep, stockguard: AppDep, response: Response
) -> ShipmentDetailRead:
    """Book a shipment (status ``booked``). 404 for an unknown carrier or purchase order."""
    fields = body.model_dump(exclude={"booked_at"})
    bus.handle(handlers.BookShipment(**fields, booked_at=_utc(body.booked_at)))
    response.headers["Location"] = router.url_path_for("get_shipment", reference=body.reference)
    with stockguard.reader() as session:
        return _detail(session, body.reference)


@router.patch("/shipments/{reference}")
def update_shipment(
    reference: Reference, body: ShipmentUpdate, bus: BusDep, stockguard: AppDep
) -> ShipmentDetailRead:
    """Record a tracking report. ``delayed``/``exception`` (or an estimate after the
    promised date) sends ``ShipmentDelayed`` to the outbox; 409 for a move back."""
    at = _utc(body.at)
    bus.handle(
        handlers.UpdateShipment(reference, body.status.value, at, body.expected_on, body.note)
    )
    with stockguard.reader() as session:
        return _detail(session, reference)


def _utc(at: datetime | None) -> datetime:
    """``at`` in UTC (a time without an offset is taken as UTC); now when absent."""
    if at is None:
        return datetime.now(UTC)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _detail(session: Session, reference: str) -> ShipmentDetailRead:
    view = views.shipment(session, reference)
    if view is None:
        raise shipping.UnknownShipment(reference)
    base = ShipmentRead.model_validate(view.shipment)
    tracking = [TrackingRead.model_validate(row) for row in view.tracking]
    return ShipmentDetailRead(**base.model_dump(), tracking=tracking)
