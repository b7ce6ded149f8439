"""End to end through the CLI: forecast -> risk refresh -> list, export, show -> a sale
moves the figures without another refresh."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from e2e.test_cli_replenishment import TODAY, _shop
from stockguard.entrypoints.cli.main import app

runner = CliRunner()


def _run(database: str, *args: str) -> str:
    result = runner.invoke(app, ["--database", database, *args], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_refreshed_risk_is_listed_exported_shown_and_followed_by_a_sale(
    tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path / 'risk.sqlite3'}"
    _shop(database)  # MUG sells 4 a day in PAR and has 20 left; ACME delivers in 10 days
    planned = _run(database, "plan", "forecast", "--today", TODAY.isoformat(),
                   "--history-days", "60", "--horizon", "14", "--no-drivers")  # fmt: skip
    assert "Risk of 1 SKU x locations from planning run 1" in _words(planned)

    refreshed = _run(database, "risk", "refresh")
    assert "Risk of 1 SKU x locations from planning run 1" in _words(refreshed)
    assert "1 at risk" in _words(refreshed)
    assert "0 state change event(s)" in _words(refreshed)  # the planning run refreshed it
    # the rate's drift per velocity band, estimated from the shop's sales (ADR 0015)
    assert "Rate drift c^2 by velocity (units/day), from 38 SKU-weeks" in _words(refreshed)

    listed = _run(database, "risk")
    assert "MUG" in listed
    assert "at_risk" in listed
    assert "Showing 1 of 1 matching rows" in _words(listed)
    assert "MUG" not in _run(database, "risk", "--state", "ok")

    exported = tmp_path / "risk.csv"
    _run(database, "risk", "--format", "csv", "--output", str(exported))
    (row,) = list(csv.DictReader(exported.read_text().splitlines()))
    assert (row["sku"], row["location"], row["state"], row["available"]) == (
        "MUG",
        "PAR",
        "at_risk",
        "20",
    )
    assert float(row["probability"]) > 0.5
    assert float(row["expected_lost_revenue"]) > 0

    _run(database, "record", "sale", "MUG", "PAR", "5", "--key", "sale-1")

    (record,) = json.loads(_run(database, "risk", "--format", "json"))
    assert record["available"] == 15
    assert record["days_of_cover"] < float(row["days_of_cover"])
    assert record["probability"] >= float(row["probability"])
    shown = _run(database, "risk", "show", "MUG")
    assert "15 / 15 / 15" in shown
    assert "Reorder point" in shown


def test_risk_commands_explain_what_is_missing(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    cases = [
        (["risk"], "run `stockguard plan forecast`, then `stockguard risk refresh`"),
        (["risk", "refresh"], "run `stockguard plan forecast` first"),
        (["risk", "show", "MUG"], "No risk figures for SKU 'MUG'"),
        (["risk", "--state", "bad"], "--state 'bad' is not a state"),
    ]
    for arguments, message in cases:
        result = runner.invoke(app, ["--database", database, *arguments], terminal_width=200)
        assert result.exit_code == 1, (arguments, result.output)
        assert message in _words(result.output), (arguments, result.output)


def test_snapshot_then_calibrate_reports_what_is_settled_and_keeps_the_identity(
    tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path / 'calibrate.sqlite3'}"
    _shop(database)
    _run(database, "plan", "forecast", "--today", TODAY.isoformat(),
         "--history-days", "60", "--horizon", "14", "--no-drivers")  # fmt: skip

    recorded = _run(database, "risk", "snapshot")
    assert "Recorded 1 risk snapshots for today." in _words(recorded)

    calibrated = _words(_run(database, "risk", "calibrate"))
    assert "Settled 0 snapshots (1 still waiting for their receipt)" in calibrated
    assert "Map not refitted: it needs 2,000 settled snapshots" in calibrated


def test_a_forecast_whose_window_holds_no_sale_says_how_to_reach_the_sales(
    tmp_path: Path,
) -> None:
    """An imported data set ends years ago: the default window (today back 730 days)
    holds none of it, every forecast is 0, and the command says so and what to pass."""
    database = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _shop(database)
    later = (TODAY.replace(year=TODAY.year + 5)).isoformat()
    stale = _run(database, "plan", "forecast", "--today", later, "--history-days", "60",
                 "--horizon", "14", "--no-drivers")  # fmt: skip
    assert "no sale in the ledger falls between" in _words(stale)
    assert "--today YYYY-MM-DD" in _words(stale)
    fresh = _run(database, "plan", "forecast", "--today", TODAY.isoformat(),
                 "--history-days", "60", "--horizon", "14", "--no-drivers")  # fmt: skip
    assert "no sale in the ledger" not in _words(fresh)


def test_a_location_or_category_filter_naming_nothing_known_is_refused(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'typo.sqlite3'}"
    _shop(database)
    _run(database, "plan", "forecast", "--today", TODAY.isoformat(), "--history-days", "60",
         "--horizon", "14", "--no-drivers")  # fmt: skip
    for option, value, message in (
        ("--location", "PARIS", "There is no location with code 'PARIS'."),
        ("--category", "Mugz", "No product is in the category 'Mugz'."),
    ):
        result = runner.invoke(app, ["--database", database, "risk", option, value])
        assert result.exit_code == 1
        assert message in _words(result.output)
    assert "MUG" in _run(database, "risk", "--location", "PAR")
    # a known location with nothing matching still lists nothing, without an error
    assert "Showing 0 of 0" in _words(_run(database, "risk", "--location", "PAR", "--state", "ok"))
