"""Stock movement handlers and the message bus, over the in-memory unit of work."""

from __future__ import annotations

import pytest

from stockguard.domain import commands, errors, events, ledger
from stockguard.services.handlers.stock import MovementResult
from stockguard.services.messagebus import MessageBus
from unit.services.fakes import FakeUnitOfWork

from builders import NOW, a_location, a_product

SKU = "MUG-RED"
WAREHOUSE = "WH1"
STORE = "STORE1"


def a_uow(*, conflicts: int = 0) -> FakeUnitOfWork:
    return FakeUnitOfWork(
        products=[a_product(SKU)],
        locations=[a_location(WAREHOUSE), a_location(STORE)],
        conflicts=conflicts,
    )


def a_bus(uow: FakeUnitOfWork, *, max_attempts: int = 10) -> MessageBus:
    return MessageBus(lambda: uow, max_attempts=max_attempts, sleep=lambda _seconds: None)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return a_uow()


@pytest.fixture
def bus(uow: FakeUnitOfWork) -> MessageBus:
    return a_bus(uow)


def sale(
    quantity: int = 1,
    key: str = "sale-1",
    *,
    sku: str = SKU,
    location: str = WAREHOUSE,
    reference: str | None = None,
) -> commands.RecordSale:
    return commands.RecordSale(sku, location, quantity, NOW, key, reference)


def stock_up(bus: MessageBus, quantity: int, location: str = WAREHOUSE) -> None:
    bus.handle(commands.RecordAdjustment(SKU, location, quantity, NOW, f"stock-{location}"))


def on_hand(uow: FakeUnitOfWork, location: str = WAREHOUSE) -> int:
    level = uow.store.levels.get((SKU, location))
    return level.on_hand if level else 0


def ledger_sum(uow: FakeUnitOfWork, location: str = WAREHOUSE) -> int:
    return sum(m.quantity for m in uow.store.movements if (m.sku, m.location) == (SKU, location))


def published(uow: FakeUnitOfWork, kind: type[events.Event]) -> list[events.Event]:
    return [event for event in uow.outbox if isinstance(event, kind)]


# --- sales, returns, adjustments ----------------------------------------------------


def test_a_sale_takes_units_off_hand_and_appends_a_negative_sale_movement(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)

    result: MovementResult = bus.handle(sale(3, reference="order-7"))

    assert result.recorded
    assert result.on_hand == {WAREHOUSE: 7}
    assert uow.store.movements[-1] == ledger.StockMovement(
        SKU, WAREHOUSE, ledger.MovementKind.SALE, -3, NOW, "sale-1", "order-7"
    )
    assert (on_hand(uow), ledger_sum(uow)) == (7, 7)


def test_a_sale_is_recorded_even_when_it_takes_on_hand_below_zero(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 1)

    bus.handle(sale(3))

    assert (on_hand(uow), ledger_sum(uow)) == (-2, -2)


def test_a_return_puts_units_back_on_hand(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    stock_up(bus, 5)

    result = bus.handle(commands.RecordReturn(SKU, WAREHOUSE, 2, NOW, "return-1"))

    assert result.movements[0].kind is ledger.MovementKind.RETURN
    assert result.movements[0].quantity == 2
    assert (on_hand(uow), ledger_sum(uow)) == (7, 7)


@pytest.mark.parametrize("quantity", [4, -3])
def test_an_adjustment_changes_on_hand_by_its_signed_quantity(
    uow: FakeUnitOfWork, bus: MessageBus, quantity: int
) -> None:
    stock_up(bus, 10)

    bus.handle(commands.RecordAdjustment(SKU, WAREHOUSE, quantity, NOW, "adjust-1"))

    assert (on_hand(uow), ledger_sum(uow)) == (10 + quantity, 10 + quantity)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(sale(0), id="sale of zero"),
        pytest.param(sale(-2), id="negative sale"),
        pytest.param(commands.RecordReturn(SKU, WAREHOUSE, -1, NOW, "k"), id="negative return"),
        pytest.param(commands.RecordReturn(SKU, WAREHOUSE, 0, NOW, "k"), id="zero return"),
        pytest.param(commands.RecordAdjustment(SKU, WAREHOUSE, 0, NOW, "k"), id="zero adjustment"),
        pytest.param(commands.RecordStockCount(SKU, WAREHOUSE, -1, NOW, "k"), id="negative count"),
        pytest.param(
            commands.TransferStock(SKU, WAREHOUSE, STORE, 0, NOW, "k"),
            id="transfer of zero",
        ),
        pytest.param(
            commands.TransferStock(SKU, WAREHOUSE, WAREHOUSE, 1, NOW, "k"),
            id="transfer to the same location",
        ),
    ],
)
def test_an_invalid_quantity_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork, bus: MessageBus, command: commands.Command
) -> None:
    stock_up(bus, 10)
    uow.committed = False

    with pytest.raises(errors.InvalidQuantity):
        bus.handle(command)

    assert not uow.committed
    assert (on_hand(uow), on_hand(uow, STORE), len(uow.store.movements)) == (10, 0, 1)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        pytest.param(sale(sku="NOPE"), errors.UnknownSku, id="sale of unknown sku"),
        pytest.param(
            sale(location="NOWHERE"), errors.UnknownLocation, id="sale at unknown location"
        ),
        pytest.param(
            commands.RecordReturn("NOPE", WAREHOUSE, 1, NOW, "k"),
            errors.UnknownSku,
            id="return",
        ),
        pytest.param(
            commands.RecordAdjustment(SKU, "NOWHERE", 1, NOW, "k"),
            errors.UnknownLocation,
            id="adjustment",
        ),
        pytest.param(
            commands.RecordStockCount("NOPE", WAREHOUSE, 1, NOW, "k"),
            errors.UnknownSku,
            id="count of unknown sku",
        ),
        pytest.param(
            commands.RecordStockCount(SKU, "NOWHERE", 1, NOW, "k"),
            errors.UnknownLocation,
            id="count at unknown location",
        ),
        pytest.param(
            commands.TransferStock("NOPE", WAREHOUSE, STORE, 1, NOW, "k"),
            errors.UnknownSku,
            id="transfer",
        ),
        pytest.param(
            commands.TransferStock(SKU, "NOWHERE", STORE, 1, NOW, "k"),
            errors.UnknownLocation,
            id="transfer from",
        ),
    ],
)
def test_a_movement_for_an_unknown_sku_or_location_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork, bus: MessageBus, command: commands.Command, error: type[errors.DomainError]
) -> None:
    stock_up(bus, 10)
    uow.committed = False

    with pytest.raises(error):
        bus.handle(command)

    assert not uow.committed
    assert (on_hand(uow), len(uow.store.movements)) == (10, 1)


def test_an_unknown_sku_error_names_the_sku(bus: MessageBus) -> None:
    with pytest.raises(errors.UnknownSku) as raised:
        bus.handle(sale(sku="NOPE"))

    assert (raised.value.sku, raised.value.code) == ("NOPE", "unknown_sku")


# --- counts ---------------------------------------------------------------------------


def test_a_count_sets_on_hand_to_the_counted_units_and_records_the_variance(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)

    result = bus.handle(commands.RecordStockCount(SKU, WAREHOUSE, 7, NOW, "count-1"))

    assert result.on_hand == {WAREHOUSE: 7}
    assert (result.movements[0].kind, result.movements[0].quantity) == (
        ledger.MovementKind.COUNT,
        -3,
    )
    assert (on_hand(uow), ledger_sum(uow)) == (7, 7)


def test_a_count_that_confirms_the_books_records_a_zero_variance(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)

    result = bus.handle(commands.RecordStockCount(SKU, WAREHOUSE, 10, NOW, "count-1"))

    assert result.recorded
    assert result.movements[0].quantity == 0
    assert (on_hand(uow), len(uow.store.movements)) == (10, 2)


def test_a_count_of_zero_empties_the_location(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    stock_up(bus, 4)

    bus.handle(commands.RecordStockCount(SKU, WAREHOUSE, 0, NOW, "count-1"))

    assert (on_hand(uow), ledger_sum(uow)) == (0, 0)


# --- transfers ------------------------------------------------------------------------


def test_a_transfer_moves_units_between_locations_as_two_ledger_legs(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)

    result = bus.handle(commands.TransferStock(SKU, WAREHOUSE, STORE, 4, NOW, "move-1"))

    assert result.on_hand == {WAREHOUSE: 6, STORE: 4}
    legs = [(m.location, m.kind, m.quantity, m.idempotency_key) for m in result.movements]
    assert legs == [
        (WAREHOUSE, ledger.MovementKind.TRANSFER, -4, "move-1:out"),
        (STORE, ledger.MovementKind.TRANSFER, 4, "move-1:in"),
    ]
    assert (ledger_sum(uow), ledger_sum(uow, STORE)) == (6, 4)


def test_a_transfer_to_an_unknown_location_leaves_the_source_untouched(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)

    with pytest.raises(errors.UnknownLocation):
        bus.handle(commands.TransferStock(SKU, WAREHOUSE, "NOWHERE", 4, NOW, "move-1"))

    assert (on_hand(uow), len(uow.store.movements)) == (10, 1)


# --- idempotency ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(sale(2, key="k"), id="sale"),
        pytest.param(commands.RecordReturn(SKU, WAREHOUSE, 2, NOW, "k"), id="return"),
        pytest.param(commands.RecordAdjustment(SKU, WAREHOUSE, -2, NOW, "k"), id="adjustment"),
        pytest.param(commands.RecordStockCount(SKU, WAREHOUSE, 3, NOW, "k"), id="count"),
        pytest.param(commands.TransferStock(SKU, WAREHOUSE, STORE, 2, NOW, "k"), id="transfer"),
    ],
)
def test_replaying_a_movement_with_the_same_key_records_it_only_once(
    uow: FakeUnitOfWork, bus: MessageBus, command: commands.Command
) -> None:
    stock_up(bus, 10)
    first: MovementResult = bus.handle(command)
    movements_after_first = list(uow.store.movements)
    uow.committed = False

    again: MovementResult = bus.handle(command)

    assert (first.recorded, again.recorded) == (True, False)
    assert again.movements == first.movements
    assert again.on_hand == first.on_hand
    assert uow.store.movements == movements_after_first
    assert not uow.committed


def test_replaying_a_count_after_later_sales_does_not_recount(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)
    bus.handle(commands.RecordStockCount(SKU, WAREHOUSE, 8, NOW, "count-1"))
    bus.handle(sale(3))

    again = bus.handle(commands.RecordStockCount(SKU, WAREHOUSE, 8, NOW, "count-1"))

    assert not again.recorded
    assert (on_hand(uow), ledger_sum(uow)) == (5, 5)


@pytest.mark.parametrize(
    "reuse",
    [
        pytest.param(sale(3, key="k"), id="sale with another quantity"),
        pytest.param(sale(2, key="k", location=STORE), id="sale at another location"),
        pytest.param(commands.RecordReturn(SKU, WAREHOUSE, 2, NOW, "k"), id="return"),
        pytest.param(commands.RecordAdjustment(SKU, WAREHOUSE, -2, NOW, "k"), id="adjustment"),
        pytest.param(commands.RecordStockCount(SKU, WAREHOUSE, 1, NOW, "k"), id="count"),
    ],
)
def test_reusing_a_sale_key_for_a_different_movement_is_refused(
    uow: FakeUnitOfWork, bus: MessageBus, reuse: commands.Command
) -> None:
    stock_up(bus, 10)
    bus.handle(sale(2, key="k"))

    with pytest.raises(errors.IdempotencyKeyReused) as raised:
        bus.handle(reuse)

    assert raised.value.key == "k"
    assert (on_hand(uow), ledger_sum(uow)) == (8, 8)


def test_reusing_a_transfer_key_for_a_different_transfer_is_refused(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    """The same key with different facts is an error (record_movement's contract)."""
    stock_up(bus, 10)
    bus.handle(commands.TransferStock(SKU, WAREHOUSE, STORE, 2, NOW, "move-1"))

    with pytest.raises(errors.IdempotencyKeyReused):
        bus.handle(commands.TransferStock(SKU, WAREHOUSE, STORE, 5, NOW, "move-1"))

    assert (on_hand(uow), on_hand(uow, STORE)) == (8, 2)


# --- events ---------------------------------------------------------------------------


def test_every_recorded_movement_publishes_a_movement_recorded_event(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 10)
    bus.handle(sale(3))

    assert published(uow, events.MovementRecorded)[-1] == events.MovementRecorded(
        SKU, WAREHOUSE, "sale", -3, 7, "sale-1"
    )
    assert len(published(uow, events.MovementRecorded)) == 2


def test_selling_the_last_available_unit_publishes_stocked_out(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 2)
    bus.handle(sale(1, key="s1"))
    assert published(uow, events.StockedOut) == []

    bus.handle(sale(1, key="s2"))

    assert published(uow, events.StockedOut) == [events.StockedOut(SKU, WAREHOUSE, 0)]


def test_selling_while_already_out_of_stock_publishes_no_second_stocked_out(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 1)
    bus.handle(sale(1, key="s1"))
    bus.handle(sale(1, key="s2"))

    assert published(uow, events.StockedOut) == [events.StockedOut(SKU, WAREHOUSE, 0)]


def test_stock_coming_back_after_a_stock_out_publishes_back_in_stock(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 1)
    bus.handle(sale(1))

    bus.handle(commands.RecordReturn(SKU, WAREHOUSE, 1, NOW, "return-1"))

    assert published(uow, events.BackInStock)[-1] == events.BackInStock(SKU, WAREHOUSE, 1)
    assert [type(e).__name__ for e in uow.outbox if not isinstance(e, events.MovementRecorded)] == [
        "BackInStock",
        "StockedOut",
        "BackInStock",
    ]


def test_a_transfer_that_empties_the_source_publishes_stocked_out_and_back_in_stock(
    uow: FakeUnitOfWork, bus: MessageBus
) -> None:
    stock_up(bus, 3)
    uow.outbox.clear()

    bus.handle(commands.TransferStock(SKU, WAREHOUSE, STORE, 3, NOW, "move-1"))

    assert published(uow, events.StockedOut) == [events.StockedOut(SKU, WAREHOUSE, 0)]
    assert published(uow, events.BackInStock) == [events.BackInStock(SKU, STORE, 3)]


def test_a_refused_movement_publishes_no_event(uow: FakeUnitOfWork, bus: MessageBus) -> None:
    stock_up(bus, 3)
    uow.outbox.clear()

    with pytest.raises(errors.UnknownLocation):
        bus.handle(commands.TransferStock(SKU, WAREHOUSE, "NOWHERE", 3, NOW, "move-1"))

    assert uow.outbox == []


# --- message bus ----------------------------------------------------------------------


def test_the_bus_retries_a_concurrency_conflict_and_records_the_sale_once() -> None:
    uow = a_uow()
    stock_up(a_bus(uow), 10)
    uow.conflicts = 2
    pauses: list[float] = []
    bus = MessageBus(lambda: uow, max_attempts=3, sleep=pauses.append)

    result = bus.handle(sale(1))

    assert result.recorded
    assert (on_hand(uow), ledger_sum(uow), len(uow.store.movements)) == (9, 9, 2)
    assert len(pauses) == 2
    assert pauses[0] < pauses[1]


def test_the_bus_gives_up_after_max_attempts_and_records_nothing() -> None:
    uow = a_uow()
    stock_up(a_bus(uow), 10)
    uow.conflicts = 5
    uow.committed = False
    pauses: list[float] = []
    bus = MessageBus(lambda: uow, max_attempts=3, sleep=pauses.append)

    with pytest.raises(errors.ConcurrencyConflict):
        bus.handle(sale(1))

    assert len(pauses) == 2
    assert uow.conflicts == 2
    assert not uow.committed
    assert (on_hand(uow), len(uow.store.movements)) == (10, 1)


def test_the_bus_does_not_retry_a_refused_request() -> None:
    uow = a_uow(conflicts=1)
    pauses: list[float] = []
    bus = MessageBus(lambda: uow, sleep=pauses.append)

    with pytest.raises(errors.UnknownSku):
        bus.handle(sale(sku="NOPE"))

    assert pauses == []


def test_the_bus_refuses_a_command_without_a_handler(bus: MessageBus) -> None:
    class Unhandled(commands.Command):
        pass

    with pytest.raises(TypeError, match="Unhandled"):
        bus.handle(Unhandled())
