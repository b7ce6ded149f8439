"""subscription confirmation, consent log, rate limits, erasure

``consent_log``: one row per consent event (requested, confirmed, unsubscribed,
exported, erased) with time, source, keyed digest of the client address and the text
shown; ``subscription_request``: accepted requests, for the sliding-window rate limits
per contact and per client address (keyed digests only). ``confirmed_at`` and
``unsubscribed_at`` already exist on ``back_in_stock_subscription`` (0017).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25 03:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False)


def _utc(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, stockguard.adapters.db.types.UtcDateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "consent_log",
        _id(),
        sa.Column(
            "subscription_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("contact", sa.String(length=254), nullable=True),
        sa.Column("contact_hmac", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("ip_hmac", sa.String(length=64), nullable=True),
        sa.Column("text", sa.String(length=1000), nullable=False),
        _utc("at"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["back_in_stock_subscription.id"],
            name=op.f("fk_consent_log_subscription_id_back_in_stock_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_log")),
    )
    with op.batch_alter_table("consent_log", schema=None) as batch_op:
        batch_op.create_index("ix_consent_log_contact_hmac", ["contact_hmac"], unique=False)
        batch_op.create_index("ix_consent_log_subscription", ["subscription_id"], unique=False)
    op.create_table(
        "subscription_request",
        _id(),
        sa.Column("contact_hmac", sa.String(length=64), nullable=False),
        sa.Column("ip_hmac", sa.String(length=64), nullable=True),
        _utc("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscription_request")),
    )
    with op.batch_alter_table("subscription_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_subscription_request_contact", ["contact_hmac", "at"], unique=False
        )
        batch_op.create_index("ix_subscription_request_ip", ["ip_hmac", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("subscription_request", schema=None) as batch_op:
        batch_op.drop_index("ix_subscription_request_ip")
        batch_op.drop_index("ix_subscription_request_contact")
    op.drop_table("subscription_request")
    with op.batch_alter_table("consent_log", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_log_subscription")
        batch_op.drop_index("ix_consent_log_contact_hmac")
    op.drop_table("consent_log")
