"""Tables of the promotions area (registered on the shared Base metadata)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base


class PromotionWarningRow(Base):
    """The last ``PromotionAtRisk`` warning sent per promotion x SKU x location, with the
    figures it carried: a later check warns again only when they change."""

    __tablename__ = "promotion_warning"
    __table_args__ = (UniqueConstraint("promotion", "sku", "location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    promotion: Mapped[str] = mapped_column(ForeignKey("promotion.code"))
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    projected_demand: Mapped[int]
    available: Mapped[int]
    order_quantity: Mapped[int]
    last_order_date: Mapped[date] = mapped_column(Date)
    warned_at: Mapped[datetime]


class PromotionUpliftRow(Base):
    """A per-promotion uplift set by hand (demand factor during the promotion, > 0); it
    replaces the uplift estimated from history or the default of the promotion's kind."""

    __tablename__ = "promotion_uplift"
    id: Mapped[int] = mapped_column(primary_key=True)
    promotion: Mapped[str] = mapped_column(ForeignKey("promotion.code"), unique=True)
    uplift: Mapped[float]
    set_at: Mapped[datetime]
