"""subscriptions of signed-in customers

``back_in_stock_subscription.customer``: the shop's customer id of a shopper who
subscribed while signed in (named by a customer token the shop's server signed), so that
messages greet them by name; None for an anonymous contact.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("back_in_stock_subscription") as batch_op:
        batch_op.add_column(sa.Column("customer", sa.String(length=64), nullable=True))
        batch_op.create_index(
            "ix_back_in_stock_subscription_customer", ["customer"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("back_in_stock_subscription") as batch_op:
        batch_op.drop_index("ix_back_in_stock_subscription_customer")
        batch_op.drop_column("customer")
