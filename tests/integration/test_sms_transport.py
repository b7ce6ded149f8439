"""The generic HTTP SMS adapter against a loopback HTTP server: the configured payload,
the credential and idempotency headers, and which answers are retried."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from stockguard.adapters.notifications.sms import (
    HttpSmsTransport,
    SmsConfigError,
    parse_payload_template,
)
from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Channel, Delivery


class Provider(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], Any]] = []
    status = 202

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        Provider.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(Provider.status)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def provider() -> Iterator[str]:
    Provider.received = []
    Provider.status = 202
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    server.shutdown()
    server.server_close()


def _sms(target: str = "+33612345678") -> Delivery:
    return Delivery("bis:MUG-01:7", "messaging", Channel.SMS, target, "",
                    "Ceramic mug is back: https://s.example/m/c/x", datetime.now(UTC))  # fmt: skip


def test_sms_posts_the_configured_payload_with_credentials(provider: str) -> None:
    template = parse_payload_template(
        '{"messages": [{"destination": "{to}", "content": "{body}"}], "source": "{sender}",'
        ' "ref": "{id}", "type": "text"}'
    )
    transport = HttpSmsTransport(provider, template, sender="MyShop", auth_header="X-API-Key",
                                 auth_value="k-123")  # fmt: skip
    transport.send(_sms())
    ((path, headers, body),) = Provider.received
    assert path == "/v1/sms"
    assert headers["x-api-key"] == "k-123"
    assert headers["idempotency-key"] == "bis:MUG-01:7"
    assert body == {
        "messages": [
            {
                "destination": "+33612345678",
                "content": "Ceramic mug is back: https://s.example/m/c/x",
            }
        ],
        "source": "MyShop",
        "ref": "bis:MUG-01:7",
        "type": "text",
    }


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (401, True), (429, False),
                                                   (503, False)])  # fmt: skip
def test_provider_refusals_are_permanent_or_retried(
    provider: str, status: int, permanent: bool
) -> None:
    Provider.status = status
    transport = HttpSmsTransport(provider, parse_payload_template('{"to": "{to}", "t": "{body}"}'))
    with pytest.raises(DeliveryFailed, match=f"HTTP {status}") as failure:
        transport.send(_sms())
    assert failure.value.permanent is permanent


def test_bad_numbers_and_settings_are_explained(provider: str) -> None:
    transport = HttpSmsTransport(provider, parse_payload_template('{"to": "{to}", "t": "{body}"}'))
    with pytest.raises(DeliveryFailed, match=r"E\.164") as failure:
        transport.send(_sms("0612345678"))
    assert failure.value.permanent
    assert Provider.received == []
    with pytest.raises(SmsConfigError, match="never uses \\{body\\}"):
        parse_payload_template('{"to": "{to}"}')
    with pytest.raises(SmsConfigError, match="not JSON \\(line 1"):
        parse_payload_template('{"to": {to}}')
    with pytest.raises(SmsConfigError, match="unknown placeholders \\{phone\\}"):
        parse_payload_template('{"to": "{to}", "b": "{body}", "p": "{phone}"}')
    with pytest.raises(SmsConfigError, match="not an http"):
        HttpSmsTransport("ftp://x", {})
    with pytest.raises(DeliveryFailed, match="cannot reach") as unreachable:
        HttpSmsTransport("http://127.0.0.1:9/", {"to": "{to}"}, timeout=2).send(_sms())
    assert not unreachable.value.permanent
