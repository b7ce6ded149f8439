"""back-in-stock waves and product views

``restock_episode``: one restock (or discontinuation) of a SKU, open until it sells out;
``wave_notification``: who was told in which wave of an episode (once per episode);
``product_view``: out-of-stock product views of identified customers, from the widget.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-25 03:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = stockguard.adapters.db.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "restock_episode",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", UTC_TIME, nullable=False),
        sa.Column("available_at_open", sa.Integer(), nullable=False),
        sa.Column("waves", sa.Integer(), nullable=False),
        sa.Column("last_wave_at", UTC_TIME, nullable=True),
        sa.Column("closed_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_restock_episode_sku_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restock_episode")),
    )
    with op.batch_alter_table("restock_episode", schema=None) as batch_op:
        batch_op.create_index("ix_restock_episode_sku_status", ["sku", "status"], unique=False)
    op.create_table(
        "wave_notification",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("episode_id", BIG_ID, nullable=False),
        sa.Column("wave", sa.Integer(), nullable=False),
        sa.Column("subscription_id", BIG_ID, nullable=True),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("notified_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"],
            ["restock_episode.id"],
            name=op.f("fk_wave_notification_episode_id_restock_episode"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["back_in_stock_subscription.id"],
            name=op.f("fk_wave_notification_subscription_id_back_in_stock_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave_notification")),
        sa.UniqueConstraint(
            "episode_id",
            "subscription_id",
            name=op.f("uq_wave_notification_episode_id_subscription_id"),
        ),
        sa.UniqueConstraint(
            "episode_id", "customer", name=op.f("uq_wave_notification_episode_id_customer")
        ),
    )
    with op.batch_alter_table("wave_notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wave_notification_subscription", ["subscription_id"], unique=False
        )
    op.create_table(
        "product_view",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("viewed_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_product_view_sku_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_view")),
    )
    with op.batch_alter_table("product_view", schema=None) as batch_op:
        batch_op.create_index("ix_product_view_sku_viewed", ["sku", "viewed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("product_view", schema=None) as batch_op:
        batch_op.drop_index("ix_product_view_sku_viewed")
    op.drop_table("product_view")
    with op.batch_alter_table("wave_notification", schema=None) as batch_op:
        batch_op.drop_index("ix_wave_notification_subscription")
    op.drop_table("wave_notification")
    with op.batch_alter_table("restock_episode", schema=None) as batch_op:
        batch_op.drop_index("ix_restock_episode_sku_status")
    op.drop_table("restock_episode")
