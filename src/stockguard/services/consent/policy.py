"""The consent area's configuration: links and abuse limits."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from stockguard.services.consent.links import LinkConfig

DEVELOPMENT_SECRET = b"stockguard-development-secret-change-me"
"""The default of ``STOCKGUARD_MESSAGING__SECRET``; deployments set their own."""


@dataclass(frozen=True, slots=True)
class ConsentPolicy:
    """Signed links plus the sliding-window limits on subscription requests:
    at most ``per_contact`` accepted requests per contact and ``per_ip`` per client
    address within any ``window`` (built by ``bootstrap.consent_policy(settings)``)."""

    links: LinkConfig = field(
        default_factory=lambda: LinkConfig(DEVELOPMENT_SECRET, "http://localhost:8000")
    )
    per_contact: int = 5
    per_ip: int = 20
    window: timedelta = timedelta(hours=1)

    def digest(self, kind: str, value: str) -> str:
        """HMAC-SHA256 (hex) of ``value`` keyed with the secret; ``kind`` ("ip",
        "contact") keeps digests of different kinds apart."""
        message = f"{kind}:{value}".encode()
        return hmac.new(self.links.secret, message, hashlib.sha256).hexdigest()

    def ip_digest(self, client_ip: str | None) -> str | None:
        return self.digest("ip", client_ip) if client_ip else None
