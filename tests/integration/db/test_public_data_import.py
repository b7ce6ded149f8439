"""Online Retail and M5 readers on small synthetic files, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.entrypoints.cli.main import app as cli
from stockguard.services.importing import m5, online_retail
from stockguard.services.importing.problems import ImportRejected

from conftest import random_sku

RETAIL_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
M5_HEADER = (
    "item_id,dept_id,cat_id,store_id,state_id,value,date,wm_yr_wk,weekday,wday,month,year,"
    "event_name_1,event_type_1,event_name_2,event_type_2,snap,sell_price"
)


def _write(path: Path, lines: list[str], *, compress: bool = False) -> Path:
    content = "\n".join(lines) + "\n"
    if compress:
        path.write_bytes(gzip.compress(content.encode("utf-8")))
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _retail_file(tmp_path: Path, sku: str, *, compress: bool = False) -> Path:
    """Two invoices, one cancellation, one write-off, postage and a zero-quantity row."""
    return _write(
        tmp_path / "retail.csv.gz",
        [
            RETAIL_HEADER,
            f"936365,{sku},HEART T-LIGHT HOLDER,6,2011-06-01 10:00,2.55,17850,United Kingdom",
            "936365,POST,POSTAGE,1,2011-06-01 10:00,18.00,17850,United Kingdom",
            f"936365,{sku.lower()},heart holder,4,2011-06-01 10:00,2.40,17850,United Kingdom",
            f"936366,{sku},HEART T-LIGHT HOLDER,10,2011-12-01 09:30,2.95,12583,France",
            "936366,gift_0001_20,Gift Voucher 20.00,1,2011-12-01 09:30,17.02,12583,France",
            f"C936367,{sku},HEART T-LIGHT HOLDER,-2,2011-12-02 11:00,2.95,12583,France",
            f"936368,{sku},damaged,-3,2011-12-03 12:00,0.00,,United Kingdom",
            f"936369,{sku},check,0,2011-12-03 12:00,0.00,,United Kingdom",
        ],
        compress=compress,
    )


def _rows(app: App, table: Any, *where: Any) -> list[Any]:
    with app.sessions() as session:
        return list(session.execute(select(table).where(*where)).all())


def _on_hand(app: App, sku: str, location: str) -> int:
    levels = t.table_of(t.StockLevelRow)
    query = select(levels.c.on_hand).where(levels.c.sku == sku, levels.c.location == location)
    with app.sessions() as session:
        return int(session.execute(query).scalar_one())


def _count(app: App, table: Any, *where: Any) -> int:
    with app.sessions() as session:
        return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_invoices_become_orders_and_cancellations_become_returns(app: App, tmp_path: Path) -> None:
    sku, location = random_sku("OR").upper(), random_sku("LOC")
    path = _retail_file(tmp_path, sku, compress=True)
    report = online_retail.import_online_retail(path, app.unit_of_work(), location=location)

    movements = t.table_of(t.StockMovementRow)
    found = _rows(app, movements, movements.c.sku == sku)
    by_key = {row.idempotency_key: (row.kind, row.quantity) for row in found}
    assert by_key == {
        "online-retail:936365:1": ("sale", -6),
        "online-retail:936365:3": ("sale", -4),
        "online-retail:936366:1": ("sale", -10),
        "online-retail:C936367:1": ("return", 2),
        "online-retail:936368:1": ("adjustment", -3),
    }
    assert _on_hand(app, sku, location) == -6 - 4 - 10 + 2 - 3
    lines = t.table_of(t.SalesOrderLineRow)
    order_lines = _rows(app, lines, lines.c.sku == sku)
    assert sorted((r.order_number, r.line_no, r.quantity) for r in order_lines) == [
        ("936365", 1, 6),
        ("936365", 3, 4),
        ("936366", 1, 10),
    ]
    orders = t.table_of(t.SalesOrderRow)
    (order,) = _rows(app, orders, orders.c.number == "936365")
    assert (order.customer, order.currency) == ("17850", "GBP")
    assert order.ordered_at == datetime(2011, 6, 1, 9, 0, tzinfo=UTC)  # BST -> UTC
    assert report.written["sales_orders"] == 2
    assert report.written["movements"] == 5


def test_product_title_is_most_frequent_description_and_price_the_latest(
    app: App, tmp_path: Path
) -> None:
    sku, location = random_sku("OR").upper(), random_sku("LOC")
    path = _retail_file(tmp_path, sku)
    online_retail.import_online_retail(path, app.unit_of_work(), location=location)

    products = t.table_of(t.ProductRow)
    (product,) = _rows(app, products, products.c.sku == sku)
    assert (product.title, product.price, product.currency) == (
        "HEART T-LIGHT HOLDER",
        Decimal("2.95"),
        "GBP",
    )
    customers = t.table_of(t.CustomerRow)
    countries = {
        r.external_id: r.country
        for r in _rows(app, customers, customers.c.external_id.in_(["17850", "12583"]))
    }
    assert countries == {"17850": "United Kingdom", "12583": "France"}


def test_non_product_codes_and_zero_quantities_are_skipped_and_counted(
    app: App, tmp_path: Path
) -> None:
    sku, location = random_sku("OR").upper(), random_sku("LOC")
    path = _retail_file(tmp_path, sku)
    report = online_retail.import_online_retail(path, app.unit_of_work(), location=location)

    assert report.rows_read == 8
    assert report.skipped == {
        "non-product code GIFT_* (gift voucher)": 1,
        "non-product code POST": 1,
        "quantity 0": 1,
    }
    products = t.table_of(t.ProductRow)
    assert _count(app, products, products.c.sku.in_(["POST", "GIFT_0001_20"])) == 0


def test_unreadable_date_rejects_the_whole_file_and_writes_nothing(
    app: App, tmp_path: Path
) -> None:
    sku, location = random_sku("OR").upper(), random_sku("LOC")
    path = _write(
        tmp_path / "bad.csv",
        [
            RETAIL_HEADER,
            f"936365,{sku},HOLDER,6,2011-06-01 10:00,2.55,17850,United Kingdom",
            f"936365,{sku},HOLDER,2,01/06/2011 10:00,2.55,17850,United Kingdom",
            f"936366,{sku},HOLDER,two,2011-06-01 10:00,abc,17850,United Kingdom",
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        online_retail.import_online_retail(path, app.unit_of_work(), location=location)

    found = [(p.line, p.column, p.value) for p in rejected.value.problems]
    assert found == [
        (3, "InvoiceDate", "01/06/2011 10:00"),
        (4, "Quantity", "two"),
        (4, "UnitPrice", "abc"),
    ]
    assert "line 3, column 'InvoiceDate'" in str(rejected.value)
    assert _count(app, t.table_of(t.ProductRow), t.ProductRow.sku == sku) == 0
    assert _count(app, t.table_of(t.LocationRow), t.LocationRow.code == location) == 0


def test_reimporting_the_same_retail_file_changes_nothing(app: App, tmp_path: Path) -> None:
    sku, location = random_sku("OR").upper(), random_sku("LOC")
    path = _retail_file(tmp_path, sku)
    online_retail.import_online_retail(path, app.unit_of_work(), location=location)
    again = online_retail.import_online_retail(path, app.unit_of_work(), location=location)

    assert again.written["movements"] == 0
    assert again.written["locations"] == 0
    assert _on_hand(app, sku, location) == -21
    assert _count(app, t.table_of(t.StockMovementRow), t.StockMovementRow.sku == sku) == 5
    assert _count(app, t.table_of(t.SalesOrderLineRow), t.SalesOrderLineRow.sku == sku) == 3


def _m5_row(item: str, store: str, value: int, day: str, price: str) -> str:
    dept, cat = item.rsplit("_", 1)[0], item.split("_", 1)[0]
    return f"{item},{dept},{cat},{store},CA,{value},{day},11101,Saturday,1,1,2011,,,,,0,{price}"


def test_m5_rows_with_sales_become_sales_at_noon_utc(app: App, tmp_path: Path) -> None:
    item, store = f"FOODS_3_{random_sku('')[1:]}", random_sku("ST")
    path = _write(
        tmp_path / "m5.csv.gz",
        [
            M5_HEADER,
            _m5_row(item, store, 0, "2011-01-29", ""),
            _m5_row(item, store, 3, "2011-01-30", "2.50"),
            _m5_row(item, store, 1, "2011-01-31", "2.75"),
        ],
        compress=True,
    )
    report = m5.import_m5(path, app.unit_of_work())
    again = m5.import_m5(path, app.unit_of_work())

    movements = t.table_of(t.StockMovementRow)
    found = {
        r.idempotency_key: (r.quantity, r.occurred_at)
        for r in _rows(app, movements, movements.c.sku == item)
    }
    assert found == {
        f"m5:{item}:{store}:2011-01-30": (-3, datetime(2011, 1, 30, 12, tzinfo=UTC)),
        f"m5:{item}:{store}:2011-01-31": (-1, datetime(2011, 1, 31, 12, tzinfo=UTC)),
    }
    assert (report.written["movements"], again.written["movements"]) == (2, 0)
    assert report.skipped == {m5.SKIPPED_NO_SALE: 1}
    assert _on_hand(app, item, store) == -4
    products = t.table_of(t.ProductRow)
    (product,) = _rows(app, products, products.c.sku == item)
    assert (product.category, product.family, product.price, product.currency) == (
        "FOODS",
        "FOODS_3",
        Decimal("2.75"),
        "USD",
    )
    (shop,) = _rows(app, t.table_of(t.LocationRow), t.LocationRow.code == store)
    assert (shop.kind, shop.country) == ("store", "US")


def test_m5_negative_or_unreadable_values_reject_the_file(app: App, tmp_path: Path) -> None:
    item, store = f"FOODS_3_{random_sku('')[1:]}", random_sku("ST")
    path = _write(
        tmp_path / "m5.csv",
        [
            M5_HEADER,
            _m5_row(item, store, 2, "2011-01-29", "1.00"),
            _m5_row(item, store, -1, "2011-01-30", "1.00"),
            _m5_row(item, store, 1, "2011-02-30", "1.0x"),
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        m5.import_m5(path, app.unit_of_work())

    found = [(p.line, p.column) for p in rejected.value.problems]
    assert found == [(3, "value"), (4, "date"), (4, "sell_price")]
    assert _count(app, t.table_of(t.ProductRow), t.ProductRow.sku == item) == 0


def test_missing_column_rejects_the_file_before_any_row(app: App, tmp_path: Path) -> None:
    path = _write(tmp_path / "short.csv", ["InvoiceNo,StockCode,Quantity", "1,2,3"])
    with pytest.raises(ImportRejected) as rejected:
        online_retail.import_online_retail(path, app.unit_of_work())

    (problem,) = rejected.value.problems
    assert problem.line == 1
    assert "Description" in problem.reason


@pytest.mark.e2e
def test_cli_prints_a_summary_or_the_problems_with_exit_code_1(
    cli_database: str, tmp_path: Path
) -> None:
    good = _retail_file(tmp_path, "85123A")
    bad = _write(tmp_path / "bad.csv", [RETAIL_HEADER, "1,A1,Mug,2,2011-13-01 10:00,1.0,,UK"])
    runner = CliRunner()

    done = runner.invoke(cli, ["--database", cli_database, "import", "online-retail", str(good)])
    refused = runner.invoke(cli, ["--database", cli_database, "import", "online-retail", str(bad)])

    assert done.exit_code == 0, done.output
    for text in ("Sales orders", "Stock movements (new)", "Skipped: non-product code POST"):
        assert text in done.stdout
    assert refused.exit_code == 1
    assert "bad.csv, line 2, column 'InvoiceDate' (value '2011-13-01 10:00')" in refused.stderr
