"""Tables of the subscriptions area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class BackInStockSubscriptionRow(Base):
    """A contact waiting for a SKU: one row per (contact, SKU), never deleted on
    unsubscribe (the row is the record of consent and of its withdrawal).

    ``contact`` is normalised (lower-case e-mail or E.164 phone); ``created_at`` orders
    the queue of a SKU; ``confirmed_at`` and ``unsubscribed_at`` are set by double
    opt-in and unsubscribe.
    """

    __tablename__ = "back_in_stock_subscription"
    __table_args__ = (
        UniqueConstraint("contact", "sku"),
        Index("ix_back_in_stock_subscription_queue", "sku", "status", "created_at"),
        Index("ix_back_in_stock_subscription_family", "family", "status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    channel: Mapped[str] = mapped_column(String(8))
    contact: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(8))
    consent_text: Mapped[str] = mapped_column(String(1000))
    consent_at: Mapped[datetime]
    consent_source: Mapped[str] = mapped_column(String(16))
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    family: Mapped[str | None] = mapped_column(String(64))
    """Any variant of this product family will do (migration 0023); None: the SKU only."""
    customer: Mapped[str | None] = mapped_column(String(64), index=True)
    """The shop's customer id when a signed-in shopper subscribed (migration 0024)."""
