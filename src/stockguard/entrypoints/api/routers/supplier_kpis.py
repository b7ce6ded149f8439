"""Supplier KPIs, scorecards, risk score, ratings and diversification (planner scope).

Included before the suppliers router so ``/suppliers/kpis`` is not read as a code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from stockguard.adapters.db.suppliers_kpi import SqlRatingStore, SqlSupplierHistory
from stockguard.bootstrap import App
from stockguard.entrypoints.api.deps import AppDep, Planner
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.supplier_kpis import (
    DiversificationRead,
    RatingRead,
    RatingUpdate,
    ScorecardRead,
    SupplierKpisDetailRead,
    SupplierKpisRead,
    SupplierRiskRead,
)
from stockguard.services.suppliers import rating, reports, risk_settings
from stockguard.services.suppliers.scorecard import Period

router = APIRouter(
    prefix="/suppliers", tags=["suppliers"], responses=PROBLEM_RESPONSES, dependencies=[Planner]
)

Code = Annotated[str, Path(max_length=64, description="Supplier code.")]
Since = Annotated[
    date | None, Query(description="Only orders promised (or placed) on or after this day.")
]


def _history(stockguard: App) -> SqlSupplierHistory:
    return SqlSupplierHistory(stockguard.read_sessions or stockguard.sessions)


@router.get("/kpis")
def list_supplier_kpis(
    stockguard: AppDep,
    since: Since = None,
    by_sku: Annotated[bool, Query(description="One row per supplier x SKU.")] = False,
) -> list[SupplierKpisRead]:
    """On-time rate, lead-time distribution (fitted family and quantiles), fill rate,
    rejected share and price variance per supplier (or supplier x SKU), most lines first."""
    rows = reports.supplier_kpis(_history(stockguard), by_sku=by_sku, since=since)
    return [SupplierKpisRead.model_validate(row) for row in rows]


@router.get("/risk")
def list_supplier_risk(stockguard: AppDep, since: Since = None) -> list[SupplierRiskRead]:
    """Risk score per supplier (0..1, highest first) with each component and its
    contribution; default weights and tables (docs/suppliers.md)."""
    rows = reports.supplier_risks(_history(stockguard), risk_settings.RiskSettings(), since=since)
    return [SupplierRiskRead.model_validate(row) for row in rows]


@router.get("/diversification")
def get_diversification(
    stockguard: AppDep,
    revenue_days: Annotated[int, Query(ge=1, le=3650, description="Days of revenue.")] = 365,
) -> DiversificationRead:
    """SKUs with a single supplier, revenue at risk per supplier, suggested second sources."""
    report = reports.diversification_report(
        _history(stockguard), now=datetime.now(UTC), revenue_days=revenue_days
    )
    return DiversificationRead.model_validate(report)


@router.get("/{code}/kpis")
def get_supplier_kpis(
    stockguard: AppDep,
    code: Code,
    since: Since = None,
    period: Annotated[Period, Query(description="Scorecard periods.")] = Period.QUARTER,
) -> SupplierKpisDetailRead:
    """One supplier's KPIs, per SKU, and its scorecard per period; open order lines
    count (lead times censored at their age, overdue lines late). 404
    ``unknown_supplier`` when no supplier has this code (``GET /suppliers`` lists them),
    404 ``not_found`` when it has no purchase order lines (since ``since``)."""
    history = _history(stockguard)
    reports.require_supplier(history, code)
    found = reports.supplier_kpis(history, supplier=code, since=since)
    if not found:
        raise HTTPException(404, f"Supplier {code!r} has no purchase order lines yet.")
    skus = reports.supplier_kpis(history, supplier=code, by_sku=True, since=since)
    card = reports.supplier_scorecard(history, supplier=code, period=period, since=since)
    return SupplierKpisDetailRead(
        supplier=SupplierKpisRead.model_validate(found[0]),
        skus=[SupplierKpisRead.model_validate(row) for row in skus],
        scorecard=[ScorecardRead.model_validate(row) for row in card],
    )


@router.put("/{code}/rating")
def put_supplier_rating(stockguard: AppDep, code: Code, body: RatingUpdate) -> RatingRead:
    """Record the buyer's assessment (financial rating A..E, capacity utilisation 0..1.5,
    natural-hazard zone), replacing the previous one. 422 names a value outside the scale."""
    saved = rating.rate_supplier(
        SqlRatingStore(stockguard.sessions),
        code,
        financial=body.financial,
        capacity=body.capacity,
        hazard_zone=body.hazard_zone,
        settings=risk_settings.RiskSettings(),
        at=datetime.now(UTC),
    )
    return RatingRead.model_validate(saved)
