"""Handlers for purchase orders: create, update, change status, receive lines."""

from __future__ import annotations

from stockguard.domain import commands, errors, ledger, purchasing
from stockguard.services.contracts import penalties as contract_penalties
from stockguard.services.handlers.stock import MovementResult
from stockguard.services.preorders.handlers import follow_purchase_order
from stockguard.services.unit_of_work import UnitOfWork


def create_purchase_order(cmd: commands.CreatePurchaseOrder, uow: UnitOfWork) -> str:
    """Create a draft PO; returns its number. Refuses a number that already exists."""
    with uow:
        order = add_purchase_order(uow, cmd)
        uow.commit()
        return order.number


def add_purchase_order(
    uow: UnitOfWork, cmd: commands.CreatePurchaseOrder
) -> purchasing.PurchaseOrder:
    """Check and add a draft PO inside the open ``uow`` without committing, so a caller
    (approving a replenishment proposal) can add several in one transaction."""
    if uow.purchase_orders.get(cmd.number) is not None:
        raise errors.InvalidTransition(f"Purchase order {cmd.number}", "existing", "created")
    if uow.suppliers.get(cmd.supplier) is None:
        raise errors.UnknownSupplier(cmd.supplier)
    if uow.locations.get(cmd.location) is None:
        raise errors.UnknownLocation(cmd.location)
    _require_carrier(uow, cmd.carrier)
    order = purchasing.PurchaseOrder(
        number=cmd.number,
        supplier=cmd.supplier,
        location=cmd.location,
        lines=_lines(uow, cmd.lines),
        ordered_on=cmd.ordered_on,
        expected_on=cmd.expected_on,
        carrier=cmd.carrier,
        currency=cmd.currency,
    )
    uow.purchase_orders.add(order)
    return order


def update_purchase_order(cmd: commands.UpdatePurchaseOrder, uow: UnitOfWork) -> str:
    with uow:
        order = _get(uow, cmd.number)
        if cmd.lines is not None:
            order.replace_lines(_lines(uow, cmd.lines))
        if cmd.expected_on is not None:
            order.expected_on = cmd.expected_on
        if cmd.carrier is not None:
            _require_carrier(uow, cmd.carrier)
            order.carrier = cmd.carrier
        follow_purchase_order(uow, order)  # re-promise pre-orders of a late PO
        uow.commit()
        return order.number


def change_purchase_order_status(cmd: commands.ChangePurchaseOrderStatus, uow: UnitOfWork) -> str:
    """Move a PO along its life cycle, keeping ``on_order`` in step.

    Opening a PO (draft -> sent) adds its outstanding units to ``on_order``;
    cancelling an open PO, or marking it received by hand, takes them away again.
    Closing it as received charges the supplier's short-fill penalties, if any.
    """
    try:
        status = purchasing.PurchaseOrderStatus(cmd.status)
    except ValueError:
        raise errors.InvalidTransition(f"Purchase order {cmd.number}", "?", cmd.status) from None
    with uow:
        order = _get(uow, cmd.number)
        was_open = order.is_open
        order.move_to(status)
        if was_open and status is purchasing.PurchaseOrderStatus.RECEIVED:
            contract_penalties.charge_close(uow, order)  # short fill below the contract
        if was_open != order.is_open:
            sign = 1 if order.is_open else -1
            for line in sorted(order.lines, key=lambda x: x.sku):  # one lock order
                uow.levels.get(line.sku, order.location).expect(sign * line.outstanding)
        follow_purchase_order(uow, order)  # a cancelled or closed PO re-promises
        uow.commit()
        return order.status.value


def receive_purchase_order_line(
    cmd: commands.ReceivePurchaseOrderLine, uow: UnitOfWork
) -> MovementResult:
    """Receive ``quantity`` units of a PO line; ``rejected`` of them fail inspection.

    Accepted units (quantity - rejected) enter stock through a receipt movement; all
    delivered units leave ``on_order``. The supplier's contract penalties (late, quality)
    are recorded in the same transaction. Replaying the idempotency key does nothing.
    """
    with uow:
        existing = uow.ledger.find(cmd.idempotency_key)
        order = _get(uow, cmd.number)
        level = uow.levels.get(cmd.sku, order.location)
        accepted = cmd.quantity - cmd.rejected
        if existing is not None and (
            existing.kind,
            existing.sku,
            existing.location,
            existing.reference,
            existing.quantity,
        ) != (ledger.MovementKind.RECEIPT, cmd.sku, order.location, order.number, accepted):
            raise errors.IdempotencyKeyReused(cmd.idempotency_key)
        already = any(r.idempotency_key == cmd.idempotency_key for r in order.receipts)
        if existing is not None or already:
            replayed = (existing,) if existing is not None else ()
            return MovementResult(replayed, False, {order.location: level.on_hand})
        receipt = purchasing.Receipt(
            cmd.sku, cmd.quantity, cmd.rejected, cmd.occurred_at, cmd.idempotency_key
        )
        order.receive(receipt)
        movement = book_receipt(uow, order, receipt)
        contract_penalties.charge_receipt(uow, order, receipt)
        follow_purchase_order(uow, order)  # arrived units go to waiting pre-orders
        uow.commit()
        movements = (movement,) if movement else ()
        return MovementResult(movements, True, {order.location: level.on_hand})


def book_receipt(
    uow: UnitOfWork, order: purchasing.PurchaseOrder, receipt: purchasing.Receipt
) -> ledger.StockMovement | None:
    """Move a receipt already recorded on ``order`` into stock, inside the open ``uow``.

    Every delivered unit leaves ``on_order``; accepted units (delivered - rejected) enter
    ``on_hand`` through a RECEIPT movement keyed by the receipt's idempotency key.
    Returns that movement, or None when every unit was rejected.
    """
    level = uow.levels.get(receipt.sku, order.location)
    level.expect(-receipt.quantity)
    accepted = receipt.quantity - receipt.rejected
    if accepted <= 0:
        return None
    movement = ledger.StockMovement(
        sku=receipt.sku,
        location=order.location,
        kind=ledger.MovementKind.RECEIPT,
        quantity=accepted,
        occurred_at=receipt.received_at,
        idempotency_key=receipt.idempotency_key,
        reference=order.number,
    )
    level.apply(movement)
    uow.ledger.append(movement)
    return movement


def _require_carrier(uow: UnitOfWork, carrier: str | None) -> None:
    if carrier is not None and not uow.carriers.exists(carrier):
        raise errors.UnknownCarrier(carrier)


def _get(uow: UnitOfWork, number: str) -> purchasing.PurchaseOrder:
    order = uow.purchase_orders.get(number)
    if order is None:
        raise errors.UnknownPurchaseOrder(number)
    return order


def _lines(
    uow: UnitOfWork, lines: tuple[commands.PurchaseOrderLineInput, ...]
) -> list[purchasing.PurchaseOrderLine]:
    if not lines:
        raise errors.InvalidQuantity(0, "a purchase order needs at least one line")
    for line in lines:
        if uow.products.get(line.sku) is None:
            raise errors.UnknownSku(line.sku)
    return [purchasing.PurchaseOrderLine(x.sku, x.quantity, x.unit_cost) for x in lines]
