"""Money: Decimal amounts quantized to the currency's minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.domain.money import Money, minor_unit_exponent


@pytest.mark.parametrize(
    ("currency", "exponent"),
    [("EUR", "0.01"), ("USD", "0.01"), ("JPY", "1"), ("KRW", "1"), ("BHD", "0.001")],
)
def test_the_minor_unit_depends_on_the_currency(currency: str, exponent: str) -> None:
    assert minor_unit_exponent(currency) == Decimal(exponent)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("9.999", "EUR", "10.00"),
        ("0.125", "EUR", "0.12"),  # half to even: down to the even cent
        ("0.135", "EUR", "0.14"),  # half to even: up to the even cent
        ("1234.5", "JPY", "1234"),
        ("1235.5", "JPY", "1236"),
        ("1.0005", "KWD", "1.000"),
        ("3", "EUR", "3.00"),
    ],
)
def test_an_amount_is_rounded_half_to_even_to_the_minor_unit(
    amount: str, currency: str, expected: str
) -> None:
    money = Money(Decimal(amount), currency)

    assert str(money.amount) == expected


@pytest.mark.parametrize("currency", ["eur", "EU", "EURO", "E1R", ""])
def test_a_currency_must_be_a_three_letter_upper_case_code(currency: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal(1), currency)


def test_multiplying_by_a_quantity_gives_the_line_total() -> None:
    assert Money(Decimal("2.49"), "EUR") * 3 == Money(Decimal("7.47"), "EUR")


def test_adding_money_of_the_same_currency_sums_the_amounts() -> None:
    total = Money(Decimal("1.10"), "EUR") + Money(Decimal("2.25"), "EUR")

    assert (total.amount, total.currency) == (Decimal("3.35"), "EUR")


def test_adding_money_of_different_currencies_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot add USD to EUR"):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "USD")


_cents = st.integers(min_value=-(10**12), max_value=10**12).map(
    lambda cents: Decimal(cents).scaleb(-2)
)


@given(amount=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=6))
def test_an_amount_is_always_whole_cents_and_within_half_a_cent_of_the_input(
    amount: Decimal,
) -> None:
    money = Money(amount, "EUR")

    assert money.amount == money.amount.quantize(Decimal("0.01"))
    assert abs(money.amount - amount) <= Decimal("0.005")


@given(first=_cents, second=_cents, quantity=st.integers(min_value=0, max_value=10_000))
def test_money_arithmetic_on_whole_cents_is_exact(
    first: Decimal, second: Decimal, quantity: int
) -> None:
    a, b = Money(first, "EUR"), Money(second, "EUR")

    assert (a + b).amount == first + second
    assert (a * quantity).amount == first * quantity
    assert a + b == b + a
