"""Tables of the storefront area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base


class StorefrontAvailabilityRow(Base):
    """What the storefront shows for one SKU at one sellable location, precomputed.

    Stock columns (units) and ``state`` follow every movement in its transaction; the
    promise (``promise_on``, kept with probability ``promise_confidence``) is written by
    a refresh and re-made when a purchase order or its shipment changes. The unique
    (sku, location) index serves the API's one read per request.
    """

    __tablename__ = "storefront_availability"
    __table_args__ = (UniqueConstraint("sku", "location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    on_hand: Mapped[int]
    available: Mapped[int]
    on_order: Mapped[int]
    preorder_open: Mapped[int]
    discontinued: Mapped[bool]
    low_stock_threshold: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    promise_on: Mapped[date | None] = mapped_column(Date)
    promise_confidence: Mapped[float | None]
    promise_basis: Mapped[str | None] = mapped_column(String(80))
    updated_at: Mapped[datetime]
