"""Stock audit: the report, stock-out history, cycle counts due, recording a count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from stockguard.adapters.db.audit import SqlAuditSource
from stockguard.adapters.db.views import audit as views
from stockguard.bootstrap import App
from stockguard.entrypoints.api.deps import AppDep, Planner, SessionDep
from stockguard.entrypoints.api.schemas.audit import (
    AuditRead,
    CountCreate,
    CountRead,
    DueCountRead,
    StockoutPeriodRead,
)
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.audit import counts, history, report
from stockguard.services.audit.settings import AuditSettings, parse_intervals, parse_shares

router = APIRouter(tags=["audit"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

AsOf = Annotated[
    date | None,
    Query(
        alias="date",
        ge=date(1900, 1, 1),
        le=date(9000, 12, 31),
        description="As of this day [today].",
    ),
]
Intervals = Annotated[str, Query(max_length=60, description="Days between counts per ABC class.")]
DEFAULT_INTERVALS = "A=30,B=91,C=365"


def _source(stockguard: App) -> SqlAuditSource:
    return SqlAuditSource(stockguard.read_sessions or stockguard.sessions)


def _today() -> date:
    return datetime.now(UTC).date()


@router.get("/audit")
def get_audit(
    stockguard: AppDep,
    as_of: AsOf = None,
    abc: Annotated[str, Query(max_length=40, description="A/B/C revenue shares, %.")] = "80/15/5",
    xyz_x: Annotated[float, Query(ge=0, description="Weekly CV up to which X.")] = 0.5,
    xyz_y: Annotated[float, Query(ge=0, description="Weekly CV up to which Y.")] = 1.0,
    dead_days: Annotated[int, Query(ge=1, le=3650)] = 90,
    excess_days: Annotated[float, Query(ge=1, le=3650)] = 120.0,
    slow_velocity: Annotated[float, Query(ge=0, description="Units/day.")] = 0.1,
    history_days: Annotated[int, Query(ge=28, le=3650)] = 365,
    limit: Annotated[int, Query(ge=1, le=1000, description="Rows per section.")] = 100,
) -> AuditRead:
    """ABC x XYZ matrix (counts and revenue), stock at risk by expected lost revenue, dead,
    excess and slow stock valued at unit cost, and stock-out periods of the history.
    422 ``invalid_parameter`` names a threshold that does not hold together."""
    settings = AuditSettings(
        abc_shares=parse_shares(abc),
        xyz_cutoffs=(xyz_x, xyz_y),
        dead_after_days=dead_days,
        excess_cover_days=excess_days,
        slow_velocity=slow_velocity,
        history_days=history_days,
        at_risk_limit=limit,
    )
    found = report.audit_report(
        stockguard.ledger_history(),
        _source(stockguard),
        today=as_of or _today(),
        settings=settings,
    )
    sections: dict[str, Sequence[object]] = {
        "at_risk": found.at_risk,
        "dead": found.dead,
        "excess": found.excess,
        "slow": found.slow,
        "stockouts": found.stockouts,
    }
    return AuditRead.model_validate(
        {
            "today": found.today,
            "history_start": found.history_start,
            "history_end": found.history_end,
            "currency": found.currency,
            "positions": len(found.rows),
            "totals": {name: len(rows) for name, rows in sections.items()},
            "matrix": found.matrix,
            **{name: rows[:limit] for name, rows in sections.items()},
        },
        from_attributes=True,
    )


@router.get("/audit/stockouts")
def get_stockouts(
    stockguard: AppDep,
    session: SessionDep,
    sku: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    location: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    days: Annotated[int, Query(ge=1, le=3650, description="Days of history.")] = 365,
    second_opinion: Annotated[
        bool, Query(description="Also inferred runs of SKUs with stock levels.")
    ] = False,
    as_of: AsOf = None,
) -> list[StockoutPeriodRead]:
    """Stock-out periods: ``ledger`` where stock levels exist, ``inferred`` from runs of
    zero sales while on sale elsewhere; the planning run censors these days."""
    prices = {p.sku: p.price for p in views.positions(session)}
    periods = history.stockout_history(
        stockguard.ledger_history(),
        today=as_of or _today(),
        days=days,
        sku=sku,
        location=location,
        second_opinion=second_opinion,
        prices=prices,
    )
    return [StockoutPeriodRead.model_validate(p) for p in periods]


@router.get("/audit/counts/due")
def get_counts_due(
    stockguard: AppDep, as_of: AsOf = None, intervals: Intervals = DEFAULT_INTERVALS
) -> list[DueCountRead]:
    """SKU x locations due for a cycle count on or before ``date`` (A monthly, B quarterly,
    C yearly by default); the schedule first follows today's ABC classes."""
    settings = AuditSettings(count_intervals=parse_intervals(intervals))
    found = counts.counts_due(
        stockguard.bus,
        stockguard.ledger_history(),
        _source(stockguard),
        today=_today(),
        on=as_of or _today(),
        now=datetime.now(UTC),
        settings=settings,
    )
    return [DueCountRead.model_validate(d) for d in found]


@router.post("/audit/counts", status_code=201)
def create_count(
    body: CountCreate, stockguard: AppDep, intervals: Intervals = DEFAULT_INTERVALS
) -> CountRead:
    """Record a count through the ledger (on-hand becomes ``counted``), keep its variance
    (counted - expected, units and value at cost) and schedule the next count. 404 for an
    unknown SKU or location, 422 for a negative count; nothing is written then."""
    settings = AuditSettings(count_intervals=parse_intervals(intervals))
    found = counts.record_cycle_count(
        stockguard.bus,
        sku=body.sku,
        location=body.location,
        counted=body.counted,
        counted_at=datetime.now(UTC),
        intervals=settings.count_intervals,
        counted_by=body.counted_by,
        idempotency_key=body.idempotency_key,
    )
    return CountRead.model_validate(found)


@router.get("/audit/counts")
def list_counts(
    session: SessionDep,
    sku: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    since: Annotated[datetime | None, Query(description="Counts at or after this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[CountRead]:
    """Recorded counts and their variances, newest first."""
    found = views.counts(session, since=since, sku=sku, limit=limit)
    return [CountRead.model_validate(c) for c in found]
