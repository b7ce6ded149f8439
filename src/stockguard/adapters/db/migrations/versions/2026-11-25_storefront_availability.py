"""storefront availability rows and restock promises

One ``storefront_availability`` row per SKU x sellable location: stock (units) and the
state the storefront shows, kept in step by every movement, and the restock promise
(date and confidence) a refresh or a purchase order's change writes.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 03:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "storefront_availability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("on_order", sa.Integer(), nullable=False),
        sa.Column("preorder_open", sa.Integer(), nullable=False),
        sa.Column("discontinued", sa.Boolean(), nullable=False),
        sa.Column("low_stock_threshold", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("promise_on", sa.Date(), nullable=True),
        sa.Column("promise_confidence", sa.Double(), nullable=True),
        sa.Column("promise_basis", sa.String(length=80), nullable=True),
        sa.Column(
            "updated_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["location"],
            ["location.code"],
            name=op.f("fk_storefront_availability_location_location"),
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_storefront_availability_sku_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storefront_availability")),
        sa.UniqueConstraint(
            "sku", "location", name=op.f("uq_storefront_availability_sku_location")
        ),
    )


def downgrade() -> None:
    op.drop_table("storefront_availability")
