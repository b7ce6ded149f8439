"""The stock level aggregate: movements change on_hand and record availability events."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stockguard.domain import events, ledger, stock

from builders import NOW

SKU = "MUG-RED"
LOCATION = "WH1"

_KINDS = list(ledger.MovementKind)


def movement(
    quantity: int, kind: ledger.MovementKind = ledger.MovementKind.ADJUSTMENT, key: str = "k"
) -> ledger.StockMovement:
    return ledger.StockMovement(SKU, LOCATION, kind, quantity, NOW, key)


def a_level(
    on_hand: int = 0, *, allocated: int = 0, reserved: int = 0, on_order: int = 0
) -> stock.StockLevel:
    return stock.StockLevel(SKU, LOCATION, on_hand, allocated, reserved, on_order)


def availability_events(level: stock.StockLevel) -> list[events.Event]:
    return [e for e in level.events if isinstance(e, events.StockedOut | events.BackInStock)]


def test_available_is_on_hand_minus_allocated_and_reserved() -> None:
    assert a_level(10, allocated=3, reserved=2).available == 5


def test_applying_a_movement_changes_on_hand_by_its_quantity() -> None:
    level = a_level(10)

    level.apply(movement(-4, ledger.MovementKind.SALE))

    assert level.on_hand == 6


def test_applying_a_movement_records_what_was_recorded() -> None:
    level = a_level(10)

    level.apply(movement(-4, ledger.MovementKind.SALE, key="sale-1"))

    assert level.events == [events.MovementRecorded(SKU, LOCATION, "sale", -4, 6, "sale-1")]


def test_selling_the_last_available_unit_records_stocked_out() -> None:
    level = a_level(1)

    level.apply(movement(-1, ledger.MovementKind.SALE))

    assert availability_events(level) == [events.StockedOut(SKU, LOCATION, 0)]


def test_a_level_whose_units_are_all_reserved_is_stocked_out() -> None:
    level = a_level(5, reserved=3)

    level.apply(movement(-2, ledger.MovementKind.SALE))

    assert availability_events(level) == [events.StockedOut(SKU, LOCATION, 3)]


def test_selling_below_zero_when_already_out_records_no_second_stocked_out() -> None:
    level = a_level(0)

    level.apply(movement(-1, ledger.MovementKind.SALE))

    assert level.on_hand == -1
    assert availability_events(level) == []


def test_stock_arriving_at_an_empty_level_records_back_in_stock_with_what_is_available() -> None:
    level = a_level(2, allocated=2)

    level.apply(movement(5, ledger.MovementKind.RECEIPT))

    assert availability_events(level) == [events.BackInStock(SKU, LOCATION, 5)]


def test_stock_arriving_that_does_not_cover_a_negative_level_records_no_back_in_stock() -> None:
    level = a_level(-3)

    level.apply(movement(2, ledger.MovementKind.RETURN))

    assert level.on_hand == -1
    assert availability_events(level) == []


def test_a_level_that_stays_available_records_no_availability_event() -> None:
    level = a_level(10)

    level.apply(movement(-3, ledger.MovementKind.SALE))
    level.apply(movement(2, ledger.MovementKind.RETURN))

    assert availability_events(level) == []


def test_expecting_units_changes_on_order_but_never_below_zero() -> None:
    level = a_level(on_order=4)

    level.expect(6)
    assert level.on_order == 10

    level.expect(-15)
    assert level.on_order == 0


def test_a_count_movement_brings_on_hand_to_the_counted_units() -> None:
    level = a_level(7)

    quantity = stock.count_movement_quantity(level, 3)
    level.apply(movement(quantity, ledger.MovementKind.COUNT))

    assert (quantity, level.on_hand) == (-4, 3)


# --- properties -----------------------------------------------------------------------


def _valid_movements(kind: ledger.MovementKind) -> st.SearchStrategy[ledger.StockMovement]:
    """Movements of ``kind`` with any quantity whose sign the ledger accepts for it."""
    any_quantity = st.integers(min_value=-1_000, max_value=1_000)
    quantities = {
        ledger.MovementKind.SALE: st.integers(min_value=-1_000, max_value=-1),
        ledger.MovementKind.RECEIPT: st.integers(min_value=1, max_value=1_000),
        ledger.MovementKind.RETURN: st.integers(min_value=1, max_value=1_000),
        ledger.MovementKind.COUNT: any_quantity,
    }.get(kind, any_quantity.filter(lambda quantity: quantity != 0))
    return quantities.map(lambda quantity: movement(quantity, kind))


_movements = st.lists(st.sampled_from(_KINDS).flatmap(_valid_movements), max_size=30)

_signed_quantities = st.lists(
    st.integers(min_value=-50, max_value=50).filter(lambda quantity: quantity != 0), max_size=30
)


@given(
    initial=st.integers(min_value=-100, max_value=1_000),
    movements=_movements,
)
def test_any_sequence_of_valid_movements_leaves_on_hand_at_initial_plus_their_sum(
    initial: int, movements: list[ledger.StockMovement]
) -> None:
    level = a_level(initial)

    for item in movements:
        level.apply(item)

    assert level.on_hand == initial + sum(item.quantity for item in movements)
    recorded = [e for e in level.events if isinstance(e, events.MovementRecorded)]
    assert len(recorded) == len(movements)


@given(
    initial=st.integers(min_value=-20, max_value=20),
    unavailable=st.integers(min_value=0, max_value=10),
    quantities=_signed_quantities,
)
def test_stocked_out_is_recorded_exactly_when_available_falls_from_above_zero_to_zero_or_less(
    initial: int, unavailable: int, quantities: list[int]
) -> None:
    level = a_level(initial, reserved=unavailable)

    for quantity in quantities:
        before = level.available
        level.events.clear()

        level.apply(movement(quantity))

        stocked_out = [e for e in level.events if isinstance(e, events.StockedOut)]
        back = [e for e in level.events if isinstance(e, events.BackInStock)]
        crossed_down = before > 0 >= level.available
        crossed_up = before <= 0 < level.available
        assert stocked_out == (
            [events.StockedOut(SKU, LOCATION, level.on_hand)] if crossed_down else []
        )
        assert back == ([events.BackInStock(SKU, LOCATION, level.available)] if crossed_up else [])

    # checked for every example, the empty list of quantities (no movement) included
    assert level.available == initial - unavailable + sum(quantities)
