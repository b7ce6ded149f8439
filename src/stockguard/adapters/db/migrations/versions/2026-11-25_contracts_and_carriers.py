"""supplier contracts, penalties, carrier shipments and lanes

``contract_clause``: a supplier's contract terms per validity period. ``supplier_penalty``:
penalties owed, one per receipt (or PO line at close) and kind. ``shipment`` and
``shipment_event``: shipments with their tracking reports. ``carrier_lane``: the
alternate carrier per lane.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import stockguard.adapters.db.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=14, scale=4)
SHARE = sa.Numeric(precision=5, scale=4)
PERCENT = sa.Numeric(precision=7, scale=4)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _utc(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        name, stockguard.adapters.db.types.UtcDateTime(timezone=True), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "contract_clause",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("guaranteed_fill_rate", SHARE, nullable=True),
        sa.Column("max_lead_time_days", sa.Integer(), nullable=True),
        sa.Column("late_penalty_percent", PERCENT, nullable=True),
        sa.Column("late_cap_percent", PERCENT, nullable=True),
        sa.Column("quality_threshold", SHARE, nullable=True),
        sa.Column("quality_penalty_percent", PERCENT, nullable=True),
        sa.Column("short_fill_penalty_percent", PERCENT, nullable=True),
        _utc("updated_at"),
        sa.ForeignKeyConstraint(
            ["supplier"], ["supplier.code"], name=op.f("fk_contract_clause_supplier_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_clause")),
        sa.UniqueConstraint(
            "supplier", "valid_from", name=op.f("uq_contract_clause_supplier_valid_from")
        ),
    )
    op.create_table(
        "supplier_penalty",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("key", sa.String(length=240), nullable=False),
        sa.Column("supplier", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("basis", MONEY, nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        sa.Column("clause_from", sa.Date(), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_number"],
            ["purchase_order.number"],
            name=op.f("fk_supplier_penalty_order_number_purchase_order"),
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["product.sku"], name=op.f("fk_supplier_penalty_sku_product")
        ),
        sa.ForeignKeyConstraint(
            ["supplier"], ["supplier.code"], name=op.f("fk_supplier_penalty_supplier_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_penalty")),
        sa.UniqueConstraint("key", name=op.f("uq_supplier_penalty_key")),
    )
    with op.batch_alter_table("supplier_penalty", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplier_penalty_supplier"), ["supplier"], unique=False
        )
    op.create_table(
        "shipment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("promised_on", sa.Date(), nullable=False),
        _utc("booked_at"),
        sa.Column("purchase_order", sa.String(length=64), nullable=True),
        sa.Column("transfer", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        _utc("delivered_at", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier"], ["carrier.code"], name=op.f("fk_shipment_carrier_carrier")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order"],
            ["purchase_order.number"],
            name=op.f("fk_shipment_purchase_order_purchase_order"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment")),
        sa.UniqueConstraint("reference", name=op.f("uq_shipment_reference")),
    )
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipment_carrier"), ["carrier"], unique=False)
    op.create_table(
        "shipment_event",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("shipment", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _utc("at"),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment"], ["shipment.reference"], name=op.f("fk_shipment_event_shipment_shipment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_event")),
        sa.UniqueConstraint("shipment", "seq", name=op.f("uq_shipment_event_shipment_seq")),
    )
    op.create_table(
        "carrier_lane",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("alternate_carrier", sa.String(length=64), nullable=False),
        _utc("updated_at"),
        sa.ForeignKeyConstraint(
            ["alternate_carrier"],
            ["carrier.code"],
            name=op.f("fk_carrier_lane_alternate_carrier_carrier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_lane")),
        sa.UniqueConstraint(
            "origin", "destination", name=op.f("uq_carrier_lane_origin_destination")
        ),
    )


def downgrade() -> None:
    op.drop_table("carrier_lane")
    op.drop_table("shipment_event")
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipment_carrier"))
    op.drop_table("shipment")
    with op.batch_alter_table("supplier_penalty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_penalty_supplier"))
    op.drop_table("supplier_penalty")
    op.drop_table("contract_clause")
