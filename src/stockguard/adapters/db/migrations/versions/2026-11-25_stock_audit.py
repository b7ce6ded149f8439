"""stock audit: cycle-count schedule and counts

Placeholder created so the #6 work can proceed in parallel; the owner fills it in.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 02:15:00.000000
"""

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
