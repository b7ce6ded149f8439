"""Shops: storefronts that send signed webhooks (orders, inventory) to stockguard.

Each shop shares a secret with stockguard. The shop signs the raw body of every webhook
with HMAC-SHA256 under that secret and sends ``sha256=<hex digest>``; stockguard
recomputes the digest and compares in constant time. HMAC needs the secret itself, so it
is stored as given (unlike API keys, which keep only a digest) and shown once at creation.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from stockguard.domain import errors

SIGNATURE_SCHEME = "sha256="
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")


class WebhookTopic(enum.StrEnum):
    ORDERS = "orders"
    INVENTORY = "inventory"


def signature(secret: str, body: bytes) -> str:
    """The signature header value of ``body``: ``sha256=<hex HMAC-SHA256(secret, body)>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_SCHEME + digest


def check_code(code: str) -> None:
    """Refuse a shop code that is empty, too long, or holds characters other than
    letters, digits, ``_``, ``.`` and ``-`` (``:`` separates parts of idempotency keys)."""
    if not CODE_PATTERN.fullmatch(code):
        raise errors.InvalidShopCode(code)


@dataclass(eq=False, slots=True)
class Shop:
    """A storefront; ``location`` is where its sales take stock from by default."""

    code: str
    name: str
    location: str
    webhook_secret: str = field(repr=False)
    created_at: datetime

    def signed(self, body: bytes, signature_header: str | None) -> bool:
        """True when ``signature_header`` is this shop's signature of ``body``."""
        if not signature_header:
            return False
        expected = signature(self.webhook_secret, body)
        return hmac.compare_digest(expected.encode(), signature_header.strip().encode())

    def rotate_secret(self, secret: str) -> None:
        """Replace the secret; webhooks signed with the old one are refused from now on."""
        self.webhook_secret = secret


def sale_key(shop: str, order_number: str, line_no: int) -> str:
    """Idempotency key of the sale movement of one line of a shop's order."""
    return f"webhook:{shop}:{order_number}:{line_no}"


def inventory_key(shop: str, delivery_id: str, position: int) -> str:
    """Idempotency key of the ``position``-th (1-based) adjustment of an inventory webhook."""
    return f"webhook:{shop}:{delivery_id}:{position}"
