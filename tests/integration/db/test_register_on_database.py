"""The risk register on SQLite and PostgreSQL: round trip, ordering, migration 0013."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from stockguard.adapters.db import register as register_db
from stockguard.adapters.db.scenarios import SqlScenarioRuns
from stockguard.adapters.db.tables import Base
from stockguard.bootstrap import App
from stockguard.domain import register as reg
from stockguard.services.register import handlers
from stockguard.services.scenarios.report import Estimate, PlanOutcome, ScenarioReport

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_register_tables_match_the_migration(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    mine = [entry for entry in diff if getattr(entry[1], "name", None) == "risk"]
    assert mine == []


def test_a_risk_round_trips_and_lists_by_score(app: App) -> None:
    raw = {
        "code": "FLOOD-PT",
        "title": "Flood at the Portuguese supplier",
        "category": "natural_disaster",
        "likelihood": 2,
        "impact": 5,
        "owner_role": "Head of purchasing",
        "scenario": "supplier-flood",
        "plans": "supplier-flood-plans",
        "plan": "second source after 7 days",
        "kpis": {"fill_rate": 0.95},
    }
    added = handlers.add_risk(app.unit_of_work(), raw, now=NOW)
    spike = {**raw, "code": "BF", "category": "demand_spike", "likelihood": 4, "impact": 4}
    handlers.add_risk(app.unit_of_work(), spike, now=NOW)
    handlers.mark_rehearsed(app.unit_of_work(), "FLOOD-PT", run_id=7, when=NOW)
    with app.reader() as session:
        listed = register_db.list_risks(session)
    assert [r.code for r in listed] == ["BF", "FLOOD-PT"]
    stored = listed[1]
    assert stored.kpis == added.kpis
    assert (stored.last_rehearsed_on, stored.last_run_id) == (date(2026, 11, 25), 7)
    assert stored.category is reg.RiskCategory.NATURAL_DISASTER

    handlers.remove_risk(app.unit_of_work(), "BF")
    with app.reader() as session:
        assert [r.code for r in register_db.list_risks(session)] == ["FLOOD-PT"]


def _stored_run(app: App, scenario: str, plans: list[str], when: datetime) -> int:
    estimate = Estimate(mean=0.0, low=0.0, high=0.0, std_error=0.0)
    outcomes = [
        PlanOutcome(
            plan=name,
            fill_rate=estimate,
            stockout_sku_days=estimate,
            lost_revenue=estimate,
            extra_cost=estimate,
        )
        for name in ["do nothing", *plans]
    ]
    report = ScenarioReport(
        scenario=scenario, start=when.date(), horizon_days=10, paths=10, seed=1, rows=0,
        plans=outcomes,
    )  # fmt: skip
    runs = SqlScenarioRuns(app.sessions)
    return runs.add(report, scenario_document={}, plans_document=[], created_at=when)


def test_a_stored_run_of_the_scenario_with_the_plan_rehearses_the_risk(app: App) -> None:
    scenario = f"flood-{uuid.uuid4().hex[:6]}"
    raw = {
        "code": f"R-{uuid.uuid4().hex[:6]}", "title": "Flood", "category": "natural_disaster",
        "likelihood": 2, "impact": 5, "owner_role": "Buyer", "scenario": scenario,
        "plan": "switch",
    }  # fmt: skip
    handlers.add_risk(app.unit_of_work(), raw, now=NOW)
    _stored_run(app, scenario, ["expedite"], NOW)  # another plan: not a rehearsal of this one
    with app.reader() as session:
        (risk,) = [r for r in register_db.list_risks(session) if r.code == raw["code"]]
    assert not risk.rehearsed

    later = NOW + timedelta(days=3)
    run_id = _stored_run(app, scenario, ["switch", "expedite"], later)
    with app.reader() as session:
        (risk,) = [r for r in register_db.list_risks(session) if r.code == raw["code"]]
    assert (risk.last_rehearsed_on, risk.last_run_id) == (later.date(), run_id)
    with app.unit_of_work() as uow:
        assert uow.register.get(str(raw["code"])) == risk
