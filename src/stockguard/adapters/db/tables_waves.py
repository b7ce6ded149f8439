"""Tables of the waves area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class RestockEpisodeRow(Base):
    """One restock of a SKU at its sellable locations: ``open`` from the first available
    unit until it sells out again (``sold_out``); at most one open episode per SKU.

    ``kind`` is ``restock`` (waves of subscribers) or ``discontinued`` (one message with
    substitutes to every waiting subscriber).
    """

    __tablename__ = "restock_episode"
    __table_args__ = (Index("ix_restock_episode_sku_status", "sku", "status"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime]
    available_at_open: Mapped[int]
    waves: Mapped[int]
    last_wave_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class WaveNotificationRow(Base):
    """One contact told in one wave of an episode; the unique constraints make sure a
    subscription (or a viewing customer) hears once per episode."""

    __tablename__ = "wave_notification"
    __table_args__ = (
        UniqueConstraint("episode_id", "subscription_id"),
        UniqueConstraint("episode_id", "customer"),
        Index("ix_wave_notification_subscription", "subscription_id"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("restock_episode.id"))
    wave: Mapped[int]
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("back_in_stock_subscription.id"))
    customer: Mapped[str | None] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(120))
    notified_at: Mapped[datetime]


class ProductViewRow(Base):
    """A product page viewed by an identified customer while the SKU was out of stock
    (sent by the widget); ``marketing_consent`` is what the shop said at that time."""

    __tablename__ = "product_view"
    __table_args__ = (Index("ix_product_view_sku_viewed", "sku", "viewed_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    customer: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    marketing_consent: Mapped[bool]
    viewed_at: Mapped[datetime]
