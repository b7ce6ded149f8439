"""End to end through the CLI: carriers, shipments tracked to delivery, KPIs and lanes."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.cli.main import app

from cli_run import run_cli

runner = CliRunner()


def test_shipments_tracked_to_delivery_give_kpis_and_a_lane_alternate(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'carriers.sqlite3'}"
    carriers = tmp_path / "carriers.csv"
    carriers.write_text("code,name\nDHL,DHL Express\nUPS,UPS Standard\n", encoding="utf-8")
    run_cli(database, "import", "carriers", str(carriers))
    lane = ("--origin", "CN", "--destination", "PAR", "--promised", "2026-05-10")
    booked = ("--at", "2026-05-01")
    for reference, carrier in (("T1", "DHL"), ("T2", "DHL"), ("T3", "UPS")):
        run_cli(database, "shipments", "add", reference, carrier, *lane, *booked)
    late = run_cli(database, "shipments", "update", "T1", "delayed", "--expected", "2026-05-14",
                "--note", "port strike", "--at", "2026-05-08")  # fmt: skip
    assert "T1 is delayed" in late
    run_cli(database, "shipments", "update", "T1", "delivered", "--at", "2026-05-14")
    run_cli(database, "shipments", "update", "T2", "delivered", "--at", "2026-05-10")
    run_cli(database, "shipments", "update", "T3", "delivered", "--at", "2026-05-09")
    back = runner.invoke(app, ["--database", database, "shipments", "update", "T3", "in_transit"])
    assert back.exit_code == 1
    assert "is delivered and cannot become in_transit" in back.output

    kpis = json.loads(run_cli(database, "carriers", "kpis", "--format", "json"))
    by_carrier = {k["carrier"]: k for k in kpis}
    assert (by_carrier["DHL"]["on_time_rate"], by_carrier["DHL"]["mean_delay_days"]) == (0.5, 2.0)
    assert by_carrier["UPS"]["on_time_rate"] == 1.0
    lanes = run_cli(database, "carriers", "lanes")
    assert "CN->PAR" in lanes
    assert "UPS" in lanes
    run_cli(database, "carriers", "set-alternate", "CN", "PAR", "UPS")
    listed = run_cli(database, "shipments", "list", "--carrier", "DHL")
    assert "2 of 2 shipments" in listed

    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    outbox = t.table_of(t.OutboxRow)
    with shop.engine.connect() as connection:
        types = [row.event_type for row in connection.execute(select(outbox.c.event_type))]
    shop.engine.dispose()
    assert types.count("ShipmentDelayed") == 2  # the delay report and the late delivery
