"""Links and headers every message to a subscriber carries.

Call :func:`unsubscribe_headers` for each e-mail to a subscriber (RFC 8058 one-click
unsubscribe) and put :func:`unsubscribe_url` in its body; :func:`confirm_url` is the
double opt-in link of the confirmation message. URLs start with
``LinkConfig.public_base_url`` (setting ``STOCKGUARD_MESSAGING__PUBLIC_BASE_URL``);
tokens are signed with its secret (``STOCKGUARD_MESSAGING__SECRET``, see ``tokens``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from stockguard.services.consent.tokens import Purpose, sign

CONFIRM_PATH = "/storefront/v1/subscriptions/confirm"
UNSUBSCRIBE_PATH = "/storefront/v1/subscriptions/unsubscribe"


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """What links need, built from the settings by ``bootstrap.link_config(settings)``
    (``STOCKGUARD_MESSAGING__*`` and ``STOCKGUARD_CONSENT__*``)."""

    secret: bytes
    public_base_url: str
    unsubscribe_mailto: str | None = None
    confirm_ttl: timedelta = timedelta(hours=72)
    unsubscribe_ttl: timedelta = timedelta(days=400)


def confirm_url(
    subscription_id: int,
    config: LinkConfig,
    *,
    now: datetime | None = None,
) -> str:
    """The double opt-in link, valid ``config.confirm_ttl`` from ``now``."""
    expires = (now or datetime.now(UTC)) + config.confirm_ttl
    token = sign(config.secret, Purpose.CONFIRM, subscription_id, expires)
    return f"{config.public_base_url}{CONFIRM_PATH}?token={quote(token)}"


def unsubscribe_url(
    subscription_id: int,
    config: LinkConfig,
    *,
    now: datetime | None = None,
) -> str:
    """The one-click unsubscribe link (GET shows a page, POST unsubscribes), valid
    ``config.unsubscribe_ttl`` from ``now``."""
    expires = (now or datetime.now(UTC)) + config.unsubscribe_ttl
    token = sign(config.secret, Purpose.UNSUBSCRIBE, subscription_id, expires)
    return f"{config.public_base_url}{UNSUBSCRIBE_PATH}?token={quote(token)}"


def unsubscribe_headers(
    subscription_id: int,
    config: LinkConfig,
    *,
    now: datetime | None = None,
) -> dict[str, str]:
    """``List-Unsubscribe`` (the https URL, then ``mailto:`` when configured) and
    ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), to add to every
    e-mail to a subscriber."""
    targets = [f"<{unsubscribe_url(subscription_id, config, now=now)}>"]
    if config.unsubscribe_mailto:
        subject = quote(f"unsubscribe {subscription_id}")
        targets.append(f"<mailto:{config.unsubscribe_mailto}?subject={subject}>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
