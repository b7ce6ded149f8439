"""Tables of the consent area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class ConsentLogRow(Base):
    """One consent event: requested, confirmed, unsubscribed, exported or erased.

    ``contact`` is the normalised contact (cleared by erasure); ``contact_hmac`` its
    keyed digest, which stays so an erasure can be proven without keeping the contact.
    ``ip_hmac`` is the HMAC-SHA256 of the client address (never the address itself).
    """

    __tablename__ = "consent_log"
    __table_args__ = (
        Index("ix_consent_log_contact_hmac", "contact_hmac"),
        Index("ix_consent_log_subscription", "subscription_id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("back_in_stock_subscription.id"))
    contact: Mapped[str | None] = mapped_column(String(254))
    contact_hmac: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    ip_hmac: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(1000))
    at: Mapped[datetime]


class SubscriptionRequestRow(Base):
    """One accepted subscription request, for the sliding-window rate limits (per
    contact and per client address, both as keyed digests)."""

    __tablename__ = "subscription_request"
    __table_args__ = (
        Index("ix_subscription_request_contact", "contact_hmac", "at"),
        Index("ix_subscription_request_ip", "ip_hmac", "at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_hmac: Mapped[str] = mapped_column(String(64))
    ip_hmac: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
