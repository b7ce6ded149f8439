"""Create a pending back-in-stock subscription and queue its confirmation message
(registered on the message bus)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stockguard.domain import commands, errors
from stockguard.domain import subscriptions as s
from stockguard.services.consent import messages, ratelimit
from stockguard.services.consent.ports import ConsentEntry, ConsentEvent
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
    any_variant: bool = False
    """Wait for any variant of the SKU's family (size, colour...), not this SKU alone."""
    customer: str | None = None
    """The signed-in shopper's customer id, from a verified customer token; None when
    the request names a contact only."""


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
    family: str | None = None


def _consent(cmd: SubscribeBackInStock, ip_hmac: str | None) -> s.Consent:
    if not cmd.consent_given:
        raise s.InvalidSubscription(
            "consent", "false", "must be given: tick the box to agree to be contacted"
        )
    return s.Consent(
        text=cmd.consent_text.strip(),
        given_at=cmd.requested_at,
        source=cmd.source,
        locale=cmd.locale,
        ip_hash=ip_hmac,
    )


def _family(cmd: SubscribeBackInStock, family: str | None) -> str | None:
    """The family the contact waits for, or None; refuses "any variant" of a product
    that has none."""
    if not cmd.any_variant:
        return None
    if not family:
        raise s.InvalidSubscription(
            "any_variant", "true", f"{cmd.sku} has no variants; subscribe to the product itself"
        )
    return family


def subscribe_back_in_stock(cmd: SubscribeBackInStock, uow: UnitOfWork) -> SubscriptionRequested:
    """Validate, then store a pending subscription or find the contact's existing one,
    and queue the confirmation message (double opt-in) in the same transaction.

    A new, renewed or still pending subscription gets a (fresh) confirmation link; a
    confirmed one gets nothing. Every accepted request counts towards the rate limits
    (``RateLimited``, a 429). Everything is checked before the unit of work writes: a
    refused request leaves the database untouched. Unknown SKU: ``UnknownSku``.
    """
    channel = s.parse_channel(cmd.channel)
    contact = s.normalize_contact(channel, cmd.contact)
    policy = uow.consent_policy
    ip_hmac = policy.ip_digest(cmd.client_ip)
    consent = _consent(cmd, ip_hmac)
    contact_hmac = policy.digest("contact", contact)
    with uow:
        product = uow.products.get(cmd.sku)
        if product is None:
            raise errors.UnknownSku(cmd.sku)
        family = _family(cmd, product.family)
        ratelimit.check(uow.consent, policy, contact_hmac, ip_hmac, cmd.requested_at)
        existing = uow.subscriptions.get(contact, cmd.sku)
        if existing is None and family is not None:
            existing = uow.subscriptions.get_in_family(contact, family)
        if existing is None:
            subscription = s.Subscription(
                cmd.sku, channel, contact, consent, cmd.requested_at, family=family,
                customer=cmd.customer,
            )  # fmt: skip
            subscription.id = uow.subscriptions.add(subscription)
            created = True
        else:
            subscription, created = existing, False
            renewed = subscription.renew(consent)
            widened = family is not None and subscription.follow_family(family)
            linked = subscription.link_customer(cmd.customer)
            if renewed or widened or linked:
                uow.subscriptions.save(subscription)
        assert subscription.id is not None
        if subscription.status is s.SubscriptionStatus.PENDING:
            uow.consent.log(
                ConsentEntry(
                    event=ConsentEvent.REQUESTED,
                    at=cmd.requested_at,
                    source=cmd.source,
                    text=consent.text,
                    contact_hmac=contact_hmac,
                    contact=contact,
                    subscription_id=subscription.id,
                    ip_hmac=ip_hmac,
                )
            )
            uow.consent.queue(
                messages.confirmation(subscription, product, policy.links, cmd.requested_at)
            )
        uow.consent.record_request(contact_hmac, ip_hmac, cmd.requested_at)
        uow.commit()
    return SubscriptionRequested(
        subscription.id,
        subscription.sku,
        channel,
        contact,
        subscription.status,
        created,
        subscription.family,
    )
