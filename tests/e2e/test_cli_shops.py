"""Shops through the CLI: create (secret shown once), list, rotate the secret."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.cli.main import app

from builders import a_location
from cli_run import run_cli

runner = CliRunner()


def _stored_secret(database: str, code: str) -> str:
    wired = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with wired.engine.connect() as connection:
        table = t.table_of(t.ShopRow)
        secret = connection.execute(
            select(table.c.webhook_secret).where(table.c.code == code)
        ).scalar_one()
    wired.engine.dispose()
    return str(secret)


def test_a_shop_is_created_listed_and_its_secret_rotated(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'shops.sqlite3'}"
    wired = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with wired.unit_of_work() as uow:
        uow.locations.add(a_location("PAR"))
        uow.commit()
    wired.engine.dispose()

    created = run_cli(
        database, "shops", "create", "acme-web", "--name", "Acme web", "--location", "PAR"
    )
    secret = created.strip().splitlines()[-1]
    assert len(secret) >= 40
    assert _stored_secret(database, "acme-web") == secret

    listed = run_cli(database, "shops", "list")
    assert "acme-web" in listed
    assert "Acme web" in listed
    assert secret not in listed

    rotated = run_cli(database, "shops", "rotate-secret", "acme-web").strip().splitlines()[-1]
    assert rotated != secret
    assert _stored_secret(database, "acme-web") == rotated


def test_creating_a_shop_at_an_unknown_location_fails_with_a_clear_message(
    tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path / 'shops.sqlite3'}"
    result = runner.invoke(
        app, ["--database", database, "shops", "create", "acme", "--name", "A", "--location", "X"]
    )
    assert result.exit_code == 1
    assert "There is no location with code 'X'." in result.output
