"""``stockguard levels`` end to end: a filter naming an unknown SKU or location is an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app

pytestmark = pytest.mark.e2e


@pytest.fixture
def database(cli_database: str, tmp_path: Path) -> str:
    """A SQLite shop with one product counted at one location."""
    url = cli_database
    files = {
        "locations": "code,name\nWH1,Main warehouse\n",
        "products": "sku,title,price\nMUG,Mug,9.90\nCUP,Cup,4.50\n",
        "stock-levels": "sku,location,on_hand\nMUG,WH1,12\n",
    }
    for entity, text in files.items():
        path = tmp_path / f"{entity}.csv"
        path.write_text(text, encoding="utf-8")
        assert _run(url, "import", entity, str(path))[0] == 0
    return url


def _run(database: str, *arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--database", database, *arguments])
    return result.exit_code, result.stdout, result.stderr


def _table_rows(out: str) -> list[list[str]]:
    """The body rows of the printed table, as lists of stripped cells."""
    return [[c.strip() for c in line.strip("│").split("│")] for line in out.splitlines()
            if line.startswith("│")]  # fmt: skip


def test_levels_of_a_known_sku_show_its_stock(database: str) -> None:
    code, out, _ = _run(database, "levels", "--sku", "MUG")
    assert code == 0
    # sku, location, on hand, allocated, reserved, on order, available
    assert _table_rows(out) == [["MUG", "WH1", "12", "0", "0", "0", "12"]]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--sku", "MUG-TYPO"], "There is no product with SKU 'MUG-TYPO'."),
        (["--location", "WH9"], "There is no location with code 'WH9'."),
        (["--sku", "MUG", "--location", "PAR"], "There is no location with code 'PAR'."),
    ],
)
def test_a_filter_naming_an_unknown_sku_or_location_exits_1_and_says_so(
    database: str, arguments: list[str], message: str
) -> None:
    code, out, err = _run(database, "levels", *arguments)
    assert code == 1
    assert message in err
    assert out == ""


def test_a_known_sku_without_stock_anywhere_shows_an_empty_table(database: str) -> None:
    code, out, err = _run(database, "levels", "--sku", "CUP")
    assert code == 0
    assert "On hand" in out
    assert _table_rows(out) == []
    assert err == ""
