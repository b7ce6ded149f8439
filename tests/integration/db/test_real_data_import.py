"""The public-data readers on the real files in ../shared/data (skipped when absent).

Expected figures are computed here from the raw file with the csv module, independently
of the readers. The full M5 subset runs on SQLite only (about 6 s; PostgreSQL takes
about 15 s, which belongs in a benchmark); Online Retail uses a head slice on both.
"""

from __future__ import annotations

import csv
import gzip
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import sessionmaker

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from stockguard.bootstrap import App
from stockguard.config import DatabaseSettings, Settings
from stockguard.services.importing import m5, online_retail
from stockguard.services.messagebus import MessageBus

from conftest import random_sku, shared_data

pytestmark = pytest.mark.realdata

RETAIL_HEAD_LINES = 20_000
NOT_PRODUCTS = {"POST", "DOT", "C2", "M", "D", "S", "B", "CRUK", "PADS", "AMAZONFEE"}
NOT_PRODUCTS |= {"BANK CHARGES", "23444", "23574", "22016", "23702"}


@pytest.fixture
def sqlite_app(sqlite_engine: Engine) -> Iterator[App]:
    """Like conftest's ``app``, on SQLite only, for imports too slow to repeat on PostgreSQL."""
    with sqlite_engine.connect() as connection:
        transaction = connection.begin()
        yield _app_on(connection)
        transaction.rollback()


def _app_on(connection: Connection) -> App:
    sessions = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    settings = Settings(database=DatabaseSettings(url=str(connection.engine.url)))
    bus = MessageBus(lambda: SqlAlchemyUnitOfWork(sessions))
    return App(settings=settings, engine=connection.engine, sessions=sessions, bus=bus)


def _scalar(app: App, query: Any) -> Any:
    with app.sessions() as session:
        return session.execute(query).scalar()


def _levels(app: App, location: str | None = None) -> dict[tuple[str, str], int]:
    levels = t.table_of(t.StockLevelRow)
    query = select(levels.c.sku, levels.c.location, levels.c.on_hand)
    if location is not None:
        query = query.where(levels.c.location == location)
    with app.sessions() as session:
        return {(r.sku, r.location): r.on_hand for r in session.execute(query)}


def test_m5_subset_imports_fully_with_figures_from_the_raw_file(sqlite_app: App) -> None:
    path = shared_data("m5_tiny_long.csv.gz")
    sold: Counter[tuple[str, str]] = Counter()
    last_price: dict[str, tuple[str, str]] = {}
    sales_rows = rows = 0
    with gzip.open(path, "rt", newline="") as text:
        for row in csv.DictReader(text):
            rows += 1
            if int(row["value"]) > 0:
                sales_rows += 1
                sold[(row["item_id"], row["store_id"])] += int(row["value"])
            if row["sell_price"] and row["date"] >= last_price.get(row["item_id"], ("", ""))[0]:
                last_price[row["item_id"]] = (row["date"], row["sell_price"])

    report = m5.import_m5(path, sqlite_app.unit_of_work())

    assert report.rows_read == rows
    assert report.written["movements"] == sales_rows
    movements = t.table_of(t.StockMovementRow)
    in_ledger = select(func.count()).where(movements.c.idempotency_key.like("m5:%"))
    assert _scalar(sqlite_app, in_ledger) == sales_rows
    on_hand = _levels(sqlite_app)
    assert {series: -on_hand[series] for series in sold} == dict(sold)
    products = t.table_of(t.ProductRow)
    with sqlite_app.sessions() as session:
        prices = {r.sku: r.price for r in session.execute(select(products.c.sku, products.c.price))}
    assert {item: prices[item] for item in last_price} == {
        item: Decimal(price) for item, (_day, price) in last_price.items()
    }
    assert _scalar(sqlite_app, select(func.count()).select_from(t.LocationRow)) >= 10


def _retail_head(tmp_path: Path) -> Path:
    source = shared_data("online_retail_2010_2011.csv.gz")
    head = tmp_path / "online_retail_head.csv"
    with gzip.open(source, "rt", newline="") as text:
        head.write_text("".join(itertools.islice(text, RETAIL_HEAD_LINES)), encoding="utf-8")
    return head


def _expected_retail(head: Path) -> dict[str, Any]:
    expected: dict[str, Any] = defaultdict(int)
    on_hand: Counter[str] = Counter()
    orders, customers, products = set(), set(), set()
    with head.open(newline="") as text:
        for row in csv.DictReader(text):
            code, quantity = row["StockCode"].upper(), int(row["Quantity"])
            invoice = row["InvoiceNo"]
            if code in NOT_PRODUCTS or code.startswith("GIFT_"):
                expected["skipped"] += 1
                continue
            if quantity == 0:
                continue
            products.add(code)
            customers.update({row["CustomerID"]} - {""})
            if invoice.startswith("C"):
                expected["returns"] += 1
                on_hand[code] += -quantity  # a return brings the units back
                continue
            on_hand[code] -= abs(quantity)  # a sale or a write-off takes units out
            if quantity < 0:
                expected["adjustments"] += 1
            else:
                expected["sales"] += 1
                orders.add(invoice)
    expected.update(orders=orders, customers=customers, products=products, on_hand=on_hand)
    return expected


def test_online_retail_head_imports_with_figures_from_the_raw_file(
    app: App, tmp_path: Path
) -> None:
    head = _retail_head(tmp_path)
    expected = _expected_retail(head)
    location = random_sku("UK")

    report = online_retail.import_online_retail(head, app.unit_of_work(), location=location)

    assert report.rows_read == RETAIL_HEAD_LINES - 1
    assert sum(report.skipped.values()) == expected["skipped"]
    assert report.written["sales_orders"] == len(expected["orders"])
    assert report.written["sales_order_lines"] == expected["sales"]
    assert report.written["customers"] == len(expected["customers"])
    assert report.written["products"] == len(expected["products"])
    movements = t.table_of(t.StockMovementRow)
    with app.sessions() as session:
        query = (
            select(movements.c.kind, func.count().label("n"))
            .where(movements.c.location == location)
            .group_by(movements.c.kind)
        )
        kinds = {r.kind: r.n for r in session.execute(query)}
    assert kinds == {
        "sale": expected["sales"],
        "return": expected["returns"],
        "adjustment": expected["adjustments"],
    }
    on_hand = {sku: value for (sku, _loc), value in _levels(app, location).items()}
    assert on_hand == dict(expected["on_hand"])
    first = select(movements.c.occurred_at).where(
        movements.c.idempotency_key == "online-retail:536365:1"
    )
    assert _scalar(app, first) == datetime(2010, 12, 1, 8, 26, tzinfo=UTC)  # GMT = UTC
