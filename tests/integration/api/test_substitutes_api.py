"""Storefront substitutes API: only in-stock products, personalised, promoted, counted."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.db.test_substitutes_on_database import MugShop, new_shop, seed
from stockguard.bootstrap import App

BASE = "/storefront/v1/substitutes"


def _refreshed(app: App, client: TestClient, planner: dict[str, str]) -> MugShop:
    shop = new_shop()
    seed(app, shop)
    response = client.post("/substitutes/refresh", headers=planner)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] > 0
    return shop


def test_storefront_gets_only_in_stock_substitutes_and_complements(
    app: App,
    client: TestClient,
    planner_headers: dict[str, str],
    storefront_headers: dict[str, str],
) -> None:
    shop = _refreshed(app, client, planner_headers)
    response = client.get(f"{BASE}/{shop.mug_red}", headers=storefront_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["available"] == 0
    proposed = [item["sku"] for item in body["substitutes"] + body["complements"]]
    assert body["substitutes"][0]["sku"] == shop.mug_blue
    assert shop.mug_green not in proposed
    assert shop.mug_old not in proposed
    assert all(item["available"] > 0 for item in body["substitutes"] + body["complements"])

    lyon = client.get(
        f"{BASE}/{shop.mug_red}",
        params={"location": f"LYS-{shop.tag[:6]}", "limit": 5},
        headers=storefront_headers,
    ).json()
    assert [item["sku"] for item in lyon["substitutes"]] == [shop.cup_red]
    assert lyon["complements"] == []


def test_a_customer_id_personalises_the_complements(
    app: App,
    client: TestClient,
    planner_headers: dict[str, str],
    storefront_headers: dict[str, str],
) -> None:
    shop = _refreshed(app, client, planner_headers)
    url = f"{BASE}/{shop.mug_red}"
    anonymous = client.get(url, headers=storefront_headers).json()
    personal = client.get(
        url, params={"customer": f"ADA-{shop.tag}"}, headers=storefront_headers
    ).json()
    assert anonymous["complements"][0]["sku"] == shop.saucer
    assert personal["complements"][0]["sku"] == shop.tea
    assert personal["complements"][0]["reason"].endswith("for you")


def test_promotion_discounts_substitutes_and_widget_events_are_counted(
    app: App,
    client: TestClient,
    planner_headers: dict[str, str],
    storefront_headers: dict[str, str],
) -> None:
    shop = _refreshed(app, client, planner_headers)
    red, blue = shop.mug_red, shop.mug_blue
    promoted = client.put(
        f"/substitutes/promotions/{red}", json={"discount_percent": "10"}, headers=planner_headers
    )
    assert promoted.status_code == 200, promoted.text
    first = client.get(f"{BASE}/{red}", headers=storefront_headers).json()["substitutes"][0]
    assert first["discount_percent"] == "10.00"
    assert first["discounted_price"] == "11.61"  # 12.90 less 10 %

    for action in ("shown", "shown", "clicked", "converted"):
        sent = client.post(
            f"{BASE}/events",
            json={"sku": red, "substitute": blue, "action": action},
            headers=storefront_headers,
        )
        assert sent.status_code == 204, sent.text
    stats = client.get("/substitutes/stats", params={"sku": red}, headers=planner_headers).json()
    assert stats == [{"sku": red, "substitute": blue, "shown": 2, "clicked": 1, "converted": 1}]


def test_refusals_are_problems_with_codes(
    app: App,
    client: TestClient,
    planner_headers: dict[str, str],
    storefront_headers: dict[str, str],
) -> None:
    missing = client.get(f"{BASE}/NO-SUCH-SKU", headers=storefront_headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_sku"
    wrong = client.post(
        f"{BASE}/events",
        json={"sku": "NO-SUCH-SKU", "substitute": "X", "action": "shown"},
        headers=storefront_headers,
    )
    assert wrong.json()["code"] == "unknown_sku"
    bad_action = client.post(
        f"{BASE}/events",
        json={"sku": "A", "substitute": "B", "action": "liked"},
        headers=storefront_headers,
    )
    assert bad_action.status_code == 422
    # the storefront key cannot refresh or promote
    assert client.post("/substitutes/refresh", headers=storefront_headers).status_code == 403
    assert client.get(f"{BASE}/X").status_code == 401
