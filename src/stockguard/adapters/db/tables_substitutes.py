"""Tables of the substitutes area (registered on the shared ``Base`` metadata)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base, BigId


class SubstituteNeighbourRow(Base):
    """One precomputed neighbour of a SKU: a substitute or a complement, its rank (1 =
    best) and its scores (similarity and co-purchase association in [0, 1]). Rewritten
    whole by ``stockguard substitutes refresh``; requests read it and filter stock."""

    __tablename__ = "substitute_neighbour"
    __table_args__ = (
        UniqueConstraint("sku", "kind", "neighbour"),
        Index("ix_substitute_neighbour_sku_kind_rank", "sku", "kind", "rank"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    kind: Mapped[str] = mapped_column(String(16))
    neighbour: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    rank: Mapped[int]
    score: Mapped[float]
    similarity: Mapped[float]
    copurchase: Mapped[float]
    refreshed_at: Mapped[datetime]


class SubstitutePromotionRow(Base):
    """A discount on the substitutes shown for ``scope``: a source SKU, or ``*`` for
    every SKU without its own (percent, 0 < p < 100)."""

    __tablename__ = "substitute_promotion"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), unique=True)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    updated_at: Mapped[datetime]


class SubstituteStatRow(Base):
    """How often a substitute (or complement) was shown, clicked and bought for a source
    SKU (events posted by the storefront widget)."""

    __tablename__ = "substitute_stat"
    __table_args__ = (UniqueConstraint("sku", "substitute"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    substitute: Mapped[str] = mapped_column(String(64))
    shown: Mapped[int] = mapped_column(default=0)
    clicked: Mapped[int] = mapped_column(default=0)
    converted: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]
