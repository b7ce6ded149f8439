"""Purchase orders: the status life cycle and receiving deliveries against lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.domain import errors, events, purchasing

from builders import NOW

Status = purchasing.PurchaseOrderStatus
MUG = "MUG-RED"
PLATE = "PLATE-WHITE"


def a_line(sku: str = MUG, quantity: int = 10) -> purchasing.PurchaseOrderLine:
    return purchasing.PurchaseOrderLine(sku, quantity, Decimal("2.50"))


def an_order(
    *lines: purchasing.PurchaseOrderLine, status: Status = Status.DRAFT
) -> purchasing.PurchaseOrder:
    return purchasing.PurchaseOrder("PO-1", "SUP1", "WH1", list(lines) or [a_line()], status=status)


def a_receipt(
    quantity: int, *, sku: str = MUG, rejected: int = 0, key: str = "rcv-1"
) -> purchasing.Receipt:
    return purchasing.Receipt(sku, quantity, rejected, NOW, key)


# --- lines ----------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_line_must_order_at_least_one_unit(quantity: int) -> None:
    with pytest.raises(errors.InvalidQuantity):
        a_line(quantity=quantity)


def test_a_line_has_outstanding_what_was_ordered_but_not_yet_delivered() -> None:
    line = purchasing.PurchaseOrderLine(MUG, 10, Decimal(1), received=4, rejected=1)

    assert line.outstanding == 6


def test_finding_a_line_for_a_sku_not_on_the_order_is_refused() -> None:
    with pytest.raises(errors.UnknownSku):
        an_order(a_line(MUG)).line(PLATE)


# --- status ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        (Status.DRAFT, False),
        (Status.SENT, True),
        (Status.CONFIRMED, True),
        (Status.SHIPPED, True),
        (Status.RECEIVED, False),
        (Status.CANCELLED, False),
    ],
)
def test_only_sent_confirmed_and_shipped_orders_are_open(status: Status, is_open: bool) -> None:
    assert an_order(status=status).is_open is is_open


def test_moving_along_an_allowed_transition_changes_status_and_records_it() -> None:
    order = an_order()

    order.move_to(Status.SENT)
    order.move_to(Status.CONFIRMED)

    assert order.status is Status.CONFIRMED
    assert order.events == [
        events.PurchaseOrderStatusChanged("PO-1", "sent"),
        events.PurchaseOrderStatusChanged("PO-1", "confirmed"),
    ]


def test_moving_to_the_current_status_does_nothing() -> None:
    order = an_order(status=Status.SENT)

    order.move_to(Status.SENT)

    assert (order.status, order.events) == (Status.SENT, [])


@pytest.mark.parametrize(
    ("current", "requested"),
    [
        (Status.DRAFT, Status.CONFIRMED),
        (Status.DRAFT, Status.RECEIVED),
        (Status.SHIPPED, Status.CANCELLED),
        (Status.RECEIVED, Status.SENT),
        (Status.CANCELLED, Status.SENT),
    ],
)
def test_moving_outside_the_allowed_transitions_is_refused(
    current: Status, requested: Status
) -> None:
    order = an_order(status=current)

    with pytest.raises(errors.InvalidTransition) as raised:
        order.move_to(requested)

    assert (raised.value.current, raised.value.requested) == (current.value, requested.value)
    assert (order.status, order.events) == (current, [])


def test_received_and_cancelled_are_final() -> None:
    assert purchasing.ALLOWED_TRANSITIONS[Status.RECEIVED] == frozenset()
    assert purchasing.ALLOWED_TRANSITIONS[Status.CANCELLED] == frozenset()


# --- receiving ------------------------------------------------------------------------


def test_a_partial_receipt_counts_delivered_and_rejected_units_and_keeps_the_order_open() -> None:
    order = an_order(a_line(MUG, 10), status=Status.SENT)

    order.receive(a_receipt(6, rejected=2))

    line = order.line(MUG)
    assert (line.received, line.rejected, line.outstanding) == (6, 2, 4)
    assert order.status is Status.SENT
    assert order.receipts == [a_receipt(6, rejected=2)]
    assert order.events == [events.PurchaseOrderReceived("PO-1", MUG, "WH1", 6, False)]


def test_receiving_the_last_outstanding_units_marks_the_order_received() -> None:
    order = an_order(a_line(MUG, 10), a_line(PLATE, 2), status=Status.CONFIRMED)
    order.receive(a_receipt(10))

    order.receive(a_receipt(2, sku=PLATE, key="rcv-2"))

    assert order.status is Status.RECEIVED
    assert order.events[-2:] == [
        events.PurchaseOrderReceived("PO-1", PLATE, "WH1", 2, True),
        events.PurchaseOrderStatusChanged("PO-1", "received"),
    ]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RECEIVED, Status.CANCELLED])
def test_an_order_that_is_not_open_cannot_receive(status: Status) -> None:
    order = an_order(status=status)

    with pytest.raises(errors.InvalidTransition):
        order.receive(a_receipt(1))

    assert order.receipts == []


def test_receiving_more_than_is_outstanding_is_refused() -> None:
    order = an_order(a_line(MUG, 10), status=Status.SENT)
    order.receive(a_receipt(7))

    with pytest.raises(errors.OverReceipt) as raised:
        order.receive(a_receipt(4, key="rcv-2"))

    assert (raised.value.sku, raised.value.outstanding, raised.value.received) == (MUG, 3, 4)
    assert order.line(MUG).received == 7


@pytest.mark.parametrize(("quantity", "rejected"), [(0, 0), (-1, 0), (3, 4), (3, -1)], ids=str)
def test_a_receipt_with_impossible_quantities_is_refused(quantity: int, rejected: int) -> None:
    order = an_order(a_line(MUG, 10), status=Status.SENT)

    with pytest.raises(errors.InvalidQuantity):
        order.receive(a_receipt(quantity, rejected=rejected))

    assert (order.line(MUG).received, order.receipts) == (0, [])


# --- properties -----------------------------------------------------------------------


@given(requests=st.lists(st.sampled_from(list(Status)), max_size=20))
def test_status_changes_never_leave_the_allowed_transition_graph(requests: list[Status]) -> None:
    order = an_order()
    path = [order.status]

    for requested in requests:
        before = order.status
        try:
            order.move_to(requested)
        except errors.InvalidTransition:
            assert requested not in purchasing.ALLOWED_TRANSITIONS[before]
            assert requested is not before
            assert order.status is before
            continue
        assert order.status is requested
        if requested is not before:
            assert requested in purchasing.ALLOWED_TRANSITIONS[before]
            path.append(requested)

    assert order.events == [events.PurchaseOrderStatusChanged("PO-1", s.value) for s in path[1:]]


@given(
    ordered=st.integers(min_value=1, max_value=50),
    deliveries=st.lists(st.integers(min_value=1, max_value=60), max_size=10),
)
def test_deliveries_never_receive_more_than_ordered_and_close_the_order_when_complete(
    ordered: int, deliveries: list[int]
) -> None:
    order = an_order(a_line(MUG, ordered), status=Status.SENT)

    for n, quantity in enumerate(deliveries):
        outstanding = order.line(MUG).outstanding
        try:
            order.receive(a_receipt(quantity, key=f"rcv-{n}"))
        except (errors.OverReceipt, errors.InvalidTransition):
            assert quantity > outstanding or order.status is Status.RECEIVED

    received = order.line(MUG).received
    assert received == sum(r.quantity for r in order.receipts) <= ordered
    assert (order.status is Status.RECEIVED) == (received == ordered)


def test_an_order_cannot_list_the_same_sku_twice() -> None:
    lines = [
        purchasing.PurchaseOrderLine("MUG", 5, Decimal("1")),
        purchasing.PurchaseOrderLine("MUG", 3, Decimal("1")),
    ]
    with pytest.raises(errors.DuplicateLine, match="lists MUG more than once"):
        purchasing.PurchaseOrder("PO-9", "SUP", "WH1", lines)
