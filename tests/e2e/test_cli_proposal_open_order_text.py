"""Through the CLI: ``proposals explain`` says when open orders went into the line's
supplier lead time (the sentence the API and dashboard show)."""

from __future__ import annotations

from typer.testing import CliRunner

from integration.open_order_history import OPEN_AGE, add_open_order_history
from integration.replenishment_shop import NOW, seed_replenishment_shop
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import commands
from stockguard.entrypoints.cli.main import app

runner = CliRunner()


def test_explain_names_the_open_orders_in_the_lead_time(cli_database: str) -> None:
    shop_app = bootstrap(Settings(database=DatabaseSettings(url=cli_database, auto_migrate=True)))
    shop = seed_replenishment_shop(shop_app)
    add_open_order_history(shop_app, shop)
    summary = shop_app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    shop_app.engine.dispose()
    result = runner.invoke(
        app, ["--database", cli_database, "proposals", "explain", str(summary.proposal_id), "1"],
        terminal_width=300,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "lead time 18.7 days rests on 8 receipts and 1 open order still out" in text
    assert f"it was ordered {OPEN_AGE} days ago" in text
    assert '"supplier_open_orders": 1' in text
