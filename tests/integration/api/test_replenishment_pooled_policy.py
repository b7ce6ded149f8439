"""``GET /policies/{sku}`` shows the levels the replenishment run plans with, pooled rates
included (ADR 0018), on SQLite and PostgreSQL.

The planted shop, at one store, in one category: twelve slow fasteners, each received
once 120 days ago with exactly the units it then sold, 1 unit on 1 to 4 of the 91 days
the run reads (intermittent, out of stock now), forecast 0.05 a day; and a smooth SKU
selling 3 a day every day (forecast 3 a day) with 2 units left. The run pools the twelve
toward their category; the policy endpoint reads the figures the run stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import ledger
from stockguard.services import ports

from builders import a_location, a_product, a_supplier
from conftest import random_sku

Headers = dict[str, str]
TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
HORIZON = 14
SALE_DAYS = (10, 40, 70, 85)


def _move(sku: str, store: str, kind: ledger.MovementKind, units: int, at: datetime) -> Any:
    return ledger.StockMovement(sku, store, kind, units, at, f"{sku}-{kind.value}-{at}")


def _forecast(sku: str, store: str, mean: float, low: float, high: float) -> list[dict[str, Any]]:
    quantiles = {"p50": mean, "p80": high, "p95": high, "p99": high, "lower_95": low}
    return [
        {"sku": sku, "location": store, "day": TODAY + timedelta(days=step), "mean": mean}
        | {"lower_80": low, "p90": high, "upper_95": high, "model": "test", **quantiles}
        for step in range(HORIZON)
    ]


def _record() -> ports.PlanningRunRecord:
    return ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=HORIZON,
        history_start_on=TODAY - timedelta(days=120),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="a" * 64,
        n_series=13,
        status="completed",
        parameters={},
    )


def _slow_shop(app: App) -> tuple[list[str], str]:
    """The module docstring's shop: (slow SKUs, smooth SKU), random keys."""
    store, supplier = random_sku("STO")[:16], random_sku("SUP")
    category = random_sku("Fasteners")
    slow = [random_sku("SLOW") for _ in range(12)]
    smooth = random_sku("SMOOTH")
    first, window = NOW - timedelta(days=120), NOW - timedelta(days=91)
    receipt, sale = ledger.MovementKind.RECEIPT, ledger.MovementKind.SALE
    moves, rows = [], _forecast(smooth, store, 3.0, 1.7, 4.3)
    for k, sku in enumerate(slow):
        days = SALE_DAYS[: 1 + k % 4]
        moves.append(_move(sku, store, receipt, len(days), first))
        moves += [_move(sku, store, sale, -1, window + timedelta(days=d, hours=3)) for d in days]
        rows += _forecast(sku, store, 0.05, 0.0, 0.15)
    moves.append(_move(smooth, store, receipt, 3 * 91 + 2, first))
    moves += [
        _move(smooth, store, sale, -3, window + timedelta(days=d, hours=3)) for d in range(91)
    ]
    offers = [
        {"supplier": supplier, "sku": sku, "unit_cost": Decimal("1.00"), "currency": "EUR"}
        | {"minimum_order_quantity": 0, "pack_size": 1, "lead_time_days": 7}
        for sku in [*slow, smooth]
    ]
    with app.unit_of_work() as uow:
        uow.locations.add(a_location(store))
        uow.suppliers.add(a_supplier(supplier))
        for sku in [*slow, smooth]:
            uow.products.add(a_product(sku, price=Decimal("3"), category=category))
        uow.bulk.upsert(ports.Entity.SUPPLIER_OFFER, offers)
        uow.bulk.record_movements(moves)
        uow.forecasts.add_run(_record(), rows)
        uow.commit()
    return slow, smooth


def _policy(client: TestClient, headers: Headers, sku: str) -> dict[str, Any]:
    response = client.get(f"/policies/{sku}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _stored_explanation(app: App, proposal_id: int, sku: str) -> dict[str, Any]:
    table = t.table_of(t.ProposalLineRow)
    query = select(table.c.explanation).where(
        table.c.proposal_id == proposal_id, table.c.sku == sku
    )
    with app.reader() as session:
        found = session.execute(query).scalar_one()
    return found  # type: ignore[no-any-return]


def _run_lines(client: TestClient, headers: Headers) -> tuple[int, dict[str, Any]]:
    run = client.post("/replenishment/runs", json={}, headers=headers)
    assert run.status_code == 201, run.text
    proposal_id = run.json()["proposal_id"]
    found = client.get(f"/proposals/{proposal_id}", params={"limit": 100}, headers=headers)
    return proposal_id, {line["sku"]: line for line in found.json()["lines"]}


def test_a_slow_sku_s_policy_shows_the_reorder_point_of_the_run_s_line(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    slow, _ = _slow_shop(app)
    before = _policy(client, planner_headers, slow[0])
    assert before["pooled_with"] is None
    assert before["pooling_note"].startswith("No replenishment run has stored pooled rates")
    assert before["locations"][0]["demand_rate_source"] == "forecast"

    proposal_id, lines = _run_lines(client, planner_headers)

    for sku in (slow[0], slow[5]):
        found = _policy(client, planner_headers, sku)
        (policy,) = found["locations"]
        why = lines[sku]["explanation"]
        assert why["reorder_point"] == round(policy["reorder_point"], 4)
        assert why["order_up_to"] == round(policy["order_up_to"], 4)
        stored = _stored_explanation(app, proposal_id, sku)  # the line's JSON as the run wrote it
        assert policy["demand_rate_source"] == stored["demand_rate"]["source"] == "pooled"
        assert policy["demand_rate_note"] == stored["demand_rate_note"]
        assert "its rate is pooled with its category's" in policy["demand_rate_note"]
        assert policy["demand_rate_per_day"] == stored["demand_rate"]["rate_per_day"]
        assert found["pooled_with"] == proposal_id
        assert f"replenishment proposal {proposal_id}" in found["pooling_note"]
    assert before["locations"][0]["reorder_point"] != round(
        _policy(client, planner_headers, slow[0])["locations"][0]["reorder_point"], 4
    )


def test_a_smooth_sku_s_policy_is_the_same_before_and_after_a_run(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    _, smooth = _slow_shop(app)
    before = _policy(client, planner_headers, smooth)
    _, lines = _run_lines(client, planner_headers)
    after = _policy(client, planner_headers, smooth)
    assert after["locations"] == before["locations"]
    (policy,) = after["locations"]
    assert (policy["demand_rate_source"], policy["demand_rate_note"]) == ("forecast", None)
    assert lines[smooth]["explanation"]["reorder_point"] == round(policy["reorder_point"], 4)
