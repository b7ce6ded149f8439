"""The risk register repository (inside a unit of work) and its read-side list.

A risk's last rehearsal is the later of the one stored on it (``register rehearse``,
``mark_rehearsed``) and the latest stored scenario run of the scenario it names (by the
scenario's name, e.g. a ready scenario's) that ran its plan: a run started with
``stockguard scenario run`` counts the moment it is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_register import RiskRow
from stockguard.adapters.db.tables_scenarios import ScenarioRunRow
from stockguard.domain import register as reg


def risk_from_row(row: Row[Any]) -> reg.Risk:
    return reg.Risk(
        code=row.code,
        title=row.title,
        category=reg.RiskCategory(row.category),
        likelihood=row.likelihood,
        impact=row.impact,
        owner_role=row.owner_role,
        scenario=row.scenario,
        plans=row.plans,
        plan=row.plan,
        kpis=tuple(reg.Kpi(k["name"], float(k["target"])) for k in row.kpis),
        status=reg.RiskStatus(row.status),
        last_rehearsed_on=row.last_rehearsed_on,
        last_run_id=row.last_run_id,
    )


def risk_to_values(risk: reg.Risk, now: datetime) -> dict[str, Any]:
    return {
        "code": risk.code,
        "title": risk.title,
        "category": risk.category.value,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "owner_role": risk.owner_role,
        "scenario": risk.scenario,
        "plans": risk.plans,
        "plan": risk.plan,
        "kpis": [{"name": k.name, "target": k.target} for k in risk.kpis],
        "status": risk.status.value,
        "last_rehearsed_on": risk.last_rehearsed_on,
        "last_run_id": risk.last_run_id,
        "updated_at": now,
    }


def list_risks(connection: Session | Connection) -> list[reg.Risk]:
    """Every risk, highest score (likelihood x impact) first, then by code (read side)."""
    table = t.table_of(RiskRow)
    query = select(table).order_by((table.c.likelihood * table.c.impact).desc(), table.c.code)
    return with_runs(connection, [risk_from_row(row) for row in connection.execute(query)])


def with_runs(connection: Session | Connection, risks: list[reg.Risk]) -> list[reg.Risk]:
    """The risks with their rehearsal moved to the latest stored run of their scenario
    that ran their plan (any plan when the risk names none)."""
    names = {r.scenario for r in risks if r.scenario is not None}
    if not names:
        return risks
    runs = t.table_of(ScenarioRunRow)
    query = (
        select(runs.c.id, runs.c.scenario, runs.c.created_at, runs.c.plans)
        .where(runs.c.scenario.in_(sorted(names)))
        .order_by(runs.c.created_at.desc(), runs.c.id.desc())
    )
    found = list(connection.execute(query))
    return [_rehearsed(risk, found) for risk in risks]


def _rehearsed(risk: reg.Risk, runs: Sequence[Any]) -> reg.Risk:
    for run in runs:
        if run.scenario == risk.scenario and (risk.plan is None or risk.plan in run.plans):
            return risk.rehearsed_by(run.id, run.created_at.date())
    return risk


class SqlRiskRegisterRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._table = t.table_of(RiskRow)

    def get(self, code: str) -> reg.Risk | None:
        row = self._session.execute(select(self._table).where(self._table.c.code == code)).first()
        return None if row is None else with_runs(self._session, [risk_from_row(row)])[0]

    def all(self) -> list[reg.Risk]:
        return list_risks(self._session)

    def save(self, risk: reg.Risk, now: datetime) -> None:
        values = risk_to_values(risk, now)
        changed = self._session.execute(
            update(self._table).where(self._table.c.code == risk.code).values(values)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            self._session.execute(insert(self._table).values(values))

    def remove(self, code: str) -> bool:
        result = self._session.execute(delete(self._table).where(self._table.c.code == code))
        return bool(result.rowcount)  # type: ignore[attr-defined]
