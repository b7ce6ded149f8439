"""End to end through the CLI: forecast -> rules -> replenish -> list -> approve -> draft PO."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import ledger
from stockguard.entrypoints.cli.main import app
from stockguard.services import ports

from builders import a_location, a_product, a_supplier

runner = CliRunner()
TODAY = date(2026, 3, 1)


def _run(database: str, *args: str) -> str:
    result = runner.invoke(app, ["--database", database, *args], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _shop(database: str, today: date = TODAY) -> None:
    """MUG sells 4 a day in PAR for the 60 days before ``today`` and has 20 left; ACME
    sells it in packs of 12."""
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    first = today - timedelta(days=60)
    moves = [_move(ledger.MovementKind.RECEIPT, 260, first, "in")]
    moves += [
        _move(ledger.MovementKind.SALE, -4, first + timedelta(days=i), f"s{i}") for i in range(60)
    ]
    with shop.unit_of_work() as uow:
        uow.products.add(a_product("MUG", price=Decimal("12"), category="Mugs"))
        uow.locations.add(a_location("PAR"))
        uow.suppliers.add(a_supplier("ACME"))
        uow.bulk.upsert(
            ports.Entity.SUPPLIER_OFFER,
            [
                {
                    "supplier": "ACME",
                    "sku": "MUG",
                    "unit_cost": Decimal("5.00"),
                    "currency": "EUR",
                    "minimum_order_quantity": 24,
                    "pack_size": 12,
                    "lead_time_days": 10,
                }
            ],
        )
        uow.commit()
    with shop.unit_of_work() as uow:
        uow.bulk.record_movements(moves)
        uow.commit()
    shop.engine.dispose()


def _move(kind: ledger.MovementKind, quantity: int, day: date, key: str) -> ledger.StockMovement:
    at = datetime.combine(day, time(12), tzinfo=UTC)
    return ledger.StockMovement("MUG", "PAR", kind, quantity, at, key)


def test_a_forecast_becomes_a_proposal_then_an_approved_draft_purchase_order(
    tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path / 'replenish.sqlite3'}"
    _shop(database)
    _run(database, "plan", "forecast", "--today", TODAY.isoformat(), "--history-days", "60",
         "--horizon", "14", "--no-drivers")  # fmt: skip
    assert "Created rule sku MUG" in _run(
        database, "rules", "set", "--sku", "MUG", "--service-level", "99%"
    )

    replenished = _run(database, "plan", "replenish", "--budget", "5000")
    assert "Proposal 1 from planning run 1: 1 purchase lines" in replenished
    assert "Budget 5,000.00: 1 lines within it" in replenished
    listed = _run(database, "proposals", "list")
    assert "proposed" in listed
    shown = _run(database, "proposals", "explain", "1", "1")
    assert "Inventory position 20 (on hand 20, on order 0, in draft POs 0" in shown
    assert '"service_level": "sku MUG"' in shown
    assert '"reorder_point_model": "lost_sales"' in shown

    approved = _run(database, "proposals", "approve", "1")
    assert "RP1-1" in approved

    engine = bootstrap(Settings(database=DatabaseSettings(url=database))).engine
    with engine.connect() as connection:
        order = connection.execute(select(t.table_of(t.PurchaseOrderRow))).one()
        line = connection.execute(select(t.table_of(t.PurchaseOrderLineRow))).one()
    engine.dispose()
    assert (order.number, order.supplier, order.location, order.status) == (
        "RP1-1",
        "ACME",
        "PAR",
        "draft",
    )
    assert line.sku == "MUG"
    assert line.quantity >= 24
    assert line.quantity % 12 == 0
    assert (
        "is approved and cannot become rejected"
        in runner.invoke(app, ["--database", database, "proposals", "reject", "1"]).output
    )


def test_bad_options_are_refused_with_the_way_to_write_them(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    cases = [
        (["plan", "replenish", "--budget", "lots"], "--budget 'lots' is not an amount"),
        (
            ["plan", "replenish", "--fill-rate-model", "textbook"],
            "fill_rate_model = 'textbook' is not a fill-rate model; use lost_sales",
        ),
        (["plan", "replenish"], "run `stockguard plan forecast` first"),
        (["proposals", "approve", "1", "--lines", "2-x"], "'2-x' is not a line number or range"),
        (["rules", "set", "--sku", "MUG"], "nothing to set"),
        (["rules", "set", "--default", "--max-share", "half"], "'half' is not a share"),
        (
            ["rules", "set", "--category", "A", "--abc-class", "A", "--budget", "5"],
            "name one scope",
        ),
    ]
    for arguments, message in cases:
        result = runner.invoke(app, ["--database", database, *arguments], terminal_width=200)
        assert result.exit_code == 1, (arguments, result.output)
        assert message in result.output, (arguments, result.output)


def test_rules_import_from_csv_all_or_nothing_with_every_problem_named(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'rules.sqlite3'}"
    _shop(database)
    good = tmp_path / "rules.csv"
    good.write_text(
        "scope,sku,location,category,policy,service_level,max_supplier_share,budget\n"
        "sku_location,MUG,PAR,,periodic,97%,,\n"
        "category,,,Mugs,,,0.5,1500\n"
    )
    imported = _run(database, "import", "replenishment-rules", str(good))
    assert "written: 2 replenishment_rule" in imported
    assert _stored_rules(database) == {
        ("sku_location", "MUG@PAR", "periodic", 0.97, None, None),
        ("category", "Mugs", None, None, 0.5, Decimal("1500")),
    }

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "scope,sku,location,category,service_level,manual_minimum,manual_maximum\n"
        "sku,NOPE,,,0.9,,\n"
        "category,,,Hats,150%,,\n"
        "location,MUG,PAR,,,,\n"
        "default,,,,,9,3\n"
    )
    result = runner.invoke(
        app, ["--database", database, "import", "replenishment-rules", str(bad)], terminal_width=300
    )
    assert result.exit_code == 1
    for expected in (
        "line 2, column 'sku' (value 'NOPE'): There is no product with this SKU",
        "line 3, column 'category' (value 'Hats'): No product is in this category.",
        "line 3, column 'service_level' (value '150%'): A share must be above 0",
        "line 4, column 'sku' (value 'MUG'): Does not apply to a location rule.",
        "line 5, column 'manual_maximum' (value '3'): Is below manual_minimum 9.",
    ):
        assert expected in result.output, result.output
    assert len(_stored_rules(database)) == 2  # nothing of the rejected file was written


def _stored_rules(database: str) -> set[tuple[object, ...]]:
    """The rules the user added (the seeded default and ABC rules left out)."""
    engine = bootstrap(Settings(database=DatabaseSettings(url=database))).engine
    rules = t.table_of(t.ReplenishmentRuleRow)
    columns = ("scope", "key", "policy", "service_level", "max_supplier_share", "budget")
    with engine.connect() as connection:
        rows = connection.execute(
            select(*(rules.c[name] for name in columns)).where(
                rules.c.scope.not_in(("default", "abc_class"))
            )
        ).all()
    engine.dispose()
    return {tuple(row) for row in rows}
