"""End to end through the CLI: forecast (which refreshes risk and availability) ->
``storefront availability`` -> a sale to zero shows out of stock with a promise."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from e2e.test_cli_replenishment import TODAY, _shop
from stockguard.entrypoints.cli.main import app

from cli_run import run_cli, squeezed

runner = CliRunner()


def _run(database: str, *args: str, code: int = 0) -> str:
    return squeezed(run_cli(database, *args, code=code))


def test_the_planning_run_refreshes_availability_and_a_sale_flips_it(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'storefront.sqlite3'}"
    _shop(database)  # MUG has 20 left in PAR; ACME delivers in 10 days
    planned = _run(database, "plan", "forecast", "--today", TODAY.isoformat(),
                   "--history-days", "60", "--horizon", "14", "--no-drivers")  # fmt: skip
    assert "Availability of 1 SKU x location(s): in_stock 1" in planned

    assert "In stock" in _run(database, "storefront", "availability", "MUG")
    _run(database, "record", "sale", "MUG", "PAR", "17", "--key", "cli-sale-1")
    assert "Plus que 3 en stock" in _run(
        database, "storefront", "availability", "MUG", "--lang", "fr"
    )
    _run(database, "record", "sale", "MUG", "PAR", "3", "--key", "cli-sale-2")

    shown = _run(database, "storefront", "availability", "MUG", "--location", "PAR")
    assert "out_of_stock" in shown
    assert "Back in stock by" in shown
    assert "95%" in shown
    refreshed = _run(database, "storefront", "refresh")
    assert "Availability of 1 SKU x location(s): out_of_stock 1" in refreshed


def test_an_unknown_sku_is_reported(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'storefront.sqlite3'}"
    _shop(database)
    result = runner.invoke(app, ["--database", database, "storefront", "availability", "NOPE"])
    assert result.exit_code != 0
    assert "NOPE" in result.output
