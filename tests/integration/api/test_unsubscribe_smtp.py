"""Double opt-in and one-click unsubscribe through a real SMTP server (aiosmtpd on
loopback): the confirmation e-mail is the only message an unconfirmed contact gets, its
link confirms against the running app, and the List-Unsubscribe header of a later
message unsubscribes with the RFC 8058 POST."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from integration.api.shop import Seeded
from integration.api.test_consent_api import local, subscribe, subscription
from messaging_sink import smtp_sink
from stockguard.adapters.db.deliveries import SqlDeliveryStore
from stockguard.adapters.notifications.smtp import SmtpTransport
from stockguard.bootstrap import App
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent import links
from stockguard.services.outbox.model import Channel, Delivery

SENDER = "shop@shop.example"


def _drain(app: App) -> list[object]:
    with smtp_sink() as (sink, port):
        transport = SmtpTransport(host="127.0.0.1", port=port, sender=SENDER)
        worker = build_worker(app, channel_transports={Channel.EMAIL: transport})
        report = worker.sender.drain()
        assert report.failed == 0
        return list(sink.parsed())


@pytest.mark.slow
def test_confirm_by_mail_then_unsubscribe_in_one_click(
    client: TestClient, app: App, seeded: Seeded, storefront_headers: dict[str, str]
) -> None:
    subscribe(client, storefront_headers, seeded.sku, "Lea@Example.org")
    [confirmation] = _drain(app)
    assert confirmation["To"] == "lea@example.org"  # type: ignore[index]
    assert "Mug" in confirmation["Subject"]  # type: ignore[index]
    text = confirmation.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    [link] = re.findall(r"\S*" + re.escape(links.CONFIRM_PATH) + r"\S*", text)
    assert subscription(app, seeded.sku).status == "pending"
    page = client.get(local(link))
    assert page.status_code == 200, page.text
    row = subscription(app, seeded.sku)
    assert row.status == "confirmed"

    config = app.bus.uow_factory().consent_policy.links
    with app.sessions() as session:  # what a back-in-stock wave would queue
        SqlDeliveryStore(session).add(
            Delivery(
                idempotency_key=f"test:bis:{row.id}",
                source="test",
                channel=Channel.EMAIL,
                target=row.contact,
                subject="Mug is back",
                body=f"Unsubscribe: {links.unsubscribe_url(row.id, config)}",
                created_at=datetime.now(UTC),
                payload={"headers": links.unsubscribe_headers(row.id, config)},
            )
        )
        session.commit()
    [notice] = _drain(app)
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # type: ignore[index]
    target = notice["List-Unsubscribe"].split(",")[0].strip().strip("<>")  # type: ignore[index]
    done = client.post(
        local(target),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.status_code == 200, done.text
    assert subscription(app, seeded.sku).status == "unsubscribed"
