"""``stockguard demo`` end to end: a small demo shop into a SQLite file, twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, insert, select
from typer.testing import CliRunner, Result

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import commands
from stockguard.entrypoints.cli import main
from stockguard.entrypoints.cli.context import state

pytestmark = pytest.mark.e2e
SMALL = ["--skus", "60", "--customers", "150", "--days", "150", "--today", "2026-11-25"]
# A late-November shop, as the default demo: in early June this small seasonal catalogue
# sits on summer stock and its proposal held 0-1 purchase lines, too few to show.
SMALL += ["--no-serve"]  # the demo serves the dashboard afterwards unless told not to


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("STOCKGUARD_DATABASE__URL", url)
    monkeypatch.setattr(state, "database_url", None)
    return url


def _run(*args: str) -> Result:
    return CliRunner().invoke(main.app, ["demo", *args])


def _count(url: str, table: type[t.Base], *where: ColumnElement[bool]) -> int:
    engine = db_engine.make_engine(url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(t.table_of(table)).where(*where)
            return int(connection.scalar(query) or 0)
    finally:
        engine.dispose()


def test_demo_builds_a_consistent_shop_and_rebuilds_it(database_url: str) -> None:
    first = _run(*SMALL, "--seed", "3")
    assert first.exit_code == 0, first.output
    orders = _count(database_url, t.SalesOrderRow)
    assert "Order lines" in first.output
    assert f"{orders:,}" in first.output
    assert _count(database_url, t.ProductRow) == 60
    assert _count(database_url, t.LocationRow) == 3
    assert _count(database_url, t.SupplierRow) == 8
    assert _count(database_url, t.CarrierRow) == 2
    assert _count(database_url, t.CustomerRow) == 150
    assert _count(database_url, t.SalesOrderLineRow) > orders > 1000
    levels = t.table_of(t.StockLevelRow)
    open_orders = t.table_of(t.PurchaseOrderRow).c.status.in_(["sent", "confirmed", "shipped"])
    assert _count(database_url, t.PurchaseOrderRow, open_orders) > 0
    assert _count(database_url, t.StockLevelRow, levels.c.on_order > 0) > 0
    assert _count(database_url, t.StockLevelRow, levels.c.on_hand <= 0) > 0
    assert _count(database_url, t.PurchaseReceiptRow) > 0
    _assert_no_drift(database_url)
    _assert_proposal_shown(first.output, database_url)
    _assert_risk_shown(first.output, database_url)

    second = _run(*SMALL, "--seed", "4")
    assert second.exit_code == 0, second.output
    assert _count(database_url, t.ProductRow) == 60
    assert f"{_count(database_url, t.SalesOrderRow):,}" in second.output
    _assert_no_drift(database_url)


def test_demo_refuses_a_database_with_other_products_unless_reset(database_url: str) -> None:
    engine = db_engine.make_engine(database_url)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            insert(t.table_of(t.LocationRow)),
            [{"code": "MAIN", "name": "Main", "kind": "warehouse", "sellable": True}],
        )
        connection.execute(
            insert(t.table_of(t.ProductRow)),
            [{"sku": "MINE-1", "title": "Mine", "price": 1, "currency": "EUR", "status": "active"}],
        )
    engine.dispose()

    refused = _run(*SMALL)
    assert refused.exit_code == 1
    assert "--reset" in refused.output
    assert _count(database_url, t.ProductRow) == 1

    forced = _run(*SMALL, "--reset")
    assert forced.exit_code == 0, forced.output
    assert _count(database_url, t.ProductRow, t.table_of(t.ProductRow).c.sku == "MINE-1") == 0


def _assert_risk_shown(output: str, url: str) -> None:
    """The demo refreshes the stock-out risk of every forecast series and says how many
    are in each state."""
    rows = _count(url, StockRiskRow)
    assert rows == _count(url, t.StockLevelRow) > 0
    at_risk = _count(url, StockRiskRow, t.table_of(StockRiskRow).c.state == "at_risk")
    assert f"Risk of {rows:,} SKU x locations from planning run 1" in output
    assert f"{at_risk:,} at risk" in output


def _assert_proposal_shown(output: str, url: str) -> None:
    """The demo proposes purchases from its forecast and prints the first lines."""
    lines = _count(url, t.ProposalLineRow)
    proposed = t.table_of(t.ReplenishmentProposalRow).c.status == "proposed"
    assert _count(url, t.ReplenishmentProposalRow, proposed) == 1
    assert lines > 0
    first = _first_line(url)
    assert "Replenishment proposal: first lines" in output
    table = output.split("Replenishment proposal: first lines")[1].split(
        "Proposal 1 from", maxsplit=1
    )[0]
    assert first.sku in table
    assert first.supplier in table
    assert "position" in table
    assert f"Proposal 1 from planning run 1: {lines:,} purchase lines" in output
    assert "Proposals > Proposal 1" in output


def _first_line(url: str) -> Any:
    engine = db_engine.make_engine(url)
    lines = t.table_of(t.ProposalLineRow)
    try:
        with engine.connect() as connection:
            return connection.execute(select(lines).where(lines.c.line_no == 1)).one()
    finally:
        engine.dispose()


def _assert_no_drift(url: str) -> None:
    app = bootstrap(Settings(database=DatabaseSettings(url=url)))
    try:
        report = app.bus.handle(commands.ReconcileStockLevels())
    finally:
        app.engine.dispose()
    assert report.levels_checked == 60 * 3
    assert report.drifts == ()
