"""Handlers for shop webhooks: an order (sales order, lines and one sale per line) and
inventory (counts and adjustments).

Each webhook is one unit of work: the delivery id is recorded in the same transaction as
its effects, so a delivery seen before writes nothing, and a refused one (unknown SKU,
unknown location...) leaves no trace, not even its delivery id, and may be sent again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stockguard.domain import commands, errors, ledger, parties, sales, shops
from stockguard.services.handlers.shops import require_shop
from stockguard.services.unit_of_work import UnitOfWork

INVENTORY_KINDS = (ledger.MovementKind.COUNT, ledger.MovementKind.ADJUSTMENT)


@dataclass(frozen=True, slots=True)
class WebhookResult:
    """What a webhook did; ``processed`` is False for a delivery id seen before."""

    shop: str
    delivery_id: str
    topic: shops.WebhookTopic
    processed: bool
    movements: tuple[ledger.StockMovement, ...] = ()


def record_shop_order(cmd: commands.RecordOrderWebhook, uow: UnitOfWork) -> WebhookResult:
    topic = shops.WebhookTopic.ORDERS
    with uow:
        shop = require_shop(uow, cmd.shop)
        if not uow.shops.record_delivery(shop.code, cmd.delivery_id, topic, cmd.received_at):
            return WebhookResult(shop.code, cmd.delivery_id, topic, processed=False)
        location = cmd.location or shop.location
        _check_order(uow, cmd, location)
        movements = tuple(
            _sale(cmd, shop.code, location, line_no, line)
            for line_no, line in enumerate(cmd.lines, start=1)
        )
        _lock_levels(uow, [(m.sku, m.location) for m in movements])
        if uow.sales_orders.exists(cmd.order_number):  # checked under the locks: no race
            raise errors.DuplicateOrder(cmd.order_number)
        uow.sales_orders.add(_sales_order(cmd, shop.code), _customer(cmd))
        for movement in movements:
            _append(uow, movement)
        uow.commit()
    return WebhookResult(shop.code, cmd.delivery_id, topic, True, movements)


def record_shop_inventory(cmd: commands.RecordInventoryWebhook, uow: UnitOfWork) -> WebhookResult:
    topic = shops.WebhookTopic.INVENTORY
    with uow:
        shop = require_shop(uow, cmd.shop)
        if not uow.shops.record_delivery(shop.code, cmd.delivery_id, topic, cmd.received_at):
            return WebhookResult(shop.code, cmd.delivery_id, topic, processed=False)
        targets = [(a, a.location or shop.location) for a in cmd.adjustments]
        _check_adjustments(uow, targets)
        _lock_levels(uow, [(a.sku, location) for a, location in targets])
        movements = []
        for position, (adjustment, location) in enumerate(targets, start=1):
            key = shops.inventory_key(shop.code, cmd.delivery_id, position)
            movement = _inventory_movement(uow, cmd, adjustment, location, key)
            _append(uow, movement)
            movements.append(movement)
        uow.commit()
    return WebhookResult(shop.code, cmd.delivery_id, topic, True, tuple(movements))


def _check_order(uow: UnitOfWork, cmd: commands.RecordOrderWebhook, location: str) -> None:
    if not cmd.lines:
        raise errors.InvalidQuantity(0, "an order needs at least one line")
    for line in cmd.lines:
        if line.quantity <= 0:
            raise errors.InvalidQuantity(line.quantity, "an order line sells at least one unit")
    _require_known(uow, [line.sku for line in cmd.lines], [location])


def _check_adjustments(
    uow: UnitOfWork, targets: list[tuple[commands.WebhookAdjustment, str]]
) -> None:
    for adjustment, _location in targets:
        if adjustment.kind not in INVENTORY_KINDS:
            raise errors.InvalidQuantity(
                adjustment.quantity, "an inventory webhook only counts or adjusts stock"
            )
        if adjustment.kind is ledger.MovementKind.COUNT and adjustment.quantity < 0:
            raise errors.InvalidQuantity(adjustment.quantity, "a count cannot find fewer than 0")
        ledger.check_sign(adjustment.kind, adjustment.quantity)
    _require_known(uow, [a.sku for a, _ in targets], [location for _, location in targets])


def _require_known(uow: UnitOfWork, skus: Iterable[str], locations: Iterable[str]) -> None:
    """Refuse the first unknown SKU, then the first unknown location, before any write."""
    for sku in dict.fromkeys(skus):
        if uow.products.get(sku) is None:
            raise errors.UnknownSku(sku)
    for location in dict.fromkeys(locations):
        if uow.locations.get(location) is None:
            raise errors.UnknownLocation(location)


def _lock_levels(uow: UnitOfWork, series: Iterable[tuple[str, str]]) -> None:
    """Lock every (SKU, location) level the webhook touches in one sorted order, so two
    webhooks on the same SKUs cannot deadlock."""
    for sku, location in sorted(set(series)):
        uow.levels.get(sku, location)


def _append(uow: UnitOfWork, movement: ledger.StockMovement) -> None:
    if uow.ledger.find(movement.idempotency_key) is not None:
        raise errors.IdempotencyKeyReused(movement.idempotency_key)
    uow.levels.get(movement.sku, movement.location).apply(movement)
    uow.ledger.append(movement)


def _inventory_movement(
    uow: UnitOfWork,
    cmd: commands.RecordInventoryWebhook,
    adjustment: commands.WebhookAdjustment,
    location: str,
    key: str,
) -> ledger.StockMovement:
    """A count becomes the variance against the level at this point of the webhook."""
    quantity = adjustment.quantity
    if adjustment.kind is ledger.MovementKind.COUNT:
        quantity -= uow.levels.get(adjustment.sku, location).on_hand
    return ledger.StockMovement(
        sku=adjustment.sku,
        location=location,
        kind=adjustment.kind,
        quantity=quantity,
        occurred_at=cmd.occurred_at,
        idempotency_key=key,
        reference=cmd.delivery_id,
    )


def _sales_order(cmd: commands.RecordOrderWebhook, shop: str) -> sales.SalesOrder:
    return sales.SalesOrder(
        number=cmd.order_number,
        ordered_at=cmd.ordered_at,
        customer=cmd.customer.external_id if cmd.customer else None,
        channel=shop,
        currency=cmd.currency,
        status=sales.SalesOrderStatus.FULFILLED,
        lines=[
            sales.SalesOrderLine(line.sku, line.quantity, line.unit_price) for line in cmd.lines
        ],
    )


def _customer(cmd: commands.RecordOrderWebhook) -> parties.Customer | None:
    if cmd.customer is None:
        return None
    return parties.Customer(external_id=cmd.customer.external_id, email=cmd.customer.email)


def _sale(
    cmd: commands.RecordOrderWebhook,
    shop: str,
    location: str,
    line_no: int,
    line: commands.WebhookOrderLine,
) -> ledger.StockMovement:
    return ledger.StockMovement(
        sku=line.sku,
        location=location,
        kind=ledger.MovementKind.SALE,
        quantity=-line.quantity,
        occurred_at=cmd.ordered_at,
        idempotency_key=shops.sale_key(shop, cmd.order_number, line_no),
        reference=cmd.order_number,
    )
