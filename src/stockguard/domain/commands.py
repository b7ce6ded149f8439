"""Requests to change state, named as imperatives; handled by services.handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from stockguard.domain import ledger, replenishment


class Command:
    """Base class of commands."""


@dataclass(frozen=True, slots=True)
class RecordSale(Command):
    """``quantity`` units (positive) left ``location`` because a customer bought them."""

    sku: str
    location: str
    quantity: int
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class RecordReturn(Command):
    sku: str
    location: str
    quantity: int
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class RecordAdjustment(Command):
    """Signed correction of ``on_hand`` (damage, loss, found stock)."""

    sku: str
    location: str
    quantity: int
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class RecordStockCount(Command):
    """A physical count: ``on_hand`` becomes ``counted``; the ledger records the variance."""

    sku: str
    location: str
    counted: int
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class TransferStock(Command):
    sku: str
    source: str
    destination: str
    quantity: int
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class PurchaseOrderLineInput:
    sku: str
    quantity: int
    unit_cost: Decimal


@dataclass(frozen=True, slots=True)
class CreatePurchaseOrder(Command):
    number: str
    supplier: str
    location: str
    lines: tuple[PurchaseOrderLineInput, ...]
    ordered_on: date | None = None
    expected_on: date | None = None
    carrier: str | None = None
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class UpdatePurchaseOrder(Command):
    """Change a PO's dates or carrier; lines may only be replaced while it is a draft."""

    number: str
    expected_on: date | None = None
    carrier: str | None = None
    lines: tuple[PurchaseOrderLineInput, ...] | None = None


@dataclass(frozen=True, slots=True)
class ChangePurchaseOrderStatus(Command):
    number: str
    status: str


@dataclass(frozen=True, slots=True)
class ReceivePurchaseOrderLine(Command):
    number: str
    sku: str
    quantity: int
    occurred_at: datetime
    idempotency_key: str
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class ReconcileStockLevels(Command):
    """Recompute levels from the ledger and open POs; ``repair`` writes the fix."""

    repair: bool = False
    skus: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class CreateApiKey(Command):
    """Store a new key; the caller generated ``prefix`` and ``secret`` and shows them once."""

    name: str
    scopes: tuple[str, ...]
    prefix: str
    secret: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RevokeApiKey(Command):
    prefix: str
    revoked_at: datetime


@dataclass(frozen=True, slots=True)
class CreateShop(Command):
    """Register a shop; the caller generated ``webhook_secret`` and shows it once."""

    code: str
    name: str
    location: str
    webhook_secret: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RotateShopSecret(Command):
    code: str
    webhook_secret: str


@dataclass(frozen=True, slots=True)
class WebhookOrderLine:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class WebhookCustomer:
    external_id: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class RecordOrderWebhook(Command):
    """A shop's order, delivered once per ``delivery_id``: the order, its lines and one
    sale per line; ``location`` defaults to the shop's."""

    shop: str
    delivery_id: str
    received_at: datetime
    order_number: str
    ordered_at: datetime
    lines: tuple[WebhookOrderLine, ...]
    customer: WebhookCustomer | None = None
    location: str | None = None
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class WebhookAdjustment:
    """``kind`` is ``count`` (``quantity`` = units counted) or ``adjustment`` (signed)."""

    sku: str
    kind: ledger.MovementKind
    quantity: int
    location: str | None = None


@dataclass(frozen=True, slots=True)
class RecordInventoryWebhook(Command):
    shop: str
    delivery_id: str
    received_at: datetime
    occurred_at: datetime
    adjustments: tuple[WebhookAdjustment, ...]


@dataclass(frozen=True, slots=True)
class RunForecast(Command):
    """Forecast every series from the ledger's last ``history_days`` days before ``today``
    and store the run; ``seed`` is recorded with it."""

    today: date
    seed: int = 7
    horizon: int = 28
    history_days: int = 730
    season_length: int = 7


@dataclass(frozen=True, slots=True)
class ProposeReplenishment(Command):
    """Compute purchase lines and transfers from the latest forecast run (or ``run_id``)
    and store them as a proposal; money in ``currency``, offers in other currencies are
    left out.

    Costs: ``ordering_cost`` per purchase order line, ``holding_rate`` per year as a share
    of unit cost, transfers cost ``transfer_fixed_cost`` each plus ``transfer_unit_cost``
    per unit; a location keeps ``transfer_margin`` (share of its order-up-to level) above
    that level before it gives units away.
    """

    created_at: datetime
    budget: Decimal | None = None
    run_id: int | None = None
    currency: str = "EUR"
    ordering_cost: Decimal = Decimal("25")
    holding_rate: Decimal = Decimal("0.25")
    transfer_fixed_cost: Decimal = Decimal("15")
    transfer_unit_cost: Decimal = Decimal("0.50")
    transfer_margin: Decimal = Decimal("0.20")
    fill_rate_model: str = "lost_sales"
    """Reorder points of fill-rate rows: ``lost_sales`` (lost sales, daily review,
    crossing orders) or ``backorder`` (the textbook equation)."""


@dataclass(frozen=True, slots=True)
class ApproveProposal(Command):
    """Approve ``lines`` (default: every line within budget); they become draft POs."""

    proposal_id: int
    decided_at: datetime
    lines: tuple[int, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RejectProposal(Command):
    proposal_id: int
    decided_at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SetReplenishmentRule(Command):
    """Create the rule of ``rule``'s scope and key, or update it: with ``merge`` the
    settings ``rule`` leaves empty keep their stored values, ``unset`` clears settings;
    without ``merge`` the rule replaces the stored one."""

    rule: replenishment.ReplenishmentRule
    merge: bool = True
    unset: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RemoveReplenishmentRule(Command):
    scope: replenishment.RuleScope
    key: tuple[str, ...] = ()
