"""Promotion readiness through the API: the list, its status filter, the check, scopes."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from integration.replenishment_shop import ReplenishmentShop, seed_replenishment_shop
from stockguard.bootstrap import App
from stockguard.services import ports

Headers = dict[str, str]


def _promoted(app: App) -> ReplenishmentShop:
    shop = seed_replenishment_shop(app)
    today = datetime.now(UTC).date()
    row = {
        "code": f"{shop.sku}-SUMMER",
        "kind": "newsletter",
        "sku": shop.sku,
        "category": None,
        "starts_on": today + timedelta(days=10),
        "ends_on": today + timedelta(days=13),
        "discount_percent": None,
        "owner": "ann@shop.test",
    }
    with app.unit_of_work() as uow:
        uow.bulk.upsert(ports.Entity.PROMOTION, [row])
        uow.commit()
    return shop


def test_readiness_lists_each_location_with_what_to_order_by_when(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = _promoted(app)
    today = datetime.now(UTC).date()

    response = client.get("/promotions/readiness", headers=planner_headers)

    assert response.status_code == 200, response.text
    rows = {row["location"]: row for row in response.json()}
    assert set(rows) == {shop.paris, shop.lyon}
    paris = rows[shop.paris]
    assert paris["uplift"] == 1.2
    assert paris["uplift_source"] == "default for newsletter"
    assert paris["projected_demand"] == math.ceil(3 * (10 + 1.2 * 4))  # 44.4 units
    assert paris["available"] == 5
    assert paris["order_quantity"] > paris["projected_demand"] - 5
    assert paris["last_order_date"] == str(today + timedelta(days=10 - 7))
    assert paris["status"] == "at_risk"
    ok_only = client.get("/promotions/readiness", params={"status": "ok"}, headers=planner_headers)
    assert ok_only.json() == []


def test_a_check_warns_once_and_needs_the_planner_scope(
    app: App, client: TestClient, planner_headers: Headers, storefront_headers: Headers
) -> None:
    _promoted(app)

    first = client.post("/promotions/check", headers=planner_headers).json()
    again = client.post("/promotions/check", headers=planner_headers).json()

    assert (first["rows"], first["at_risk"], len(first["warned"])) == (2, 2, 2)
    assert (again["at_risk"], again["warned"]) == (2, [])
    refused = client.get("/promotions/readiness", headers=storefront_headers)
    assert refused.status_code == 403
    bad = client.get("/promotions/readiness", params={"service_level": 2}, headers=planner_headers)
    assert bad.status_code == 422
