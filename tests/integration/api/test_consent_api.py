"""Double opt-in, one-click unsubscribe and contact export/erasure through the API."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import select

from integration.api.shop import Seeded
from stockguard.adapters.db import tables_consent as tc
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.deliveries import DELIVERIES
from stockguard.adapters.db.tables import table_of
from stockguard.bootstrap import App
from stockguard.services.consent import links
from stockguard.services.consent.policy import ConsentPolicy

URL = "/storefront/v1/subscriptions"
LINKS = ConsentPolicy().links  # the test app runs with the default (development) policy


def a_body(sku: str, contact: str = "Ann@Example.com") -> dict[str, Any]:
    return {
        "sku": sku,
        "channel": "email",
        "contact": contact,
        "consent": True,
        "consent_text": "I agree to receive one message about this product.",
        "locale": "en",
    }


def subscription(app: App, sku: str) -> Any:
    table = table_of(ts.BackInStockSubscriptionRow)
    with app.reader() as session:
        return session.execute(select(table).where(table.c.sku == sku)).one()


def messages_to(app: App, target: str) -> list[Any]:
    with app.reader() as session:
        query = select(DELIVERIES).where(DELIVERIES.c.target == target)
        return list(session.execute(query.order_by(DELIVERIES.c.id)).all())


def log_of(app: App, subscription_id: int) -> list[Any]:
    table = table_of(tc.ConsentLogRow)
    with app.reader() as session:
        query = select(table).where(table.c.subscription_id == subscription_id)
        return list(session.execute(query.order_by(table.c.id)).all())


def local(url: str) -> str:
    """The path and query of a link (the test client serves the app itself)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def subscribe(
    client: TestClient, headers: dict[str, str], sku: str, contact: str = "ann@example.com"
) -> Any:
    response = client.post(URL, json=a_body(sku, contact), headers=headers)
    assert response.status_code == 202, response.text
    return response


def test_the_confirm_link_confirms_and_logs_consent_with_a_keyed_ip_digest(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    subscribe(client, storefront_headers, seeded.sku)
    [message] = messages_to(app, "ann@example.com")
    link = next(word for word in message.body.split() if links.CONFIRM_PATH in word)
    page = client.get(local(link))  # no API key: the signed token is the credential
    assert page.status_code == 200, page.text
    assert "Alert confirmed" in page.text
    row = subscription(app, seeded.sku)
    assert row.status == "confirmed"
    assert row.confirmed_at is not None
    requested, confirmed = log_of(app, row.id)
    assert (confirmed.event, confirmed.source, confirmed.contact) == (
        "confirmed", "link", "ann@example.com",
    )  # fmt: skip
    assert requested.ip_hmac == ConsentPolicy().ip_digest("testclient")
    assert requested.ip_hmac != hashlib.sha256(b"testclient").hexdigest()
    again = client.get(local(link))
    assert again.status_code == 200
    assert len(log_of(app, row.id)) == 2  # confirming twice changes nothing


def test_one_click_unsubscribe_from_the_list_unsubscribe_header(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    subscribe(client, storefront_headers, seeded.sku)
    row = subscription(app, seeded.sku)
    headers = links.unsubscribe_headers(row.id, LINKS)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    page = client.get(local(url))  # a mail scanner opening the link unsubscribes nobody
    assert page.status_code == 200
    assert 'method="post"' in page.text
    assert subscription(app, seeded.sku).status == "pending"
    done = client.post(
        local(url),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200, done.text
    assert done.json() == {"subscription_id": row.id, "status": "unsubscribed"}
    after = subscription(app, seeded.sku)
    assert after.status == "unsubscribed"
    assert after.unsubscribed_at is not None
    assert [(e.event, e.source) for e in log_of(app, row.id)][-1] == ("unsubscribed", "one_click")
    twice = client.post(local(url), content=b"List-Unsubscribe=One-Click")
    assert twice.status_code == 200
    assert len(log_of(app, row.id)) == 2
    # an old confirmation link does not bring the subscription back
    confirm = client.get(local(links.confirm_url(row.id, LINKS)))
    assert confirm.status_code == 200
    assert "unsubscribed" in confirm.text
    assert subscription(app, seeded.sku).status == "unsubscribed"


def test_export_then_erase_a_contact_keeping_the_counts(
    client: TestClient,
    app: App,
    seeded: Seeded,
    storefront_headers: dict[str, str],
    planner_headers: dict[str, str],
) -> None:
    subscribe(client, storefront_headers, seeded.sku)
    subscribe(client, storefront_headers, seeded.sku, "bob@example.com")
    row = subscription_of(app, seeded.sku, "ann@example.com")
    client.get(local(links.confirm_url(row.id, LINKS)))
    assert client.post("/api/v1/contacts/export", json={"contact": "x@y.z"}).status_code == 401
    exported = client.post(
        "/api/v1/contacts/export", json={"contact": " ANN@example.com "}, headers=planner_headers
    )
    assert exported.status_code == 200, exported.text
    data = exported.json()
    assert data["contact"] == "ann@example.com"
    [sub] = data["subscriptions"]
    assert (sub["sku"], sub["status"]) == (seeded.sku, "confirmed")
    assert [e["event"] for e in data["consent_log"]] == ["requested", "confirmed"]
    [message] = data["messages"]
    assert message["subject"].startswith("Confirm your")
    assert message["body"].count("http") == 1

    erased = client.post(
        "/api/v1/contacts/erase", json={"contact": "ann@example.com"}, headers=planner_headers
    )
    assert erased.status_code == 200, erased.text
    counts = erased.json()["erased"]
    assert (counts["subscriptions"], counts["messages"]) == (1, 1)
    assert counts["messages_cancelled"] == 1  # the confirmation was still queued
    again = client.post(
        "/api/v1/contacts/export", json={"contact": "ann@example.com"}, headers=planner_headers
    ).json()
    assert (again["subscriptions"], again["messages"]) == ([], [])
    assert [e["event"] for e in again["consent_log"]] == [
        "requested",
        "confirmed",
        "exported",
        "erased",
    ]  # the log of an export is written after it is read
    table = table_of(ts.BackInStockSubscriptionRow)
    with app.reader() as session:
        rows = session.execute(select(table).where(table.c.sku == seeded.sku)).all()
        log = table_of(tc.ConsentLogRow)
        contacts = set(session.scalars(select(log.c.contact)))
    assert len(rows) == 2  # the count of subscribers stays
    assert "ann@example.com" not in {r.contact for r in rows} | contacts
    assert all(r.ip_hash is None for r in rows if r.contact.startswith("erased:"))
    assert [m.body for m in messages_to(app, "ann@example.com")] == []
    bad = client.post("/api/v1/contacts/erase", json={"contact": "nobody"}, headers=planner_headers)
    assert bad.status_code == 422


def subscription_of(app: App, sku: str, contact: str) -> Any:
    table = table_of(ts.BackInStockSubscriptionRow)
    with app.reader() as session:
        query = select(table).where(table.c.sku == sku, table.c.contact == contact)
        return session.execute(query).one()
