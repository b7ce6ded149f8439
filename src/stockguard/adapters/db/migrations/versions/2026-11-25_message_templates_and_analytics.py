"""message analytics

``message_event``: one row per event of a customer message (sent, delivered, bounced,
clicked, unsubscribed) with its template, SKU and contact. Templates live in the package
(and an operator folder), not in the database.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-25 03:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("contact", sa.String(length=254), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column(
            "occurred_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_event")),
    )
    op.create_index(
        "ix_message_event_key_kind", "message_event", ["message_key", "kind"], unique=False
    )
    op.create_index(
        "ix_message_event_sku_template", "message_event", ["sku", "template"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_message_event_sku_template", table_name="message_event")
    op.drop_index("ix_message_event_key_kind", table_name="message_event")
    op.drop_table("message_event")
