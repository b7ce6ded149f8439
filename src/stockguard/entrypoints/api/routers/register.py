"""The risk register: risks with their score, scenario, action plan, KPIs and rehearsals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response

from stockguard.adapters.db import register as register_db
from stockguard.domain import register as reg
from stockguard.entrypoints.api.deps import AppDep, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.register import RiskCreate, RiskRead, RiskUpdate
from stockguard.services.register import handlers

router = APIRouter(tags=["register"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

RiskCode = Annotated[str, Path(min_length=1, max_length=32, description="The risk's code.")]


@router.get("/register")
def list_register(session: SessionDep) -> list[RiskRead]:
    """Every risk, highest score first (``rehearsed: false`` marks plans never rehearsed)."""
    return [RiskRead.from_risk(risk) for risk in register_db.list_risks(session)]


@router.get("/register/{code}")
def get_risk(code: RiskCode, stockguard: AppDep) -> RiskRead:
    """One risk; 404 ``unknown_risk`` when there is none."""
    with stockguard.unit_of_work() as uow:
        risk = uow.register.get(code)
    if risk is None:
        raise reg.UnknownRisk(code)
    return RiskRead.from_risk(risk)


@router.post("/register", status_code=201)
def add_risk(body: RiskCreate, stockguard: AppDep) -> RiskRead:
    """Add a risk; 422 ``invalid_risk`` naming every problem (a code already used, a plan
    without its scenario...), nothing written."""
    raw = body.model_dump(mode="json")
    risk = handlers.add_risk(stockguard.unit_of_work(), raw, now=datetime.now(UTC))
    return RiskRead.from_risk(risk)


@router.patch("/register/{code}")
def update_risk(code: RiskCode, body: RiskUpdate, stockguard: AppDep) -> RiskRead:
    """Change the fields sent; the rehearsal date is kept (simulations set it)."""
    risk = handlers.update_risk(
        stockguard.unit_of_work(), code, body.changes(), now=datetime.now(UTC)
    )
    return RiskRead.from_risk(risk)


@router.delete("/register/{code}", status_code=204)
def delete_risk(code: RiskCode, stockguard: AppDep) -> Response:
    """Remove the risk; 404 when there is none."""
    handlers.remove_risk(stockguard.unit_of_work(), code)
    return Response(status_code=204)
