"""One end-to-end path through the CLI: a purchase order from draft to received."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.cli.main import app

from builders import a_location, a_product, a_supplier
from cli_run import run_cli

runner = CliRunner()


def test_purchase_order_goes_from_draft_to_received_and_stock_follows(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'po.sqlite3'}"
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with shop.unit_of_work() as uow:
        uow.products.add(a_product("MUG-01"))
        uow.locations.add(a_location("PAR"))
        uow.suppliers.add(a_supplier("ACME"))
        uow.commit()

    run_cli(database, "po", "create", "PO-1", "ACME", "PAR", "--line", "MUG-01:24:3.10")
    assert "now sent" in run_cli(database, "po", "send", "PO-1")
    run_cli(database, "po", "receive", "PO-1", "MUG-01", "24", "--rejected", "4", "--key", "r-1")
    replay = run_cli(
        database, "po", "receive", "PO-1", "MUG-01", "24", "--rejected", "4", "--key", "r-1"
    )
    assert "Already received" in replay
    shown = run_cli(database, "po", "show", "PO-1")
    assert "received" in shown
    with shop.engine.connect() as connection:
        level = connection.execute(select(t.table_of(t.StockLevelRow))).one()
    shop.engine.dispose()
    assert (level.on_hand, level.on_order) == (20, 0)


def test_a_malformed_line_option_is_refused_with_an_example(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'po.sqlite3'}"
    result = runner.invoke(
        app, ["--database", database, "po", "create", "PO-1", "ACME", "PAR", "--line", "MUG-01:x:1"]
    )
    assert result.exit_code == 1
    assert "quantity 'x' must be a whole number above 0" in result.output
