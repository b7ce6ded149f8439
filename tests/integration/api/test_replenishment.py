"""Replenishment through the API: run -> proposal with explained lines -> approve or reject."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from integration.replenishment_shop import DAILY_MEAN, ReplenishmentShop, seed_replenishment_shop
from stockguard.bootstrap import App

Headers = dict[str, str]


def _propose(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    response = client.post("/replenishment/runs", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/proposals/{response.json()['proposal_id']}"
    return response.json()  # type: ignore[no-any-return]


def _proposal(client: TestClient, headers: Headers, proposal_id: int) -> dict[str, Any]:
    response = client.get(f"/proposals/{proposal_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _draft_orders(client: TestClient, headers: Headers, shop: ReplenishmentShop) -> list[str]:
    found = client.get("/purchase-orders", params={"sku": shop.sku}, headers=headers).json()
    return [order["number"] for order in found["items"]]


def test_a_run_stores_a_proposal_whose_lines_explain_their_quantities(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)

    run = _propose(client, planner_headers)
    proposal = _proposal(client, planner_headers, run["proposal_id"])

    assert run["rows"] == 2
    assert run["lines"] == len(proposal["lines"]) == proposal["line_count"] >= 2
    assert run["budget"] is None
    listed = client.get("/proposals", headers=planner_headers).json()
    assert listed["items"][0]["id"] == run["proposal_id"]
    assert listed["items"][0]["status"] == "proposed"
    assert {line["location"] for line in proposal["lines"]} == {shop.paris, shop.lyon}
    paris = next(x for x in proposal["lines"] if x["location"] == shop.paris)
    why = paris["explanation"]
    assert why["position"]["inventory_position"] == why["position"]["on_hand"] == 5
    lead_days = why["forecast"]["protection_days"]
    assert why["forecast"]["model"] == "lost_sales"
    assert why["forecast"]["demand"] == pytest.approx(
        DAILY_MEAN * lead_days + why["forecast"]["undershoot"], abs=1e-3
    )
    assert "Lost-sales fill-rate model" in why["summary"]
    assert why["reorder_point"] == why["forecast"]["demand"] + why["safety_stock"]
    assert why["safety_stock"] >= 0
    assert why["policy"]["policy"] == "order_up_to"
    assert why["policy"]["rules"]["service_level"].startswith("abc_class")
    assert why["supplier"]["code"] == paris["supplier"]
    assert why["budget"]["status"] == "no_budget"
    assert paris["quantity"] >= why["rounding"]["need"]
    assert "Stock position 5 is at or below the reorder point" in why["summary"]
    assert Decimal(paris["cost"]) == paris["quantity"] * Decimal(paris["unit_cost"])


def test_approving_chosen_lines_creates_their_draft_purchase_orders(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    run = _propose(client, planner_headers)
    first = _proposal(client, planner_headers, run["proposal_id"])["lines"][0]

    response = client.post(
        f"/proposals/{run['proposal_id']}/approve",
        json={"lines": [first["line_no"]], "note": "first line only"},
        headers=planner_headers,
    )

    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["status"] == "approved"
    assert decision["approved_lines"] == 1
    assert decision["rejected_lines"] == run["lines"] - 1
    (order,) = decision["purchase_orders"]
    assert order["number"] == f"RP{run['proposal_id']}-1"
    assert (order["supplier"], order["location"]) == (first["supplier"], first["location"])
    stored = client.get(f"/purchase-orders/{order['number']}", headers=planner_headers).json()
    assert stored["status"] == "draft"
    assert [(x["sku"], x["quantity"]) for x in stored["lines"]] == [(shop.sku, first["quantity"])]
    after = _proposal(client, planner_headers, run["proposal_id"])
    assert after["status"] == "approved"
    assert after["note"] == "first line only"
    statuses = {x["line_no"]: (x["status"], x["purchase_order"]) for x in after["lines"]}
    assert statuses[first["line_no"]] == ("approved", order["number"])
    assert {s for n, s in statuses.items() if n != first["line_no"]} <= {("rejected", None)}


def test_a_refused_decision_changes_nothing(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    run = _propose(client, planner_headers)
    approve = f"/proposals/{run['proposal_id']}/approve"

    unknown_line = client.post(approve, json={"lines": [1, 99]}, headers=planner_headers)
    invalid = client.post(approve, json={"lines": [0], "extra": 1}, headers=planner_headers)

    assert unknown_line.status_code == 422
    assert unknown_line.headers["content-type"] == "application/problem+json"
    assert (unknown_line.json()["code"], unknown_line.json()["line_no"]) == (
        "unknown_proposal_line",
        99,
    )
    assert invalid.status_code == 422
    fields = {problem["field"] for problem in invalid.json()["invalid"]}
    assert fields == {"body.lines.0", "body.extra"}
    assert _proposal(client, planner_headers, run["proposal_id"])["status"] == "proposed"
    assert _draft_orders(client, planner_headers, shop) == []

    rejected = client.post(f"/proposals/{run['proposal_id']}/reject", headers=planner_headers)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    again = client.post(approve, headers=planner_headers)
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert _draft_orders(client, planner_headers, shop) == []


def test_runs_refuse_bad_parameters_and_need_a_forecast(
    client: TestClient, planner_headers: Headers
) -> None:
    bad = client.post(
        "/replenishment/runs",
        json={"budget": "-5", "currency": "eur", "holding_rate": 0, "fill_rate_model": "x"},
        headers=planner_headers,
    )
    assert bad.status_code == 422
    problems = {problem["field"]: problem for problem in bad.json()["invalid"]}
    assert set(problems) == {
        "body.budget",
        "body.currency",
        "body.holding_rate",
        "body.fill_rate_model",
    }
    assert "lost_sales" in str(problems["body.fill_rate_model"])

    without_forecast = client.post(
        "/replenishment/runs", json={"run_id": 999_999}, headers=planner_headers
    )
    assert without_forecast.status_code == 409
    assert without_forecast.json()["code"] == "no_planning_run"
    assert client.get("/proposals/999999", headers=planner_headers).status_code == 404


def test_a_budget_keeps_the_lines_with_the_most_margin_and_marks_the_rest_over(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    seed_replenishment_shop(app)
    unbounded = _propose(client, planner_headers)
    costs = [
        Decimal(x["cost"])
        for x in _proposal(client, planner_headers, unbounded["proposal_id"])["lines"]
    ]
    budget = min(costs)
    run = _propose(client, planner_headers, budget=str(budget))
    lines = _proposal(client, planner_headers, run["proposal_id"])["lines"]
    statuses = [line["explanation"]["budget"]["status"] for line in lines]
    within = [line for line, status in zip(lines, statuses, strict=True) if status == "within"]
    assert "over" in statuses
    assert within
    assert sum(Decimal(line["cost"]) for line in within) <= budget
    assert run["lines_within_budget"] == len(within)

    decision = client.post(
        f"/proposals/{run['proposal_id']}/approve", headers=planner_headers
    ).json()
    assert decision["approved_lines"] == len(within)


def test_replenishment_needs_a_planner_key(
    app: App, client: TestClient, storefront_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    calls = [
        client.post("/replenishment/runs", json={}, headers=storefront_headers),
        client.get("/proposals", headers=storefront_headers),
        client.get("/replenishment/rules", headers=storefront_headers),
        client.get(f"/policies/{shop.sku}", headers=storefront_headers),
    ]
    assert [call.status_code for call in calls] == [403] * 4
    assert client.get("/proposals").status_code == 401


def test_a_proposal_s_lines_come_a_page_at_a_time(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    seed_replenishment_shop(app)
    run = _propose(client, planner_headers)
    url = f"/proposals/{run['proposal_id']}"
    first = client.get(url, params={"limit": 1}, headers=planner_headers).json()
    second = client.get(url, params={"limit": 1, "offset": 1}, headers=planner_headers).json()
    assert first["line_count"] == second["line_count"] == run["lines"]
    assert [x["line_no"] for x in first["lines"] + second["lines"]] == [1, 2]
