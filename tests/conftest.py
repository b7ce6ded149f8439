"""Shared fixtures: database backends, per-test transaction rollback, builders.

Database tests are parametrised over SQLite and PostgreSQL. PostgreSQL runs when
``STOCKGUARD_TEST_DATABASE_URL`` is set (CI sets it) and is skipped otherwise.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.orm import sessionmaker

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from stockguard.bootstrap import App
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.cli.context import state
from stockguard.services.messagebus import MessageBus

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POSTGRES_URL = os.environ.get("STOCKGUARD_TEST_DATABASE_URL")


def random_sku(prefix: str = "SKU") -> str:
    """A SKU no other test uses, so tests sharing a database never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def shared_data(name: str) -> Path:
    """Path of a real data file in ../shared/data; skips the test when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"real data file {name} not found in {SHARED_DATA}; see DESIGN.md")
    return path


@contextmanager
def scratch_postgres_database(purpose: str) -> Iterator[str]:
    """A PostgreSQL database of its own, named ``stockguard_<purpose>_test_<8 hex>`` on the
    server of ``STOCKGUARD_TEST_DATABASE_URL``, for tests that need their own connections
    (processes, servers, migrations): yields its URL (password kept) and drops it after,
    forcing other sessions off. Skips the test when that variable is not set."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need STOCKGUARD_TEST_DATABASE_URL (CI sets it)")
    server_url = make_url(POSTGRES_URL)
    name = f"stockguard_{purpose}_test_{uuid.uuid4().hex[:8]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def reset_postgres(url: str) -> Engine:
    engine = db_engine.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return db_engine.make_engine(url)


@pytest.fixture(scope="session", autouse=True)
def _worker_journals_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """``stockguard worker`` run by tests keeps its acknowledgement journals out of
    ~/.cache (``STOCKGUARD_WORKER__ACK_JOURNAL``)."""
    folder = tmp_path_factory.mktemp("ack-journals")
    os.environ.setdefault("STOCKGUARD_WORKER__ACK_JOURNAL", str(folder))


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    engine = db_engine.make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need STOCKGUARD_TEST_DATABASE_URL (CI sets it)")
    engine = reset_postgres(POSTGRES_URL)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated engine for each backend."""
    return request.getfixturevalue(f"{request.param}_engine")  # type: ignore[no-any-return]


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection whose outer transaction is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def app(connection: Connection) -> App:
    """The wired application on a rolled-back connection (commits become savepoints)."""
    sessions = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    settings = Settings(database=DatabaseSettings(url=str(connection.engine.url)))
    bus = MessageBus(lambda: SqlAlchemyUnitOfWork(sessions))
    return App(settings=settings, engine=connection.engine, sessions=sessions, bus=bus)


@pytest.fixture
def cli_database(tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite database URL for the CLI; its cached wiring is dropped afterwards."""
    state._app = None
    yield f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    if state._app is not None:
        state._app.engine.dispose()
    state._app = None
    state.database_url = None
