"""Webhooks: POST Slack-compatible JSON with an ``Idempotency-Key`` header (stdlib urllib).

The key is the delivery's idempotency key, identical on every retry, so a receiver that
honours it handles a resent message once. 4xx answers other than 408 and 429 refuse the
message for good; 5xx, 408, 429, timeouts and connection errors are retried.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Delivery

RETRIED_CLIENT_ERRORS = (408, 429)


@dataclass(frozen=True, slots=True)
class WebhookTransport:
    timeout: float = 10.0
    user_agent: str = "stockguard-alerts"

    def send(self, delivery: Delivery) -> None:
        """POST the delivery's payload (or ``{"text": subject: body}``) to its target URL."""
        parts = urlsplit(delivery.target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DeliveryFailed(f"{delivery.target!r} is not an http(s) URL", permanent=True)
        payload = delivery.payload or {"text": f"{delivery.subject}: {delivery.body}"}
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            delivery.target,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": delivery.idempotency_key,
                "User-Agent": self.user_agent,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            error.close()  # the answer's socket
            permanent = 400 <= error.code < 500 and error.code not in RETRIED_CLIENT_ERRORS
            reason = f"HTTP {error.code} from {parts.hostname}"
            raise DeliveryFailed(reason, permanent=permanent) from error
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryFailed(f"cannot reach {parts.hostname}: {error}") from error
