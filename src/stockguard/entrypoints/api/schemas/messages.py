"""Bodies and answers of the message analytics routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, model_validator

from stockguard.services.messaging.analytics import AnalyticsReport, StatsRow
from stockguard.services.messaging.analytics_callbacks import ProviderKind, ProviderReport

EVENT_EXAMPLE: dict[str, JsonValue] = {
    "kind": "bounced",
    "message_key": "wave:12:3481",
    "occurred_at": "2026-11-25T09:14:03Z",
    "reason": "550 5.1.1 mailbox unavailable",
}


class ProviderEventCreate(BaseModel):
    """What the provider reports about one message: name it by ``message_key`` (the
    ``{id}`` / ``Idempotency-Key`` the SMS adapter sent), or by the e-mail's
    ``message_id`` together with the ``recipient`` address."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EVENT_EXAMPLE]})

    kind: Literal["delivered", "bounced", "complained"]
    occurred_at: AwareDatetime
    message_key: str | None = Field(default=None, min_length=1, max_length=200)
    message_id: str | None = Field(default=None, min_length=3, max_length=300)
    recipient: str | None = Field(default=None, min_length=3, max_length=320)
    reason: str | None = Field(default=None, max_length=1000)

    @model_validator(mode="after")
    def _names_a_message(self) -> Self:
        if self.message_key is None and (self.message_id is None or self.recipient is None):
            raise ValueError("name the message: message_key, or message_id with recipient")
        return self

    def to_report(self) -> ProviderReport:
        return ProviderReport(
            kind=ProviderKind(self.kind),
            occurred_at=self.occurred_at,
            message_key=self.message_key,
            message_id=self.message_id,
            recipient=self.recipient,
            reason=self.reason,
        )


class ProviderEventRead(BaseModel):
    """``recorded`` the first time, ``duplicate`` when this kind was recorded already."""

    status: Literal["recorded", "duplicate"]
    message_key: str | None
    kind: str


class MessageStatsRowRead(BaseModel):
    """Counts (distinct messages) and rates (0..1, null without a denominator)."""

    sku: str | None
    template: str
    sent: int
    delivered: int
    bounced: int
    complained: int
    clicked: int
    unsubscribed: int
    converted: int
    queued: int
    delivery_rate: float | None
    bounce_rate: float | None
    click_rate: float | None
    unsubscribe_rate: float | None
    conversion_rate: float | None

    @classmethod
    def of(cls, row: StatsRow) -> MessageStatsRowRead:
        return cls.model_validate(row.as_record())


class MessageStatsRead(BaseModel):
    """Per SKU x template and in total; ``unsubscribe_basis`` counts unsubscribes by how
    they were matched to a message (``link`` or ``latest_message``)."""

    window_days: int
    substitutes_per_sku: int
    computed_at: datetime
    unsubscribe_basis: dict[str, int]
    rows: list[MessageStatsRowRead]
    total: MessageStatsRowRead

    @classmethod
    def of(cls, report: AnalyticsReport, computed_at: datetime) -> MessageStatsRead:
        return cls(
            window_days=report.window_days,
            substitutes_per_sku=report.substitutes_per_sku,
            computed_at=computed_at,
            unsubscribe_basis=report.unsubscribe_basis,
            rows=[MessageStatsRowRead.of(row) for row in report.rows],
            total=MessageStatsRowRead.of(report.total),
        )
