"""stock-out risk per SKU and location

One ``stock_risk`` row per SKU x location: the basis a refresh stores (demand rate and
variance, lead time, next receipt and its supplier's delay, reorder point, price) and the
figures every movement rewrites (days of cover, projected stock-out, probability of
stocking out before the next receipt, expected lost units and revenue, state).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 02:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=4)


def upgrade() -> None:
    op.create_table(
        "stock_risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("reorder_point", sa.Integer(), nullable=False),
        sa.Column("demand_mean", sa.Double(), nullable=False),
        sa.Column("demand_var", sa.Double(), nullable=False),
        sa.Column("lead_time_mean", sa.Double(), nullable=False),
        sa.Column("lead_time_var", sa.Double(), nullable=False),
        sa.Column("next_receipt_on", sa.Date(), nullable=True),
        sa.Column("receipt_delay_mean", sa.Double(), nullable=False),
        sa.Column("receipt_delay_var", sa.Double(), nullable=False),
        sa.Column("unit_price", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("days_of_cover", sa.Double(), nullable=True),
        sa.Column("projected_stockout", sa.Date(), nullable=True),
        sa.Column("probability", sa.Double(), nullable=False),
        sa.Column("expected_lost_units", sa.Double(), nullable=False),
        sa.Column("expected_lost_revenue", MONEY, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("basis_run_id", sa.Integer(), nullable=True),
        sa.Column(
            "updated_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["location"], ["location.code"], name=op.f("fk_stock_risk_location_location")
        ),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_stock_risk_sku_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_risk")),
        sa.UniqueConstraint("sku", "location", name=op.f("uq_stock_risk_sku_location")),
    )
    with op.batch_alter_table("stock_risk", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_risk_state_lost_revenue", ["state", "expected_lost_revenue"], unique=False
        )
        batch_op.create_index(
            "ix_stock_risk_expected_lost_revenue", ["expected_lost_revenue"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stock_risk", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_risk_expected_lost_revenue")
        batch_op.drop_index("ix_stock_risk_state_lost_revenue")
    op.drop_table("stock_risk")
