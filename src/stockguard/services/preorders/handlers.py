"""Pre-orders: place one against open purchase orders, follow purchase-order changes.

Promises come from ``domain.reservations.allocate_preorders`` (first come, first served,
earliest expected purchase order first). The supply is the open purchase orders as
stored, overlaid by those this unit of work changed (not yet written). The level lock is
taken before pre-orders are read or changed, so placements and PO changes on the same
SKU x location queue.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

from stockguard.domain import commands, errors, events, purchasing
from stockguard.domain import reservations as r
from stockguard.domain.stock import StockLevel
from stockguard.services.preorders.promises import promise_supplies
from stockguard.services.unit_of_work import UnitOfWork

_CUSTOMER = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^\+?[0-9 ]{6,20}$|^[\w.-]{1,64}$")


@dataclass(frozen=True, slots=True)
class PlacePreorder(commands.Command):
    """Pre-order ``quantity`` units for ``customer`` (e-mail, phone or customer id)."""

    sku: str
    quantity: int
    customer: str
    idempotency_key: str
    location: str | None = None
    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class PreorderResult:
    preorder: r.Preorder
    created: bool


def place_preorder(cmd: PlacePreorder, uow: UnitOfWork) -> PreorderResult:
    """Accept the pre-order only while the SKU is out of stock at the location and the
    open purchase orders still have ``quantity`` units not promised to earlier ones."""
    if cmd.quantity <= 0:
        raise errors.InvalidQuantity(cmd.quantity, "a pre-order must ask for at least one unit")
    customer = cmd.customer.strip()
    if len(customer) > 254 or not _CUSTOMER.match(customer):
        raise errors.InvalidQuantity(0, "customer must be an e-mail, a phone number or an id")
    now = cmd.now or datetime.now(UTC)
    with uow:
        if uow.products.get(cmd.sku) is None:
            raise errors.UnknownSku(cmd.sku)
        location = _location(uow, cmd)
        level = uow.levels.get(cmd.sku, location)
        replay = uow.reservations.preorder_by_key(cmd.idempotency_key)
        if replay is not None:
            if (replay.sku, replay.quantity, replay.customer) != (cmd.sku, cmd.quantity, customer):
                raise errors.IdempotencyKeyReused(cmd.idempotency_key)
            return PreorderResult(replay, False)
        if level.available > 0:
            raise r.PreorderRefused(
                cmd.sku,
                location,
                f"it is in stock ({level.available} available); order it instead.",
            )
        supplies = supply_of(uow, cmd.sku, location, now.date())
        if not supplies:
            raise r.PreorderRefused(cmd.sku, location, "no open purchase order brings it.")
        earlier = uow.reservations.open_preorders(cmd.sku, location)
        preorder = r.Preorder(uuid.uuid4().hex, cmd.sku, location, cmd.quantity, customer, now)
        promise = r.allocate_preorders([*earlier, preorder], supplies)[preorder.id]
        if promise.purchase_order is None:
            left = max(r.unpromised_units(earlier, supplies), 0)
            raise r.PreorderRefused(
                cmd.sku,
                location,
                f"only {left} unit(s) arriving on open purchase orders are not yet "
                f"promised; you asked for {cmd.quantity}.",
            )
        preorder.purchase_order, preorder.promised_on = promise.purchase_order, promise.promised_on
        uow.reservations.add_preorder(preorder, cmd.idempotency_key)
        uow.commit()
        return PreorderResult(preorder, True)


@dataclass(frozen=True, slots=True)
class GetPreorder(commands.Command):
    preorder_id: str


def get_preorder(cmd: GetPreorder, uow: UnitOfWork) -> PreorderResult:
    """One pre-order with its current promise (read only)."""
    with uow:
        found = uow.reservations.get_preorder(cmd.preorder_id)
        if found is None:
            raise r.UnknownPreorder(cmd.preorder_id)
        return PreorderResult(found, False)


@dataclass(frozen=True, slots=True)
class CancelPreorder(commands.Command):
    preorder_id: str


@dataclass(frozen=True, slots=True)
class ShipPreorder(commands.Command):
    preorder_id: str
    now: datetime | None = None


def _locked_preorder(uow: UnitOfWork, preorder_id: str) -> tuple[r.Preorder, StockLevel]:
    found = uow.reservations.get_preorder(preorder_id)
    if found is None:
        raise r.UnknownPreorder(preorder_id)
    level = uow.levels.get(found.sku, found.location)
    fresh = uow.reservations.get_preorder(preorder_id)  # read again under the lock
    assert fresh is not None
    return fresh, level


def cancel_preorder(cmd: CancelPreorder, uow: UnitOfWork) -> PreorderResult:
    """Cancel a pre-order; the units it was promised go to the next ones in line, whose
    changed promises emit ``PreorderRepromised``. Cancelling again changes nothing."""
    with uow:
        preorder, level = _locked_preorder(uow, cmd.preorder_id)
        if preorder.status is r.PreorderStatus.CANCELLED:
            return PreorderResult(preorder, False)
        r.cancel_preorder(level, preorder)
        uow.reservations.save_preorder(preorder)
        waiting = uow.reservations.open_preorders(preorder.sku, preorder.location)
        supplies = supply_of(uow, preorder.sku, preorder.location, datetime.now(UTC).date())
        r.repromise(waiting, supplies, on_change=partial(_repromised, uow, level))
        uow.commit()
        return PreorderResult(preorder, True)


def ship_preorder(cmd: ShipPreorder, uow: UnitOfWork) -> PreorderResult:
    """Ship an allocated pre-order: the sale goes to the ledger. Again: no change."""
    with uow:
        preorder, level = _locked_preorder(uow, cmd.preorder_id)
        if preorder.status is r.PreorderStatus.SHIPPED:
            return PreorderResult(preorder, False)
        uow.ledger.append(r.ship_preorder(level, preorder, now=cmd.now or datetime.now(UTC)))
        uow.reservations.save_preorder(preorder)
        uow.commit()
        return PreorderResult(preorder, True)


def _location(uow: UnitOfWork, cmd: PlacePreorder) -> str:
    location = cmd.location or uow.reservations.best_location(cmd.sku, with_supply=True)
    if location is None:
        raise r.PreorderRefused(cmd.sku, "any location", "no open purchase order brings it.")
    if uow.locations.get(location) is None:
        raise errors.UnknownLocation(location)
    return location


def supply_of(uow: UnitOfWork, sku: str, location: str, today: date) -> list[r.Supply]:
    """Open purchase-order supply of the SKU x location, with this unit of work's changes,
    each with the date that may be promised for it on ``today`` (``promise_supplies``)."""
    changed = {o.number: o for o in uow.purchase_orders.seen if o.location == location}
    supplies = [
        s for s in uow.reservations.supply(sku, location) if s.purchase_order not in changed
    ]
    for order in changed.values():
        if not order.is_open:
            continue
        for line in order.lines:
            if line.sku == sku and line.outstanding > 0:
                supplies.append(
                    r.Supply(order.number, line.outstanding, order.expected_on, order.expected_on)
                )
    return promise_supplies(uow, sku, location, supplies, today=today)


def follow_purchase_order(
    uow: UnitOfWork, order: purchasing.PurchaseOrder, *, today: date | None = None
) -> int:
    """After ``order`` changed inside ``uow`` (date, status, receipt): allocate arrived
    units to waiting pre-orders, then re-promise the others; each changed promise emits
    ``PreorderRepromised`` in the same transaction. Returns the pre-orders changed."""
    day, changed = today or datetime.now(UTC).date(), 0
    for sku in sorted({line.sku for line in order.lines}):  # one lock order
        if not uow.reservations.open_preorders(sku, order.location):
            continue  # no level locked (or created) for SKUs nobody pre-ordered
        level = uow.levels.get(sku, order.location)
        waiting = uow.reservations.open_preorders(sku, order.location)  # under the lock
        changed += _allocate_arrived(uow, level, waiting)
        still = [p for p in waiting if p.is_open]

        changed += len(
            r.repromise(
                still,
                supply_of(uow, sku, order.location, day),
                on_change=partial(_repromised, uow, level),
            )
        )
    return changed


def _allocate_arrived(uow: UnitOfWork, level: StockLevel, waiting: list[r.Preorder]) -> int:
    """Pre-orders (creation order) whose units are available become allocations."""
    done = 0
    for preorder in waiting:
        if preorder.quantity > level.available:
            continue
        level.allocated += preorder.quantity
        preorder.status = r.PreorderStatus.ALLOCATED
        uow.reservations.save_preorder(preorder)
        done += 1
    return done


def _repromised(
    uow: UnitOfWork, level: StockLevel, preorder: r.Preorder, old: r.Promise, new: r.Promise
) -> None:
    uow.reservations.save_preorder(preorder)
    level.events.append(
        events.PreorderRepromised(
            preorder=preorder.id,
            sku=preorder.sku,
            location=preorder.location,
            quantity=preorder.quantity,
            customer=preorder.customer,
            purchase_order=new.purchase_order,
            previous_purchase_order=old.purchase_order,
            promised_on=new.promised_on.isoformat() if new.promised_on else None,
            previous_promised_on=old.promised_on.isoformat() if old.promised_on else None,
        )
    )
