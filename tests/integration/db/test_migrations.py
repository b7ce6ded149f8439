"""Alembic migrations build, drop and rebuild the schema, and match the table definitions.

Each test migrates its own fresh database (a SQLite file, or a throw-away PostgreSQL
database), never the shared session engine, so a downgrade cannot disturb other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db.tables import Base
from stockguard.entrypoints.cli.main import app as cli_app

from conftest import scratch_postgres_database

APP_TABLES = frozenset(Base.metadata.tables)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _head(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(migrations.alembic_config(engine)).get_current_head()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database created for one test and dropped after it."""
    with scratch_postgres_database("migrations") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on an empty database of each backend; nothing is migrated yet."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    engine = db_engine.make_engine(url)
    yield engine
    engine.dispose()


def test_upgrade_creates_every_table_and_downgrade_to_base_removes_them(
    fresh_engine: Engine,
) -> None:
    assert not APP_TABLES & _tables(fresh_engine)

    migrations.upgrade(fresh_engine)
    assert _tables(fresh_engine) >= APP_TABLES
    assert _current_revision(fresh_engine) == _head(fresh_engine)

    migrations.downgrade(fresh_engine, "base")
    assert not APP_TABLES & _tables(fresh_engine)
    assert _current_revision(fresh_engine) is None

    migrations.upgrade(fresh_engine)
    assert _tables(fresh_engine) >= APP_TABLES
    assert _current_revision(fresh_engine) == _head(fresh_engine)


def test_migrated_schema_leaves_nothing_for_autogenerate_to_add(fresh_engine: Engine) -> None:
    migrations.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_autogenerate_notices_a_schema_that_is_not_migrated(fresh_engine: Engine) -> None:
    """Guards the check above: an empty diff must come from a matching schema."""
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    added = {entry[1].name for entry in diff if entry[0] == "add_table"}
    assert added == APP_TABLES


def test_cli_db_upgrade_then_downgrade_base_creates_then_drops_the_schema(
    sqlite_url: str,
) -> None:
    runner = CliRunner()
    engine = db_engine.make_engine(sqlite_url)
    try:
        upgraded = runner.invoke(cli_app, ["--database", sqlite_url, "db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        assert _tables(engine) >= APP_TABLES
        assert _current_revision(engine) == _head(engine)

        downgraded = runner.invoke(cli_app, ["--database", sqlite_url, "db", "downgrade", "base"])
        assert downgraded.exit_code == 0, downgraded.output
        assert "reverted to base" in downgraded.output
        assert not APP_TABLES & _tables(engine)
        assert _current_revision(engine) is None
    finally:
        engine.dispose()
