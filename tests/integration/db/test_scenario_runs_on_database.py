"""Scenario runs on SQLite and PostgreSQL: the shop's data read through the database,
the run stored with its documents and listed, an open order arriving on its day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from integration.db.test_replenishment_on_database import TODAY, _shop
from stockguard.adapters.db.scenarios import SqlScenarioFacts, SqlScenarioRuns
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.scenarios import files, run, schema

SCENARIO = f"""
name: acme-down
start: {TODAY}
horizon_days: 45
events:
  - type: supplier_outage
    supplier: ACME
    from: {TODAY}
    to: {TODAY + timedelta(days=30)}
"""


def _open_order(app: App) -> None:
    line = commands.PurchaseOrderLineInput("MUG", 12, Decimal("4.00"))
    expected = TODAY + timedelta(days=3)
    app.bus.handle(
        commands.CreatePurchaseOrder("PO-9", "ACME", "PAR", (line,), expected_on=expected)
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus("PO-9", "sent"))


def test_a_run_reads_the_shop_stores_its_report_and_lists_it(app: App) -> None:
    _shop(app)
    _open_order(app)
    facts = SqlScenarioFacts(app.sessions)
    assert [(o.sku, o.location, o.supplier, o.units) for o in facts.open_orders()] == [
        ("MUG", "PAR", "ACME", 12)
    ]
    assert {s.code for s in facts.suppliers()} >= {"ACME", "BOLT"}
    scenario = files.load_scenario(SCENARIO)
    plans = files.load_plans(
        "- name: switch\n  actions:\n    - {type: switch_supplier_after, days: 2}\n"
    )
    with app.unit_of_work() as uow:
        report = run.run_scenario(uow, scenario, plans, paths=100, seed=7, facts=facts)
    assert report.rows == 2
    runs = SqlScenarioRuns(app.sessions)
    stored = run.store_run(runs, report, scenario, plans, now=datetime(2026, 9, 1, tzinfo=UTC))
    assert stored.run_id is not None
    again = runs.get(stored.run_id)
    assert again == stored
    listed = runs.list(scenario="acme-down")
    assert [x.run_id for x in listed] == [stored.run_id]
    assert listed[0].plans == (schema.BASELINE_PLAN, "switch")
    assert runs.get(stored.run_id + 1000) is None
