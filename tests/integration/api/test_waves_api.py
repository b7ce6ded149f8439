"""Waves API: the planner sees restocks in progress and waiting subscribers; the widget's
product views are kept only for out-of-stock SKUs and consenting customers, and those
customers are told after the subscribers when the setting allows it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from integration.db.test_waves_fairness import seed, subscribe, told
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.services.waves.ports import WaveSettings
from stockguard.services.waves.subscriber import recheck

from conftest import random_sku

VIEWS = "/storefront/v1/views"


def test_planner_sees_waiting_subscribers_and_the_wave_in_progress(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 7)
    waiting = client.get("/waves/waiting", params={"sku": sku}, headers=planner_headers)
    assert waiting.status_code == 200, waiting.text
    assert waiting.json() == [{"sku": sku, "waiting": 7}]

    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 2, now, f"{sku}-back"))
    recheck(lambda: SqlRelayUnitOfWork(app.sessions), now)
    waves = client.get("/waves", params={"sku": sku}, headers=planner_headers)
    assert waves.status_code == 200, waves.text
    [episode] = waves.json()
    assert (episode["status"], episode["waves"], episode["notified"]) == ("open", 1, 4)
    assert episode["available_at_open"] == 2
    assert episode["waiting"] == 7


def test_views_are_kept_for_consenting_customers_of_an_empty_shelf_and_told_last(
    app: App, client: TestClient, storefront_headers: dict[str, str]
) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    subscribe(app, sku, 1)

    def view(customer: str, consent: bool) -> bool:
        body = {"sku": sku, "customer": customer, "email": f"{customer}@example.com"}
        response = client.post(
            VIEWS, json={**body, "marketing_consent": consent}, headers=storefront_headers
        )
        assert response.status_code == 202, response.text
        return bool(response.json()["recorded"])

    assert view("cust-1", True) is True
    assert view("cust-2", False) is False
    unknown = client.post(
        VIEWS,
        json={
            "sku": "NOPE-1",
            "customer": "c",
            "email": "c@example.com",
            "marketing_consent": True,
        },
        headers=storefront_headers,
    )
    assert unknown.status_code == 404
    bad = client.post(
        VIEWS,
        json={"sku": sku, "customer": "c", "email": "not-an-address", "marketing_consent": True},
        headers=storefront_headers,
    )
    assert bad.status_code == 422

    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, "PAR", 2, now, f"{sku}-back"))
    assert view("cust-3", True) is False  # in stock again: not an out-of-stock view
    settings = WaveSettings(include_viewers=True)
    [outcome] = [
        o for o in recheck(lambda: SqlRelayUnitOfWork(app.sessions), now, settings) if o.sku == sku
    ]
    assert outcome.told == 2  # the one subscriber, then the consenting viewer
    notified = told(app, sku)
    assert notified[0][2] is not None
    assert notified[1][2] is None
