"""risk register

One ``risk`` row per identified risk of the register: title, category, likelihood and
impact (1-5), owner's role, the scenario and the plan (in a plans file) that rehearse it,
its KPIs (JSON list of name and target), status, and the day and scenario run that last
rehearsed it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("owner_role", sa.String(length=200), nullable=False),
        sa.Column("scenario", sa.String(length=300), nullable=True),
        sa.Column("plans", sa.String(length=300), nullable=True),
        sa.Column("plan", sa.String(length=120), nullable=True),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_rehearsed_on", sa.Date(), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.Column(
            "updated_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk")),
        sa.UniqueConstraint("code", name=op.f("uq_risk_code")),
    )


def downgrade() -> None:
    op.drop_table("risk")
