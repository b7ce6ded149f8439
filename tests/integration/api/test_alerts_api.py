"""Alert rules and the alert log through the API."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from integration.alert_receivers import put_event
from stockguard.bootstrap import App
from stockguard.domain import events
from stockguard.entrypoints.worker import build_worker

from builders import a_location, a_product
from conftest import random_sku

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def seed(app: App) -> str:
    sku = random_sku("MUG")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, category="Mugs"))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()
    return sku


def test_rules_are_created_replaced_listed_and_deleted(
    client: TestClient, app: App, planner_headers: dict[str, str]
) -> None:
    sku = seed(app)
    rule = {"name": "ops", "events": ["StockedOut"], "skus": [sku], "email": ["ops@shop.example"]}

    created = client.post("/alerts/rules", json=rule, headers=planner_headers)
    replaced = client.post(
        "/alerts/rules", json={**rule, "throttle_hours": 1}, headers=planner_headers
    )
    listed = client.get("/alerts/rules", headers=planner_headers).json()

    assert (created.status_code, replaced.status_code) == (201, 200)
    assert [(r["name"], r["channel"], r["throttle_hours"]) for r in listed] == [
        ("ops", "email", 1.0)
    ]
    assert client.delete("/alerts/rules/ops", headers=planner_headers).status_code == 204
    missing = client.delete("/alerts/rules/ops", headers=planner_headers)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "There is no alert rule named 'ops'."


def test_bad_rules_are_422_with_the_field_and_reason_and_nothing_is_written(
    client: TestClient, app: App, planner_headers: dict[str, str]
) -> None:
    seed(app)
    bad_address = client.post(
        "/alerts/rules", json={"name": "x", "email": ["nope"]}, headers=planner_headers
    )
    unknown_place = client.post(
        "/alerts/rules",
        json={"name": "y", "locations": ["LYS"], "webhook": "https://hooks.example.com/a"},
        headers=planner_headers,
    )

    assert bad_address.status_code == 422
    assert "body.email: 'nope' is not an e-mail address" in (bad_address.json()["detail"])
    assert unknown_place.status_code == 422
    assert unknown_place.json()["code"] == "invalid_alert_rules"
    assert "rule 1 'y', field locations: unknown location 'LYS'" in unknown_place.json()["detail"]
    both = client.post(
        "/alerts/rules",
        json={"name": "z", "locations": ["LYS"], "skus": ["NOPE-1"], "email": ["a@b.fr"]},
        headers=planner_headers,
    ).json()
    assert both["all_problems"] == (
        "request, rule 1 'z', field locations: unknown location 'LYS'; "
        "request, rule 1 'z', field skus: unknown SKU 'NOPE-1'"
    )
    assert client.get("/alerts/rules", headers=planner_headers).json() == []


def test_the_alert_log_lists_what_the_worker_decided(
    client: TestClient,
    app: App,
    planner_headers: dict[str, str],
    storefront_headers: dict[str, str],
) -> None:
    sku = seed(app)
    rule = {"name": "hook", "skus": [sku], "webhook": "https://hooks.example.com/a"}
    assert client.post("/alerts/rules", json=rule, headers=planner_headers).status_code == 201
    for _ in range(3):
        put_event(app, events.StockedOut(sku=sku, location="PAR", on_hand=0), NOW)
    build_worker(app, clock=lambda: NOW, channel_transports={}).relay_outbox_job()

    page = client.get(f"/alerts?sku={sku}", headers=planner_headers).json()
    suppressed = client.get(f"/alerts?sku={sku}&status=suppressed", headers=planner_headers)

    assert page["total"] == 3
    assert sorted(item["status"] for item in page["items"]) == ["sent", "suppressed", "suppressed"]
    assert suppressed.json()["total"] == 2
    assert (
        page["items"][0]["body"] == f"{sku} (Product {sku}) at Paris is out of stock (on hand: 0)."
    )
    assert client.get("/alerts", headers=storefront_headers).status_code == 403
