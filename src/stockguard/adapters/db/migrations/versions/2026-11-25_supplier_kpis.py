"""supplier ratings and country risk overrides

``supplier_rating``: the buyer's assessment of a supplier (financial rating, capacity
utilisation, natural-hazard zone) read by the supplier risk score. ``country_risk``: the
buyer's overrides of the default country risk table. Receipt quality needs no change:
``purchase_receipt.rejected`` already holds the rejected units.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supplier_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=64), nullable=False),
        sa.Column("financial_rating", sa.String(length=8), nullable=True),
        sa.Column("capacity_utilisation", sa.Double(), nullable=True),
        sa.Column("hazard_zone", sa.String(length=32), nullable=True),
        sa.Column(
            "rated_at", stockguard.adapters.db.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["supplier"], ["supplier.code"], name=op.f("fk_supplier_rating_supplier_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_rating")),
        sa.UniqueConstraint("supplier", name=op.f("uq_supplier_rating_supplier")),
    )
    op.create_table(
        "country_risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column(
            "updated_at", stockguard.adapters.db.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country_risk")),
        sa.UniqueConstraint("country", name=op.f("uq_country_risk_country")),
    )


def downgrade() -> None:
    op.drop_table("country_risk")
    op.drop_table("supplier_rating")
