"""Signed click links: every link in a customer message goes through
``{public_base_url}/m/c/{token}``, which records the click and redirects to the target.

``token = base64url(json({"k": message_key, "t": template, "s": sku, "u": url})) + "." +
base64url(HMAC-SHA256(secret, "click:" + body)[:16])``. A changed byte anywhere (another
target URL, another message) fails the check, so the redirect cannot be turned into an open
redirect to an address we did not write.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

CLICK_PATH = "/m/c/"
_MAC_BYTES = 16


class BadClickToken(ValueError):
    """The click token was altered, truncated or signed with another secret."""


@dataclass(frozen=True, slots=True)
class Click:
    """What a click link carries: the message, its template and SKU, and the target URL."""

    message_key: str
    template: str
    sku: str | None
    url: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, body: str) -> str:
    digest = hmac.new(secret, b"click:" + body.encode("utf-8", "replace"), hashlib.sha256).digest()
    return _b64(digest[:_MAC_BYTES])


def sign_click(secret: bytes, click: Click) -> str:
    """The token of ``click`` (URL-safe, no padding)."""
    payload = {"k": click.message_key, "t": click.template, "s": click.sku, "u": click.url}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{_mac(secret, body)}"


def click_url(secret: bytes, public_base_url: str, click: Click) -> str:
    """``{public_base_url}/m/c/{token}``: put this in the message instead of ``click.url``."""
    return f"{public_base_url.rstrip('/')}{CLICK_PATH}{sign_click(secret, click)}"


def verify_click(secret: bytes, token: str) -> Click:
    """The click a token carries; raises :class:`BadClickToken` when it does not check out."""
    body, _, mac = token.partition(".")
    # compare bytes: compare_digest refuses str with non-ASCII characters (a forged link)
    expected = _mac(secret, body).encode()
    if not body or not hmac.compare_digest(mac.encode("utf-8", "replace"), expected):
        raise BadClickToken("this link is not one of ours or was altered")
    try:
        payload = json.loads(_unb64(body))
        click = Click(str(payload["k"]), str(payload["t"]), payload["s"], str(payload["u"]))
    except (ValueError, KeyError, TypeError) as error:
        raise BadClickToken("this link is malformed") from error
    if not click.url.startswith(("https://", "http://")):
        raise BadClickToken("this link has no web address")
    return click
