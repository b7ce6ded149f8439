"""Supplier KPIs on the real SCMS delivery history (skipped when ../shared/data lacks it).

The whole file is imported (about 1 s on SQLite, a few on PostgreSQL) and the KPIs the
service computes are checked against figures computed here, with the csv and statistics
modules only, straight from the raw file: per vendor, the number of lines, the on-time
rate (delivered on or before the scheduled day), the lead time from PO sent to delivery
(mean and type-7 quantiles) and the spend.
"""

from __future__ import annotations

import csv
import gzip
import statistics
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.suppliers_kpi import SqlSupplierHistory
from stockguard.bootstrap import App
from stockguard.services.importing import scms
from stockguard.services.importing.problems import ImportRejected
from stockguard.services.suppliers import kpis

from conftest import shared_data

pytestmark = pytest.mark.realdata

FILE = "scms_delivery_history.csv.gz"
TOP_VENDORS = 8


def _day(text: str, layout: str) -> date | None:
    try:
        return datetime.strptime(text, layout).date()  # noqa: DTZ007
    except ValueError:
        return None


def _expected_by_vendor(path: Path) -> dict[str, dict[str, Any]]:
    """Per vendor name: lines, on-time count, lead times (days) and spend, from the raw rows."""
    found: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"lines": 0, "on_time": 0, "lead_times": [], "spend": 0.0}
    )
    with gzip.open(path, "rt", encoding="utf-8", newline="") as text:
        for row in csv.DictReader(text):
            figures = found[row["Vendor"].strip()]
            scheduled = _day(row["Scheduled Delivery Date"], "%d-%b-%y")
            delivered = _day(row["Delivered to Client Date"], "%d-%b-%y")
            sent = _day(row["PO Sent to Vendor Date"], "%m/%d/%y")
            assert scheduled is not None
            assert delivered is not None
            figures["lines"] += 1
            figures["on_time"] += delivered <= scheduled
            if sent is not None and sent <= delivered:
                figures["lead_times"].append((delivered - sent).days)
            figures["spend"] += int(row["Line Item Quantity"]) * float(row["Pack Price"])
    return found


def test_scms_kpis_match_figures_computed_from_the_raw_file(app: App) -> None:
    path = shared_data(FILE)
    report = scms.import_scms(path, app.unit_of_work())
    assert report.written["purchase_orders"] == report.rows_read == 10_324
    history = SqlSupplierHistory(app.sessions)
    rows = kpis.compute_kpis(
        history.order_lines(), suppliers=history.suppliers(), offers=history.offers()
    )
    by_name = {row.name: row for row in rows}
    expected = _expected_by_vendor(path)
    assert set(by_name) == set(expected)
    top = sorted(expected, key=lambda name: -expected[name]["lines"])[:TOP_VENDORS]
    for name in top:
        mine, raw = by_name[name], expected[name]
        assert mine.lines == raw["lines"]
        assert mine.on_time_rate == pytest.approx(raw["on_time"] / raw["lines"], abs=1e-12)
        assert mine.fill_rate == 1.0
        assert mine.rejected_share == 0.0
        assert mine.spend == pytest.approx(raw["spend"], rel=1e-9)
        _check_lead_times(mine.lead_time, raw["lead_times"])


def _check_lead_times(mine: kpis.LeadTimeSummary, lead_times: list[int]) -> None:
    assert mine.observations == len(lead_times)
    if not lead_times:
        assert mine.family == "none"
        return
    cuts = statistics.quantiles(lead_times, n=100, method="inclusive")
    assert mine.mean == pytest.approx(statistics.fmean(lead_times), rel=1e-12)
    assert mine.std == pytest.approx(statistics.stdev(lead_times), rel=1e-9)
    assert mine.p50 == pytest.approx(cuts[49], abs=1e-9)
    assert mine.p90 == pytest.approx(cuts[89], abs=1e-9)
    assert mine.p95 == pytest.approx(cuts[94], abs=1e-9)
    assert mine.family in {"gamma", "lognormal", "empirical"}


HEADER = ",".join(scms.COLUMNS)
GOOD_ROWS = (
    '1,SCMS-4,Vietnam,8/27/14,2-Jun-06,2-Jun-06,ARV,Adult,"Vendor A, Ltd",Drug X,19,29.5',
    "2,SO-50,Vietnam,N/A - From RDC,14-Nov-06,20-Nov-06,ARV,Adult,Vendor B,Drug X,5,31",
    "3,SO-51,Vietnam,N/A - From RDC,14-Nov-06,20-Nov-06,ARV,Adult,VENDOR-B,Drug X,5,31",
)


def _receipts(app: App) -> int:
    receipts = t.table_of(t.PurchaseReceiptRow)
    query = select(func.count()).where(receipts.c.idempotency_key.like("scms:%"))
    with app.sessions() as session:
        return int(session.execute(query).scalar() or 0)


def test_reimporting_an_scms_file_rewrites_the_same_rows(app: App, tmp_path: Path) -> None:
    path = tmp_path / "scms.csv"
    path.write_text("\n".join((HEADER, *GOOD_ROWS)) + "\n", encoding="utf-8")
    first = scms.import_scms(path, app.unit_of_work())
    scms.import_scms(path, app.unit_of_work())
    assert first.written["suppliers"] == 3  # "VENDOR-B" would share Vendor B's code
    assert first.skipped == {scms.NOTE_NO_PO_DATE: 2, scms.NOTE_PO_AFTER_DELIVERY: 1}
    assert _receipts(app) == 3
    history = SqlSupplierHistory(app.sessions)
    lines = {line.order_number: line for line in history.order_lines()}
    assert lines["SO-50-L2"].delay_days == 6
    assert lines["SCMS-4-L1"].ordered_on is None  # PO sent after the delivery


def test_an_unreadable_scms_file_is_refused_whole_with_line_and_column(
    app: App, tmp_path: Path
) -> None:
    path = tmp_path / "scms.csv"
    bad = "4,SO-52,Vietnam,13/45/14,2-Jun-06,someday,ARV,Adult,,Drug Y,0,-1"
    path.write_text("\n".join((HEADER, *GOOD_ROWS, bad)) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        scms.import_scms(path, app.unit_of_work())
    problems = {(p.line, p.column) for p in refused.value.problems}
    assert problems == {
        (5, "PO Sent to Vendor Date"),
        (5, "Delivered to Client Date"),
        (5, "Vendor"),
        (5, "Line Item Quantity"),
        (5, "Pack Price"),
    }
    assert _receipts(app) == 0
