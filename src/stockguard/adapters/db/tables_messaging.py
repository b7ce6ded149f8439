"""Tables of the messaging area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class MessageEventRow(Base):
    """One event in a customer message's life: sent, delivered, bounced, clicked or
        unsubscribed. ``message_key`` is the delivery's idempotency key; ``template`` and
        ``sku`` are what the analytics group by; ``contact`` lets conversions be matched to
        the customer's sales orders (cleared by erasure). ``dedup_key`` (unique, NULL for
    events that may repeat, like clicks) makes a provider's report count once."""

    __tablename__ = "message_event"
    __table_args__ = (
        Index("ix_message_event_key_kind", "message_key", "kind"),
        Index("ix_message_event_sku_template", "sku", "template"),
        Index("uq_message_event_dedup_key", "dedup_key", unique=True),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str | None] = mapped_column(String(64))
    contact: Mapped[str | None] = mapped_column(String(254))
    detail: Mapped[str | None] = mapped_column(String(500))
    occurred_at: Mapped[datetime]
    dedup_key: Mapped[str | None] = mapped_column(String(200))
