"""``stockguard messages stats`` on a database holding a wave's messages: the table, the
JSON and CSV exports (also to a file), the conversion window option."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import create_engine
from typer.testing import CliRunner

from integration.message_analytics_seed import seed
from stockguard.entrypoints.cli.main import app

runner = CliRunner()


def _run(database: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--database", database, *args], env={"COLUMNS": "220"})
    assert result.exit_code == code, result.output
    return result.output


def test_stats_table_json_and_csv_exports(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    assert "no customer messages yet" in _run(database, "messages", "stats")  # creates the schema
    with create_engine(database).begin() as connection:
        shop = seed(connection)

    table = _run(database, "messages", "stats")
    assert shop.sku in table
    assert "within 7 days" in table
    assert "1 by latest_message, 1 by link" in table

    records = json.loads(_run(database, "messages", "stats", "--format", "json"))
    (row,) = [r for r in records if r["sku"] == shop.sku]
    assert (row["sent"], row["bounced"], row["clicked"], row["unsubscribed"]) == (6, 1, 1, 1)
    assert (row["converted"], row["conversion_rate"]) == (2, 0.3333)
    assert records[-1]["template"] == "(total)"
    assert records[-1]["sent"] == 7

    wider = json.loads(_run(database, "messages", "stats", "--format", "json",
                            "--window-days", "10", "--substitutes", "4"))  # fmt: skip
    assert [r["converted"] for r in wider if r["sku"] == shop.sku] == [4]

    target = tmp_path / "stats.csv"
    _run(database, "messages", "stats", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["converted"] for r in rows if r["sku"] == shop.sku] == ["2"]
    assert "conversion_rate" in rows[0]

    refused = _run(database, "messages", "stats", "--output", str(target), code=1)
    assert "--output needs --format csv or --format json" in refused
    assert "Invalid value" in _run(database, "messages", "stats", "--window-days", "-1", code=2)
