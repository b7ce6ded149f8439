"""risk snapshots keep whether an order was open

``risk_snapshot.open_order``: whether units were on order for the row when the snapshot
was taken (``position > available``), so that ``stockguard risk calibrate`` can fit one
recalibration map per order state (ADR 0034); NULL on snapshots recorded before, which
feed the pooled map only.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-25 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("risk_snapshot") as batch_op:
        batch_op.add_column(sa.Column("open_order", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("risk_snapshot") as batch_op:
        batch_op.drop_column("open_order")
