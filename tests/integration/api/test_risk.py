"""Stock-out risk through the API: refresh, ranked list with filters, one SKU, a sale
moving its row, scopes and problems."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from integration.replenishment_shop import ReplenishmentShop, seed_replenishment_shop
from stockguard.bootstrap import App

Headers = dict[str, str]


def _refreshed(app: App, client: TestClient, headers: Headers) -> tuple[ReplenishmentShop, Any]:
    shop = seed_replenishment_shop(app)  # PAR 5 on hand, LYO none; 3 a day at each
    response = client.post("/risk/refresh", headers=headers)
    assert response.status_code == 200, response.text
    return shop, response.json()


def test_a_refresh_ranks_the_skus_by_expected_lost_revenue(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop, refreshed = _refreshed(app, client, planner_headers)

    listed = client.get("/risk", headers=planner_headers).json()

    assert refreshed["rows"] == 2
    assert refreshed["states"] == {"out_of_stock": 1, "at_risk": 1}
    assert listed["total"] == 2
    assert [item["location"] for item in listed["items"]] == [shop.lyon, shop.paris]
    revenue = [float(item["expected_lost_revenue"]) for item in listed["items"]]
    assert revenue == sorted(revenue, reverse=True)
    lyon = listed["items"][0]
    assert (lyon["state"], lyon["available"], lyon["probability"]) == ("out_of_stock", 0, 1.0)
    assert lyon["title"]
    assert lyon["demand_mean"] == 3.0


def test_filters_keep_the_asked_states_and_location(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop, _ = _refreshed(app, client, planner_headers)

    out = client.get("/risk", params={"state": "out_of_stock"}, headers=planner_headers).json()
    several = client.get(
        "/risk", params=[("state", "ok"), ("state", "at_risk")], headers=planner_headers
    ).json()
    paris = client.get("/risk", params={"location": shop.paris}, headers=planner_headers).json()
    mugs = client.get("/risk", params={"category": "Cups"}, headers=planner_headers).json()

    assert [item["location"] for item in out["items"]] == [shop.lyon]
    assert [item["location"] for item in several["items"]] == [shop.paris]
    assert [item["location"] for item in paris["items"]] == [shop.paris]
    assert mugs["total"] == 0


def test_a_sale_moves_the_skus_risk_without_a_refresh(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop, _ = _refreshed(app, client, planner_headers)
    before = client.get(f"/risk/{shop.sku}", headers=planner_headers).json()

    sale = {
        "sku": shop.sku,
        "location": shop.paris,
        "kind": "sale",
        "quantity": 5,
        "occurred_at": "2026-09-01T14:30:00Z",
        "idempotency_key": f"{shop.sku}-api-sale",
    }
    posted = client.post("/movements", json=sale, headers=planner_headers)
    after = client.get(f"/risk/{shop.sku}", headers=planner_headers).json()

    assert posted.status_code == 201, posted.text
    assert [row["location"] for row in after] == sorted([shop.paris, shop.lyon])
    paris_before = next(row for row in before if row["location"] == shop.paris)
    paris_after = next(row for row in after if row["location"] == shop.paris)
    assert (paris_before["available"], paris_after["available"]) == (5, 0)
    assert (paris_before["state"], paris_after["state"]) == ("at_risk", "out_of_stock")
    assert paris_after["days_of_cover"] == 0.0


def test_problems_and_scopes(
    client: TestClient, planner_headers: Headers, storefront_headers: Headers
) -> None:
    no_run = client.post("/risk/refresh", headers=planner_headers)
    unknown = client.get("/risk/NO-SUCH-SKU", headers=planner_headers)
    bad_state = client.get("/risk", params={"state": "fine"}, headers=planner_headers)

    assert (no_run.status_code, no_run.json()["code"]) == (409, "no_planning_run")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_sku")
    assert bad_state.status_code == 422
    assert client.get("/risk", headers=storefront_headers).status_code == 403
    assert client.get("/risk").status_code == 401
