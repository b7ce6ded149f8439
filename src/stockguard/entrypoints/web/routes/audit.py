"""The audit page: ABC x XYZ heat map, stock at risk, dead, excess and slow stock, stock-outs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.audit import SqlAuditSource
from stockguard.entrypoints.web.deps import AppDep, require_operator
from stockguard.entrypoints.web.rendering import render
from stockguard.services.audit import report
from stockguard.services.audit.report import ClassCell
from stockguard.services.audit.settings import AuditSettings

router = APIRouter(dependencies=[Depends(require_operator)])

ROWS_PER_SECTION = 25
CELL = 110
"""Side of one heat-map cell, in SVG units."""
MARGIN = 28


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One square of the ABC x XYZ heat map: position, shade (0..1) and its labels."""

    x: int
    y: int
    shade: float
    count: int
    revenue: Decimal
    share: float
    label: str


@router.get("/audit", name="audit")
def audit_page(
    request: Request,
    stockguard: AppDep,
    dead_days: Annotated[int, Query(ge=1, le=3650)] = 90,
    excess_days: Annotated[float, Query(ge=1, le=3650)] = 120.0,
) -> Response:
    """The stock audit with the default thresholds (dead and excess days adjustable)."""
    settings = AuditSettings(dead_after_days=dead_days, excess_cover_days=excess_days)
    found = report.audit_report(
        stockguard.ledger_history(),
        SqlAuditSource(stockguard.read_sessions or stockguard.sessions),
        today=datetime.now(UTC).date(),
        settings=settings,
    )
    context = {
        "nav": "audit",
        "audit": found,
        "heat": heat_map(found.matrix),
        "size": {"cell": CELL, "margin": MARGIN, "side": MARGIN + 3 * CELL},
        "limit": ROWS_PER_SECTION,
        "dead": found.dead,
        "excess": found.excess,
        "slow": found.slow,
        "filters": {"dead_days": dead_days, "excess_days": excess_days},
    }
    return render(request, "audit.html", context)


def heat_map(cells: list[ClassCell]) -> list[HeatCell]:
    """Cells of the 3 x 3 matrix (rows A..C, columns X..Z), shaded by share of revenue."""
    total = sum((c.revenue for c in cells), Decimal(0))
    out = []
    for index, cell in enumerate(cells):
        share = float(cell.revenue / total) if total > 0 else 0.0
        out.append(
            HeatCell(
                x=MARGIN + (index % 3) * CELL,
                y=MARGIN + (index // 3) * CELL,
                shade=round(0.08 + 0.92 * share, 3) if cell.count else 0.0,
                count=cell.count,
                revenue=cell.revenue,
                share=share,
                label=f"{cell.abc_class}{cell.xyz_class}",
            )
        )
    return out
