"""The risk register on SQLite and PostgreSQL: round trip, ordering, migration 0013."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from stockguard.adapters.db import register as register_db
from stockguard.adapters.db.tables import Base
from stockguard.bootstrap import App
from stockguard.domain import register as reg
from stockguard.services.register import handlers

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
