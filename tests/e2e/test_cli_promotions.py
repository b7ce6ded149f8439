"""End to end through the CLI: import promotions, readiness (table, JSON), check twice."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from scipy import stats
from sqlalchemy import select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import ledger
from stockguard.entrypoints.cli.main import app
from stockguard.services import ports

from builders import a_location, a_product, a_supplier
from cli_run import run_cli

runner = CliRunner()
TODAY = date(2026, 6, 1)
SPRING = (TODAY - timedelta(days=30), TODAY - timedelta(days=24))


def _sold(day: date) -> int:
    """MUG sells 4 a day, 8 a day during last spring's promotion."""
    return 8 if SPRING[0] <= day <= SPRING[1] else 4


def _shop(database: str) -> None:
    """60 days of MUG sales in PAR, 20 left; ACME delivers in 10 days."""
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    days = [TODAY - timedelta(days=60 - i) for i in range(60)]
    received = sum(_sold(day) for day in days) + 20
    moves = [_move(ledger.MovementKind.RECEIPT, received, days[0], "in", hour=6)]
    moves += [_move(ledger.MovementKind.SALE, -_sold(day), day, f"s{day}") for day in days]
    with shop.unit_of_work() as uow:
        uow.products.add(a_product("MUG", price=Decimal("12"), category="Mugs"))
        uow.locations.add(a_location("PAR"))
        uow.suppliers.add(a_supplier("ACME"))
        offer = {
            "supplier": "ACME",
            "sku": "MUG",
            "unit_cost": Decimal("5.00"),
            "currency": "EUR",
            "minimum_order_quantity": 1,
            "pack_size": 1,
            "lead_time_days": 10,
        }
        uow.bulk.upsert(ports.Entity.SUPPLIER_OFFER, [offer])
        uow.commit()
    with shop.unit_of_work() as uow:
        uow.bulk.record_movements(moves)
        uow.commit()
    shop.engine.dispose()


def _move(
    kind: ledger.MovementKind, quantity: int, day: date, key: str, hour: int = 12
) -> ledger.StockMovement:
    at = datetime.combine(day, time(hour), tzinfo=UTC)
    return ledger.StockMovement("MUG", "PAR", kind, quantity, at, key)


def _promotions_file(folder: Path) -> Path:
    path = folder / "promotions.csv"
    starts, ends = TODAY + timedelta(days=20), TODAY + timedelta(days=26)
    path.write_text(
        "code,kind,sku,category,starts_on,ends_on,discount_percent,owner\n"
        f"SPRING,discount,MUG,,{SPRING[0]},{SPRING[1]},20,\n"
        f"SUMMER,discount,MUG,,{starts},{ends},20,ann@shop.test\n"
    )
    return path


def test_imported_promotions_are_assessed_and_warned_about_once(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'promotions.sqlite3'}"
    _shop(database)
    run_cli(database, "import", "promotions", str(_promotions_file(tmp_path)))
    today = ("--today", TODAY.isoformat())

    table = run_cli(database, "promotions", "readiness", *today)
    (row,) = json.loads(run_cli(database, "promotions", "readiness", "--format", "json", *today))

    # spring doubled the sales: 4/day for the 20 days before summer, then 8/day for 7 days
    assert (row["uplift"], row["uplift_source"]) == (2.0, "sku history")
    assert (row["baseline_per_day"], row["baseline_source"]) == (4.0, "sales history")
    assert row["projected_demand"] == 4 * 20 + 8 * 7
    needed = int(stats.poisson.ppf(0.95, 136))
    assert row["order_quantity"] == needed - 20
    assert row["last_order_date"] == str(TODAY + timedelta(days=10))
    assert row["status"] == "at_risk"
    assert "1 promotion x SKU x location rows: 1 at risk, 0 late" in " ".join(table.split())
    assert "SPRING" not in table  # it has ended
    first = " ".join(run_cli(database, "promotions", "check", *today).split())
    assert "1 new or changed warning(s)" in first
    assert f"SUMMER MUG at PAR: order {needed - 20:,} by {TODAY + timedelta(days=10)}" in first
    again = " ".join(run_cli(database, "promotions", "check", *today).split())
    assert "0 new or changed warning(s)" in again
    engine = bootstrap(Settings(database=DatabaseSettings(url=database))).engine
    with engine.connect() as connection:
        outbox = t.table_of(t.OutboxRow)
        query = select(outbox.c.payload).where(outbox.c.event_type == "PromotionAtRisk")
        payloads = [r.payload for r in connection.execute(query)]
    engine.dispose()
    assert [(p["promotion"], p["owner"]) for p in payloads] == [("SUMMER", "ann@shop.test")]


def test_promotion_commands_refuse_bad_input_with_a_clear_message(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    cases = [
        (["promotions", "readiness", "--output", "x.csv"], "--output needs --format csv"),
        (["promotions", "uplift", "NOPE", "1.5"], "No promotion with code 'NOPE'"),
        (["promotions", "uplift", "NOPE", "0"], "The uplift must be above 0"),
    ]
    for arguments, message in cases:
        result = runner.invoke(app, ["--database", database, *arguments], terminal_width=200)
        assert result.exit_code == 1, (arguments, result.output)
        assert message in result.output, (arguments, result.output)
    empty = run_cli(database, "promotions", "readiness")
    assert "No promotion to check" in empty
