"""back-in-stock subscriptions (pending, from the widget)

One ``back_in_stock_subscription`` row per (contact, SKU): channel, normalised contact,
status (pending, confirmed, unsubscribed), the consent given (text, time, source, locale,
hashed client address) and the queue time; double opt-in and unsubscribe fill
``confirmed_at`` and ``unsubscribed_at``.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 03:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "back_in_stock_subscription"


def _utc(name: str, nullable: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, stockguard.adapters.db.types.UtcDateTime(timezone=True), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("contact", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("consent_text", sa.String(length=1000), nullable=False),
        _utc("consent_at", nullable=False),
        sa.Column("consent_source", sa.String(length=16), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=True),
        _utc("created_at", nullable=False),
        _utc("confirmed_at", nullable=True),
        _utc("unsubscribed_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_back_in_stock_subscription_sku_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_back_in_stock_subscription")),
        sa.UniqueConstraint(
            "contact", "sku", name=op.f("uq_back_in_stock_subscription_contact_sku")
        ),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            "ix_back_in_stock_subscription_queue", ["sku", "status", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("ix_back_in_stock_subscription_queue")
    op.drop_table(TABLE)
