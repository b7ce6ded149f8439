"""Message analytics through the API: ``GET /api/v1/messages/stats`` counts conversions
(the SKU or a substitute within 7 days), unsubscribes matched to their message, bounces
at sending and reported later; ``POST /api/v1/messages/events`` takes signed provider
reports once (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from integration.message_analytics_seed import Seeded, seed
from stockguard.adapters.notifications.smtp import message_id
from stockguard.bootstrap import App
from stockguard.domain.shops import signature
from stockguard.entrypoints.api.app import create_app

SECRET = "provider-secret-for-tests"


@pytest.fixture
def seeded(app: App) -> Seeded:
    with app.sessions() as session:
        found = seed(session)
        session.commit()
    return found


@pytest.fixture
def provider_client(app: App) -> TestClient:
    messaging = app.settings.messaging.model_copy(update={"provider_secret": SecretStr(SECRET)})
    settings = app.settings.model_copy(update={"messaging": messaging})
    signed_app = dataclasses.replace(app, settings=settings)
    return TestClient(create_app(settings, stockguard=signed_app))


def _post(client: TestClient, body: dict[str, Any], secret: str = SECRET) -> Any:
    raw = json.dumps(body).encode()
    return client.post(
        "/api/v1/messages/events",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Stockguard-Signature": signature(secret, raw),
        },
    )


def _row(stats: dict[str, Any], sku: str) -> Any:
    (row,) = [r for r in stats["rows"] if r["sku"] == sku]
    return row


COUNTS = ("sent", "delivered", "bounced", "complained", "clicked", "unsubscribed", "converted")


def _counts(row: dict[str, Any]) -> dict[str, int]:
    return {name: row[name] for name in COUNTS}


def test_stats_count_conversions_unsubscribes_and_bounces(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    # Other tests may have committed messages to the shared database: the totals are read
    # before the seed, so the seed's own share of them is known exactly.
    before = client.get("/api/v1/messages/stats", headers=planner_headers).json()
    with app.sessions() as session:
        seeded = seed(session)
        session.commit()
    answer = client.get("/api/v1/messages/stats", headers=planner_headers)
    assert answer.status_code == 200, answer.text
    stats = answer.json()
    assert stats["window_days"] == 7
    row = _row(stats, seeded.sku)
    assert row["template"] == "back_in_stock"  # from the wave's episode
    assert (row["sent"], row["bounced"], row["clicked"]) == (6, 1, 1)
    assert row["converted"] == 2  # ann (the SKU, e-mail case ignored), bob (substitute)
    assert row["unsubscribed"] == 1  # gus, through his subscription's link
    assert row["conversion_rate"] == pytest.approx(2 / 6, abs=1e-4)
    assert row["bounce_rate"] == pytest.approx(1 / 7, abs=1e-4)
    other = _row(stats, seeded.other)
    assert (other["sent"], other["unsubscribed"]) == (1, 1)  # hal, by his latest message
    basis = {how: n - before["unsubscribe_basis"].get(how, 0)
             for how, n in stats["unsubscribe_basis"].items()}  # fmt: skip
    assert {how: n for how, n in basis.items() if n} == {"link": 1, "latest_message": 1}
    added = {name: stats["total"][name] - before["total"][name] for name in COUNTS}
    assert added == {"sent": 7, "delivered": 0, "bounced": 1, "complained": 0, "clicked": 1,
                     "unsubscribed": 2, "converted": 2}  # fmt: skip
    assert added == {name: row[name] + other[name] for name in COUNTS}  # total = its rows
    assert {r["sku"] for r in stats["rows"]} - {r["sku"] for r in before["rows"]} == {
        seeded.sku,
        seeded.other,
    }

    wider = client.get(
        "/api/v1/messages/stats",
        params={"window_days": 10, "substitutes": 4},
        headers=planner_headers,
    ).json()
    assert _row(wider, seeded.sku)["converted"] == 4  # + cat (day 8) and dan (4th substitute)
    only_sku = client.get(
        "/api/v1/messages/stats", params={"substitutes": 0}, headers=planner_headers
    ).json()
    assert _row(only_sku, seeded.sku)["converted"] == 1
    assert client.get("/api/v1/messages/stats").status_code == 401
    assert (
        client.get(
            "/api/v1/messages/stats", params={"window_days": -1}, headers=planner_headers
        ).status_code
        == 422
    )


def test_provider_reports_are_signed_validated_and_counted_once(
    seeded: Seeded, provider_client: TestClient, planner_headers: dict[str, str]
) -> None:
    delivered = {"kind": "delivered", "message_key": seeded.keys["ann"],
                 "occurred_at": "2026-11-02T10:00:05Z"}  # fmt: skip
    forged = _post(provider_client, delivered, secret="not-the-secret")
    assert forged.status_code == 401
    assert "X-Stockguard-Signature" in forged.json()["detail"]
    first = _post(provider_client, delivered)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "recorded"
    again = _post(provider_client, delivered)
    assert again.json()["status"] == "duplicate"

    bounce = {"kind": "bounced", "message_id": message_id(seeded.keys["fay"], "shop@shop.example"),
              "recipient": seeded.emails["fay"].upper(), "occurred_at": "2026-11-02T10:20:00Z",
              "reason": "550 5.1.1 user unknown"}  # fmt: skip
    assert _post(provider_client, bounce).json()["status"] == "recorded"

    unknown = _post(provider_client, {**delivered, "message_key": "wave:0:0"})
    assert unknown.status_code == 404
    extra = _post(provider_client, {**delivered, "colour": "blue"})
    assert extra.status_code == 422
    unnamed = _post(provider_client, {"kind": "bounced", "occurred_at": "2026-11-02T10:20:00Z"})
    assert unnamed.status_code == 422
    assert "message_key" in unnamed.text
    naive = _post(provider_client, {**delivered, "occurred_at": "2026-11-02T10:20:00"})
    assert naive.status_code == 422

    stats = provider_client.get("/api/v1/messages/stats", headers=planner_headers).json()
    row = _row(stats, seeded.sku)
    assert row["delivered"] == 1
    assert row["bounced"] == 2  # eve at sending, fay reported after a 250
    assert row["delivery_rate"] == pytest.approx(1 / 6, abs=1e-4)


def test_provider_callbacks_are_refused_while_no_secret_is_configured(
    seeded: Seeded, client: TestClient
) -> None:
    body = {"kind": "delivered", "message_key": seeded.keys["ann"],
            "occurred_at": "2026-11-02T10:00:05Z"}  # fmt: skip
    refused = _post(client, body)
    assert refused.status_code == 401
    assert "STOCKGUARD_MESSAGING__PROVIDER_SECRET" in refused.json()["detail"]


def test_an_erased_contacts_wave_message_still_counts_under_its_sku(
    seeded: Seeded, client: TestClient, planner_headers: dict[str, str]
) -> None:
    erased = client.post(
        "/api/v1/contacts/erase", json={"contact": seeded.emails["gus"]}, headers=planner_headers
    )
    assert erased.status_code == 200, erased.text
    stats = client.get("/api/v1/messages/stats", headers=planner_headers).json()
    row = _row(stats, seeded.sku)  # the erased delivery's payload is empty: SKU from the episode
    assert (row["sent"], row["converted"]) == (6, 2)
