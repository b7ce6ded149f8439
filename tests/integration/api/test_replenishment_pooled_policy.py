"""``GET /policies/{sku}`` shows the levels the replenishment run plans with, pooled rates
included (ADR 0018), on SQLite and PostgreSQL.

The planted shop (``integration.slow_shop``): twelve slow fasteners of one category and
a smooth SKU. The run pools the twelve toward their category; the policy endpoint reads
the figures the run stored.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.slow_shop import seed_slow_shop
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App

Headers = dict[str, str]


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
    slow, _, _ = seed_slow_shop(app)
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
        assert policy["demand_rate_note"] == why["forecast"]["demand_rate_note"]
        assert "its rate is pooled with its category's" in policy["demand_rate_note"]
        assert policy["demand_rate_per_day"] == stored["demand_rate"]["rate_per_day"]
        assert found["pooled_with"] == proposal_id
        assert f"replenishment proposal {proposal_id}" in found["pooling_note"]
    assert before["locations"][0]["reorder_point"] != round(
        _policy(client, planner_headers, slow[0])["locations"][0]["reorder_point"], 4
    )


def test_a_smooth_sku_keeps_its_forecast_rate_and_shows_its_run_line_s_levels(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    """A smooth SKU is not pooled before or after a run; after it, its undershoot reads
    its category's common lump shape from the run's stored figures (ADR 0028), so its
    levels are its line's (before any run: its own sales' moments)."""
    _, smooth, _ = seed_slow_shop(app)
    before = _policy(client, planner_headers, smooth)
    _, lines = _run_lines(client, planner_headers)
    after = _policy(client, planner_headers, smooth)
    unchanged = ("forecast_per_day", "demand_rate_source", "demand_rate_per_day", "position")
    for name in unchanged:
        assert after["locations"][0][name] == before["locations"][0][name]
    (policy,) = after["locations"]
    assert (policy["demand_rate_source"], policy["demand_rate_note"]) == ("forecast", None)
    assert lines[smooth]["explanation"]["reorder_point"] == round(policy["reorder_point"], 4)
    assert lines[smooth]["explanation"]["forecast"]["demand_rate_note"] is None
