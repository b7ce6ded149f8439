"""proactive notices, compensation rules and codes

``compensation_policy``: the compensation rules (one JSON document, row 1).
``compensation_code``: discount codes issued for late orders, redeemed once.
``customer_notice``: delay notices, one per customer x order x new date.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-25 03:50:00.000000
"""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time() -> stockguard.adapters.db.types.UtcDateTime:
    return stockguard.adapters.db.types.UtcDateTime(timezone=True)


def _big_id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False)


def _money() -> sa.Numeric[Decimal]:
    return sa.Numeric(precision=14, scale=4)


def upgrade() -> None:
    op.create_table(
        "compensation_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensation_policy")),
    )
    op.create_table(
        "compensation_code",
        _big_id(),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("customer", sa.String(length=254), nullable=False),
        sa.Column("order_ref", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", _money(), nullable=False),
        sa.Column("face_value", _money(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("issued_at", _time(), nullable=False),
        sa.Column("redeemed_at", _time(), nullable=True),
        sa.Column("redeemed_ref", sa.String(length=120), nullable=True),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensation_code")),
        sa.UniqueConstraint("code", name=op.f("uq_compensation_code_code")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_compensation_code_idempotency_key")),
    )
    with op.batch_alter_table("compensation_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compensation_code_customer"), ["customer"])
        batch_op.create_index(batch_op.f("ix_compensation_code_month"), ["month"])
    op.create_table(
        "customer_notice",
        _big_id(),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("customer", sa.String(length=254), nullable=False),
        sa.Column("contact", sa.String(length=320), nullable=True),
        sa.Column("order_kind", sa.String(length=16), nullable=False),
        sa.Column("order_ref", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("promised_on", sa.Date(), nullable=True),
        sa.Column("previous_promised_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_notice")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_customer_notice_idempotency_key")),
    )
    with op.batch_alter_table("customer_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_notice_customer"), ["customer"])


def downgrade() -> None:
    op.drop_table("customer_notice")
    op.drop_table("compensation_code")
    op.drop_table("compensation_policy")
