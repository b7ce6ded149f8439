"""substitute rankings and substitute promotions

``substitute_neighbour``: the precomputed substitutes and complements of every SKU (rank,
score, similarity, co-purchase), rewritten by ``stockguard substitutes refresh``;
``substitute_promotion``: a discount on the substitutes of one source SKU or of all (``*``);
``substitute_stat``: shown / clicked / converted counts per source SKU x substitute.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25 03:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = stockguard.adapters.db.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "substitute_neighbour",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("neighbour", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("similarity", sa.Double(), nullable=False),
        sa.Column("copurchase", sa.Double(), nullable=False),
        sa.Column("refreshed_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_substitute_neighbour_sku_product")
        ),
        sa.ForeignKeyConstraint(
            ["neighbour"], ["product.sku"], name=op.f("fk_substitute_neighbour_neighbour_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substitute_neighbour")),
        sa.UniqueConstraint(
            "sku", "kind", "neighbour", name=op.f("uq_substitute_neighbour_sku_kind_neighbour")
        ),
    )
    with op.batch_alter_table("substitute_neighbour", schema=None) as batch_op:
        batch_op.create_index(
            "ix_substitute_neighbour_sku_kind_rank", ["sku", "kind", "rank"], unique=False
        )
    op.create_table(
        "substitute_promotion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("discount_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substitute_promotion")),
        sa.UniqueConstraint("scope", name=op.f("uq_substitute_promotion_scope")),
    )
    op.create_table(
        "substitute_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("substitute", sa.String(length=64), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("clicked", sa.Integer(), nullable=False),
        sa.Column("converted", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substitute_stat")),
        sa.UniqueConstraint("sku", "substitute", name=op.f("uq_substitute_stat_sku_substitute")),
    )


def downgrade() -> None:
    op.drop_table("substitute_stat")
    op.drop_table("substitute_promotion")
    with op.batch_alter_table("substitute_neighbour", schema=None) as batch_op:
        batch_op.drop_index("ix_substitute_neighbour_sku_kind_rank")
    op.drop_table("substitute_neighbour")
