"""Money as Decimal with its currency, quantized to the currency's minor unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

_MINOR_UNITS = {"JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3, "TND": 3}


def minor_unit_exponent(currency: str) -> Decimal:
    """Smallest amount of ``currency`` as a Decimal exponent, e.g. Decimal('0.01') for EUR."""
    digits = _MINOR_UNITS.get(currency, 2)
    return Decimal(1).scaleb(-digits)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency must be a 3-letter ISO 4217 code, got {self.currency!r}")
        quantized = self.amount.quantize(minor_unit_exponent(self.currency), ROUND_HALF_EVEN)
        object.__setattr__(self, "amount", quantized)

    def __mul__(self, quantity: int) -> Money:
        return Money(self.amount * quantity, self.currency)

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)
