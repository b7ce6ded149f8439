"""Never oversell: 200 concurrent checkouts for 10 units through 2 API worker processes.

``uvicorn --factory stockguard.entrypoints.api.asgi:build --workers 2`` serves a
PostgreSQL database of this module's own on a free loopback port; 200 threads post a
one-unit reservation each at the same moment. Exactly 10 get 201 and 190 get a 409
problem document; then the 10 holds are confirmed and shipped, and the level, the
ledger, the reservations and the reconciliation all agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_reservations import ReservationRow
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import access, commands

from builders import a_location, a_product
from conftest import random_sku, scratch_postgres_database
from live_server import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

UNITS = 10
CHECKOUTS = 200
STARTUP_SECONDS = 30.0


@pytest.fixture(scope="module")
def own_database() -> Iterator[str]:
    """A migrated PostgreSQL database of this module's own (URL), dropped afterwards."""
    with scratch_postgres_database("oversell") as url:
        engine = db_engine.make_engine(url)
        migrations.upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def server(own_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``uvicorn --workers 2`` on the module's database."""
    port = free_port()
    log = tmp_path_factory.mktemp("uvicorn") / "uvicorn.log"
    env = {
        **os.environ,
        "STOCKGUARD_DATABASE__URL": own_database,
        "STOCKGUARD_DATABASE__AUTO_MIGRATE": "false",
    }
    log_file = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "stockguard.entrypoints.api.asgi:build",
         "--workers", "2", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
         "--timeout-worker-healthcheck", "60"],
        env=env, stdout=log_file, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")
            pytest.fail(f"uvicorn exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"uvicorn did not answer within {STARTUP_SECONDS}s")


def _seed(url: str) -> tuple[Engine, str, str, str]:
    """A SKU with ``UNITS`` units at a location, and a storefront key: (engine, sku,
    location, bearer token)."""
    app = bootstrap(Settings(database=DatabaseSettings(url=url, auto_migrate=False)))
    sku, location = random_sku(), random_sku("LOC")[:20]
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        uow.locations.add(a_location(location))
        uow.commit()
    now = datetime.now(UTC)
    app.bus.handle(commands.RecordAdjustment(sku, location, UNITS, now, f"{sku}:initial"))
    prefix, secret = f"o{uuid.uuid4().hex[:7]}", uuid.uuid4().hex
    app.bus.handle(commands.CreateApiKey("oversell", ("storefront",), prefix, secret, now))
    return app.engine, sku, location, f"{access.KEY_PREFIX}_{prefix}_{secret}"


def test_200_concurrent_checkouts_for_10_units_never_oversell(
    own_database: str, server: str
) -> None:
    engine, sku, location, token = _seed(own_database)
    headers = {"Authorization": f"Bearer {token}"}
    start = threading.Barrier(CHECKOUTS)
    started = time.monotonic()

    def checkout(n: int) -> tuple[int, dict[str, Any]]:
        body = {"sku": sku, "location": location, "quantity": 1, "cart_id": f"cart-{n}"}
        with httpx.Client(base_url=server, headers=headers, timeout=60.0) as client:
            start.wait(timeout=60)
            response = client.post("/storefront/v1/reservations", json=body)
        return response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=CHECKOUTS) as pool:
        results = list(pool.map(checkout, range(CHECKOUTS)))
    elapsed = time.monotonic() - started
    print(f"{CHECKOUTS} concurrent checkouts through 2 workers in {elapsed:.1f} s")

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: UNITS, 409: CHECKOUTS - UNITS}, statuses
    refusals = [body for status, body in results if status == 409]
    assert {b["code"] for b in refusals} == {"not_enough_stock"}
    assert {b["detail"] for b in refusals} == {
        f"SKU {sku} is out of stock at {location}; your cart asked for 1."
    }
    held = [body for status, body in results if status == 201]
    assert len({b["id"] for b in held}) == UNITS
    assert sorted(b["available"] for b in held) == list(range(UNITS))
    assert elapsed < 30.0, f"the 200 checkouts took {elapsed:.1f}s"

    with httpx.Client(base_url=server, headers=headers, timeout=30.0) as client:
        for n, body in enumerate(held):
            url = f"/storefront/v1/reservations/{body['id']}"
            confirmed = client.post(f"{url}/confirm", json={"order_number": f"W-{n}"})
            assert confirmed.status_code == 200, confirmed.text
            assert client.post(f"{url}/ship").status_code == 200
        after = client.post(
            "/storefront/v1/reservations",
            json={"sku": sku, "location": location, "quantity": 1, "cart_id": "late"},
        )
        assert after.status_code == 409

    _assert_ledger_and_level_agree(engine, sku, location)
    engine.dispose()


def _assert_ledger_and_level_agree(engine: Engine, sku: str, location: str) -> None:
    levels, moves = t.table_of(t.StockLevelRow), t.table_of(t.StockMovementRow)
    reservations = t.table_of(ReservationRow)
    with engine.connect() as connection:
        level = connection.execute(
            select(levels).where(levels.c.sku == sku, levels.c.location == location)
        ).one()
        ledger_sum = connection.execute(
            select(func.sum(moves.c.quantity)).where(
                moves.c.sku == sku, moves.c.location == location
            )
        ).scalar()
        sales = connection.execute(
            select(func.count()).where(
                moves.c.sku == sku, moves.c.location == location, moves.c.kind == "sale"
            )
        ).scalar()
        by_status = dict(
            connection.execute(
                select(reservations.c.status, func.sum(reservations.c.quantity))
                .where(reservations.c.sku == sku)
                .group_by(reservations.c.status)
            ).all()
        )
    assert (level.on_hand, ledger_sum, sales) == (0, 0, UNITS)
    assert (level.allocated, level.reserved) == (0, 0)
    assert by_status == {"shipped": UNITS}
    app = bootstrap(
        Settings(database=DatabaseSettings(url=engine.url.render_as_string(hide_password=False),
                                           auto_migrate=False))
    )  # fmt: skip
    report = app.bus.handle(commands.ReconcileStockLevels(skus=(sku,)))
    app.engine.dispose()
    assert report.levels_checked == 1
    assert report.drifts == ()
