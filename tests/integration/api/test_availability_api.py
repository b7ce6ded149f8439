"""The public availability API: storefront keys read it, one SKU or a batch, in fr or
en, with an ETag; unknown SKUs get a clear problem document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.replenishment_shop import NOW, ReplenishmentShop, seed_replenishment_shop
from stockguard.bootstrap import App
from stockguard.entrypoints.api.routers import storefront
from stockguard.services.risk.refresh import refresh_risk
from stockguard.services.storefront.refresh import refresh_availability


def _shop(app: App) -> ReplenishmentShop:
    storefront.cache.clear()
    shop = seed_replenishment_shop(app)  # Paris: 5 on hand; Lyon: nothing
    refresh_risk(app.unit_of_work(), now=NOW)
    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)
    return shop


def test_a_storefront_key_reads_a_low_stock_sku_in_french(
    app: App, client: TestClient, storefront_headers: dict[str, str]
) -> None:
    shop = _shop(app)

    answer = client.get(
        f"/storefront/v1/availability/{shop.sku}?lang=fr", headers=storefront_headers
    )

    assert answer.status_code == 200
    body = answer.json()
    assert (body["state"], body["colour"], body["count"]) == ("low_stock", "orange", 5)
    assert body["message"] == "Plus que 5 en stock"
    assert body["location"] == "*"
    assert answer.headers["cache-control"].startswith("public, max-age=")
    again = client.get(
        f"/storefront/v1/availability/{shop.sku}?lang=fr",
        headers=storefront_headers | {"If-None-Match": answer.headers["etag"]},
    )
    assert again.status_code == 304


def test_one_location_out_of_stock_shows_its_promise_in_english(
    app: App, client: TestClient, storefront_headers: dict[str, str]
) -> None:
    shop = _shop(app)

    body = client.get(
        f"/storefront/v1/availability/{shop.sku}?location={shop.lyon}",
        headers=storefront_headers,
    ).json()

    assert (body["state"], body["colour"], body["count"]) == ("out_of_stock", "red", None)
    assert body["promise_confidence"] == 0.95
    day = int(body["promise_on"][8:10])
    assert body["message"].startswith(f"Back in stock by {day} ")


def test_a_batch_lists_known_skus_in_order_and_names_the_unknown(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    shop = _shop(app)

    answer = client.get(
        f"/storefront/v1/availability?skus=NOPE-1,{shop.sku}", headers=planner_headers
    )

    assert answer.status_code == 200  # planner keys include the storefront scope
    body = answer.json()
    assert [item["sku"] for item in body["items"]] == [shop.sku]
    assert body["unknown"] == ["NOPE-1"]


def test_an_unknown_sku_is_a_404_problem(
    client: TestClient, storefront_headers: dict[str, str]
) -> None:
    answer = client.get("/storefront/v1/availability/NOPE-404", headers=storefront_headers)

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "unknown_sku"
    assert "NOPE-404" in answer.json()["detail"]


def test_availability_and_ping_need_a_key(
    client: TestClient, storefront_headers: dict[str, str]
) -> None:
    assert client.get("/storefront/v1/availability/X").status_code == 401
    assert client.get("/storefront/v1/ping").status_code == 401
    assert client.get("/storefront/v1/ping", headers=storefront_headers).json() == {"ok": True}
