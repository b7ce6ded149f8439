"""POST /storefront/v1/subscriptions: 202 pending, de-duplicated, 422 with field errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.api.conftest import make_key
from integration.api.shop import Seeded, import_csv
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.tables import table_of
from stockguard.bootstrap import App

from conftest import random_sku

URL = "/storefront/v1/subscriptions"


def a_body(sku: str, **overrides: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "channel": "email",
        "contact": "Ann@Example.com",
        "consent": True,
        "consent_text": "J'accepte de recevoir un message sur la disponibilité de ce produit.",
        "locale": "fr",
    } | overrides


def stored(app: App, sku: str) -> list[Any]:
    table = table_of(ts.BackInStockSubscriptionRow)
    with app.reader() as session:
        return list(session.execute(select(table).where(table.c.sku == sku)).all())


def test_a_storefront_key_creates_a_pending_subscription_with_its_consent(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    response = client.post(URL, json=a_body(seeded.sku), headers=storefront_headers)
    assert response.status_code == 202, response.text
    assert response.json() == {
        "sku": seeded.sku,
        "channel": "email",
        "status": "pending",
        "any_variant": False,
    }
    [row] = stored(app, seeded.sku)
    assert (row.contact, row.channel, row.status, row.locale) == (
        "ann@example.com", "email", "pending", "fr",
    )  # fmt: skip
    assert row.consent_text.startswith("J'accepte")
    assert row.consent_source == "widget"
    assert row.consent_at == row.created_at
    assert row.consent_at.tzinfo is not None
    assert row.ip_hash is not None
    assert len(row.ip_hash) == 64
    assert row.confirmed_at is None
    assert row.unsubscribed_at is None


def test_asking_twice_gives_the_same_answer_and_one_row(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    first = client.post(URL, json=a_body(seeded.sku), headers=storefront_headers)
    again = client.post(
        URL, json=a_body(seeded.sku, contact=" ann@EXAMPLE.com "), headers=storefront_headers
    )
    assert (first.status_code, again.status_code) == (202, 202)
    assert first.json() == again.json()
    sms = client.post(
        URL,
        json=a_body(seeded.sku, channel="sms", contact="+33 6 12 34 56 78"),
        headers=storefront_headers,
    )
    assert sms.status_code == 202
    rows = stored(app, seeded.sku)
    assert sorted((r.channel, r.contact) for r in rows) == [
        ("email", "ann@example.com"),
        ("sms", "+33612345678"),
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"contact": "ann@example"}, "contact", "valid e-mail address"),
        ({"channel": "sms", "contact": "0612345678"}, "contact", "international format"),
        ({"consent": False}, "consent", "must be given"),
    ],
)
def test_an_invalid_contact_or_missing_consent_is_a_422_naming_the_field(
    client: TestClient,
    app: App,
    seeded: Seeded,
    storefront_headers: dict[str, str],
    overrides: dict[str, Any],
    field: str,
    words: str,
) -> None:
    response = client.post(URL, json=a_body(seeded.sku, **overrides), headers=storefront_headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_subscription", field)
    assert words in problem["reason"]
    assert stored(app, seeded.sku) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "fax"}, "body.channel"),
        ({"consent_text": ""}, "body.consent_text"),
        ({"locale": "de"}, "body.locale"),
        ({"contact": "x" * 300}, "body.contact"),
        ({"extra": 1}, "body.extra"),
    ],
)
def test_a_malformed_body_is_a_422_listing_the_fields(
    client: TestClient,
    seeded: Seeded,
    storefront_headers: dict[str, str],
    overrides: dict[str, Any],
    field: str,
) -> None:
    response = client.post(URL, json=a_body(seeded.sku, **overrides), headers=storefront_headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_request"
    assert [i["field"] for i in problem["invalid"]] == [field]


def test_an_unknown_sku_is_a_404(client: TestClient, storefront_headers: dict[str, str]) -> None:
    response = client.post(URL, json=a_body(random_sku()), headers=storefront_headers)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_sku"


def test_a_discontinued_sku_still_takes_subscriptions(
    client: TestClient, app: App, storefront_headers: dict[str, str]
) -> None:
    sku = random_sku()
    import_csv(app, "products", f"sku,title,price,status\n{sku},Old mug,9.90,discontinued\n")
    response = client.post(URL, json=a_body(sku), headers=storefront_headers)
    assert response.status_code == 202
    assert len(stored(app, sku)) == 1


def test_the_endpoint_needs_a_key_and_any_scope_granting_storefront(
    client: TestClient, app: App, seeded: Seeded
) -> None:
    assert client.post(URL, json=a_body(seeded.sku)).status_code == 401
    for scope in ("planner", "admin"):
        headers = {"Authorization": f"Bearer {make_key(app, scope)}"}
        body = a_body(seeded.sku, contact=f"{scope}@example.com")
        assert client.post(URL, json=body, headers=headers).status_code == 202
    assert len(stored(app, seeded.sku)) == 2
