"""Values of the outbox consumer: relayed messages and outgoing deliveries."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One outbox row: ``payload`` is ``dataclasses.asdict`` of the event."""

    id: int
    event_type: str
    payload: dict[str, Any]
    created_at: datetime


class Channel(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    SMS = "sms"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    """A message to one recipient. ``idempotency_key`` is stable across retries: it is
    the webhook's ``Idempotency-Key`` header and the e-mail's Message-ID, so receivers
    that honour them show a resent message once. ``payload`` carries the channel's
    structured form (Slack blocks for webhooks)."""

    idempotency_key: str
    source: str
    channel: Channel
    target: str
    subject: str
    body: str
    created_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """A claimed delivery: ``attempt`` is 1 for the first try."""

    id: int
    delivery: Delivery
    attempt: int
