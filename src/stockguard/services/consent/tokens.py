"""Signed, expiring tokens for the links in messages (confirm, unsubscribe, click).

A token is ``<subscription id>.<expiry, unix seconds>.<signature>`` where

    signature = base64url(HMAC-SHA256(secret, "<purpose>:<id>:<expiry>"))

without padding. The purpose is signed but not written in the token, so a token made
for one purpose (e.g. ``click``) is refused for another (e.g. ``unsubscribe``). The
signature is compared in constant time (``hmac.compare_digest``).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
from datetime import UTC, datetime
from typing import ClassVar

from stockguard.domain import errors

MAX_TOKEN_LENGTH = 200


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"
    CLICK = "click"
    CUSTOMER = "customer"
    """A shopper named by the shop's server (``customer_tokens``), not a link."""


class ForgedToken(errors.DomainError):
    """The link was altered, truncated, or signed for another purpose (HTTP 400)."""

    code: ClassVar[str] = "invalid_token"

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose
        super().__init__(
            f"This {purpose} link is not valid: it may have been cut or changed. "
            "Copy the whole link from the message, or ask for a new one."
        )


class ExpiredToken(errors.DomainError):
    """The link was genuine but its validity has run out (HTTP 410)."""

    code: ClassVar[str] = "expired_token"

    def __init__(self, purpose: str, expired_at: datetime) -> None:
        self.purpose = purpose
        self.expired_at = expired_at.isoformat()
        super().__init__(
            f"This {purpose} link expired on {expired_at:%Y-%m-%d %H:%M} UTC. "
            "Subscribe again to receive a new one."
        )


def signature(secret: bytes, purpose: Purpose, subject: int | str, expiry: int) -> str:
    """``base64url(HMAC-SHA256(secret, "<purpose>:<subject>:<expiry>"))`` without padding;
    ``subject`` is a subscription id, or a customer id for ``customer_tokens``."""
    message = f"{purpose.value}:{subject}:{expiry}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(secret: bytes, purpose: Purpose, subscription_id: int, expires_at: datetime) -> str:
    """A token for ``subscription_id`` valid for ``purpose`` until ``expires_at`` (aware)."""
    if expires_at.tzinfo is None:
        raise ValueError("token expiry must be timezone-aware")
    expiry = int(expires_at.timestamp())
    return f"{subscription_id}.{expiry}.{signature(secret, purpose, subscription_id, expiry)}"


def verify(secret: bytes, purpose: Purpose, token: str, now: datetime) -> int:
    """The subscription id the token was signed for.

    Raises ``ForgedToken`` for a malformed token or a wrong signature (checked first,
    so nothing is learned about a forged token's expiry) and ``ExpiredToken`` when
    ``now`` is past its expiry.
    """
    parts = token.split(".") if len(token) <= MAX_TOKEN_LENGTH else []
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ForgedToken(purpose.value)
    subscription_id, expiry = int(parts[0]), int(parts[1])
    expected = signature(secret, purpose, subscription_id, expiry)
    if not hmac.compare_digest(expected.encode(), parts[2].encode("ascii", "replace")):
        raise ForgedToken(purpose.value)
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if now >= expires_at:
        raise ExpiredToken(purpose.value, expires_at)
    return subscription_id


def hmac_ip(secret: bytes, client_ip: str | None) -> str | None:
    """Keyed digest (HMAC-SHA256, hex) of a client address: stable for rate limits and
    evidence, but not reversible by hashing the 2**32 IPv4 addresses without the key."""
    if not client_ip:
        return None
    return hmac.new(secret, f"ip:{client_ip}".encode(), hashlib.sha256).hexdigest()
