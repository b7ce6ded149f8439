"""Abuse tests (issue 9): subscribing someone without their confirmation sends them
nothing but the confirmation; a forged or expired link is refused; floods answer 429."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from integration.api.shop import Seeded
from integration.api.test_consent_api import (
    LINKS,
    URL,
    a_body,
    log_of,
    messages_to,
    subscribe,
    subscription,
)
from stockguard.bootstrap import App
from stockguard.services.consent import links, tokens
from stockguard.services.consent.policy import ConsentPolicy


def test_subscribing_without_confirming_sends_nothing_but_the_confirmation(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    subscribe(client, storefront_headers, seeded.sku)
    subscribe(client, storefront_headers, seeded.sku)  # asking again: a fresh link, still pending
    row = subscription(app, seeded.sku)
    assert row.status == "pending"
    sent = messages_to(app, "ann@example.com")
    assert [m.payload["kind"] for m in sent] == ["confirm", "confirm"]
    assert {m.source for m in sent} == {"consent"}
    assert {m.channel for m in sent} == {"email"}
    assert all(f"{links.CONFIRM_PATH}?token={row.id}." in m.body for m in sent)
    assert "Mug" in sent[0].subject
    assert [e.event for e in log_of(app, row.id)] == ["requested", "requested"]


def test_a_forged_or_expired_token_is_refused_and_nothing_changes(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    subscribe(client, storefront_headers, seeded.sku)
    row = subscription(app, seeded.sku)
    good = tokens.sign(
        LINKS.secret, tokens.Purpose.CONFIRM, row.id, datetime.now(UTC) + timedelta(hours=1)
    )
    forgeries = [
        good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
        good.replace(f"{row.id}.", f"{row.id + 1}.", 1),
        tokens.sign(
            b"guessed-secret",
            tokens.Purpose.CONFIRM,
            row.id,
            datetime.now(UTC) + timedelta(hours=1),
        ),
        tokens.sign(
            LINKS.secret, tokens.Purpose.UNSUBSCRIBE, row.id, datetime.now(UTC) + timedelta(hours=1)
        ),
        "not-a-token",
    ]
    for forged in forgeries:
        refused = client.get(f"{URL}/confirm", params={"token": forged})
        assert refused.status_code == 400, forged
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "invalid_token"
        assert "not valid" in refused.json()["detail"]
    expired = tokens.sign(
        LINKS.secret, tokens.Purpose.CONFIRM, row.id, datetime.now(UTC) - timedelta(seconds=1)
    )
    gone = client.get(f"{URL}/confirm", params={"token": expired})
    assert gone.status_code == 410
    assert gone.json()["code"] == "expired_token"
    assert "expired on" in gone.json()["detail"]
    unsubscribe = client.post(f"{URL}/unsubscribe", params={"token": good})  # wrong purpose
    assert unsubscribe.status_code == 400
    assert subscription(app, seeded.sku).status == "pending"
    assert [e.event for e in log_of(app, row.id)] == ["requested"]


def test_the_rate_limit_answers_429_per_contact_then_per_address(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    limits = ConsentPolicy()
    for _ in range(limits.per_contact):
        subscribe(client, storefront_headers, seeded.sku, "eve@example.com")
    refused = client.post(
        URL, json=a_body(seeded.sku, "EVE@example.com"), headers=storefront_headers
    )
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    problem = refused.json()
    assert (problem["code"], problem["scope"], problem["limit"]) == ("rate_limited", "contact", 5)
    assert "at most 5 in 60 minutes" in problem["detail"]
    assert len(messages_to(app, "eve@example.com")) == limits.per_contact  # refused: nothing sent
    for n in range(limits.per_ip - limits.per_contact):
        subscribe(client, storefront_headers, seeded.sku, f"victim{n}@example.com")
    flood = client.post(URL, json=a_body(seeded.sku, "new@example.com"), headers=storefront_headers)
    assert flood.status_code == 429
    assert flood.json()["scope"] == "address"
    assert messages_to(app, "new@example.com") == []
