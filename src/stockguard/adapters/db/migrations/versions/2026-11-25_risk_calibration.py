"""risk snapshots and the stock-out probability calibration map

``stock_risk`` gains the two pmfs of its basis (the next receipt's supplier delay and the
lead time, JSON ``[[days, mass], ...]``, at most 8 points; NULL on rows written before:
read from the stored mean and variance until the next refresh). ``risk_snapshot`` keeps
one probability per SKU x location and day, settled later from the ledger;
``risk_calibration`` keeps the fitted recalibration maps (ADR 0011).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stock_risk", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_delay_pmf", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("lead_time_pmf", sa.JSON(), nullable=True))
    op.create_table(
        "risk_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("raw_probability", sa.Double(), nullable=False),
        sa.Column("probability", sa.Double(), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("stocked_out", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location"], ["location.code"], name=op.f("fk_risk_snapshot_location_location")
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_risk_snapshot_sku_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_snapshot")),
        sa.UniqueConstraint(
            "sku", "location", "day", name=op.f("uq_risk_snapshot_sku_location_day")
        ),
    )
    with op.batch_alter_table("risk_snapshot", schema=None) as batch_op:
        batch_op.create_index("ix_risk_snapshot_settled_on", ["settled_on"], unique=False)
    op.create_table(
        "risk_calibration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "fitted_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("settled", sa.Integer(), nullable=False),
        sa.Column("knots", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_calibration")),
    )


def downgrade() -> None:
    op.drop_table("risk_calibration")
    with op.batch_alter_table("risk_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_risk_snapshot_settled_on")
    op.drop_table("risk_snapshot")
    with op.batch_alter_table("stock_risk", schema=None) as batch_op:
        batch_op.drop_column("lead_time_pmf")
        batch_op.drop_column("receipt_delay_pmf")
