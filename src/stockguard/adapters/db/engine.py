"""Engine construction with the per-backend settings stockguard relies on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

POOL_SIZE = 20
"""Connections a PostgreSQL engine keeps open (per process). A request beyond them
opens an overflow connection that is closed again when it is returned to a full pool:
with SQLAlchemy's 5 the API opened a new PostgreSQL session (a backend fork and a SCRAM
handshake) every ~4 requests at 16 concurrent requests per worker. The API runs at
most this many requests' database work at once (``entrypoints.api.app``)."""
MAX_OVERFLOW = 10
"""Extra connections beyond ``POOL_SIZE`` (closed when returned), for the odd second
connection a request may open."""


def make_engine(
    url: str,
    *,
    echo: bool = False,
    read_only: bool = False,
    pool_size: int = POOL_SIZE,
    max_overflow: int = MAX_OVERFLOW,
) -> Engine:
    """Create an engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``).

    SQLite gets WAL, foreign keys and ``BEGIN IMMEDIATE`` so that two writers never
    read-then-write the same level concurrently; PostgreSQL locks level rows instead.
    A ``read_only`` SQLite engine starts deferred transactions with ``query_only`` set,
    so readers never wait for the write lock (WAL lets them read beside one writer).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        _configure_sqlite(engine, read_only=read_only)
        return engine
    return create_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow
    )


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: keeps index pages for bulk imports
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)
