"""Scenarios through the API: run from JSON or YAML, list and read the stored run,
refused documents listing every problem."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from integration.replenishment_shop import seed_replenishment_shop
from stockguard.bootstrap import App

Headers = dict[str, str]


def _scenario(shop: Any) -> dict[str, Any]:
    return {
        "name": "demand-spike",
        "start": shop.today.isoformat() if hasattr(shop, "today") else "2026-09-01",
        "horizon_days": 30,
        "events": [
            {
                "type": "demand_shock",
                "change_percent": 200,
                "from": "2026-09-01",
                "to": "2026-09-10",
            },
        ],
    }


def test_a_run_from_json_is_stored_and_read_back(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    plans = "- name: cap\n  actions: [{type: limit_per_customer, max_units: 1}]\n"
    body = {"scenario": _scenario(shop), "plans": plans, "paths": 100, "seed": 3}
    response = client.post("/scenarios/run", json=body, headers=planner_headers)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [p["plan"] for p in report["plans"]] == ["do nothing", "cap"]
    baseline, capped = report["plans"]
    assert capped["stockout_sku_days"]["mean"] <= baseline["stockout_sku_days"]["mean"]
    run_id = report["run_id"]

    listed = client.get("/scenarios/runs", headers=planner_headers).json()
    assert listed[0]["run_id"] == run_id
    assert listed[0]["plans"] == ["do nothing", "cap"]
    again = client.get(f"/scenarios/runs/{run_id}", headers=planner_headers)
    assert again.json() == report
    missing = client.get(f"/scenarios/runs/{run_id + 99}", headers=planner_headers)
    assert missing.status_code == 404


def test_a_bad_scenario_is_refused_with_every_problem(
    client: TestClient, planner_headers: Headers
) -> None:
    body = {
        "scenario": {"name": "x", "start": "2026-09-01",
                     "events": [{"type": "warehouse_outage", "from": "2026-09-05",
                                 "to": "2026-09-01"}]},
    }  # fmt: skip
    response = client.post("/scenarios/run", json=body, headers=planner_headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "scenario_rejected"
    columns = {p["column"] for p in problem["problems"]}
    assert columns == {"events[0].location"}  # the window is checked once fields are valid


def test_running_a_scenario_needs_the_planner_scope(
    client: TestClient, storefront_headers: Headers
) -> None:
    response = client.post("/scenarios/run", json={"scenario": {}}, headers=storefront_headers)
    assert response.status_code == 403
