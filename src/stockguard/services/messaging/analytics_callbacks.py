"""Provider callbacks: an SMS or e-mail provider reports what became of a message.

A report names the message by its key (the delivery's idempotency key, which the SMS
adapter sends as ``{id}`` and in ``Idempotency-Key``) or by the e-mail's ``Message-ID``
with the recipient address (a bounce notice quotes both). Kinds: ``delivered``,
``bounced`` (also an asynchronous bounce after the server had said 250) and
``complained`` (marked as spam).

Each (message, kind) is recorded once: the event row carries the de-duplication key
``provider:{kind}:{message key}``, unique in the table, so a provider retrying a
callback, or sending the same event twice, is counted once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class ProviderKind(enum.StrEnum):
    DELIVERED = "delivered"
    BOUNCED = "bounced"
    COMPLAINED = "complained"


class Outcome(enum.StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    UNKNOWN_MESSAGE = "unknown_message"


@dataclass(frozen=True, slots=True)
class ProviderReport:
    """One callback: ``message_key``, or ``message_id`` + ``recipient``; ``reason`` is
    the provider's text (the bounce diagnostic), kept up to 500 characters."""

    kind: ProviderKind
    occurred_at: datetime
    message_key: str | None = None
    message_id: str | None = None
    recipient: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """The queued message a report is about: its key, template, SKU and contact."""

    key: str
    template: str
    sku: str | None
    contact: str


class CallbackStore(Protocol):
    def message(self, key: str) -> MessageFacts | None: ...

    def message_by_id(self, message_id: str, recipient: str) -> MessageFacts | None:
        """The message to ``recipient`` whose ``Message-ID`` is ``message_id``."""
        ...

    def add_once(
        self,
        facts: MessageFacts,
        kind: str,
        occurred_at: datetime,
        detail: str | None,
        dedup_key: str,
    ) -> bool:
        """Add the event unless ``dedup_key`` is recorded already; True when added."""
        ...


def dedup_key(kind: ProviderKind, message_key: str) -> str:
    return f"provider:{kind.value}:{message_key}"[:200]


def record_provider_report(store: CallbackStore, report: ProviderReport) -> Outcome:
    """Record ``report`` once (see the module docstring); the caller commits."""
    facts = None
    if report.message_key is not None:
        facts = store.message(report.message_key)
    elif report.message_id is not None and report.recipient is not None:
        facts = store.message_by_id(report.message_id, report.recipient)
    if facts is None:
        return Outcome.UNKNOWN_MESSAGE
    detail = report.reason[:500] if report.reason else None
    key = dedup_key(report.kind, facts.key)
    added = store.add_once(facts, report.kind.value, report.occurred_at, detail, key)
    return Outcome.RECORDED if added else Outcome.DUPLICATE
