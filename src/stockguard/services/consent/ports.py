"""Ports of the consent area (implemented by ``adapters.db.consent``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from stockguard.domain import subscriptions as s
from stockguard.services.outbox.model import Delivery


class ConsentEvent(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    EXPORTED = "exported"
    ERASED = "erased"


@dataclass(frozen=True, slots=True)
class ConsentEntry:
    """One consent-log row. ``contact`` is None for an erasure (only its digest stays)."""

    event: ConsentEvent
    at: datetime
    source: str
    text: str
    contact_hmac: str
    contact: str | None = None
    subscription_id: int | None = None
    ip_hmac: str | None = None


@dataclass(frozen=True, slots=True)
class RequestTimes:
    """Times of accepted requests inside the window, oldest first."""

    by_contact: list[datetime]
    by_ip: list[datetime]


class ConsentRepository(Protocol):
    def subscription(self, subscription_id: int) -> s.Subscription | None: ...

    def mark_confirmed(self, subscription_id: int, at: datetime) -> None: ...

    def mark_unsubscribed(self, subscription_id: int, at: datetime) -> None: ...

    def request_times(
        self, contact_hmac: str, ip_hmac: str | None, since: datetime
    ) -> RequestTimes: ...

    def record_request(self, contact_hmac: str, ip_hmac: str | None, at: datetime) -> None:
        """Remember an accepted request (and forget those older than a day)."""
        ...

    def log(self, entry: ConsentEntry) -> None: ...

    def queue(self, delivery: Delivery) -> bool:
        """Add ``delivery`` to the delivery queue in this transaction."""
        ...

    def export(self, contact: str, contact_hmac: str) -> dict[str, Any]:
        """Everything stored about ``contact``: subscriptions, consent log, messages."""
        ...

    def erase(self, contact: str, contact_hmac: str, erased_as: str) -> dict[str, int]:
        """Anonymise ``contact``'s rows (counts per table): the rows stay for aggregate
        counts, the contact, its messages' texts and client digests go."""
        ...


def _none() -> NotImplementedError:
    return NotImplementedError("this unit of work stores no consent data")


class NoConsent:
    """Units of work without the consent area: every use raises."""

    def subscription(self, subscription_id: int) -> s.Subscription | None:
        raise _none()

    def mark_confirmed(self, subscription_id: int, at: datetime) -> None:
        raise _none()

    def mark_unsubscribed(self, subscription_id: int, at: datetime) -> None:
        raise _none()

    def request_times(
        self, contact_hmac: str, ip_hmac: str | None, since: datetime
    ) -> RequestTimes:
        raise _none()

    def record_request(self, contact_hmac: str, ip_hmac: str | None, at: datetime) -> None:
        raise _none()

    def log(self, entry: ConsentEntry) -> None:
        raise _none()

    def queue(self, delivery: Delivery) -> bool:
        raise _none()

    def export(self, contact: str, contact_hmac: str) -> dict[str, Any]:
        raise _none()

    def erase(self, contact: str, contact_hmac: str, erased_as: str) -> dict[str, int]:
        raise _none()
