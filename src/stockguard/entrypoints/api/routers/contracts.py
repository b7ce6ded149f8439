"""Supplier contracts and the penalties charged on receipt (planner scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stockguard.adapters.db.views import contracts as views
from stockguard.domain import contracts as c
from stockguard.entrypoints.api.deps import AppDep, BusDep, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.contracts import (
    ContractClauseRead,
    ContractClauseWrite,
    PenaltyRead,
)
from stockguard.services.contracts.handlers import SetContractClause

router = APIRouter(tags=["purchasing"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

SupplierCode = Annotated[str, Path(min_length=1, max_length=64, description="Supplier code.")]
SupplierFilter = Annotated[str | None, Query(min_length=1, max_length=64)]


@router.get("/contracts")
def list_contracts(
    session: SessionDep, supplier: SupplierFilter = None
) -> list[ContractClauseRead]:
    """Contract clauses by supplier and start date."""
    return [ContractClauseRead.model_validate(row) for row in views.clauses(session, supplier)]


@router.put("/contracts/{supplier}")
def put_contract(
    supplier: SupplierCode, body: ContractClauseWrite, bus: BusDep, stockguard: AppDep
) -> ContractClauseRead:
    """Create or replace the supplier's clause starting on ``valid_from``. 422
    ``invalid_contract`` names the field and why (e.g. a late penalty without a cap)."""
    clause = c.ContractClause(supplier=supplier, **body.model_dump())
    bus.handle(SetContractClause(clause))
    with stockguard.reader() as session:
        rows = [r for r in views.clauses(session, supplier) if r.valid_from == clause.valid_from]
    return ContractClauseRead.model_validate(rows[0])


@router.get("/contracts/penalties")
def list_penalties(session: SessionDep, supplier: SupplierFilter = None) -> list[PenaltyRead]:
    """Penalties owed under the contracts (late, quality, short fill), per supplier."""
    return [PenaltyRead.model_validate(row) for row in views.penalties(session, supplier)]
