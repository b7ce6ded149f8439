"""Typed table definitions (SQLAlchemy 2 declarative). No business rules live here.

Rows reference each other by natural keys (SKU, location code, supplier code), which
keeps imports simple and the ledger readable. ``mappers`` turns rows into domain objects.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from stockguard.adapters.db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(14, 4)
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON()}


class ProductRow(Base):
    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    family: Mapped[str | None] = mapped_column(String(64), index=True)
    category: Mapped[str | None] = mapped_column(String(120), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    price: Mapped[Decimal] = mapped_column(Money)
    unit_cost: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    image_url: Mapped[str | None] = mapped_column(String(500))


class LocationRow(Base):
    __tablename__ = "location"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    sellable: Mapped[bool]
    country: Mapped[str | None] = mapped_column(String(2))


class StockMovementRow(Base):
    """Append-only ledger. Never updated or deleted."""

    __tablename__ = "stock_movement"
    __table_args__ = (Index("ix_stock_movement_sku_location_at", "sku", "location", "occurred_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int]
    occurred_at: Mapped[datetime]
    reference: Mapped[str | None] = mapped_column(String(120))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)


class StockLevelRow(Base):
    __tablename__ = "stock_level"
    __table_args__ = (UniqueConstraint("sku", "location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    on_hand: Mapped[int] = mapped_column(default=0)
    allocated: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    on_order: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)


class CustomerRow(Base):
    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(64))
    email_consent_at: Mapped[datetime | None]
    sms_consent_at: Mapped[datetime | None]


class SalesOrderRow(Base):
    __tablename__ = "sales_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    customer: Mapped[str | None] = mapped_column(ForeignKey("customer.external_id"), index=True)
    ordered_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))


class SalesOrderLineRow(Base):
    __tablename__ = "sales_order_line"
    __table_args__ = (UniqueConstraint("order_number", "line_no"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("sales_order.number"))
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"), index=True)
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Money)


class SupplierRow(Base):
    __tablename__ = "supplier"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(320))
    currency: Mapped[str] = mapped_column(String(3))


class SupplierOfferRow(Base):
    __tablename__ = "supplier_offer"
    __table_args__ = (UniqueConstraint("supplier", "sku"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier: Mapped[str] = mapped_column(ForeignKey("supplier.code"))
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"), index=True)
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    minimum_order_quantity: Mapped[int]
    pack_size: Mapped[int]
    lead_time_days: Mapped[int]


class CarrierRow(Base):
    __tablename__ = "carrier"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class PurchaseOrderRow(Base):
    __tablename__ = "purchase_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    supplier: Mapped[str] = mapped_column(ForeignKey("supplier.code"), index=True)
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    ordered_on: Mapped[date | None]
    expected_on: Mapped[date | None]
    carrier: Mapped[str | None] = mapped_column(ForeignKey("carrier.code"))
    currency: Mapped[str] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(default=0)


class PurchaseOrderLineRow(Base):
    __tablename__ = "purchase_order_line"
    __table_args__ = (UniqueConstraint("order_number", "sku"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("purchase_order.number"))
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"), index=True)
    quantity: Mapped[int]
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    received: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)


class PurchaseReceiptRow(Base):
    __tablename__ = "purchase_receipt"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(ForeignKey("purchase_order.number"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"))
    quantity: Mapped[int]
    rejected: Mapped[int]
    received_at: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)


class PromotionRow(Base):
    __tablename__ = "promotion"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str | None] = mapped_column(ForeignKey("product.sku"), index=True)
    category: Mapped[str | None] = mapped_column(String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    owner: Mapped[str | None] = mapped_column(String(200))


class ApiKeyRow(Base):
    """API keys: only a SHA-256 digest of the secret is stored."""

    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    secret_digest: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class OperatorRow(Base):
    """Dashboard users; passwords are stored as argon2 hashes."""

    __tablename__ = "operator"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ShopRow(Base):
    """A storefront that sends webhooks, with the shared secret its signatures use."""

    __tablename__ = "shop"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    webhook_secret: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    created_at: Mapped[datetime]


class WebhookDeliveryRow(Base):
    """Delivery ids already processed, so a replayed webhook is accepted once."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("shop", "delivery_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    shop: Mapped[str] = mapped_column(ForeignKey("shop.code"))
    delivery_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime]


class OutboxRow(Base):
    """Events written in the same transaction as the change; the worker relays them."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    relayed_at: Mapped[datetime | None] = mapped_column(index=True)


class PlanningRunRow(Base):
    """One planning run: when it ran, on which history, with which seed and parameters.

    ``inputs_hash`` is the SHA-256 of the demand panel's bytes and the parameters, so two
    runs on the same inputs can be recognised (and must give the same numbers).
    """

    __tablename__ = "planning_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    seed: Mapped[int] = mapped_column(BigInteger)
    horizon: Mapped[int]
    history_start_on: Mapped[date] = mapped_column(Date)
    history_end_on: Mapped[date] = mapped_column(Date)
    inputs_hash: Mapped[str] = mapped_column(String(64), index=True)
    n_series: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    parameters: Mapped[dict[str, Any]]


class DemandForecastRow(Base):
    """A run's forecast of one series (SKU x location) on one day.

    The columns are statistics of demand in units/day (means and quantiles), stored as
    floats: they are not quantities of stock and never enter the ledger. ``lower_80`` and
    ``p90`` bound the central 80% interval (p10..p90); ``lower_95`` and ``upper_95`` the
    central 95% interval (p2.5..p97.5).
    """

    __tablename__ = "demand_forecast"
    __table_args__ = (UniqueConstraint("run_id", "sku", "location", "day"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("planning_run.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    mean: Mapped[float]
    p50: Mapped[float]
    p80: Mapped[float]
    p90: Mapped[float]
    p95: Mapped[float]
    p99: Mapped[float]
    lower_80: Mapped[float]
    lower_95: Mapped[float]
    upper_95: Mapped[float]
    model: Mapped[str] = mapped_column(String(120))


class ReplenishmentRuleRow(Base):
    """Replenishment settings of one scope; NULL settings fall through to wider scopes.

    ``key`` joins the scope's key fields with ``@`` (``MUG-01@PAR``; empty for the default
    rule), so (scope, key) is the natural key.
    """

    __tablename__ = "replenishment_rule"
    __table_args__ = (UniqueConstraint("scope", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str | None] = mapped_column(ForeignKey("product.sku"))
    location: Mapped[str | None] = mapped_column(ForeignKey("location.code"))
    category: Mapped[str | None] = mapped_column(String(120))
    abc_class: Mapped[str | None] = mapped_column(String(1))
    policy: Mapped[str | None] = mapped_column(String(16))
    service_measure: Mapped[str | None] = mapped_column(String(8))
    service_level: Mapped[float | None]
    review_period_days: Mapped[int | None]
    fixed_order_quantity: Mapped[int | None]
    manual_minimum: Mapped[int | None]
    manual_maximum: Mapped[int | None]
    max_supplier_share: Mapped[float | None]
    budget: Mapped[Decimal | None] = mapped_column(Money)


class ReplenishmentProposalRow(Base):
    """One replenishment run's proposal and the planner's decision on it."""

    __tablename__ = "replenishment_proposal"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("planning_run.id"), index=True)
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    budget: Mapped[Decimal | None] = mapped_column(Money)
    parameters: Mapped[dict[str, Any]]
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(default=0)


class ProposalLineRow(Base):
    """A purchase line of a proposal with the figures that explain its quantity.

    Explanation columns are statistics in units (floats), except the integer position and
    rounding steps; ``explanation`` holds the rest (policy, rule sources, supplier score).
    """

    __tablename__ = "proposal_line"
    __table_args__ = (UniqueConstraint("proposal_id", "line_no"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("replenishment_proposal.id", ondelete="CASCADE")
    )
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"), index=True)
    location: Mapped[str] = mapped_column(ForeignKey("location.code"))
    supplier: Mapped[str] = mapped_column(ForeignKey("supplier.code"))
    quantity: Mapped[int]
    unit_cost: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    position: Mapped[int]
    protection_demand: Mapped[float]
    safety_stock: Mapped[float]
    reorder_point: Mapped[float]
    order_up_to: Mapped[float]
    need: Mapped[float]
    added_by_minimum: Mapped[int]
    added_by_pack: Mapped[int]
    lost_margin_avoided: Mapped[Decimal] = mapped_column(Money)
    budget_status: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    purchase_order: Mapped[str | None] = mapped_column(String(64))
    explanation: Mapped[dict[str, Any]]


class TransferProposalRow(Base):
    """A proposed move of stock between two locations, part of a proposal."""

    __tablename__ = "transfer_proposal"
    __table_args__ = (UniqueConstraint("proposal_id", "line_no"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("replenishment_proposal.id", ondelete="CASCADE")
    )
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(ForeignKey("product.sku"), index=True)
    source: Mapped[str] = mapped_column(ForeignKey("location.code"))
    destination: Mapped[str] = mapped_column(ForeignKey("location.code"))
    quantity: Mapped[int]
    transfer_cost: Mapped[Decimal] = mapped_column(Money)
    purchase_cost_avoided: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16))


def table_of(row_class: type[Base]) -> Table:
    """The Core ``Table`` behind a row class, typed for insert/update/delete."""
    return cast(Table, row_class.__table__)


# Tables of later areas live in their own modules; importing them here registers them on
# Base.metadata wherever ``tables`` is imported (migrations, tests, repositories).
from stockguard.adapters.db import (  # noqa: E402, F401
    tables_alerts,
    tables_audit,
    tables_compensation,
    tables_consent,
    tables_contracts,
    tables_messaging,
    tables_promotions,
    tables_register,
    tables_reservations,
    tables_risk,
    tables_scenarios,
    tables_storefront,
    tables_subscriptions,
    tables_substitutes,
    tables_suppliers,
    tables_waves,
)
