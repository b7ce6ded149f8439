"""Column specifications and typed cell parsers for CSV imports.

A parser turns the text of one cell into a value, or raises ``InvalidCell`` with a
sentence a merchant understands. Limits (text lengths, digits) match the database
columns, so a file that passes validation can always be written.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_INTEGER = 2_147_483_647  # 32-bit INTEGER columns on PostgreSQL
MONEY_INTEGER_DIGITS = 10  # NUMERIC(14, 4)
MONEY_DECIMAL_PLACES = 4

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 .()/-]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_LOCALE = re.compile(r"[a-z]{2}([-_][A-Z]{2})?")
_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n"})

Parser = Callable[[str], Any]


class InvalidCell(ValueError):
    """The text of a cell cannot be read as the column's type; the message says why."""


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column: its name, how to read a cell, and whether it may be left out.

    A required column must be in the header and every row must fill it. An optional
    column may be missing from the header or left empty; it then takes ``default``.
    """

    name: str
    parse: Parser
    required: bool = True
    default: Any = None


def optional(name: str, parse: Parser, default: Any = None) -> Column:
    """An optional column (see Column)."""
    return Column(name, parse, required=False, default=default)


def text(max_length: int) -> Parser:
    """Free text of at most ``max_length`` characters."""

    def parse(cell: str) -> str:
        if len(cell) > max_length:
            raise InvalidCell(f"Too long: at most {max_length} characters are allowed.")
        return cell

    return parse


def integer(minimum: int | None = None, what: str = "quantity") -> Parser:
    """A whole number, at least ``minimum`` when given."""

    def parse(cell: str) -> int:
        try:
            value = int(cell)
        except ValueError:
            raise InvalidCell(f"Not a whole number; write the {what} like 12.") from None
        if minimum is not None and value < minimum:
            raise InvalidCell(_below(what, minimum))
        if abs(value) > MAX_INTEGER:
            raise InvalidCell(f"Too large: the {what} must be at most {MAX_INTEGER}.")
        return value

    return parse


def _below(what: str, minimum: int) -> str:
    if minimum == 1:
        return f"The {what} must be positive (at least 1)."
    if minimum == 0:
        return f"The {what} cannot be negative."
    return f"The {what} must be at least {minimum}."


def amount(
    what: str = "amount",
    *,
    maximum: Decimal | None = None,
    integer_digits: int = MONEY_INTEGER_DIGITS,
    decimal_places: int = MONEY_DECIMAL_PLACES,
) -> Parser:
    """A non-negative decimal number such as 12.50 (dot as decimal separator)."""

    def parse(cell: str) -> Decimal:
        value = _decimal(cell, what)
        if value < 0:
            raise InvalidCell(f"The {what} cannot be negative.")
        if maximum is not None and value > maximum:
            raise InvalidCell(f"The {what} must be at most {maximum}.")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimal_places:
            raise InvalidCell(f"Too precise: at most {decimal_places} decimal places.")
        if value >= Decimal(10) ** integer_digits:
            raise InvalidCell(f"Too large: the {what} must have at most {integer_digits} digits.")
        return value

    return parse


def _decimal(cell: str, what: str) -> Decimal:
    if "," in cell:
        raise InvalidCell(f"Not a decimal number; write the {what} with a dot, like 12.50.")
    try:
        value = Decimal(cell)
    except InvalidOperation:
        raise InvalidCell(f"Not a decimal number; write the {what} like 12.50.") from None
    if not value.is_finite():
        raise InvalidCell(f"Not a decimal number; write the {what} like 12.50.")
    return value


def calendar_date(cell: str) -> date:
    """A date written YYYY-MM-DD."""
    if not _DATE.fullmatch(cell):
        raise InvalidCell("Not a date; write dates as YYYY-MM-DD, like 2026-09-01.")
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise InvalidCell("Not a real calendar date.") from None


def timestamp(cell: str) -> datetime:
    """A date and time, YYYY-MM-DD HH:MM[:SS] with an optional time zone; UTC when none.

    A bare date means midnight UTC of that day.
    """
    if not _DATETIME.fullmatch(cell):
        raise InvalidCell(
            "Not a date and time; write it as YYYY-MM-DD HH:MM[:SS] with an optional "
            "time zone, like 2026-09-01 14:30:00+02:00."
        )
    try:
        value = datetime.fromisoformat(cell)
    except ValueError:
        raise InvalidCell("Not a real calendar date and time.") from None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def boolean(cell: str) -> bool:
    """true/false (also yes/no, 1/0), in any case."""
    lowered = cell.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidCell("Not a yes/no value; write true or false.")


def choice(kind: type[enum.StrEnum]) -> Parser:
    """One of the values of ``kind`` (lower case)."""
    allowed = [member.value for member in kind]

    def parse(cell: str) -> enum.StrEnum:
        try:
            return kind(cell.lower())
        except ValueError:
            raise InvalidCell(f"Unknown value; allowed values are {_listing(allowed)}.") from None

    return parse


def _listing(values: Iterable[str]) -> str:
    return ", ".join(values)


def currency(cell: str) -> str:
    """A three-letter ISO 4217 code such as EUR (upper case)."""
    value = cell.upper()
    if not _CURRENCY.fullmatch(value):
        raise InvalidCell("Not a currency code; use three letters, like EUR or USD.")
    return value


def country_code(cell: str) -> str:
    """A two-letter ISO 3166 country code such as FR (upper case)."""
    value = cell.upper()
    if not _COUNTRY_CODE.fullmatch(value):
        raise InvalidCell("Not a country code; use two letters, like FR or DE.")
    return value


def locale(cell: str) -> str:
    """A language code such as fr or en, optionally with a region (fr-BE)."""
    if not _LOCALE.fullmatch(cell):
        raise InvalidCell("Not a language code; use two lower-case letters, like fr or en.")
    return cell


def email(cell: str) -> str:
    """An e-mail address of the simple shape name@domain.tld."""
    if len(cell) > 320 or not _EMAIL.fullmatch(cell):
        raise InvalidCell("Not an e-mail address; write it like name@example.com.")
    return cell


def phone(cell: str) -> str:
    """A phone number: digits with an optional leading +, spaces, dots, dashes, brackets."""
    digits = sum(character.isdigit() for character in cell)
    if len(cell) > 32 or not _PHONE.fullmatch(cell) or not 6 <= digits <= 15:
        raise InvalidCell("Not a phone number; write it like +33 6 12 34 56 78.")
    return cell


def web_address(cell: str) -> str:
    """An http(s) address of at most 500 characters."""
    if len(cell) > 500 or not cell.startswith(("http://", "https://")):
        raise InvalidCell("Not a web address; it must start with https:// or http://.")
    return cell


def attributes(cell: str) -> dict[str, str]:
    """``key=value;key=value`` pairs, such as ``colour=red;size=M``."""
    pairs: dict[str, str] = {}
    for item in cell.split(";"):
        if not item.strip():
            continue
        key, separator, value = item.partition("=")
        key = key.strip()
        if not separator or not key:
            raise InvalidCell("Not a list of attributes; write them like colour=red;size=M.")
        if key in pairs:
            raise InvalidCell(f"The attribute {key!r} is given twice.")
        pairs[key] = value.strip()
    return pairs
