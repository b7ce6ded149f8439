"""Scenario runs in the database, and the facts a scenario run reads beyond the
replenishment source (suppliers' countries and carriers, open order lines).

Both take a session factory and use their own short transactions (like the read-side
views, ADR 0006): a run reads without locks and stores its report in one insert.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db.tables import PurchaseOrderLineRow, PurchaseOrderRow, SupplierRow
from stockguard.adapters.db.tables_scenarios import ScenarioRunRow
from stockguard.domain.purchasing import OPEN_STATUSES
from stockguard.services.scenarios.ports import OpenOrderLine, ScenarioRunSummary
from stockguard.services.scenarios.report import ScenarioReport
from stockguard.services.scenarios.timeline import SupplierFacts

Sessions = Callable[[], Session]


class SqlScenarioRuns:
    """``ports.ScenarioRunStore`` on the ``scenario_run`` table."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(
        self,
        report: ScenarioReport,
        *,
        scenario_document: dict[str, object],
        plans_document: list[dict[str, object]],
        created_at: datetime,
    ) -> int:
        row = ScenarioRunRow(
            scenario=report.scenario,
            created_at=created_at,
            paths=report.paths,
            seed=report.seed,
            horizon_days=report.horizon_days,
            rows=report.rows,
            plans=[p.plan for p in report.plans],
            best_plan=_best(report),
            scenario_document=dict(scenario_document),
            plans_document=[dict(p) for p in plans_document],
            report=report.model_dump(mode="json"),
        )
        with self._sessions() as session, session.begin():
            session.add(row)
            session.flush()
            return int(row.id)

    def get(self, run_id: int) -> ScenarioReport | None:
        with self._sessions() as session:
            row = session.get(ScenarioRunRow, run_id)
            if row is None:
                return None
            return ScenarioReport.model_validate({**row.report, "run_id": row.id})

    def list(self, *, limit: int = 50, scenario: str | None = None) -> list[ScenarioRunSummary]:
        query = select(ScenarioRunRow).order_by(
            ScenarioRunRow.created_at.desc(), ScenarioRunRow.id.desc()
        )
        if scenario is not None:
            query = query.where(ScenarioRunRow.scenario == scenario)
        with self._sessions() as session:
            rows = session.scalars(query.limit(limit)).all()
            return [
                ScenarioRunSummary(
                    run_id=r.id,
                    scenario=r.scenario,
                    created_at=r.created_at,
                    paths=r.paths,
                    seed=r.seed,
                    horizon_days=r.horizon_days,
                    plans=tuple(r.plans),
                    best_plan=r.best_plan,
                )
                for r in rows
            ]


def _best(report: ScenarioReport) -> str:
    """The plan with the lowest mean lost revenue plus extra cost (baseline on ties)."""
    return min(report.plans, key=lambda p: p.lost_revenue.mean + p.extra_cost.mean).plan


class SqlScenarioFacts:
    """``ports.ScenarioFacts`` from the supplier and purchase order tables."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def suppliers(self) -> list[SupplierFacts]:
        with self._sessions() as session:
            carriers = session.execute(
                select(PurchaseOrderRow.supplier, PurchaseOrderRow.carrier, func.count())
                .where(PurchaseOrderRow.carrier.is_not(None))
                .group_by(PurchaseOrderRow.supplier, PurchaseOrderRow.carrier)
            ).all()
            suppliers = session.execute(select(SupplierRow.code, SupplierRow.country)).all()
        usual = _usual_carrier(carriers)
        return [
            SupplierFacts(code, _country(country), usual.get(code)) for code, country in suppliers
        ]

    def open_orders(self) -> list[OpenOrderLine]:
        statuses = sorted(s.value for s in OPEN_STATUSES)
        query = (
            select(
                PurchaseOrderLineRow.sku,
                PurchaseOrderRow.location,
                PurchaseOrderRow.supplier,
                PurchaseOrderLineRow.quantity - PurchaseOrderLineRow.received,
                PurchaseOrderRow.expected_on,
            )
            .join(PurchaseOrderRow, PurchaseOrderRow.number == PurchaseOrderLineRow.order_number)
            .where(PurchaseOrderRow.status.in_(statuses))
            .where(PurchaseOrderLineRow.quantity > PurchaseOrderLineRow.received)
        )
        with self._sessions() as session:
            rows = session.execute(query).all()
        return [OpenOrderLine(sku, loc, sup, int(units), due) for sku, loc, sup, units, due in rows]


def _usual_carrier(counts: Any) -> dict[str, str]:
    """Each supplier's most used carrier (ties: the first code in order)."""
    by_supplier: dict[str, Counter[str]] = defaultdict(Counter)
    for supplier, carrier, count in counts:
        by_supplier[supplier][carrier] += int(count)
    return {
        supplier: sorted(found.items(), key=lambda x: (-x[1], x[0]))[0][0]
        for supplier, found in by_supplier.items()
    }


def _country(value: str | None) -> str | None:
    """Country as stored (an ISO code, or a name the scenario may spell the same)."""
    return value.strip() if value else None
