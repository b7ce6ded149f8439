"""SMS through a provider's HTTP API: one generic adapter, configured per provider.

The request is ``POST {url}`` with the JSON ``payload_template`` in which every string
value equal to ``"{to}"``, ``"{body}"``, ``"{sender}"`` or ``"{id}"`` is replaced by the
recipient (E.164), the text, the sender name and the idempotency key (other strings are
kept; the template may nest objects and lists), e.g. ``{"to": "{to}", "text": "{body}",
"from": "{sender}", "client_ref": "{id}"}``. ``auth_header`` / ``auth_value`` set the
credential header (``Authorization: Bearer ...``, ``X-API-Key: ...``); the idempotency key
also goes in ``Idempotency-Key``. 2xx is accepted; 4xx other than 408/429 refuse the
message for good (bad number, bad credentials), the rest is retried.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Delivery

RETRIED_CLIENT_ERRORS = (408, 429)
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
PLACEHOLDERS = ("{to}", "{body}", "{sender}", "{id}")
DEFAULT_PAYLOAD = '{"to": "{to}", "text": "{body}", "from": "{sender}", "reference": "{id}"}'


class SmsConfigError(ValueError):
    """The SMS provider settings are unusable; the message says which and why."""


def parse_payload_template(text: str) -> Any:
    """The JSON payload template, checked: valid JSON object that uses ``{to}`` and ``{body}``."""
    try:
        template = json.loads(text)
    except json.JSONDecodeError as error:
        raise SmsConfigError(
            f"sms payload template is not JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None
    if not isinstance(template, dict):
        raise SmsConfigError("sms payload template must be a JSON object")
    found = set(re.findall(r'"(\{[a-z]+\})"', json.dumps(template)))
    missing = {"{to}", "{body}"} - found
    if missing:
        raise SmsConfigError(f"sms payload template never uses {', '.join(sorted(missing))}")
    unknown = found - set(PLACEHOLDERS)
    if unknown:
        raise SmsConfigError(
            f"sms payload template has unknown placeholders {', '.join(sorted(unknown))}; "
            f"known: {', '.join(PLACEHOLDERS)}"
        )
    return template


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    if isinstance(template, str) and template in values:
        return values[template]
    return template


@dataclass(frozen=True, slots=True)
class HttpSmsTransport:
    """``Transport`` of the SMS channel (``delivery.target`` is the phone number)."""

    url: str
    payload_template: Any
    sender: str = "stockguard"
    auth_header: str | None = None
    auth_value: str | None = None
    timeout: float = 10.0

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SmsConfigError(f"sms provider URL {self.url!r} is not an http(s) URL")

    def payload(self, delivery: Delivery) -> Any:
        """The JSON document sent for ``delivery``."""
        values = {"{to}": delivery.target, "{body}": delivery.body, "{sender}": self.sender,
                  "{id}": delivery.idempotency_key}  # fmt: skip
        return _fill(self.payload_template, values)

    def send(self, delivery: Delivery) -> None:
        """POST the SMS; raises ``DeliveryFailed`` (permanent for a non-E.164 number and
        4xx other than 408/429)."""
        if not E164.match(delivery.target):
            raise DeliveryFailed(
                f"{delivery.target!r} is not a phone number in E.164 form (+33612345678)",
                permanent=True,
            )
        headers = {"Content-Type": "application/json", "Idempotency-Key": delivery.idempotency_key}
        if self.auth_header and self.auth_value:
            headers[self.auth_header] = self.auth_value
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __post_init__)
            self.url, data=json.dumps(self.payload(delivery)).encode(), method="POST",
            headers=headers,
        )  # fmt: skip
        host = urlsplit(self.url).hostname
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            error.close()
            permanent = 400 <= error.code < 500 and error.code not in RETRIED_CLIENT_ERRORS
            raise DeliveryFailed(f"HTTP {error.code} from {host}", permanent=permanent) from error
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryFailed(f"cannot reach {host}: {error}") from error
