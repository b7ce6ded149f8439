"""any-variant subscriptions

``back_in_stock_subscription.family``: a contact may wait for any variant of a product
family (another size or colour), not only the SKU they asked from.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-26 07:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("back_in_stock_subscription") as batch_op:
        batch_op.add_column(sa.Column("family", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_back_in_stock_subscription_family", ["family", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("back_in_stock_subscription") as batch_op:
        batch_op.drop_index("ix_back_in_stock_subscription_family")
        batch_op.drop_column("family")
