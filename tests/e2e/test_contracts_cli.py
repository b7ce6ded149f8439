"""End to end through the CLI: a contract, a late receipt, the penalty listed and exported;
a bad contract refused with a clear message."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.cli.main import app

from builders import a_location, a_product, a_supplier
from cli_run import run_cli

runner = CliRunner()


def _shop(tmp_path: Path) -> str:
    database = f"sqlite:///{tmp_path / 'contracts.sqlite3'}"
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with shop.unit_of_work() as uow:
        uow.products.add(a_product("MUG-01"))
        uow.locations.add(a_location("PAR"))
        uow.suppliers.add(a_supplier("ACME"))
        uow.commit()
    shop.engine.dispose()
    return database


def test_a_late_receipt_charges_the_contract_penalty_listed_and_exported(tmp_path: Path) -> None:
    database = _shop(tmp_path)
    stored = run_cli(
        database, "contracts", "set", "ACME", "--valid-from", "2026-01-01",
        "--max-lead-time", "14", "--late-penalty", "0.5", "--late-cap", "10",
        "--fill-rate", "0.95", "--quality", "0.02", "--quality-penalty", "5",
    )  # fmt: skip
    assert "late 0.5%/day capped at 10%" in stored
    assert "fill rate 95%" in stored
    # expected long ago: the receipt today is far beyond the cap
    run_cli(database, "po", "create", "PO-1", "ACME", "PAR", "--line", "MUG-01:24:3.10",
         "--expected", "2026-01-02")  # fmt: skip
    run_cli(database, "po", "send", "PO-1")
    run_cli(database, "po", "receive", "PO-1", "MUG-01", "24", "--rejected", "1", "--key", "r-1")

    listed = run_cli(database, "contracts", "penalties", "--supplier", "ACME")
    assert "late" in listed
    assert "7.44 EUR" in listed
    exported = tmp_path / "penalties.csv"
    run_cli(database, "contracts", "penalties", "--format", "csv", "--output", str(exported))
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert {(r["kind"], r["amount"]) for r in rows} == {("late", "7.44"), ("quality", "3.72")}
    as_json = json.loads(run_cli(database, "contracts", "penalties", "--format", "json"))
    assert {r["order_number"] for r in as_json} == {"PO-1"}
    shown = run_cli(database, "contracts", "show", "ACME")
    assert "Penalties owed: 2 for 11.16 EUR." in shown


def test_a_bad_contract_is_refused_with_the_field_and_the_reason(tmp_path: Path) -> None:
    database = _shop(tmp_path)
    result = runner.invoke(
        app, ["--database", database, "contracts", "set", "ACME", "--late-penalty", "0.5"]
    )
    assert result.exit_code == 1
    assert "late_cap_percent" in result.output
    assert "is needed with a late penalty" in result.output
    unknown = runner.invoke(app, ["--database", database, "contracts", "set", "NOPE"])
    assert unknown.exit_code == 1
    assert "There is no supplier with code 'NOPE'." in unknown.output


def test_import_contracts_rejects_the_whole_file_naming_line_and_column(tmp_path: Path) -> None:
    database = _shop(tmp_path)
    file = tmp_path / "contracts.csv"
    file.write_text(
        "supplier,valid_from,late_penalty_percent,late_cap_percent\n"
        "ACME,2026-01-01,0.5,10\n"
        "ACME,2026-13-01,0.5,10\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["--database", database, "import", "contracts", str(file)])
    assert result.exit_code == 1
    assert "line 3" in result.output
    assert "valid_from" in result.output
    assert "ACME" not in run_cli(database, "contracts", "list")
    file.write_text(
        "supplier,valid_from,late_penalty_percent,late_cap_percent\nACME,2026-01-01,0.5,10\n",
        encoding="utf-8",
    )
    run_cli(database, "import", "contracts", str(file))
    assert "ACME" in run_cli(database, "contracts", "list")
