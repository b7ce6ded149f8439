"""The SMTP and webhook transports against real loopback servers started by the tests."""

from __future__ import annotations

import email
import socket
from datetime import UTC, datetime

import pytest

from integration.alert_receivers import smtp_server, webhook_receiver
from stockguard.adapters.notifications.smtp import SmtpTransport, message_id
from stockguard.adapters.notifications.webhook import WebhookTransport
from stockguard.services.alerts.messages import AlertText, slack_payload
from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Channel, Delivery

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def a_delivery(channel: Channel, target: str, key: str = "alert:1:42:0") -> Delivery:
    text = AlertText("MUG-1 at Paris is at risk", "80% chance of running out before 3 Dec.")
    payload = slack_payload(text, "paris") if channel is Channel.WEBHOOK else {}
    return Delivery(key, "alert", channel, target, text.subject, text.body, NOW, payload)


def test_smtp_sends_through_a_local_server_with_login_and_a_message_id_from_the_key() -> None:
    with smtp_server() as mailbox:
        transport = SmtpTransport(
            "127.0.0.1", mailbox.port, "alerts@shop.example", username="ops", password="pw"
        )
        transport.send(a_delivery(Channel.EMAIL, "buyer@shop.example"))
        transport.send(a_delivery(Channel.EMAIL, "buyer@shop.example"))  # a resend

    assert mailbox.logins == ["ops", "ops"]
    assert [m[:2] for m in mailbox.messages] == [
        ("alerts@shop.example", ["buyer@shop.example"])
    ] * 2
    parsed = [email.message_from_bytes(raw) for _, _, raw in mailbox.messages]
    assert parsed[0]["Subject"] == "MUG-1 at Paris is at risk"
    assert "80% chance of running out" in parsed[0].get_payload()
    ids = {message["Message-ID"] for message in parsed}
    assert ids == {message_id("alert:1:42:0", "alerts@shop.example")}
    assert next(iter(ids)).endswith("@shop.example>")


def test_smtp_to_a_closed_port_is_a_delivery_failure_to_retry() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = SmtpTransport("127.0.0.1", port, "alerts@shop.example", timeout=2)
    with pytest.raises(DeliveryFailed) as failed:
        transport.send(a_delivery(Channel.EMAIL, "buyer@shop.example"))
    assert not failed.value.permanent
    assert f"127.0.0.1:{port}" in str(failed.value)


def test_webhook_posts_slack_json_with_the_idempotency_key_header() -> None:
    with webhook_receiver() as hook:
        WebhookTransport(timeout=5).send(a_delivery(Channel.WEBHOOK, hook.url, key="k-1"))

    [(key, body)] = hook.calls
    assert key == "k-1"
    assert body["text"].startswith("MUG-1 at Paris is at risk: 80% chance")
    assert body["blocks"][0]["text"]["text"] == "MUG-1 at Paris is at risk"
    assert body["blocks"][1]["text"]["type"] == "mrkdwn"


@pytest.mark.parametrize(("status", "permanent"), [(404, True), (429, False), (503, False)])
def test_webhook_refusals_are_permanent_only_for_client_errors(
    status: int, permanent: bool
) -> None:
    with webhook_receiver() as hook:
        hook.status = status
        with pytest.raises(DeliveryFailed) as failed:
            WebhookTransport(timeout=5).send(a_delivery(Channel.WEBHOOK, hook.url))
    assert failed.value.permanent is permanent
    assert f"HTTP {status}" in str(failed.value)
