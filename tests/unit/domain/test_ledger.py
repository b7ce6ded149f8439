"""Ledger movements: immutable facts whose sign must suit their kind."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.domain import errors, ledger

from builders import NOW

Kind = ledger.MovementKind


def movement(
    kind: Kind,
    quantity: int,
    *,
    sku: str = "MUG-RED",
    location: str = "WH1",
    occurred_at: datetime = NOW,
    idempotency_key: str = "k",
    reference: str | None = None,
) -> ledger.StockMovement:
    return ledger.StockMovement(
        sku, location, kind, quantity, occurred_at, idempotency_key, reference
    )


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [
        (Kind.SALE, -1),
        (Kind.RECEIPT, 5),
        (Kind.RETURN, 2),
        (Kind.ADJUSTMENT, -3),
        (Kind.ADJUSTMENT, 3),
        (Kind.TRANSFER, -4),
        (Kind.TRANSFER, 4),
        (Kind.COUNT, -2),
        (Kind.COUNT, 0),
        (Kind.COUNT, 2),
    ],
)
def test_a_movement_whose_sign_suits_its_kind_is_accepted(kind: Kind, quantity: int) -> None:
    assert movement(kind, quantity).quantity == quantity


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [
        (Kind.SALE, 1),
        (Kind.SALE, 0),
        (Kind.RECEIPT, -5),
        (Kind.RECEIPT, 0),
        (Kind.RETURN, -2),
        (Kind.RETURN, 0),
        (Kind.ADJUSTMENT, 0),
        (Kind.TRANSFER, 0),
    ],
)
def test_a_movement_whose_sign_does_not_suit_its_kind_is_refused(kind: Kind, quantity: int) -> None:
    with pytest.raises(errors.InvalidQuantity) as raised:
        movement(kind, quantity)

    assert raised.value.quantity == quantity
    assert raised.value.reason
    assert raised.value.code == "invalid_quantity"


def test_a_movement_needs_a_timezone_aware_time() -> None:
    naive = datetime(2026, 9, 1, 12, 0)  # noqa: DTZ001 - the point of the test

    with pytest.raises(ValueError, match="timezone-aware"):
        movement(Kind.SALE, -1, occurred_at=naive)


def test_a_movement_cannot_be_changed_once_made() -> None:
    sale = movement(Kind.SALE, -1)

    with pytest.raises(dataclasses.FrozenInstanceError):
        sale.quantity = -2  # type: ignore[misc]


def test_a_replayed_movement_is_the_same_even_with_another_time_key_or_reference() -> None:
    original = movement(Kind.SALE, -2)
    replay = movement(
        Kind.SALE,
        -2,
        occurred_at=NOW + timedelta(minutes=5),
        idempotency_key="other",
        reference="order-9",
    )

    assert original.same_movement_as(replay)


@pytest.mark.parametrize(
    "other",
    [
        movement(Kind.SALE, -2, sku="PLATE"),
        movement(Kind.SALE, -2, location="WH2"),
        movement(Kind.SALE, -3),
        movement(Kind.ADJUSTMENT, -2),
    ],
    ids=["sku", "location", "quantity", "kind"],
)
def test_a_movement_with_other_facts_is_not_the_same_movement(
    other: ledger.StockMovement,
) -> None:
    assert not movement(Kind.SALE, -2).same_movement_as(other)


@given(kind=st.sampled_from(list(Kind)), quantity=st.integers(min_value=-(10**6), max_value=10**6))
def test_check_sign_accepts_exactly_the_signs_each_kind_allows(kind: Kind, quantity: int) -> None:
    allowed = {
        Kind.SALE: quantity < 0,
        Kind.RECEIPT: quantity > 0,
        Kind.RETURN: quantity > 0,
        Kind.ADJUSTMENT: quantity != 0,
        Kind.TRANSFER: quantity != 0,
        Kind.COUNT: True,
    }[kind]

    try:
        ledger.check_sign(kind, quantity)
    except errors.InvalidQuantity:
        accepted = False
    else:
        accepted = True

    assert accepted == allowed
