"""checkout reservations, allocations and pre-orders

``reservation``: a checkout hold of units for a cart until it expires (its units sit in
the level's ``reserved`` while held), confirmed into an allocation on an order.
``preorder``: a customer's pre-order of an out-of-stock SKU, the open purchase order that
brings its units and the promised date.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 03:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time() -> stockguard.adapters.db.types.UtcDateTime:
    return stockguard.adapters.db.types.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reservation",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("cart_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("expires_at", _time(), nullable=False),
        sa.Column("closed_at", _time(), nullable=True),
        sa.Column("order_number", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["location"], ["location.code"], name=op.f("fk_reservation_location_location")
        ),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_reservation_sku_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_reservation_idempotency_key")),
    )
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reservation_status_expires_at", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reservation_cart_id"), ["cart_id"], unique=False)
    op.create_table(
        "preorder",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("customer", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("purchase_order", sa.String(length=64), nullable=True),
        sa.Column("promised_on", sa.Date(), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["location"], ["location.code"], name=op.f("fk_preorder_location_location")
        ),
        sa.ForeignKeyConstraint(["sku"], ["product.sku"], name=op.f("fk_preorder_sku_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preorder")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_preorder_idempotency_key")),
    )
    with op.batch_alter_table("preorder", schema=None) as batch_op:
        batch_op.create_index(
            "ix_preorder_sku_location_status", ["sku", "location", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_preorder_seq"), ["seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("preorder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preorder_seq"))
        batch_op.drop_index("ix_preorder_sku_location_status")
    op.drop_table("preorder")
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservation_cart_id"))
        batch_op.drop_index("ix_reservation_status_expires_at")
    op.drop_table("reservation")
