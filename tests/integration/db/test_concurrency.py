"""Many OS processes changing the same stock level at once lose no update.

Each worker process wires its own application with ``bootstrap`` and sends commands
through the message bus, exactly as separate API or CLI processes would. PostgreSQL
serialises writers with row locks (``SELECT ... FOR UPDATE``) plus the version check;
SQLite serialises them with ``BEGIN IMMEDIATE``. A barrier releases all workers at
once so that their transactions really overlap. PostgreSQL runs on a database of this
module's own; SQLite on a file per test.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import commands

from builders import a_location, a_product
from conftest import random_sku, scratch_postgres_database

pytestmark = pytest.mark.slow

INITIAL_ON_HAND = 1_000
PER_PROCESS = 10
TIMEOUT_SECONDS = 300.0


def handle_commands(
    url: str, batch: list[commands.Command], start_together: Barrier, error_file: str
) -> None:
    """Worker, run in a spawned process: wire the app, wait for the others, send ``batch``.

    A failure is written to ``error_file`` so that the test can show the worker's traceback.
    """
    try:
        app = bootstrap(Settings(database=DatabaseSettings(url=url, auto_migrate=False)))
        try:
            start_together.wait(timeout=TIMEOUT_SECONDS)
            for command in batch:
                app.bus.handle(command)
        finally:
            app.engine.dispose()
    except BaseException:
        start_together.abort()
        Path(error_file).write_text(traceback.format_exc())
        raise


@dataclass(frozen=True, slots=True)
class Shop:
    """A committed product stocked with ``INITIAL_ON_HAND`` units at two locations."""

    engine: Engine
    url: str
    processes: int
    sku: str
    store: str
    warehouse: str

    def sale(self, key: str) -> commands.RecordSale:
        return commands.RecordSale(self.sku, self.store, 1, datetime.now(UTC), key)

    def transfer(self, key: str, *, to_store: bool) -> commands.TransferStock:
        source, destination = (
            (self.warehouse, self.store) if to_store else (self.store, self.warehouse)
        )
        return commands.TransferStock(self.sku, source, destination, 1, datetime.now(UTC), key)


def _seed(engine: Engine, sku: str, locations: tuple[str, ...]) -> None:
    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database=DatabaseSettings(url=url, auto_migrate=False))
    app = bootstrap(settings, engine=engine)
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        for location in locations:
            uow.locations.add(a_location(location))
        uow.commit()
    for location in locations:
        app.bus.handle(
            commands.RecordAdjustment(
                sku, location, INITIAL_ON_HAND, datetime.now(UTC), f"{sku}:{location}:initial"
            )
        )


@pytest.fixture
def sqlite_file_engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file that several processes can open (not ``:memory:``)."""
    engine = db_engine.make_engine(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}")
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def postgres_own_engine() -> Iterator[Engine]:
    """A migrated PostgreSQL database of this module's own, dropped afterwards.

    These tests commit for real and run for tens of seconds; on the shared test database
    a test session started meanwhile (it drops and recreates the schema) would pull the
    rows away from under the workers.
    """
    with scratch_postgres_database("concurrency") as url:
        engine = db_engine.make_engine(url)
        migrations.upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture(
    params=[
        pytest.param(("sqlite_file_engine", 8), id="sqlite"),
        pytest.param(("postgres_own_engine", 20), id="postgres", marks=pytest.mark.postgres),
    ]
)
def shop(request: pytest.FixtureRequest) -> Shop:
    """20 worker processes on PostgreSQL, 8 on SQLite."""
    engine_fixture, processes = request.param
    engine: Engine = request.getfixturevalue(engine_fixture)
    sku, store, warehouse = random_sku(), random_sku("STORE"), random_sku("WH")
    _seed(engine, sku, (store, warehouse))
    url = engine.url.render_as_string(hide_password=False)
    return Shop(engine, url, processes, sku, store, warehouse)


def _run_workers(url: str, batches: list[list[commands.Command]], error_dir: Path) -> None:
    """Run one ``handle_commands`` process per batch; fail with the workers' tracebacks."""
    context = multiprocessing.get_context("spawn")
    start_together = context.Barrier(len(batches))
    workers: list[BaseProcess] = [
        context.Process(
            target=handle_commands,
            args=(url, batch, start_together, str(error_dir / f"worker-{n}.txt")),
        )
        for n, batch in enumerate(batches)
    ]
    for worker in workers:
        worker.start()
    _wait_for(workers, start_together)
    hung = [worker for worker in workers if worker.is_alive()]
    for worker in hung:
        worker.terminate()
        worker.join()
    failures = sorted(path.read_text() for path in error_dir.glob("worker-*.txt"))
    assert not hung, f"{len(hung)} workers did not finish within {TIMEOUT_SECONDS}s"
    assert not failures, "\n".join(failures)
    assert [worker.exitcode for worker in workers] == [0] * len(workers)


def _wait_for(workers: list[BaseProcess], start_together: Barrier) -> None:
    """Wait until every worker ends; one that dies early releases the others' barrier."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    running = list(workers)
    while running and time.monotonic() < deadline:
        multiprocessing.connection.wait(
            [worker.sentinel for worker in running], timeout=deadline - time.monotonic()
        )
        for worker in [worker for worker in running if not worker.is_alive()]:
            running.remove(worker)
            worker.join()
            if worker.exitcode != 0:
                start_together.abort()


def _figures(shop: Shop, location: str, kind: str) -> tuple[int, int, int]:
    """(on_hand, ledger sum, number of ``kind`` movements) of the SKU at ``location``."""
    moves = t.table_of(t.StockMovementRow)
    levels = t.table_of(t.StockLevelRow)
    here = (moves.c.sku == shop.sku, moves.c.location == location)
    with shop.engine.connect() as connection:
        on_hand = connection.execute(
            select(levels.c.on_hand).where(levels.c.sku == shop.sku, levels.c.location == location)
        ).scalar_one()
        ledger_sum = connection.execute(select(func.sum(moves.c.quantity)).where(*here))
        count = connection.execute(select(func.count()).where(*here, moves.c.kind == kind))
        return int(on_hand), int(ledger_sum.scalar_one()), int(count.scalar_one())


def test_concurrent_sales_from_many_processes_lose_no_update(shop: Shop, tmp_path: Path) -> None:
    batches: list[list[commands.Command]] = [
        [shop.sale(f"{shop.sku}:worker-{n}:sale-{i}") for i in range(PER_PROCESS)]
        for n in range(shop.processes)
    ]

    _run_workers(shop.url, batches, tmp_path)

    sold = shop.processes * PER_PROCESS
    left = INITIAL_ON_HAND - sold
    assert _figures(shop, shop.store, "sale") == (left, left, sold)


def test_the_same_sales_delivered_by_many_processes_at_once_are_recorded_once(
    shop: Shop, tmp_path: Path
) -> None:
    """Every process sends the same idempotency keys, as a redelivering queue would."""
    same_sales: list[commands.Command] = [
        shop.sale(f"{shop.sku}:order-{i}") for i in range(PER_PROCESS)
    ]

    _run_workers(shop.url, [same_sales] * min(shop.processes, 6), tmp_path)

    left = INITIAL_ON_HAND - PER_PROCESS
    assert _figures(shop, shop.store, "sale") == (left, left, PER_PROCESS)


def test_transfers_in_opposite_directions_at_once_all_complete_and_keep_the_total(
    shop: Shop, tmp_path: Path
) -> None:
    """Half the processes move units store -> warehouse, the other half the other way.

    A transfer locks two levels; taking them in command order would let two opposite
    transfers each hold one lock and wait for the other (a deadlock on PostgreSQL).
    """
    processes = shop.processes
    batches: list[list[commands.Command]] = [
        [
            shop.transfer(f"{shop.sku}:worker-{n}:transfer-{i}", to_store=n % 2 == 0)
            for i in range(PER_PROCESS)
        ]
        for n in range(processes)
    ]

    _run_workers(shop.url, batches, tmp_path)

    legs_per_location = processes * PER_PROCESS
    store = _figures(shop, shop.store, "transfer")
    warehouse = _figures(shop, shop.warehouse, "transfer")
    assert (store, warehouse) == (
        (INITIAL_ON_HAND, INITIAL_ON_HAND, legs_per_location),
        (INITIAL_ON_HAND, INITIAL_ON_HAND, legs_per_location),
    )
