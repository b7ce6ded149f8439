"""``stockguard contacts export|erase`` on a SQLite file: the JSON of a contact's data,
then its erasure (rows kept for counts, the contact gone), both logged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from stockguard.adapters.db import tables_consent as tc
from stockguard.adapters.db import tables_subscriptions as ts
from stockguard.adapters.db.tables import table_of
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.cli.main import app
from stockguard.services.consent import customer_tokens
from stockguard.services.subscriptions.handlers import SubscribeBackInStock

from cli_run import run_cli

runner = CliRunner()


def test_export_then_erase_a_contact(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'consent.sqlite3'}"
    products = tmp_path / "products.csv"
    products.write_text("sku,title,price\nMUG-01,Mug,12.90\nCUP-02,Cup,8.00\n", encoding="utf-8")
    run_cli(database, "import", "products", str(products))
    stockguard = bootstrap(Settings(database=DatabaseSettings(url=database)))
    for sku in ("MUG-01", "CUP-02"):
        stockguard.bus.handle(
            SubscribeBackInStock(
                sku, "email", "Zoe@Example.com", True, "I agree.", "en", datetime.now(UTC)
            )
        )

    out = tmp_path / "zoe.json"
    assert "Wrote the data of zoe@example.com" in run_cli(
        database, "contacts", "export", "zoe@example.com", "-o", str(out)
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(s["sku"] for s in data["subscriptions"]) == ["CUP-02", "MUG-01"]
    assert len(data["messages"]) == 2  # one confirmation per subscription, nothing else
    assert [e["event"] for e in data["consent_log"]] == ["requested", "requested"]

    refused = run_cli(database, "contacts", "erase", "zoe@example.com", input="n\n", code=1)
    assert "Nothing erased." in refused
    erased = " ".join(run_cli(database, "contacts", "erase", "zoe@example.com", "--yes").split())
    assert (
        "Erased zoe@example.com: 2 subscriptions, 3 consent log, 2 messages, 2 messages cancelled"
        in erased
    )
    printed = json.loads(run_cli(database, "contacts", "export", "zoe@example.com"))
    assert (printed["subscriptions"], printed["messages"]) == ([], [])
    table, log = table_of(ts.BackInStockSubscriptionRow), table_of(tc.ConsentLogRow)
    with stockguard.reader() as session:
        assert session.scalar(select(func.count()).select_from(table)) == 2  # counts stay
        events = list(session.scalars(select(log.c.event).order_by(log.c.id)))
        assert "zoe@example.com" not in set(session.scalars(select(log.c.contact)))
    assert events[-3:] == ["exported", "erased", "exported"]
    bad = run_cli(database, "contacts", "export", "not-a-contact", code=1)
    assert "international format" in " ".join(bad.split())


def test_customer_token_is_one_the_api_accepts_and_needs_the_shared_secret(
    tmp_path: Path, monkeypatch: Any
) -> None:
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    refused = runner.invoke(app, ["--database", database, "contacts", "customer-token", "C-1"])
    assert refused.exit_code == 1
    assert "STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET" in refused.output
    monkeypatch.setenv("STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET", "a-secret-of-more-than-16")
    token = run_cli(database, "contacts", "customer-token", "C-1", "--hours", "2").strip()
    now = datetime.now(UTC)
    assert customer_tokens.verify(b"a-secret-of-more-than-16", token, now) == "C-1"
    too_long = runner.invoke(app, ["--database", database, "contacts", "customer-token", "C" * 65])
    assert too_long.exit_code == 1
    assert "1 to 64 characters" in too_long.output
    monkeypatch.setenv("STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET", "short")
    weak = runner.invoke(app, ["--database", database, "contacts", "customer-token", "C-1"])
    assert weak.exit_code == 1
    said = " ".join(weak.output.split())  # the error console wraps long lines
    assert (
        "STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET: customer_token_secret must have at least 16"
        in said
    )
