"""message conversions and provider events

``message_event.dedup_key``: the de-duplication key of provider reports
(``provider:{kind}:{message key}``), unique, so a delivered / bounced / complained
callback received twice is recorded once. Conversions and unsubscribes are computed at
query time from the orders and the consent log, so they need no table.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26 06:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("message_event", sa.Column("dedup_key", sa.String(length=200), nullable=True))
    op.create_index("uq_message_event_dedup_key", "message_event", ["dedup_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_message_event_dedup_key", table_name="message_event")
    with op.batch_alter_table("message_event") as batch:
        batch.drop_column("dedup_key")
