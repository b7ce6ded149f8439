"""End to end through the CLI: list holds, release the expired ones, list pre-orders;
and the worker's periodic sweep releases expired holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import commands
from stockguard.entrypoints.cli.main import app
from stockguard.entrypoints.worker import build_worker
from stockguard.services.preorders.handlers import PlacePreorder
from stockguard.services.reservations.handlers import Reserve
from stockguard.services.storefront.ports import PromiseBasis
from stockguard.services.storefront.promise import promise

from builders import a_location, a_product, a_supplier
from cli_run import run_cli

runner = CliRunner()
EXPECTED = datetime.now(UTC).date() + timedelta(days=15)


def _shop(database: str) -> None:
    """MUG: 5 units at PAR, two holds of 2 (one expired); BOWL: out of stock, a PO of 6
    expected in 15 days and a pre-order of 4."""
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with shop.unit_of_work() as uow:
        uow.products.add(a_product("MUG"))
        uow.products.add(a_product("BOWL"))
        uow.locations.add(a_location("PAR"))
        uow.suppliers.add(a_supplier("ACME"))
        uow.commit()
    now = datetime.now(UTC)
    shop.bus.handle(commands.RecordAdjustment("MUG", "PAR", 5, now, "mug-in"))
    shop.bus.handle(Reserve("MUG", 2, "cart-new", "k-new", "PAR", 15, now))
    # the old hold last, or reserving the new one would release it on the way
    shop.bus.handle(Reserve("MUG", 2, "cart-old", "k-old", "PAR", 15, now - timedelta(hours=1)))
    line = commands.PurchaseOrderLineInput("BOWL", 6, Decimal("3.00"))
    shop.bus.handle(commands.CreatePurchaseOrder("PO-1", "ACME", "PAR", (line,), None, EXPECTED))
    shop.bus.handle(commands.ChangePurchaseOrderStatus("PO-1", "sent"))
    shop.bus.handle(PlacePreorder("BOWL", 4, "ada@example.com", "pre-1"))
    shop.engine.dispose()


def test_reservations_and_preorders_from_the_cli(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    _shop(database)
    listed = run_cli(database, "reservations", "list", "--status", "held")
    assert "cart-old" in listed
    assert "cart-new" in listed
    assert "Released 1 expired reservation(s)." in run_cli(
        database, "reservations", "release-expired"
    )
    expired = run_cli(database, "reservations", "list", "--status", "expired")
    assert "cart-old" in expired
    assert "cart-new" not in expired
    preorders = run_cli(database, "preorders", "list", "--sku", "BOWL")
    assert "ada@example.com" in preorders
    assert "PO-1" in preorders
    basis = PromiseBasis("BOWL", "PAR", expected_on=EXPECTED, purchase_order="PO-1")
    made = promise([basis], today=datetime.now(UTC).date(), confidence=0.95)[0].promise_on
    assert made is not None
    assert made.isoformat() in preorders  # the storefront's 95% promise
    refused = runner.invoke(app, ["--database", database, "reservations", "list", "--status", "x"])
    assert refused.exit_code != 0


def test_the_worker_sweeps_expired_holds(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    _shop(database)
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    worker = build_worker(shop, channel_transports={})
    worker.cycle()
    with shop.unit_of_work() as uow:
        held = uow.reservations.list_reservations(status="held")
        expired = uow.reservations.list_reservations(status="expired")
        level = uow.levels.get("MUG", "PAR")
    assert [x.cart_id for x in held] == ["cart-new"]
    assert [x.cart_id for x in expired] == ["cart-old"]
    assert level.reserved == 2
    shop.engine.dispose()
