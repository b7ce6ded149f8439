"""Domain rules of checkout holds and pre-order allocation (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from stockguard.domain import errors, events
from stockguard.domain import reservations as r
from stockguard.domain.stock import StockLevel

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _hold(level: StockLevel, quantity: int, rid: str = "r1") -> r.Reservation:
    return r.hold(
        level, reservation_id=rid, quantity=quantity, cart_id="cart", ttl_minutes=15, now=NOW,
        idempotency_key=rid,
    )  # fmt: skip


def test_hold_moves_units_to_reserved_and_never_below_zero_available() -> None:
    level = StockLevel("MUG", "PARIS", on_hand=5, allocated=1)
    held = _hold(level, 3)
    assert (level.reserved, level.available) == (3, 1)
    assert held.expires_at == NOW + timedelta(minutes=15)
    assert isinstance(level.events[-1], events.StockReserved)
    with pytest.raises(r.NotEnoughStock) as refused:
        _hold(level, 2, "r2")
    assert str(refused.value) == "Only 1 left of SKU MUG at PARIS; your cart asked for 2."
    assert (level.reserved, level.available) == (3, 1)


def test_out_of_stock_message_and_invalid_requests() -> None:
    level = StockLevel("MUG", "PARIS", on_hand=0)
    with pytest.raises(r.NotEnoughStock, match="SKU MUG is out of stock at PARIS"):
        _hold(level, 1)
    with pytest.raises(errors.InvalidQuantity):
        _hold(StockLevel("MUG", "PARIS", on_hand=3), 0)


def test_release_confirm_ship_and_expiry() -> None:
    level = StockLevel("MUG", "PARIS", on_hand=5)
    first, second = _hold(level, 2, "a"), _hold(level, 2, "b")
    r.release(level, first, now=NOW)
    assert (first.status, level.reserved) == (r.ReservationStatus.RELEASED, 2)
    with pytest.raises(r.ReservationClosed):
        r.confirm(level, first, order_number="W1", now=NOW)
    r.confirm(level, second, order_number="W2", now=NOW)
    assert (level.reserved, level.allocated, level.available) == (0, 2, 3)
    sale = r.ship(level, second, now=NOW)
    assert (sale.quantity, sale.reference, level.on_hand, level.allocated) == (-2, "W2", 3, 0)
    third = _hold(level, 1, "c")
    assert not third.is_due(NOW + timedelta(minutes=14))
    assert third.is_due(NOW + timedelta(minutes=15))
    r.release(level, third, now=NOW, expired=True)
    assert third.status is r.ReservationStatus.EXPIRED
    released = level.events[-1]
    assert isinstance(released, events.ReservationReleased)
    assert released.reason == "expired"


def _pre(pid: str, quantity: int) -> r.Preorder:
    return r.Preorder(pid, "MUG", "PARIS", quantity, f"{pid}@example.com", NOW)


D10, D20 = date(2026, 12, 5), date(2026, 12, 15)


def test_allocation_is_first_come_first_served_by_eta() -> None:
    supplies = [r.Supply("LATE", 5, D20, D20), r.Supply("EARLY", 3, D10, D10)]
    promises = r.allocate_preorders([_pre("a", 2), _pre("b", 2), _pre("c", 5), _pre("d", 4)],
                                    supplies)  # fmt: skip
    assert promises["a"] == r.Promise("EARLY", D10)
    assert promises["b"] == r.Promise("LATE", D20)  # spans both POs: the later one's date
    assert promises["c"] == r.Promise(None, None)  # 4 left: c cannot be covered...
    assert promises["d"] == r.Promise("LATE", D20)  # ...but the later, smaller d can
    assert r.unpromised_units([_pre("a", 2), _pre("b", 2)], supplies) == 4


def test_repromise_reports_only_changed_promises_in_creation_order() -> None:
    a, b = _pre("a", 2), _pre("b", 3)
    supplies = [r.Supply("EARLY", 3, D10, D10), r.Supply("LATE", 5, D20, D20)]
    r.repromise([a, b], supplies, on_change=lambda *_: None)
    assert (a.purchase_order, b.purchase_order) == ("EARLY", "LATE")
    slipped = [r.Supply("EARLY", 3, date(2026, 12, 25), date(2026, 12, 25)), supplies[1]]
    seen: list[tuple[str, r.Promise, r.Promise]] = []
    r.repromise([a, b], slipped, on_change=lambda p, old, new: seen.append((p.id, old, new)))
    # the late PO now comes first and covers both: only a's promise moves
    assert seen == [("a", r.Promise("EARLY", D10), r.Promise("LATE", D20))]
    assert b.promised_on == D20
    r.repromise([a, b], [r.Supply("EARLY", 3, D10, D10)], on_change=lambda *_: None)
    assert (a.status, b.status) == (r.PreorderStatus.PROMISED, r.PreorderStatus.UNPROMISED)
