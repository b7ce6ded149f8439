"""Customer e-mails through a real SMTP server (aiosmtpd on loopback), parsed back:
headers (List-Unsubscribe of RFC 8058), both parts, and a click link that works against
the running app (recorded, then 302 to the product)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from messaging_sink import smtp_sink
from stockguard.adapters.db.messaging import message_stats
from stockguard.adapters.notifications.smtp import SmtpTransport, message_id
from stockguard.adapters.notifications.templates import install_default
from stockguard.bootstrap import App, link_config
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent.links import unsubscribe_headers, unsubscribe_url
from stockguard.services.messaging.compose import customer_delivery
from stockguard.services.messaging.links import Click, click_url
from stockguard.services.messaging.registry import SAMPLES
from stockguard.services.messaging.render import render
from stockguard.services.outbox.model import Channel

SENDER = "shop@shop.example"


def _queue_back_in_stock(app: App, key: str, target: str) -> str:
    """Render back_in_stock in French with signed links and queue it; returns the
    product URL the click link must lead to."""
    install_default()
    settings = app.settings.messaging
    secret = settings.secret.get_secret_value().encode()
    product_url = "https://shop.example/p/MUG-01?utm_source=stockguard"
    links = link_config(app.settings)
    context = {
        **SAMPLES["back_in_stock"],
        "name": "Zoé <l'admin>",
        "link": click_url(
            secret,
            settings.public_base_url,
            Click(key, "back_in_stock", "MUG-01", product_url),
        ),
        "unsubscribe_link": unsubscribe_url(41, links),
    }
    message = render("back_in_stock", "fr", context)
    delivery = customer_delivery(
        message,
        idempotency_key=key,
        channel=Channel.EMAIL,
        target=target,
        template="back_in_stock",
        sku="MUG-01",
        created_at=datetime.now(UTC),
        headers=unsubscribe_headers(41, links),
    )
    worker = build_worker(app, channel_transports={})
    with worker.uow_factory() as uow:
        assert uow.deliveries.add(delivery)
        uow.commit()
    return product_url


@pytest.mark.slow
def test_back_in_stock_email_is_parsed_back_and_its_link_works(
    app: App, planner_headers: dict[str, str]
) -> None:
    key = "bis:MUG-01:restock-1:sub-41"
    product_url = _queue_back_in_stock(app, key, "zoe@example.org")
    with smtp_sink() as (sink, port):
        transport = SmtpTransport(host="127.0.0.1", port=port, sender=SENDER)
        worker = build_worker(app, channel_transports={Channel.EMAIL: transport})
        report = worker.sender.drain()
        assert report.sent == 1
        assert report.failed == 0
        (received,) = sink.parsed()
        assert sink.messages[0][1] == ["zoe@example.org"]

    assert received["From"] == SENDER
    assert received["To"] == "zoe@example.org"
    assert received["Subject"] == "Ceramic mug 350 ml est de retour en stock"
    assert received["Message-ID"] == message_id(key, SENDER)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = received["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://localhost:8000/storefront/v1/subscriptions/unsubscribe")
    assert received.get_content_type() == "multipart/alternative"

    plain_part, html_part = received.get_body(("plain",)), received.get_body(("html",))
    assert plain_part is not None
    assert html_part is not None
    text, html = plain_part.get_content(), html_part.get_content()
    assert "Bonjour Zoé <l'admin>," in text
    assert "12,90\u00a0€" in text
    assert "3 décembre 2026" in text
    assert "Stoneware mug 400 ml, 14,50\u00a0€" in text
    assert "Bonjour Zoé &lt;l&#39;admin&gt;," in html
    assert "<l'admin>" not in html

    links = re.findall(r'href="([^"]+)"', html)
    click = next(link for link in links if "/m/c/" in link)
    assert click in text  # the same signed link in both parts
    client = TestClient(install_api(app))
    response = client.get(click.removeprefix("http://localhost:8000"), follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == product_url
    forged = click[:-3] + ("AAA" if not click.endswith("AAA") else "BBB")
    refused = client.get(forged.removeprefix("http://localhost:8000"), follow_redirects=False)
    assert refused.status_code == 404
    with app.reader() as session:
        counts = message_stats(session)
    assert ("MUG-01", "back_in_stock", "clicked", 1) in counts
    assert ("MUG-01", "back_in_stock", "sent", 1) in counts
    stats = client.get("/api/v1/messages/stats", headers=planner_headers)
    assert stats.status_code == 200
    (row,) = [r for r in stats.json()["rows"] if r["sku"] == "MUG-01"]
    assert (row["template"], row["sent"], row["clicked"]) == ("back_in_stock", 1, 1)
    assert client.get("/api/v1/messages/stats").status_code == 401


def install_api(app: App):  # type: ignore[no-untyped-def]
    from stockguard.entrypoints.api.app import create_app

    return create_app(app.settings, stockguard=app)
