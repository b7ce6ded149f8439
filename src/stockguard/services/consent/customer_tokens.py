"""Tokens by which the shop's own server tells the widget who the signed-in shopper is.

The widget runs in the shopper's browser with the public storefront key, so anything it
says about *who* the shopper is could be typed by anyone. A customer is therefore named
only by a token the shop's server signs with a secret it shares with stockguard
(``STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET``) and puts in the page:

    token     = <base64url(customer id, UTF-8)>.<expiry, unix seconds>.<signature>
    signature = base64url(HMAC-SHA256(secret, "customer:<customer id>:<expiry>"))

base64url without padding. The customer id is the shop's ``external_id`` (as in orders and
``/api/v1/customers``). Any language's HMAC library can make one (docs/back-in-stock.md);
``stockguard contacts customer-token ID`` prints one for a test. What the shopper's e-mail
address and marketing consent are is read from stockguard's customer record, never from
the browser.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import SecretStr

from stockguard.domain import errors
from stockguard.services.consent import tokens

MAX_CUSTOMER_ID_LENGTH = 64
MAX_TOKEN_LENGTH = 420
"""64 characters of up to 4 UTF-8 bytes in base64url (342), an expiry (<= 11), the
signature (43) and two dots fit."""


class ForgedCustomerToken(errors.DomainError):
    """The customer token was altered, cut or signed with another secret (HTTP 400)."""

    code: ClassVar[str] = "invalid_customer_token"

    def __init__(self) -> None:
        super().__init__(
            "The customer token is not valid: it was changed, cut, or signed with another "
            "secret than STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET."
        )


class ExpiredCustomerToken(errors.DomainError):
    """The customer token was genuine but has run out (HTTP 410): reload the page."""

    code: ClassVar[str] = "expired_customer_token"

    def __init__(self, expired_at: datetime) -> None:
        self.expired_at = expired_at.isoformat()
        super().__init__(
            f"The customer token expired on {expired_at:%Y-%m-%d %H:%M} UTC; the shop's "
            "page must be reloaded to get a new one."
        )


class CustomerTokensOff(errors.DomainError):
    """The shop has set no customer token secret, so no shopper can be identified (403)."""

    code: ClassVar[str] = "customer_tokens_off"

    def __init__(self) -> None:
        super().__init__(
            "This shop has not set STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET, so signed-in "
            "customers cannot be recognised; set it on both the shop's server and stockguard."
        )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign(secret: bytes, customer: str, expires_at: datetime) -> str:
    """A token naming ``customer`` (the shop's external id) until ``expires_at`` (aware)."""
    if expires_at.tzinfo is None:
        raise ValueError("token expiry must be timezone-aware")
    if not customer or len(customer) > MAX_CUSTOMER_ID_LENGTH:
        raise ValueError(f"a customer id has 1 to {MAX_CUSTOMER_ID_LENGTH} characters")
    expiry = int(expires_at.timestamp())
    signed = tokens.signature(secret, tokens.Purpose.CUSTOMER, customer, expiry)
    return f"{_b64(customer.encode())}.{expiry}.{signed}"


def _customer_id(encoded: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        customer = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if _b64(raw) != encoded:  # base64 ignores a last character's low bits: one spelling only
        return None
    return customer if 0 < len(customer) <= MAX_CUSTOMER_ID_LENGTH else None


def verify(secret: bytes, token: str, now: datetime) -> str:
    """The customer id the token names.

    Raises ``ForgedCustomerToken`` for a malformed token or a wrong signature (checked
    before the expiry, so nothing is learned from a forged one) and
    ``ExpiredCustomerToken`` past its expiry.
    """
    parts = token.split(".") if len(token) <= MAX_TOKEN_LENGTH else []
    customer = _customer_id(parts[0]) if len(parts) == 3 else None
    if customer is None or not parts[1].isdigit():
        raise ForgedCustomerToken()
    expiry = int(parts[1])
    expected = tokens.signature(secret, tokens.Purpose.CUSTOMER, customer, expiry)
    if not hmac.compare_digest(expected.encode(), parts[2].encode("ascii", "replace")):
        raise ForgedCustomerToken()
    expires_at = datetime.fromtimestamp(expiry, UTC)
    if now >= expires_at:
        raise ExpiredCustomerToken(expires_at)
    return customer


def identify(secret: bytes | None, token: str, now: datetime) -> str:
    """``verify`` with the shop's secret; ``CustomerTokensOff`` when none is set."""
    if secret is None:
        raise CustomerTokensOff()
    return verify(secret, token, now)


def secret_of(settings_secret: SecretStr | None) -> bytes | None:
    """The configured secret as bytes (``ConsentSettings.customer_token_secret``)."""
    return None if settings_secret is None else settings_secret.get_secret_value().encode()
