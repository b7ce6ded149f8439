"""Back-in-stock subscriptions: a contact (e-mail or phone) waiting for a SKU.

The widget creates *pending* subscriptions. Confirmation (double opt-in), unsubscribe
and notification waves build on them later; this module keeps the rules that hold from
the first request: the contact is validated and normalised (one subscription per
contact and SKU), and the consent the person gave is recorded with its time, source
and locale.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from stockguard.domain import errors

MAX_EMAIL_LENGTH = 254
"""RFC 5321's limit on a forward path, the longest address a mail server accepts."""
MAX_CONSENT_TEXT = 1000
LOCALES = ("fr", "en")
SOURCES = ("widget", "api")

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class SubscriptionStatus(enum.StrEnum):
    """``pending`` until the contact confirms (double opt-in), then ``confirmed``;
    ``unsubscribed`` once they leave (the row stays, as proof of their choice)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"


class InvalidSubscription(errors.InvalidParameter):
    """A subscription request with a field the merchant's customer must correct (a 422,
    like every invalid parameter)."""

    code: ClassVar[str] = "invalid_subscription"

    def __init__(self, field: str, value: str, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        errors.DomainError.__init__(self, f"{field}: {reason}")


def normalize_email(raw: str) -> str:
    """Trimmed, lower-cased address; refuses one that is not ``local@domain.tld``.

    Lower-casing the local part too is what de-duplication needs in practice (shops
    and mail providers treat ``Ann@x.fr`` and ``ann@x.fr`` as one person).
    """
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidSubscription("contact", raw, f"is longer than {MAX_EMAIL_LENGTH} characters")
    if not _EMAIL.match(email) or ".." in email:
        raise InvalidSubscription("contact", raw, "is not a valid e-mail address")
    return email


def normalize_phone(raw: str) -> str:
    """E.164 number (``+`` country code and subscriber number, 7 to 15 digits).

    Spaces, dots, dashes, slashes and brackets are dropped and a leading ``00`` is read
    as ``+``; a national number without its country code is refused, since the SMS
    provider could not route it.
    """
    phone = _PHONE_PUNCTUATION.sub("", raw.strip())
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if not phone.startswith("+"):
        raise InvalidSubscription(
            "contact",
            raw,
            "must be in international format with its country code, e.g. +33612345678",
        )
    if not _E164.match(phone):
        raise InvalidSubscription(
            "contact", raw, "is not a valid phone number (E.164: + then 7 to 15 digits)"
        )
    return phone


def normalize_contact(channel: Channel, raw: str) -> str:
    """The contact in the form subscriptions are de-duplicated on."""
    return normalize_email(raw) if channel is Channel.EMAIL else normalize_phone(raw)


def parse_channel(raw: str) -> Channel:
    try:
        return Channel(raw.strip().lower())
    except ValueError:
        raise InvalidSubscription("channel", raw, "must be 'email' or 'sms'") from None


@dataclass(frozen=True, slots=True)
class Consent:
    """What the person agreed to, when, where and in which language.

    ``ip_hash`` is a keyed digest (HMAC-SHA256) of the client's address (never the
    address itself), kept as evidence of where the request came from.
    """

    text: str
    given_at: datetime
    source: str = "widget"
    locale: str = "en"
    ip_hash: str | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InvalidSubscription("consent_text", self.text, "is empty")
        if len(self.text) > MAX_CONSENT_TEXT:
            raise InvalidSubscription(
                "consent_text", self.text[:40], f"is longer than {MAX_CONSENT_TEXT} characters"
            )
        if self.source not in SOURCES:
            raise InvalidSubscription("source", self.source, f"must be one of {', '.join(SOURCES)}")
        if self.locale not in LOCALES:
            raise InvalidSubscription("locale", self.locale, f"must be one of {', '.join(LOCALES)}")
        if self.given_at.tzinfo is None:
            raise ValueError("consent time must be timezone-aware")


@dataclass(eq=False, slots=True)
class Subscription:
    """One contact waiting for one SKU. ``created_at`` orders the queue (first come,
    first served), so a repeated request keeps the original place."""

    sku: str
    channel: Channel
    contact: str
    consent: Consent
    created_at: datetime
    status: SubscriptionStatus = SubscriptionStatus.PENDING
    id: int | None = None
    family: str | None = None
    """Set when the contact waits for any variant of the SKU's family (the SKU is the
    variant they asked from); None for this SKU alone."""
    customer: str | None = None
    """The shop's customer id when a signed-in shopper asked; None for a contact alone."""

    def link_customer(self, customer: str | None) -> bool:
        """Record that the signed-in ``customer`` asked; True when it changed (an
        anonymous request never unlinks a customer)."""
        if customer is None or self.customer == customer:
            return False
        self.customer = customer
        return True

    def follow_family(self, family: str) -> bool:
        """Widen a subscription to every variant of ``family``; True when it changed."""
        if self.family == family:
            return False
        self.family = family
        return True

    def renew(self, consent: Consent) -> bool:
        """A new request for the same contact and SKU. Only an unsubscribed contact
        changes: back to pending with the new consent, at the back of the queue.
        Returns True when the subscription changed."""
        if self.status is not SubscriptionStatus.UNSUBSCRIBED:
            return False
        self.status = SubscriptionStatus.PENDING
        self.consent = consent
        self.created_at = consent.given_at
        return True

    def confirm(self) -> bool:
        """Double opt-in: a pending subscription becomes confirmed. A confirmed one
        stays as it is and an unsubscribed one is not brought back by an old link.
        Returns True when the subscription changed."""
        if self.status is not SubscriptionStatus.PENDING:
            return False
        self.status = SubscriptionStatus.CONFIRMED
        return True

    def unsubscribe(self) -> bool:
        """The contact leaves; True when the subscription changed (it was not already
        unsubscribed)."""
        if self.status is SubscriptionStatus.UNSUBSCRIBED:
            return False
        self.status = SubscriptionStatus.UNSUBSCRIBED
        return True
