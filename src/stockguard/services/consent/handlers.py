"""Confirm (double opt-in) and unsubscribe by signed link; export and erase a contact.

Registered on the message bus. Links are verified before the unit of work opens, so a
forged or expired link leaves the database untouched.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from stockguard.domain import commands, errors
from stockguard.domain import subscriptions as s
from stockguard.services.consent import tokens
from stockguard.services.consent.ports import ConsentEntry, ConsentEvent
from stockguard.services.unit_of_work import UnitOfWork

LINK_SOURCES = ("link", "one_click", "mailto", "api", "cli", "admin")


class UnknownSubscription(errors.DomainError):
    code: ClassVar[str] = "unknown_subscription"

    def __init__(self, subscription_id: int) -> None:
        self.subscription_id = subscription_id
        super().__init__("This subscription no longer exists (its contact may have been erased).")


@dataclass(frozen=True, slots=True)
class ConfirmSubscription(commands.Command):
    token: str
    at: datetime
    client_ip: str | None = None


@dataclass(frozen=True, slots=True)
class UnsubscribeByLink(commands.Command):
    """``source``: ``link`` (the page's button), ``one_click`` (RFC 8058 POST)..."""

    token: str
    at: datetime
    source: str = "link"
    client_ip: str | None = None


@dataclass(frozen=True, slots=True)
class ConsentChanged:
    """The outcome: ``changed`` is False when the subscription already was in ``status``."""

    subscription_id: int
    sku: str
    status: s.SubscriptionStatus
    changed: bool


def _verified(uow: UnitOfWork, purpose: tokens.Purpose, token: str, at: datetime) -> int:
    return tokens.verify(uow.consent_policy.links.secret, purpose, token, at)


@dataclass(frozen=True, slots=True)
class _Transition:
    """One signed-link change of a subscription: the token's purpose, the consent log's
    event, source and text, and which change to make on the domain object and the row."""

    purpose: tokens.Purpose
    event: ConsentEvent
    source: str
    text: str | None  # None: the consent text the customer agreed to
    confirm: bool  # True: confirm; False: unsubscribe


def _apply(
    uow: UnitOfWork, token: str, at: datetime, client_ip: str | None, change: _Transition
) -> ConsentChanged:
    """Verify ``token`` (before the unit of work opens), apply ``change`` and log it once;
    a subscription already in the target status changes nothing and logs nothing."""
    subscription_id = _verified(uow, change.purpose, token, at)
    policy = uow.consent_policy
    with uow:
        subscription = uow.consent.subscription(subscription_id)
        if subscription is None:
            raise UnknownSubscription(subscription_id)
        changed = subscription.confirm() if change.confirm else subscription.unsubscribe()
        if changed:
            if change.confirm:
                uow.consent.mark_confirmed(subscription_id, at)
            else:
                uow.consent.mark_unsubscribed(subscription_id, at)
            uow.consent.log(
                ConsentEntry(
                    event=change.event,
                    at=at,
                    source=change.source,
                    text=subscription.consent.text if change.text is None else change.text,
                    contact_hmac=policy.digest("contact", subscription.contact),
                    contact=subscription.contact,
                    subscription_id=subscription_id,
                    ip_hmac=policy.ip_digest(client_ip),
                )
            )
        uow.commit()
    return ConsentChanged(subscription_id, subscription.sku, subscription.status, changed)


def confirm_subscription(cmd: ConfirmSubscription, uow: UnitOfWork) -> ConsentChanged:
    """Set ``confirmed_at`` on a pending subscription and log the consent. Raises
    ``ForgedToken`` (400), ``ExpiredToken`` (410), ``UnknownSubscription`` (404)."""
    change = _Transition(tokens.Purpose.CONFIRM, ConsentEvent.CONFIRMED, "link", None, True)
    return _apply(uow, cmd.token, cmd.at, cmd.client_ip, change)


def unsubscribe_by_link(cmd: UnsubscribeByLink, uow: UnitOfWork) -> ConsentChanged:
    """Set ``unsubscribed_at`` and log it; unsubscribing twice changes nothing. Raises
    ``ForgedToken`` (400), ``ExpiredToken`` (410), ``UnknownSubscription`` (404)."""
    if cmd.source not in LINK_SOURCES:
        raise ValueError(f"unknown unsubscribe source {cmd.source!r}")
    change = _Transition(
        tokens.Purpose.UNSUBSCRIBE, ConsentEvent.UNSUBSCRIBED, cmd.source, "unsubscribed", False
    )
    return _apply(uow, cmd.token, cmd.at, cmd.client_ip, change)


@dataclass(frozen=True, slots=True)
class ExportContact(commands.Command):
    """``contact``: an e-mail address or an E.164 phone number, as typed."""

    contact: str
    at: datetime
    source: str = "cli"


@dataclass(frozen=True, slots=True)
class EraseContact(commands.Command):
    contact: str
    at: datetime
    source: str = "cli"


def parse_contact(raw: str) -> str:
    """The normalised contact: an e-mail when it has an ``@``, else a phone number."""
    channel = s.Channel.EMAIL if "@" in raw else s.Channel.SMS
    return s.normalize_contact(channel, raw)


def export_contact(cmd: ExportContact, uow: UnitOfWork) -> dict[str, Any]:
    """Everything stored about the contact, as JSON-ready values (datetimes in ISO
    8601): ``contact``, ``subscriptions``, ``consent_log``, ``messages``. The export
    itself is logged under the contact's keyed digest only (exporting an erased
    contact stores nothing new about them)."""
    contact = parse_contact(cmd.contact)
    policy = uow.consent_policy
    contact_hmac = policy.digest("contact", contact)
    with uow:
        data = uow.consent.export(contact, contact_hmac)
        uow.consent.log(
            ConsentEntry(
                event=ConsentEvent.EXPORTED,
                at=cmd.at,
                source=cmd.source,
                text="data export",
                contact_hmac=contact_hmac,
            )
        )
        uow.commit()
    return {"contact": contact, "exported_at": cmd.at.isoformat(), **data}


def erase_contact(cmd: EraseContact, uow: UnitOfWork) -> dict[str, int]:
    """Anonymise every row about the contact (counts per table). Subscription and
    message rows stay, under a random placeholder instead of the contact, so aggregate
    counts (subscribers per SKU, messages sent) still add up; queued messages to the
    contact are cancelled. The contact's customer ids go too: wave notifications,
    product views, delay notices, compensation codes, message events and relayed
    pre-order events are anonymised the same way (``adapters.db.erasure``). The erasure
    is logged with the contact's keyed digest only."""
    contact = parse_contact(cmd.contact)
    policy = uow.consent_policy
    contact_hmac = policy.digest("contact", contact)
    erased_as = f"erased:{secrets.token_hex(8)}"
    with uow:
        counts = uow.consent.erase(contact, contact_hmac, erased_as)
        uow.consent.log(
            ConsentEntry(
                event=ConsentEvent.ERASED,
                at=cmd.at,
                source=cmd.source,
                text=f"erased: {sum(counts.values())} rows anonymised",
                contact_hmac=contact_hmac,
            )
        )
        uow.commit()
    return counts
