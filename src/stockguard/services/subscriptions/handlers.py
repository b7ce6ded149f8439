"""Create a pending back-in-stock subscription (registered on the message bus)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from stockguard.domain import commands, errors
from stockguard.domain import subscriptions as s
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SubscribeBackInStock(commands.Command):
    """A request (from the widget or the API) to be told when ``sku`` is back.

    ``contact`` and ``channel`` are raw user input; ``consent_given`` is the state of
    the consent checkbox and ``consent_text`` the sentence shown beside it.
    """

    sku: str
    channel: str
    contact: str
    consent_given: bool
    consent_text: str
    locale: str
    requested_at: datetime
    source: str = "widget"
    client_ip: str | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionRequested:
    """The outcome: ``created`` is False when the contact already waited for the SKU
    (the stored subscription is unchanged unless it had been unsubscribed)."""

    id: int
    sku: str
    channel: s.Channel
    contact: str
    status: s.SubscriptionStatus
    created: bool


def hash_ip(client_ip: str | None) -> str | None:
    """SHA-256 hex digest of the client's address (the address itself is not kept)."""
    if not client_ip:
        return None
    return hashlib.sha256(f"stockguard-ip:{client_ip}".encode()).hexdigest()


def _consent(cmd: SubscribeBackInStock) -> s.Consent:
    if not cmd.consent_given:
        raise s.InvalidSubscription(
            "consent", "false", "must be given: tick the box to agree to be contacted"
        )
    return s.Consent(
        text=cmd.consent_text.strip(),
        given_at=cmd.requested_at,
        source=cmd.source,
        locale=cmd.locale,
        ip_hash=hash_ip(cmd.client_ip),
    )


def subscribe_back_in_stock(cmd: SubscribeBackInStock, uow: UnitOfWork) -> SubscriptionRequested:
    """Validate, then store a pending subscription or find the contact's existing one.

    Everything is checked before the unit of work writes: a refused request leaves the
    database untouched. Unknown SKU: ``UnknownSku``.
    """
    channel = s.parse_channel(cmd.channel)
    contact = s.normalize_contact(channel, cmd.contact)
    consent = _consent(cmd)
    with uow:
        if uow.products.get(cmd.sku) is None:
            raise errors.UnknownSku(cmd.sku)
        existing = uow.subscriptions.get(contact, cmd.sku)
        if existing is None:
            subscription = s.Subscription(cmd.sku, channel, contact, consent, cmd.requested_at)
            subscription.id = uow.subscriptions.add(subscription)
            created = True
        else:
            subscription, created = existing, False
            if subscription.renew(consent):
                uow.subscriptions.save(subscription)
        uow.commit()
    assert subscription.id is not None
    return SubscriptionRequested(
        subscription.id, cmd.sku, channel, contact, subscription.status, created
    )
