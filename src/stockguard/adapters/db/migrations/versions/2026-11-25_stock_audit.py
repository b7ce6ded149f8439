"""stock audit: cycle-count schedule and counts

``cycle_count_schedule``: one row per SKU x location with its ABC class, count interval
(days), last count and next due date. ``cycle_count``: each count recorded through the
ledger, with the expected and counted units and the variance in units and value.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 02:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cycle_count_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("abc_class", sa.String(length=1), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("last_counted_on", sa.Date(), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=False),
        sa.Column(
            "updated_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["location"],
            ["location.code"],
            name=op.f("fk_cycle_count_schedule_location_location"),
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_cycle_count_schedule_sku_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_count_schedule")),
        sa.UniqueConstraint("sku", "location", name=op.f("uq_cycle_count_schedule_sku_location")),
    )
    with op.batch_alter_table("cycle_count_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cycle_count_schedule_next_due_on"), ["next_due_on"], unique=False
        )

    op.create_table(
        "cycle_count",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column(
            "counted_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("variance_units", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("variance_value", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("counted_by", sa.String(length=120), nullable=True),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["location"], ["location.code"], name=op.f("fk_cycle_count_location_location")
        ),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_cycle_count_sku_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_count")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_cycle_count_idempotency_key")),
    )
    with op.batch_alter_table("cycle_count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cycle_count_counted_at"), ["counted_at"], unique=False)
        batch_op.create_index("ix_cycle_count_sku_location", ["sku", "location"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cycle_count", schema=None) as batch_op:
        batch_op.drop_index("ix_cycle_count_sku_location")
        batch_op.drop_index(batch_op.f("ix_cycle_count_counted_at"))

    op.drop_table("cycle_count")
    with op.batch_alter_table("cycle_count_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cycle_count_schedule_next_due_on"))

    op.drop_table("cycle_count_schedule")
