"""End to end through the CLI: a shop imported, subscribers waiting for its blue mug (in
stock, 4 units), `stockguard worker --once` sends the first wave (8 = 4 x 2.0), `waves
list` and `waves show` report it; an unknown SKU is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert

from integration.db.test_substitutes_on_database import MugShop, shop_files
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow

from cli_run import run_cli

SIGNED_UP = datetime(2026, 10, 1, tzinfo=UTC)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_worker_sends_a_wave_and_the_cli_shows_it(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'waves.sqlite3'}"
    shop = MugShop("WAV")
    for entity, text in shop_files(shop).items():
        path = tmp_path / f"{entity}.csv"
        path.write_text(text, encoding="utf-8")
        run_cli(database, "import", entity, str(path))
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(
            insert(t.table_of(BackInStockSubscriptionRow)),
            [
                {
                    "sku": shop.mug_blue,
                    "channel": "email",
                    "contact": f"fan{i}@example.com",
                    "status": "confirmed",
                    "locale": "en",
                    "consent_text": "Tell me",
                    "consent_at": SIGNED_UP + timedelta(minutes=i),
                    "consent_source": "widget",
                    "ip_hash": None,
                    "created_at": SIGNED_UP + timedelta(minutes=i),
                    "confirmed_at": SIGNED_UP + timedelta(minutes=i),
                    "unsubscribed_at": None,
                }
                for i in range(12)
            ],
        )
    engine.dispose()
    assert "No back-in-stock waves in progress." in run_cli(database, "waves", "list")

    run_cli(database, "worker", "--once")

    listed = _words(run_cli(database, "waves", "list"))
    assert "│ 4 │ 1 │ 8 │ 12 │" in listed  # units at open, waves, told, still waiting
    assert listed.count("│ open │") == 1  # SKUs nobody waits for open no episode
    shown = _words(run_cli(database, "waves", "show", shop.mug_blue))
    assert f"{shop.mug_blue}: 12 confirmed subscriber(s) waiting." in shown
    assert "(restock, open): opened" in shown
    assert "with 4 unit(s); 1 wave(s), 8 contact(s) told." in shown
    refused = _words(run_cli(database, "waves", "show", "NOPE-1", code=1))
    assert "Unknown SKU 'NOPE-1'" in refused
