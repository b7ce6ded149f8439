"""End to end through the CLI: audit report (table, CSV, JSON), stock-out history, cycle
counts due -> record (through the ledger) -> variances, and refused input.

Shop: MUG sells 4 a day at PAR for the last 120 days (1,000 received before: 520 left,
130 days of cover: excess); VASE sold 2 units 200 days ago and has 30 left (dead stock);
TEA sells 3 a day from sales only, with 25 days of no sale in the middle (inferred stock-out).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_audit as ta
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import ledger

from builders import a_location, a_product
from cli_run import run_cli

TODAY = datetime.now(UTC).date()


def _move(
    sku: str, kind: ledger.MovementKind, quantity: int, days_ago: int
) -> ledger.StockMovement:
    day = TODAY - timedelta(days=days_ago)
    return ledger.StockMovement(
        sku=sku,
        location="PAR",
        kind=kind,
        quantity=quantity,
        occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        idempotency_key=f"{sku}-{days_ago}-{quantity}",
    )


def _shop(database: str) -> None:
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    receipt, sale = ledger.MovementKind.RECEIPT, ledger.MovementKind.SALE
    moves = [_move("MUG", receipt, 1000, 121)]
    moves += [_move("MUG", sale, -4, d) for d in range(1, 121)]
    moves += [_move("VASE", receipt, 32, 300), _move("VASE", sale, -2, 200)]
    moves += [_move("TEA", sale, -3, d) for d in range(1, 150) if not 40 <= d < 65]
    with shop.unit_of_work() as uow:
        uow.locations.add(a_location("PAR"))
        uow.products.add(a_product("MUG", price=Decimal(12), unit_cost=Decimal(5)))
        uow.products.add(a_product("VASE", price=Decimal(40), unit_cost=Decimal("18.50")))
        uow.products.add(a_product("TEA", price=Decimal(6), unit_cost=Decimal(2)))
        uow.bulk.record_movements(moves)
        uow.commit()
    shop.engine.dispose()


def test_audit_report_stockouts_and_a_cycle_count_through_the_cli(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    _shop(database)

    table = run_cli(database, "audit")
    assert "ABC x XYZ" in table
    assert "VASE" in table.split("Dead stock")[1].split("Excess stock")[0]
    assert "MUG" in table.split("Excess stock")[1]

    document = json.loads(run_cli(database, "audit", "--format", "json"))
    dead = document["sections"]["dead"]
    assert [(r["sku"], r["on_hand"], r["stock_value"]) for r in dead] == [("VASE", 30, "555.00")]
    excess = {r["sku"]: r for r in document["sections"]["excess"]}
    assert excess["MUG"]["excess_units"] == 520 - 480
    assert sum(c["count"] for c in document["sections"]["matrix"]) == 3

    out = tmp_path / "excess.csv"
    run_cli(database, "audit", "--section", "excess", "--format", "csv", "--output", str(out))
    assert out.read_text().splitlines()[0].startswith("sku,location,category,abc_class")

    periods = json.loads(
        run_cli(database, "audit", "stockouts", "--sku", "TEA", "--format", "json")
    )
    assert [(p["source"], p["days"]) for p in periods] == [("inferred", 25)]
    assert periods[0]["lost_units"] == 75.0

    due = run_cli(database, "audit", "counts", "due")
    assert "3 count(s) due." in due

    recorded = run_cli(
        database, "audit", "counts", "record", "MUG", "PAR", "515", "--counted-by", "ana"
    )
    assert "the ledger expected 520: variance -5 units (-25.00 EUR)" in recorded
    assert "2 count(s) due." in run_cli(database, "audit", "counts", "due")
    later = (TODAY + timedelta(days=31)).isoformat()
    assert "3 count(s) due." in run_cli(database, "audit", "counts", "due", "--date", later)

    variances = json.loads(run_cli(database, "audit", "counts", "variances", "--format", "json"))
    assert [(v["sku"], v["variance_units"], v["counted_by"]) for v in variances] == [
        ("MUG", -5, "ana")
    ]
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with shop.unit_of_work() as uow:
        assert uow.levels.get("MUG", "PAR").on_hand == 515
    shop.engine.dispose()


def test_cli_refuses_bad_counts_and_thresholds_with_clear_messages(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    _shop(database)
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))

    def movements() -> int:
        with shop.sessions() as session:
            return int(
                session.execute(select(func.count()).select_from(t.StockMovementRow)).scalar_one()
            )

    before = movements()
    out = run_cli(database, "audit", "counts", "record", "NOPE", "PAR", "3", code=1)
    assert "NOPE" in out
    out = run_cli(database, "audit", "counts", "record", "MUG", "PAR", "--", "-2", code=1)
    assert "fewer than zero" in out
    assert "abc" in run_cli(database, "audit", "--abc", "80/30/5", code=1)
    assert "must add up to 100" in run_cli(database, "audit", "--abc", "80/30/5", code=1)
    assert "choose one --section" in run_cli(database, "audit", "--format", "csv", code=1)
    assert "not a section" in run_cli(database, "audit", "--section", "nope", code=1)
    assert "A=30,B=91,C=365" in run_cli(
        database, "audit", "counts", "due", "--intervals", "A=x", code=1
    )
    assert movements() == before
    with shop.sessions() as session:
        assert session.execute(select(func.count()).select_from(ta.CycleCountRow)).scalar_one() == 0
    shop.engine.dispose()
