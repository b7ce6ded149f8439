"""substitute rankings and substitute promotions

Placeholder created so parallel work can proceed; the owner fills it in.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25 03:15:00.000000
"""

from collections.abc import Sequence

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
