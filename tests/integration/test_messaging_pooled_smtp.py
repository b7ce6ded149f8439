"""The kept-open SMTP transport (bulk customer messages) against aiosmtpd on loopback:
several messages on one connection, parsed back with the same headers and parts as the
standard transport, and a dropped connection reopened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from messaging_sink import smtp_sink
from stockguard.adapters.notifications.smtp import SmtpTransport, message_id
from stockguard.adapters.notifications.smtp_pool import PooledSmtpTransport
from stockguard.adapters.notifications.templates import install_default
from stockguard.services.messaging.compose import customer_delivery
from stockguard.services.messaging.registry import SAMPLES
from stockguard.services.messaging.render import render
from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Channel

HEADERS = {
    "List-Unsubscribe": "<https://shop.example/storefront/v1/subscriptions/unsubscribe?token=x>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def _delivery(i: int, locale: str = "fr"):  # type: ignore[no-untyped-def]
    install_default()
    message = render("delay_notice", locale, SAMPLES["delay_notice"])
    return customer_delivery(message, idempotency_key=f"notice:{i}", channel=Channel.EMAIL,
                             target=f"c{i}@example.org", template="delay_notice", sku="MUG-01",
                             created_at=datetime.now(UTC), headers=HEADERS)  # fmt: skip


def test_messages_share_one_connection_and_parse_back_whole() -> None:
    with smtp_sink() as (sink, port):
        transport = PooledSmtpTransport(SmtpTransport("127.0.0.1", port, "shop@shop.example"))
        for i in range(5):
            transport.send(_delivery(i, "fr" if i % 2 else "en"))
        transport.close()
        parsed = sink.parsed()
    assert [m["Message-ID"] for m in parsed] == [
        message_id(f"notice:{i}", "shop@shop.example") for i in range(5)
    ]
    first, second = parsed[0], parsed[1]
    assert first["Subject"] == "Your order SO-10442: new delivery date Dec 14, 2026"
    assert (
        second["Subject"] == "Votre commande SO-10442 : nouvelle date de livraison le 14 déc. 2026"
    )
    assert second["List-Unsubscribe"] == HEADERS["List-Unsubscribe"]
    assert second["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain_part, html_part = second.get_body(("plain",)), second.get_body(("html",))
    assert plain_part is not None
    assert html_part is not None
    assert "5,00\u00a0€ de réduction" in plain_part.get_content()
    assert "<strong>SG-7QK2-M9</strong>" in html_part.get_content()


def test_a_dropped_connection_is_reopened_and_a_dead_server_is_retried() -> None:
    with smtp_sink() as (sink, port):
        transport = PooledSmtpTransport(SmtpTransport("127.0.0.1", port, "s@shop.example"))
        transport.send(_delivery(1))
        transport._local.client.sock.close()  # the server side would see a dropped link
        transport.send(_delivery(2))
        assert len(sink.messages) == 2
    with pytest.raises(DeliveryFailed) as failure:
        transport.send(_delivery(3))
    assert not failure.value.permanent


def test_the_worker_keeps_the_connection_open_when_configured() -> None:
    from stockguard.config import Settings, SmtpSettings
    from stockguard.entrypoints.worker import transports

    kept = transports(Settings(smtp=SmtpSettings(keep_open=True)))[Channel.EMAIL]
    assert isinstance(kept, PooledSmtpTransport)
    assert kept.smtp.host == "localhost"
    assert isinstance(transports(Settings())[Channel.EMAIL], SmtpTransport)
