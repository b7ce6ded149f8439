"""``stockguard import <entity> <file>`` end to end, on a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app

pytestmark = pytest.mark.e2e


@pytest.fixture
def database(cli_database: str) -> str:
    """The shared ``cli_database`` (tests/conftest.py) under this module's name."""
    return cli_database


def _run(database: str, *arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database", database, "import", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_import_help_lists_every_entity() -> None:
    result = CliRunner().invoke(app, ["import", "--help"])
    assert result.exit_code == 0
    for entity in ("products", "stock-levels", "supplier-offers", "purchase-orders", "carriers"):
        assert entity in result.stdout


def test_a_broken_file_exits_non_zero_and_lists_its_problems(database: str, tmp_path: Path) -> None:
    broken = tmp_path / "products.csv"
    broken.write_text("sku,title,price\nA1,Mug,abc\nA2,Cup,-1\n", encoding="utf-8")
    code, _, errors = _run(database, "products", str(broken))
    assert code == 1
    assert "products.csv was not imported: 2 problem(s) found, nothing was written." in errors
    assert (
        "products.csv, line 2, column 'price' (value 'abc'): "
        "Not a decimal number; write the price like 12.50." in errors
    )
    assert "line 3, column 'price' (value '-1'): The price cannot be negative." in errors


def test_a_good_file_with_a_byte_order_mark_is_imported_once(database: str, tmp_path: Path) -> None:
    locations = tmp_path / "locations.csv"
    locations.write_bytes("\ufeffcode,name,country\nWH1,Entrepôt,FR\n".encode())
    products = tmp_path / "products.csv"
    products.write_text("sku,title,price\nA1,Mug,9.90\n", encoding="utf-8")
    counts = tmp_path / "counts.csv"
    counts.write_text("sku,location,on_hand\nA1,WH1,12\n", encoding="utf-8")
    assert _run(database, "locations", str(locations))[0] == 0
    assert _run(database, "products", str(products))[0] == 0
    code, output, _ = _run(database, "stock-levels", str(counts))
    assert code == 0
    assert "Imported counts.csv: 1 rows read; written: 1 stock_movement." in output
    code, output, _ = _run(database, "stock-levels", str(counts))
    assert "Skipped 1 rows: already in the ledger (same idempotency key)." in output
    levels = CliRunner().invoke(app, ["--database", database, "levels", "--sku", "A1"])
    rows = [line.split("│")[1:4] for line in levels.stdout.splitlines() if line.startswith("│")]
    assert [[cell.strip() for cell in row] for row in rows] == [["A1", "WH1", "12"]]


@pytest.mark.parametrize(("separator", "named"), [(";", "semicolons (;)"), ("\t", "tabs")])
def test_a_file_saved_with_another_separator_is_named_as_such(
    database: str, tmp_path: Path, separator: str, named: str
) -> None:
    """One problem naming the separator, not one unknown column and every column missing."""
    products = tmp_path / "products.csv"
    products.write_text(
        separator.join(["sku", "title", "price"]) + "\n" + separator.join(["A1", "Mug", "9.90"]),
        encoding="utf-8",
    )
    code, _, errors = _run(database, "products", str(products))
    assert code == 1
    assert "products.csv was not imported: 1 problem(s) found, nothing was written." in errors
    assert (
        f"products.csv, line 1: The columns are separated by {named}, not commas; save the "
        "file as 'CSV UTF-8 (comma delimited)' and try again." in " ".join(errors.split())
    )
    assert "is missing" not in errors
