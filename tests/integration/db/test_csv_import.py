"""CSV imports on SQLite and PostgreSQL: all or nothing, idempotent, every entity."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.services.importing import service
from stockguard.services.importing.problems import ImportProblem, ImportRejected, ImportReport

from builders import NOW
from conftest import random_sku


def _import(app: App, entity: str, text: str) -> ImportReport:
    stream = io.StringIO(text)
    return service.import_file(entity, stream, f"{entity}.csv", app.unit_of_work(), now=NOW)


def _rejected(app: App, entity: str, text: str) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        _import(app, entity, text)
    return caught.value.problems


def _snapshot(app: App) -> dict[str, Any]:
    """Row counts of every table, and every stock level's figures."""
    with app.sessions() as session:
        counts: dict[str, Any] = {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in t.Base.metadata.sorted_tables
        }
        levels = t.table_of(t.StockLevelRow)
        counts["levels"] = sorted(
            tuple(row)
            for row in session.execute(
                select(levels.c.sku, levels.c.location, levels.c.on_hand, levels.c.on_order)
            )
        )
    return counts


def _level(app: App, sku: str, location: str = "WH1") -> tuple[int, int]:
    with app.sessions() as session:
        row = session.execute(
            select(t.StockLevelRow.on_hand, t.StockLevelRow.on_order).where(
                t.StockLevelRow.sku == sku, t.StockLevelRow.location == location
            )
        ).one()
    return int(row[0]), int(row[1])


def _seed(app: App, *skus: str) -> None:
    _import(app, "locations", "code,name\nWH1,Main warehouse\n")
    _import(app, "products", "sku,title,price\n" + "".join(f"{s},Item {s},5\n" for s in skus))


def test_a_wrong_type_rejects_the_file_and_writes_nothing(app: App) -> None:
    sku, other = random_sku(), random_sku()
    _seed(app, sku, other)
    before = _snapshot(app)
    problems = _rejected(
        app, "stock-levels", f"sku,location,on_hand\n{sku},WH1,12\n{other},WH1,twelve\n"
    )
    assert problems == [
        ImportProblem(
            "stock-levels.csv",
            3,
            "on_hand",
            "twelve",
            "Not a whole number; write the on-hand quantity like 12.",
        )
    ]
    assert _snapshot(app) == before


def test_a_missing_column_rejects_the_file_and_writes_nothing(app: App) -> None:
    before = _snapshot(app)
    problems = _rejected(app, "locations", "code\nWH9\n")
    assert problems == [
        ImportProblem(
            "locations.csv",
            1,
            None,
            None,
            "The required column 'name' is missing; expected columns are code, name "
            "(required) and kind, sellable, country (optional).",
        )
    ]
    assert _snapshot(app) == before


def test_an_unknown_sku_rejects_the_file_and_writes_nothing(app: App) -> None:
    sku, unknown = random_sku(), random_sku()
    _seed(app, sku)
    before = _snapshot(app)
    problems = _rejected(
        app,
        "movements",
        "sku,location,kind,quantity,occurred_at,idempotency_key\n"
        f"{sku},WH1,adjustment,5,2026-09-01 10:00,k1-{sku}\n"
        f"{unknown},WH1,adjustment,5,2026-09-01 10:00,k2-{sku}\n",
    )
    assert problems == [
        ImportProblem(
            "movements.csv",
            3,
            "sku",
            unknown,
            "There is no product with this SKU; import it first (stockguard import products).",
        )
    ]
    assert _snapshot(app) == before


def test_a_duplicate_key_rejects_the_file_and_writes_nothing(app: App) -> None:
    sku = random_sku()
    before = _snapshot(app)
    problems = _rejected(app, "products", f"sku,title,price\n{sku},Mug,1\n{sku},Mug again,2\n")
    assert problems == [
        ImportProblem(
            "products.csv",
            3,
            "sku",
            sku,
            "Line 2 already has the same sku; each may appear only once in a file.",
        )
    ]
    assert _snapshot(app) == before


def test_a_bad_date_rejects_the_file_and_writes_nothing(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    before = _snapshot(app)
    problems = _rejected(
        app,
        "promotions",
        "code,kind,sku,starts_on,ends_on\n"
        f"P1-{sku},discount,{sku},2026-09-01,2026-09-30\n"
        f"P2-{sku},discount,{sku},01/10/2026,2026-10-31\n",
    )
    assert problems == [
        ImportProblem(
            "promotions.csv",
            3,
            "starts_on",
            "01/10/2026",
            "Not a date; write dates as YYYY-MM-DD, like 2026-09-01.",
        )
    ]
    assert _snapshot(app) == before


def test_a_negative_price_rejects_the_file_and_writes_nothing(app: App) -> None:
    sku = random_sku()
    before = _snapshot(app)
    problems = _rejected(app, "products", f"sku,title,price\n{sku}-a,Mug,2\n{sku}-b,Cup,-3.50\n")
    assert problems == [
        ImportProblem("products.csv", 3, "price", "-3.50", "The price cannot be negative.")
    ]
    assert _snapshot(app) == before


def test_every_problem_of_a_file_is_listed_in_one_rejection(app: App) -> None:
    sku, unknown = random_sku(), random_sku()
    _seed(app, sku)
    before = _snapshot(app)
    problems = _rejected(
        app,
        "orders",
        "order_number,line_no,ordered_at,sku,quantity,unit_price,location\n"
        f"O1,1,2026-09-01 10:00,{sku},2,9.90,WH1\n"
        f"O1,2,2026-09-02 10:00,{sku},0,9.90,WH1\n"
        f"O2,1,2026-09-01 10:00,{unknown},1,abc,WH9\n"
        f"O2,1,2026-09-01 10:00,{sku},1,1,WH1\n",
    )
    assert [(p.line, p.column) for p in problems] == [
        (3, "quantity"),
        (3, "ordered_at"),
        (4, "unit_price"),
        (4, "sku"),
        (4, "location"),
        (5, "line_no"),
    ]
    assert problems[1].reason == (
        "Line 2 of the same order says 2026-09-01 10:00; all lines of one order must "
        "repeat the same ordered_at."
    )
    assert _snapshot(app) == before


def test_a_movement_with_the_wrong_sign_is_refused(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    problems = _rejected(
        app,
        "movements",
        "sku,location,kind,quantity,occurred_at,idempotency_key\n"
        f"{sku},WH1,sale,3,2026-09-01,k-{sku}\n",
    )
    assert problems == [
        ImportProblem(
            "movements.csv",
            2,
            "quantity",
            "3",
            "Wrong quantity for a sale: a sale must take stock out (negative quantity).",
        )
    ]


def test_importing_the_same_files_twice_changes_nothing_the_second_time(app: App) -> None:
    sku = random_sku()
    files = _dependency_ordered_files(sku)
    for entity, text in files:
        _import(app, entity, text)
    after_first = _snapshot(app)
    level_after_first = _level(app, sku)
    second = {entity: _import(app, entity, text) for entity, text in files}
    assert _snapshot(app) == after_first
    assert _level(app, sku) == level_after_first
    assert second["movements"].skipped == {"already in the ledger (same idempotency key)": 2}
    assert second["receipts"].skipped == {"receipt already recorded (same idempotency key)": 1}
    assert second["purchase-orders"].skipped == {
        "purchase order already in stockguard (left unchanged)": 2
    }


def _dependency_ordered_files(sku: str) -> list[tuple[str, str]]:
    other = f"{sku}-B"
    return [
        ("carriers", "code,name\nDHL,DHL Express\n"),
        ("locations", "code,name,kind,sellable,country\nWH1,Main,warehouse,true,FR\n"),
        (
            "products",
            "sku,title,price,currency,category,attributes,status,unit_cost\n"
            f"{sku},Mug,9.90,EUR,kitchen,colour=red;size=M,active,3.10\n"
            f"{other},Cup,4.50,EUR,kitchen,,active,\n",
        ),
        ("suppliers", "code,name,country,email,currency\nSUP1,Acme,FR,sales@acme.example,EUR\n"),
        (
            "supplier-offers",
            "supplier,sku,unit_cost,minimum_order_quantity,pack_size,lead_time_days\n"
            f"SUP1,{sku},3.10,12,6,10\n",
        ),
        (
            "customers",
            "external_id,email,phone,name,locale,email_consent_at\n"
            "C1,ann@example.com,+33 6 12 34 56 78,Ann,fr,2026-08-01 09:00\n",
        ),
        ("stock-levels", f"sku,location,on_hand,counted_at\n{sku},WH1,20,2026-09-01 08:00\n"),
        (
            "movements",
            "sku,location,kind,quantity,occurred_at,reference,idempotency_key\n"
            f"{sku},WH1,adjustment,-2,2026-09-01 09:00,breakage,adj-{sku}\n"
            f"{other},WH1,return,1,2026-09-01 09:30,,ret-{sku}\n",
        ),
        (
            "orders",
            "order_number,line_no,ordered_at,customer,sku,quantity,unit_price,channel,location\n"
            f"SO-{sku},1,2026-09-02 10:00,C1,{sku},3,9.90,web,WH1\n"
            f"SO-{sku},2,2026-09-02 10:00,C1,{other},1,4.50,web,WH1\n",
        ),
        (
            "purchase-orders",
            "number,supplier,location,status,ordered_on,expected_on,carrier,sku,quantity,"
            "unit_cost\n"
            f"PO-{sku},SUP1,WH1,sent,2026-09-01,2026-09-10,DHL,{sku},24,3.10\n"
            f"PO-{sku},SUP1,WH1,sent,2026-09-01,2026-09-10,DHL,{other},6,1.20\n",
        ),
        (
            "receipts",
            "po_number,sku,quantity,rejected,received_at,idempotency_key\n"
            f"PO-{sku},{sku},10,1,2026-09-08 14:00,rcv-{sku}\n",
        ),
        (
            "promotions",
            "code,kind,sku,category,starts_on,ends_on,discount_percent,owner\n"
            f"PR-{sku},discount,{sku},,2026-09-01,2026-09-30,15,Marketing\n"
            f"PR2-{sku},newsletter,,kitchen,2026-10-01,2026-10-01,,\n",
        ),
    ]


def test_every_entity_imports_in_dependency_order(app: App) -> None:
    sku = random_sku()
    reports = {
        entity: _import(app, entity, text) for entity, text in _dependency_ordered_files(sku)
    }
    assert reports["orders"].written == {
        "sales_order": 1,
        "sales_order_line": 2,
        "stock_movement": 2,
    }
    assert reports["receipts"].written == {"purchase_receipt": 1, "stock_movement": 1}
    # 20 counted, 2 broken, 3 sold, 9 accepted of 10 delivered; 24 ordered - 10 delivered.
    assert _level(app, sku) == (20 - 2 - 3 + 9, 24 - 10)
    assert _level(app, f"{sku}-B") == (1 - 1, 6)
    with app.sessions() as session:
        product = session.execute(select(t.ProductRow).where(t.ProductRow.sku == sku)).scalar_one()
        line = session.execute(
            select(t.PurchaseOrderLineRow).where(t.PurchaseOrderLineRow.sku == sku)
        ).scalar_one()
        offer = session.execute(
            select(t.SupplierOfferRow).where(t.SupplierOfferRow.sku == sku)
        ).scalar_one()
    assert product.attributes == {"colour": "red", "size": "M"}
    assert product.unit_cost == Decimal("3.10")
    assert (line.received, line.rejected) == (10, 1)
    assert (offer.minimum_order_quantity, offer.pack_size, offer.lead_time_days) == (12, 6, 10)


def test_a_second_count_brings_on_hand_to_the_new_figure(app: App) -> None:
    sku = random_sku()
    _seed(app, sku)
    _import(app, "stock-levels", f"sku,location,on_hand,counted_at\n{sku},WH1,7,2026-09-01\n")
    _import(app, "stock-levels", f"sku,location,on_hand,counted_at\n{sku},WH1,4,2026-09-02\n")
    assert _level(app, sku) == (4, 0)


def test_receiving_more_than_outstanding_is_refused_with_its_line(app: App) -> None:
    sku = random_sku()
    files = dict(_dependency_ordered_files(sku))
    for entity in ("carriers", "locations", "products", "suppliers", "purchase-orders"):
        _import(app, entity, files[entity])
    before = _snapshot(app)
    problems = _rejected(
        app,
        "receipts",
        "po_number,sku,quantity,received_at,idempotency_key\n"
        f"PO-{sku},{sku},20,2026-09-08,r1-{sku}\n"
        f"PO-{sku},{sku},5,2026-09-09,r2-{sku}\n"
        f"PO-{sku},{sku}-X,1,2026-09-09,r3-{sku}\n"
        f"PO-none,{sku},1,2026-09-09,r4-{sku}\n",
    )
    assert [(p.line, p.column, p.reason) for p in problems] == [
        (3, "quantity", "Only 4 units are still expected on this line; this receipt brings 5."),
        (4, "sku", "This purchase order has no line for this SKU."),
        (5, "po_number", "There is no purchase order with this number."),
    ]
    assert _snapshot(app) == before


GUIDE = Path(__file__).resolve().parents[3] / "docs" / "data-format.md"
GUIDE_ORDER = [entity for entity, _ in _dependency_ordered_files("unused")]


def test_every_example_in_the_data_format_guide_imports_cleanly(app: App) -> None:
    sections = re.findall(r"^## ([a-z-]+)\n(.*?)(?=^## |\Z)", GUIDE.read_text(), re.S | re.M)
    examples = {
        name: match.group(1)
        for name, body in sections
        if (match := re.search(r"```csv\n(.*?)```", body, re.S))
    }
    assert set(examples) == set(service.FORMATS)
    for entity in GUIDE_ORDER:
        report = _import(app, entity, examples[entity])
        assert report.rows_read > 0
        assert not report.skipped, entity
    assert _level(app, "CUP-01") == (35 + 1 - 1 + 10, 12 - 10)
