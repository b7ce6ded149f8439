"""The API's concurrency matches its database pool: a busy worker queues requests for a
thread instead of opening and closing overflow PostgreSQL connections."""

from __future__ import annotations

from anyio import to_thread
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stockguard.adapters.db.engine import MAX_OVERFLOW, POOL_SIZE, make_engine


def test_the_api_runs_no_more_synchronous_requests_than_its_database_pool_holds(
    api: FastAPI,
) -> None:
    with TestClient(api) as client:  # runs the lifespan, as a server does
        assert client.portal is not None
        threads = client.portal.call(to_thread.current_default_thread_limiter)

        assert threads.total_tokens == POOL_SIZE


def test_a_postgresql_engine_keeps_the_pool_the_api_threads_need() -> None:
    engine = make_engine("postgresql+psycopg://user:secret@localhost/nowhere")  # no connect

    assert (engine.pool.size(), engine.pool._max_overflow) == (POOL_SIZE, MAX_OVERFLOW)  # type: ignore[attr-defined]
    assert POOL_SIZE >= 16  # the load benchmark's 32 connections over 2 workers
