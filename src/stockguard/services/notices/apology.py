"""The customer-service apology: one action sends a customer the current date of one of
their orders with an apology and the compensation the rules give.

The date is the pre-order's promise (its PO's promise, kept up to date by the
pre-order follow-up) or, for a sales order, the storefront's restock promise of the
SKU. The notice key is ``apology:<customer>:<order>:<date>``: pressing the button twice
sends one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from stockguard.domain import errors
from stockguard.services.compensation.model import AffectedOrder, Contact, Notice
from stockguard.services.compensation.ports import CompensationUnitOfWork
from stockguard.services.notices.notify import notify


@dataclass(frozen=True, slots=True)
class CustomerView:
    """What customer service sees: the contact, open orders and pre-orders with their
    current dates, and the notices already sent."""

    contact: Contact
    orders: list[tuple[AffectedOrder, object]]
    notices: list[Notice]


def customer_view(uow_factory: Callable[[], CompensationUnitOfWork], customer: str) -> CustomerView:
    with uow_factory() as uow:
        store = uow.compensation
        orders = store.orders_of(customer)
        dated: list[tuple[AffectedOrder, object]] = [
            (o, o.promised_on if o.kind == "preorder" else store.promise_of(o.sku, o.location))
            for o in orders
        ]
        return CustomerView(store.contact(customer), dated, store.notices(customer=customer))


@dataclass(frozen=True, slots=True)
class ApologySent:
    sent: bool
    notice: Notice | None


def send_apology(
    uow_factory: Callable[[], CompensationUnitOfWork],
    customer: str,
    order_ref: str,
    now: datetime,
) -> ApologySent:
    """Queue the apology (with compensation by the rules) for ``order_ref`` of
    ``customer``; ``sent`` is False when the same apology was sent already.
    ``UnknownSalesOrder`` when the customer has no such open order or pre-order."""
    with uow_factory() as uow:
        store = uow.compensation
        order = next((o for o in store.orders_of(customer) if o.ref == order_ref), None)
        if order is None:
            raise errors.UnknownSalesOrder(order_ref)
        new = (
            order.promised_on
            if order.kind == "preorder"
            else store.promise_of(order.sku, order.location)
        )
        sent = notify(store, uow.deliveries, order, new, None, "apology", now, now.date(),
                      key_prefix="apology")  # fmt: skip
        uow.commit()
        notices = [n for n in store.notices(customer=customer) if n.order_ref == order_ref]
        return ApologySent(sent, notices[0] if notices else None)
