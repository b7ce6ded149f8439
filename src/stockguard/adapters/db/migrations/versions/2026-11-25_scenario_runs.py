"""crisis scenario runs and their results

``scenario_run``: one Monte Carlo run of a crisis scenario with its documents, seed,
paths and report (JSON), indexed by scenario and date for listing.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "scenario_run",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("scenario", sa.String(length=120), nullable=False),
        sa.Column(
            "created_at",
            stockguard.adapters.db.types.UtcDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("paths", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("plans", sa.JSON(), nullable=False),
        sa.Column("best_plan", sa.String(length=120), nullable=False),
        sa.Column("scenario_document", sa.JSON(), nullable=False),
        sa.Column("plans_document", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_run")),
    )
    with op.batch_alter_table("scenario_run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scenario_run_scenario_created_at", ["scenario", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scenario_run_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("scenario_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_run_created_at"))
        batch_op.drop_index("ix_scenario_run_scenario_created_at")
    op.drop_table("scenario_run")
