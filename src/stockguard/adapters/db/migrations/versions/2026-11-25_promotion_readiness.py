"""promotion readiness warnings and uplift overrides

``promotion_warning``: the last ``PromotionAtRisk`` warning per promotion x SKU x
location with the figures it carried (a check warns again only when they change).
``promotion_uplift``: an uplift set by hand for one promotion.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 02:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "promotion_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promotion", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("projected_demand", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("order_quantity", sa.Integer(), nullable=False),
        sa.Column("last_order_date", sa.Date(), nullable=False),
        sa.Column(
            "warned_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["location"], ["location.code"], name=op.f("fk_promotion_warning_location_location")
        ),
        sa.ForeignKeyConstraint(
            ["promotion"], ["promotion.code"], name=op.f("fk_promotion_warning_promotion_promotion")
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_promotion_warning_sku_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_warning")),
        sa.UniqueConstraint(
            "promotion", "sku", "location", name=op.f("uq_promotion_warning_promotion_sku_location")
        ),
    )
    op.create_table(
        "promotion_uplift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promotion", sa.String(length=64), nullable=False),
        sa.Column("uplift", sa.Double(), nullable=False),
        sa.Column(
            "set_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["promotion"], ["promotion.code"], name=op.f("fk_promotion_uplift_promotion_promotion")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_uplift")),
        sa.UniqueConstraint("promotion", name=op.f("uq_promotion_uplift_promotion")),
    )


def downgrade() -> None:
    op.drop_table("promotion_uplift")
    op.drop_table("promotion_warning")
