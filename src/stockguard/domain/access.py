"""Who may do what: API keys with scopes, operators, and shops that send webhooks."""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

KEY_PREFIX = "sg"


class Scope(enum.StrEnum):
    """What an API key may reach.

    ``admin`` can do everything; ``planner`` reads and writes stock, purchasing and
    parties; ``storefront`` reads public catalogue and availability data only (never
    costs, suppliers, customers or orders).
    """

    ADMIN = "admin"
    PLANNER = "planner"
    STOREFRONT = "storefront"


GRANTS: dict[Scope, frozenset[Scope]] = {
    Scope.ADMIN: frozenset(Scope),
    Scope.PLANNER: frozenset({Scope.PLANNER, Scope.STOREFRONT}),
    Scope.STOREFRONT: frozenset({Scope.STOREFRONT}),
}
"""The scopes each scope implies: an endpoint needing ``planner`` accepts ``admin`` too."""


def digest(secret: str) -> str:
    """SHA-256 hex digest of a high-entropy secret (API keys; not for passwords)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(eq=False, slots=True)
class ApiKey:
    """A stored API key: the secret itself is never kept, only its digest.

    The token handed to the client is ``sg_<prefix>_<secret>``; ``prefix`` finds the row.
    """

    prefix: str
    name: str
    secret_digest: str
    scopes: frozenset[Scope]
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def matches(self, secret: str) -> bool:
        return self.active and hmac.compare_digest(self.secret_digest, digest(secret))

    def allows(self, needed: Scope) -> bool:
        return any(needed in GRANTS[scope] for scope in self.scopes)

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


def split_token(token: str) -> tuple[str, str] | None:
    """``sg_<prefix>_<secret>`` -> (prefix, secret); None when the shape is wrong."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
