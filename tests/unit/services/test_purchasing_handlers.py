"""Purchase order and reconciliation handlers, over the in-memory unit of work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from stockguard.domain import commands, errors, events, purchasing, stock
from stockguard.services.handlers.reconcile import Drift, ReconciliationReport
from stockguard.services.handlers.stock import MovementResult
from stockguard.services.messagebus import MessageBus
from unit.services.fakes import FakeUnitOfWork

from builders import NOW, a_location, a_product, a_supplier

MUG = "MUG-RED"
PLATE = "PLATE-WHITE"
WAREHOUSE = "WH1"
SUPPLIER = "SUP1"
PO = "PO-1"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        products=[a_product(MUG), a_product(PLATE)],
        locations=[a_location(WAREHOUSE)],
        suppliers=[a_supplier(SUPPLIER)],
        carriers=["DHL", "UPS"],
    )


@pytest.fixture
def bus(uow: FakeUnitOfWork) -> MessageBus:
    return MessageBus(lambda: uow, sleep=lambda _seconds: None)


def line(sku: str = MUG, quantity: int = 10) -> commands.PurchaseOrderLineInput:
    return commands.PurchaseOrderLineInput(sku, quantity, Decimal("2.50"))


def create(
    bus: MessageBus,
    *lines: commands.PurchaseOrderLineInput,
    number: str = PO,
    supplier: str = SUPPLIER,
    location: str = WAREHOUSE,
) -> str:
    command = commands.CreatePurchaseOrder(number, supplier, location, lines or (line(),))
    number_created: str = bus.handle(command)
    return number_created


def change_status(bus: MessageBus, status: str, number: str = PO) -> str:
    new_status: str = bus.handle(commands.ChangePurchaseOrderStatus(number, status))
    return new_status


def receive(
    bus: MessageBus, quantity: int, *, key: str = "rcv-1", sku: str = MUG, rejected: int = 0
) -> MovementResult:
    command = commands.ReceivePurchaseOrderLine(PO, sku, quantity, NOW, key, rejected)
    result: MovementResult = bus.handle(command)
    return result


def a_sent_order(bus: MessageBus, *lines: commands.PurchaseOrderLineInput) -> None:
    create(bus, *lines)
    change_status(bus, "sent")


def order(uow: FakeUnitOfWork, number: str = PO) -> purchasing.PurchaseOrder:
    return uow.store.orders[number]


def figures(uow: FakeUnitOfWork, sku: str = MUG) -> tuple[int, int]:
    """(on_hand, on_order) of ``sku`` at the warehouse."""
    level = uow.store.levels.get((sku, WAREHOUSE))
    return (level.on_hand, level.on_order) if level else (0, 0)


def reconcile(bus: MessageBus, *, repair: bool = False) -> ReconciliationReport:
    report: ReconciliationReport = bus.handle(commands.ReconcileStockLevels(repair=repair))
    return report


# --- create and update ----------------------------------------------------------------


def test_creating_a_purchase_order_stores_a_draft_that_puts_nothing_on_order(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    number = create(bus, line(MUG, 10), line(PLATE, 4))

    assert number == PO
    assert order(uow).status is purchasing.PurchaseOrderStatus.DRAFT
    assert [(x.sku, x.quantity, x.unit_cost) for x in order(uow).lines] == [
        (MUG, 10, Decimal("2.50")),
        (PLATE, 4, Decimal("2.50")),
    ]
    assert (figures(uow, MUG), figures(uow, PLATE)) == ((0, 0), (0, 0))


def test_creating_a_purchase_order_with_a_number_in_use_is_refused(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    create(bus, line(MUG, 10))

    with pytest.raises(errors.InvalidTransition):
        create(bus, line(PLATE, 3))

    assert [x.sku for x in order(uow).lines] == [MUG]


def a_create(
    *,
    supplier: str = SUPPLIER,
    location: str = WAREHOUSE,
    lines: tuple[commands.PurchaseOrderLineInput, ...] = (line(),),
) -> commands.CreatePurchaseOrder:
    return commands.CreatePurchaseOrder(PO, supplier, location, lines)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        pytest.param(a_create(supplier="NOBODY"), errors.UnknownSupplier, id="unknown supplier"),
        pytest.param(a_create(location="NOWHERE"), errors.UnknownLocation, id="unknown location"),
        pytest.param(a_create(lines=(line("NOPE"),)), errors.UnknownSku, id="unknown sku"),
        pytest.param(a_create(lines=()), errors.InvalidQuantity, id="no lines"),
    ],
)
def test_an_invalid_purchase_order_is_refused_and_not_stored(
    uow: FakeUnitOfWork,
    bus: MessageBus,
    command: commands.CreatePurchaseOrder,
    error: type[errors.DomainError],
) -> None:
    with pytest.raises(error):
        bus.handle(command)

    assert uow.store.orders == {}
    assert not uow.committed


def test_a_purchase_order_line_of_zero_units_is_refused(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    with pytest.raises(errors.InvalidQuantity):
        create(bus, line(MUG, 0))

    assert uow.store.orders == {}


def test_updating_a_sent_order_changes_its_dates_and_carrier(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus)

    bus.handle(commands.UpdatePurchaseOrder(PO, expected_on=date(2026, 10, 1), carrier="DHL"))

    assert (order(uow).expected_on, order(uow).carrier) == (date(2026, 10, 1), "DHL")


def test_updating_without_new_values_keeps_the_old_ones(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    bus.handle(
        commands.CreatePurchaseOrder(
            PO, SUPPLIER, WAREHOUSE, (line(),), expected_on=date(2026, 9, 20), carrier="UPS"
        )
    )

    bus.handle(commands.UpdatePurchaseOrder(PO))

    assert (order(uow).expected_on, order(uow).carrier) == (date(2026, 9, 20), "UPS")


def test_the_lines_of_a_draft_can_be_replaced(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    create(bus, line(MUG, 10))

    bus.handle(commands.UpdatePurchaseOrder(PO, lines=(line(PLATE, 6),)))

    assert [(x.sku, x.quantity) for x in order(uow).lines] == [(PLATE, 6)]


def test_the_lines_of_a_sent_order_cannot_be_replaced(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    a_sent_order(bus, line(MUG, 10))

    with pytest.raises(errors.InvalidTransition) as raised:
        bus.handle(commands.UpdatePurchaseOrder(PO, lines=(line(PLATE, 6),)))

    assert raised.value.current == "sent"
    assert [(x.sku, x.quantity) for x in order(uow).lines] == [(MUG, 10)]
    assert (figures(uow, MUG), figures(uow, PLATE)) == ((0, 10), (0, 0))


def test_updating_an_unknown_order_is_refused(bus: MessageBus) -> None:
    with pytest.raises(errors.UnknownPurchaseOrder) as raised:
        bus.handle(commands.UpdatePurchaseOrder("PO-404", carrier="DHL"))

    assert raised.value.number == "PO-404"


# --- status changes and on_order ------------------------------------------------------


def test_sending_an_order_puts_every_line_on_order(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    create(bus, line(MUG, 10), line(PLATE, 4))

    status = change_status(bus, "sent")

    assert status == "sent"
    assert (figures(uow, MUG), figures(uow, PLATE)) == ((0, 10), (0, 4))
    assert uow.outbox == [events.PurchaseOrderStatusChanged(PO, "sent")]


def test_confirming_and_shipping_an_open_order_keep_on_order(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))

    change_status(bus, "confirmed")
    change_status(bus, "shipped")

    assert figures(uow) == (0, 10)


def test_cancelling_an_open_order_takes_it_off_order(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    a_sent_order(bus, line(MUG, 10), line(PLATE, 4))

    change_status(bus, "cancelled")

    assert order(uow).status is purchasing.PurchaseOrderStatus.CANCELLED
    assert (figures(uow, MUG), figures(uow, PLATE)) == ((0, 0), (0, 0))


def test_cancelling_a_draft_leaves_on_order_alone(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    a_sent_order(bus, line(MUG, 7))
    create(bus, line(MUG, 10), number="PO-2")

    change_status(bus, "cancelled", number="PO-2")

    assert figures(uow) == (0, 7)


def test_cancelling_a_partly_received_order_takes_off_only_the_outstanding_units(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 4)

    change_status(bus, "cancelled")

    assert figures(uow) == (4, 0)


def test_asking_for_the_current_status_again_changes_nothing(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    uow.outbox.clear()

    change_status(bus, "sent")

    assert figures(uow) == (0, 10)
    assert uow.outbox == []


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        pytest.param((), "shipped", id="draft to shipped"),
        pytest.param((), "received", id="draft to received"),
        pytest.param(("sent", "cancelled"), "sent", id="cancelled to sent"),
        pytest.param(("sent", "shipped"), "confirmed", id="shipped to confirmed"),
        pytest.param(("sent", "shipped"), "cancelled", id="shipped to cancelled"),
        pytest.param((), "lost", id="unknown status"),
    ],
)
def test_a_status_change_outside_the_allowed_transitions_is_refused(
    uow: FakeUnitOfWork, bus: MessageBus, path: tuple[str, ...], refused: str
) -> None:
    create(bus, line(MUG, 10))
    for status in path:
        change_status(bus, status)
    before = (order(uow).status, figures(uow))

    with pytest.raises(errors.InvalidTransition) as raised:
        change_status(bus, refused)

    assert raised.value.requested == refused
    assert (order(uow).status, figures(uow)) == before


def test_changing_the_status_of_an_unknown_order_is_refused(bus: MessageBus) -> None:
    with pytest.raises(errors.UnknownPurchaseOrder):
        change_status(bus, "sent", number="PO-404")


def test_marking_an_order_received_by_hand_leaves_no_drift_for_reconcile(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    """A received order is no longer open, so its units no longer count as on order."""
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 4)

    change_status(bus, "received")

    assert reconcile(bus).drifts == ()
    assert figures(uow) == (4, 0)


# --- receiving ------------------------------------------------------------------------


def test_receiving_moves_accepted_units_on_hand_and_all_delivered_units_off_order(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))

    result = receive(bus, 6, rejected=2)

    assert result.recorded
    assert result.on_hand == {WAREHOUSE: 4}
    assert [(m.kind.value, m.quantity, m.reference) for m in result.movements] == [
        ("receipt", 4, PO)
    ]
    assert figures(uow) == (4, 4)
    assert (order(uow).lines[0].received, order(uow).lines[0].rejected) == (6, 2)
    assert order(uow).status is purchasing.PurchaseOrderStatus.SENT


def test_a_delivery_that_is_entirely_rejected_records_no_movement(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))

    result = receive(bus, 3, rejected=3)

    assert (result.recorded, result.movements) == (True, ())
    assert figures(uow) == (0, 7)
    assert uow.store.movements == []


def test_receiving_every_outstanding_unit_marks_the_order_received(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10), line(PLATE, 4))
    receive(bus, 10, key="rcv-mug")
    assert order(uow).status is purchasing.PurchaseOrderStatus.SENT
    uow.outbox.clear()

    receive(bus, 4, key="rcv-plate", sku=PLATE)

    assert order(uow).status is purchasing.PurchaseOrderStatus.RECEIVED
    assert (figures(uow, MUG), figures(uow, PLATE)) == ((10, 0), (4, 0))
    order_events = [e for e in uow.outbox if not isinstance(e, events.MovementRecorded)]
    assert events.PurchaseOrderReceived(PO, PLATE, WAREHOUSE, 4, True) in order_events
    assert events.PurchaseOrderStatusChanged(PO, "received") in order_events


def test_a_partial_receipt_publishes_that_the_order_is_not_fully_received(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))

    receive(bus, 4)

    assert events.PurchaseOrderReceived(PO, MUG, WAREHOUSE, 4, False) in uow.outbox


def test_receiving_into_an_empty_location_publishes_back_in_stock(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))

    receive(bus, 5)

    assert events.BackInStock(MUG, WAREHOUSE, 5) in uow.outbox


def test_receiving_more_than_is_outstanding_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 8)

    with pytest.raises(errors.OverReceipt) as raised:
        receive(bus, 3, key="rcv-2")

    assert (raised.value.outstanding, raised.value.received) == (2, 3)
    assert figures(uow) == (8, 2)
    assert order(uow).lines[0].received == 8
    assert len(order(uow).receipts) == 1


def test_replaying_a_receipt_with_the_same_key_receives_it_only_once(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    first = receive(bus, 6, rejected=1)
    uow.committed = False

    again = receive(bus, 6, rejected=1)

    assert (first.recorded, again.recorded) == (True, False)
    assert again.movements == first.movements
    assert figures(uow) == (5, 4)
    assert order(uow).lines[0].received == 6
    assert not uow.committed


def test_replaying_an_entirely_rejected_delivery_receives_it_only_once(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 3, rejected=3)

    again = receive(bus, 3, rejected=3)

    assert not again.recorded
    assert figures(uow) == (0, 7)
    assert order(uow).lines[0].received == 3


def test_reusing_a_sale_key_for_a_receipt_is_refused(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    """The same key with different facts is an error, not a replay to ignore."""
    a_sent_order(bus, line(MUG, 10))
    bus.handle(commands.RecordSale(MUG, WAREHOUSE, 1, NOW, "shared-key"))

    with pytest.raises(errors.IdempotencyKeyReused):
        receive(bus, 5, key="shared-key")


def test_reusing_a_receipt_key_for_another_quantity_is_refused(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 4, key="rcv-7")

    with pytest.raises(errors.IdempotencyKeyReused):
        receive(bus, 5, key="rcv-7")
    assert figures(uow) == (4, 6)


def test_an_order_listing_a_sku_twice_is_refused(bus: MessageBus) -> None:
    with pytest.raises(errors.DuplicateLine):
        create(bus, line(MUG, 2), line(MUG, 3))


def test_an_unknown_carrier_is_refused(bus: MessageBus) -> None:
    with pytest.raises(errors.UnknownCarrier):
        bus.handle(commands.CreatePurchaseOrder(PO, SUPPLIER, WAREHOUSE, (line(),), carrier="FEDX"))


@pytest.mark.parametrize(
    ("receipt", "error"),
    [
        pytest.param({"quantity": 0}, errors.InvalidQuantity, id="nothing delivered"),
        pytest.param(
            {"quantity": 3, "rejected": 4}, errors.InvalidQuantity, id="too many rejected"
        ),
        pytest.param(
            {"quantity": 3, "rejected": -1}, errors.InvalidQuantity, id="negative rejected"
        ),
        pytest.param({"quantity": 3, "sku": "NOPE"}, errors.UnknownSku, id="sku not on the order"),
    ],
)
def test_an_invalid_receipt_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork,
    bus: MessageBus,
    receipt: dict[str, int | str],
    error: type[errors.DomainError],
) -> None:
    a_sent_order(bus, line(MUG, 10))
    uow.committed = False
    values: dict[str, int | str] = {"sku": MUG, "rejected": 0, **receipt}

    with pytest.raises(error):
        bus.handle(
            commands.ReceivePurchaseOrderLine(
                PO,
                str(values["sku"]),
                int(values["quantity"]),
                NOW,
                "rcv-1",
                int(values["rejected"]),
            )
        )

    assert not uow.committed
    assert figures(uow) == (0, 10)


@pytest.mark.parametrize("path", [(), ("sent", "cancelled")], ids=["draft", "cancelled"])
def test_an_order_that_is_not_open_cannot_be_received(
    uow: FakeUnitOfWork, bus: MessageBus, path: tuple[str, ...]
) -> None:
    create(bus, line(MUG, 10))
    for status in path:
        change_status(bus, status)

    with pytest.raises(errors.InvalidTransition):
        receive(bus, 5)

    assert figures(uow) == (0, 0)


def test_receiving_against_an_unknown_order_is_refused(bus: MessageBus) -> None:
    with pytest.raises(errors.UnknownPurchaseOrder):
        receive(bus, 5)


# --- reconciliation -------------------------------------------------------------------


def test_reconcile_finds_no_drift_when_levels_follow_the_ledger(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10), line(PLATE, 4))
    receive(bus, 6, rejected=1)
    bus.handle(commands.RecordSale(MUG, WAREHOUSE, 2, NOW, "sale-1"))

    report = reconcile(bus)

    assert report == ReconciliationReport(levels_checked=2, drifts=(), repaired=False)


def test_reconcile_without_repair_reports_drift_and_writes_nothing(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 4)
    uow.store.levels[(MUG, WAREHOUSE)].on_hand = 99  # a write that bypassed the ledger
    uow.store.levels[(MUG, WAREHOUSE)].on_order = 1
    uow.committed = False

    report = reconcile(bus)

    assert report.drifts == (
        Drift(MUG, WAREHOUSE, "on_hand", 99, 4),
        Drift(MUG, WAREHOUSE, "on_order", 1, 6),
    )
    assert not report.repaired
    assert not uow.committed
    assert figures(uow) == (99, 1)


def test_reconcile_with_repair_sets_levels_to_what_the_ledger_says(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    a_sent_order(bus, line(MUG, 10))
    receive(bus, 4)
    uow.store.levels[(MUG, WAREHOUSE)].on_hand = 99
    uow.store.levels[(MUG, WAREHOUSE)].on_order = 1

    report = reconcile(bus, repair=True)

    assert report.repaired
    assert len(report.drifts) == 2
    assert figures(uow) == (4, 6)
    assert reconcile(bus).drifts == ()


def test_reconcile_reports_a_level_the_ledger_knows_nothing_about(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    bus.handle(commands.RecordAdjustment(MUG, WAREHOUSE, 5, NOW, "adjust-1"))
    uow.store.levels[(PLATE, WAREHOUSE)] = stock.StockLevel(PLATE, WAREHOUSE, on_hand=3)

    report = reconcile(bus, repair=True)

    assert report.drifts == (Drift(PLATE, WAREHOUSE, "on_hand", 3, 0),)
    assert figures(uow, PLATE) == (0, 0)
    assert figures(uow, MUG) == (5, 0)


def test_reconcile_can_be_limited_to_some_skus(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    bus.handle(commands.RecordAdjustment(MUG, WAREHOUSE, 5, NOW, "adjust-mug"))
    bus.handle(commands.RecordAdjustment(PLATE, WAREHOUSE, 5, NOW, "adjust-plate"))
    uow.store.levels[(MUG, WAREHOUSE)].on_hand = 1
    uow.store.levels[(PLATE, WAREHOUSE)].on_hand = 1

    report: ReconciliationReport = bus.handle(commands.ReconcileStockLevels(skus=(PLATE,)))

    assert report.levels_checked == 1
    assert [drift.sku for drift in report.drifts] == [PLATE]
