"""Reading CSV files into typed rows: cell parsers, header checks, line numbers."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from stockguard.domain import catalog
from stockguard.services.importing import catalog_files, checks, csv_rows
from stockguard.services.importing import columns as c
from stockguard.services.importing.problems import ImportProblem, ImportRejected

PRODUCT_HEADER = "sku,title,price"


def _read(
    text: str, columns: tuple[c.Column, ...] = catalog_files.PRODUCT_COLUMNS
) -> csv_rows.ParsedFile:
    return csv_rows.read_file(io.StringIO(text), "products.csv", columns)


def _rejection(text: str) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        _read(text)
    return caught.value.problems


def test_a_valid_file_gives_typed_values_and_defaults() -> None:
    parsed = _read("sku,title,price,attributes\nA1,Mug,9.90,colour=red; size=M\n")
    assert parsed.problems == []
    (row,) = parsed.rows
    assert row.line == 2
    assert row.values["price"] == Decimal("9.90")
    assert row.values["attributes"] == {"colour": "red", "size": "M"}
    assert row.values["currency"] == "EUR"
    assert row.values["status"] is catalog.ProductStatus.ACTIVE
    assert row.values["unit_cost"] is None


def test_a_word_where_a_price_belongs_points_at_line_column_and_value() -> None:
    parsed = _read(f"{PRODUCT_HEADER}\nA1,Mug,9.90\nA2,Cup,cheap\n")
    assert parsed.problems == [
        ImportProblem(
            "products.csv", 3, "price", "cheap", "Not a decimal number; write the price like 12.50."
        )
    ]


def test_a_negative_price_is_refused() -> None:
    parsed = _read(f"{PRODUCT_HEADER}\nA1,Mug,-1\n")
    assert parsed.problems == [
        ImportProblem("products.csv", 2, "price", "-1", "The price cannot be negative.")
    ]


def test_a_decimal_comma_is_refused_with_a_hint() -> None:
    parsed = _read(f'{PRODUCT_HEADER}\nA1,Mug,"9,90"\n')
    assert parsed.problems[0].reason == (
        "Not a decimal number; write the price with a dot, like 12.50."
    )


def test_a_missing_required_column_rejects_the_file_and_names_the_column() -> None:
    problems = _rejection("sku,title\nA1,Mug\n")
    assert problems == [
        ImportProblem(
            "products.csv",
            1,
            None,
            None,
            "The required column 'price' is missing; expected columns are sku, title, price "
            "(required) and currency, family, category, attributes, status, image_url, "
            "unit_cost (optional).",
        )
    ]


def test_an_unknown_column_is_refused_as_a_likely_typo() -> None:
    problems = _rejection("sku,title,price,colour\nA1,Mug,1,red\n")
    assert [(p.line, p.column) for p in problems] == [(1, "colour")]
    assert problems[0].reason.startswith("Unknown column; expected columns are sku, title")


def test_an_empty_file_is_refused() -> None:
    problems = _rejection("\n  \n")
    assert problems[0].line is None
    assert problems[0].reason.startswith("The file is empty")


def test_a_header_without_rows_is_an_empty_import() -> None:
    assert _read(f"{PRODUCT_HEADER}\n").rows == []


def test_a_byte_order_mark_and_header_case_are_ignored() -> None:
    parsed = _read("\ufeffSKU, Title ,Price\nA1,Mug,1\n")
    assert parsed.problems == []
    assert parsed.rows[0].values["sku"] == "A1"


def test_a_file_that_is_not_utf8_is_refused() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"sku,title,price\nA1,Caf\xe9,1\n"), encoding="utf-8-sig")
    with pytest.raises(ImportRejected) as caught:
        csv_rows.read_file(stream, "products.csv", catalog_files.PRODUCT_COLUMNS)
    assert "not UTF-8" in caught.value.problems[0].reason


def test_line_numbers_count_physical_lines_across_quoted_line_breaks_and_blank_lines() -> None:
    parsed = _read(f'{PRODUCT_HEADER}\nA1,"Mug\nwith handle",1\n\nA2,Cup,x\n')
    assert [row.line for row in parsed.rows] == [2, 5]
    assert parsed.problems[0].line == 5


def test_a_row_with_too_many_values_is_refused() -> None:
    parsed = _read(f"{PRODUCT_HEADER}\nA1,Mug,1,extra\n")
    assert parsed.problems[0].line == 2
    assert parsed.problems[0].reason.startswith("This line has 4 values but the header names 3")


def test_an_empty_required_cell_is_refused() -> None:
    parsed = _read(f"{PRODUCT_HEADER}\nA1,,1\n")
    assert parsed.problems == [
        ImportProblem("products.csv", 2, "title", None, "This column must not be empty.")
    ]


def test_several_problems_are_all_reported() -> None:
    parsed = _read(f"{PRODUCT_HEADER},status\nA1,Mug,x,sold\nA2,Cup,-2,active\n")
    assert [(p.line, p.column) for p in parsed.problems] == [
        (2, "price"),
        (2, "status"),
        (3, "price"),
    ]
    assert parsed.problems[1].reason == "Unknown value; allowed values are active, discontinued."


def test_duplicate_keys_point_at_the_repeated_line() -> None:
    parsed = _read(f"{PRODUCT_HEADER}\nA1,Mug,1\nA2,Cup,1\nA1,Mug again,2\n")
    checks.duplicates(parsed, ("sku",))
    assert parsed.problems == [
        ImportProblem(
            "products.csv",
            4,
            "sku",
            "A1",
            "Line 2 already has the same sku; each may appear only once in a file.",
        )
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-09-01", datetime(2026, 9, 1, tzinfo=UTC)),
        ("2026-09-01 14:30", datetime(2026, 9, 1, 14, 30, tzinfo=UTC)),
        ("2026-09-01T14:30:15Z", datetime(2026, 9, 1, 14, 30, 15, tzinfo=UTC)),
        ("2026-09-01 14:30:00+02:00", datetime(2026, 9, 1, 12, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_are_read_as_utc(cell: str, expected: datetime) -> None:
    value = c.timestamp(cell)
    assert value == expected
    assert value.tzinfo is UTC


@pytest.mark.parametrize(
    ("parser", "cell", "reason"),
    [
        (c.calendar_date, "01/09/2026", "Not a date; write dates as YYYY-MM-DD, like 2026-09-01."),
        (c.calendar_date, "2026-02-30", "Not a real calendar date."),
        (c.timestamp, "yesterday", "Not a date and time"),
        (c.integer(1), "0", "The quantity must be positive (at least 1)."),
        (c.integer(0), "-3", "The quantity cannot be negative."),
        (c.integer(), "2.5", "Not a whole number; write the quantity like 12."),
        (c.amount(), "1.23456", "Too precise: at most 4 decimal places."),
        (c.amount(), "NaN", "Not a decimal number"),
        (c.boolean, "maybe", "Not a yes/no value; write true or false."),
        (c.currency, "euro", "Not a currency code"),
        (c.email, "someone.example.com", "Not an e-mail address"),
        (c.phone, "call me", "Not a phone number"),
        (c.text(3), "abcd", "Too long: at most 3 characters are allowed."),
        (c.attributes, "colour:red", "Not a list of attributes"),
    ],
)
def test_bad_cells_are_explained(parser: c.Parser, cell: str, reason: str) -> None:
    with pytest.raises(c.InvalidCell) as caught:
        parser(cell)
    assert str(caught.value).startswith(reason)


def test_good_cells_of_each_kind_are_read() -> None:
    assert c.calendar_date("2026-09-01") == date(2026, 9, 1)
    assert c.boolean("Yes") is True
    assert c.currency("eur") == "EUR"
    assert c.phone("+33 6 12 34 56 78") == "+33 6 12 34 56 78"
    assert c.country_code("fr") == "FR"
    assert c.locale("fr-BE") == "fr-BE"


def test_progress_is_reported_in_steps_that_add_up_to_the_rows_read() -> None:
    reported: list[int] = []
    rows = "".join(f"A{index},Mug,1\n" for index in range(1203))
    csv_rows.read_file(
        io.StringIO(f"{PRODUCT_HEADER}\n{rows}"),
        "products.csv",
        catalog_files.PRODUCT_COLUMNS,
        reported.append,
    )
    assert reported == [500, 500, 203]
