"""Supplier scorecards: every supplier's KPIs and risk, and one supplier's scorecard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.suppliers_kpi import SqlSupplierHistory
from stockguard.domain import errors
from stockguard.entrypoints.web.deps import AppDep, require_operator
from stockguard.entrypoints.web.rendering import render
from stockguard.services.suppliers import leadtime, reports, risk_settings
from stockguard.services.suppliers.scorecard import Period

router = APIRouter(dependencies=[Depends(require_operator)])


def _history(stockguard: AppDep) -> SqlSupplierHistory:
    return SqlSupplierHistory(stockguard.read_sessions or stockguard.sessions)


@router.get("/supplier-kpis", name="supplier_kpis")
def supplier_kpis(request: Request, stockguard: AppDep) -> Response:
    history = _history(stockguard)
    risks = {r.supplier: r for r in reports.supplier_risks(history, risk_settings.RiskSettings())}
    context = {
        "nav": "suppliers",
        "rows": reports.supplier_kpis(history),
        "risks": risks,
    }
    return render(request, "supplier_kpis.html", context)


@router.get("/suppliers/{code}/scorecard", name="supplier_scorecard")
def supplier_scorecard(
    request: Request,
    stockguard: AppDep,
    code: str,
    period: Annotated[Period, Query()] = Period.QUARTER,
) -> Response:
    history = _history(stockguard)
    try:
        reports.require_supplier(history, code)
    except errors.UnknownSupplier as unknown:
        raise HTTPException(404, str(unknown)) from unknown
    found = reports.supplier_kpis(history, supplier=code)
    if not found:
        raise HTTPException(404, f"No purchase order lines from supplier {code!r}.")
    risks = reports.supplier_risks(history, risk_settings.RiskSettings())
    context = {
        "nav": "suppliers",
        "kpis": found[0],
        "skus": reports.supplier_kpis(history, supplier=code, by_sku=True)[:50],
        "card": reports.supplier_scorecard(history, supplier=code, period=period),
        "period": period.value,
        "risk": next((r for r in risks if r.supplier == code), None),
        "lead_time": _supplier_distribution(history, code),
    }
    return render(request, "supplier_scorecard.html", context)


def _supplier_distribution(
    history: SqlSupplierHistory, code: str
) -> leadtime.LeadTimeDistribution | None:
    lines = [line for line in history.order_lines(supplier=code) if line.lead_time_days is not None]
    return leadtime.distribution_of(lines, supplier=code, sku=None, basis="supplier")
