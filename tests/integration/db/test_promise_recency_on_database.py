"""The storefront's promise and the pre-orders' promise hand the delay records each
receipt's age (ADR 0032), on SQLite and PostgreSQL: the days from the first receipt of
each purchase-order line to the day of the promise, in the order of its delays, through
the one records function (``records.supplier_records``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from integration.replenishment_shop import NOW, seed_replenishment_shop
from stockguard.bootstrap import App
from stockguard.domain import commands
from stockguard.domain.reservations import Supply
from stockguard.services.importing import scms
from stockguard.services.preorders.promises import promise_supplies
from stockguard.services.risk.refresh import refresh_risk
from stockguard.services.storefront import records
from stockguard.services.storefront.refresh import refresh_availability

START = date(2010, 1, 4)
RECEIPTS = 30
"""Weekly receipts of the supplier; the last 3 arrive 10 days late."""


def _history(app: App, tmp_path: Path) -> tuple[str, list[tuple[int, float]]]:
    """Imports the supplier's receipts; returns its code and the (days late, age on
    NOW's day) of each receipt."""
    tag = uuid.uuid4().hex[:8].upper()
    vendor = f"Drifting {tag}"
    lines = [",".join(scms.COLUMNS)]
    expected: list[tuple[int, float]] = []
    for i in range(RECEIPTS):
        due = START + timedelta(days=7 * i)
        late = 10 if i >= RECEIPTS - 3 else 0
        arrived = due + timedelta(days=late)
        lines.append(
            f"{len(lines)},SO-{tag}-{len(lines)},Vietnam,N/A - From RDC,"
            f"{due:%d-%b-%y},{arrived:%d-%b-%y},ARV,Adult,{vendor},Drug {tag},5,3"
        )
        expected.append((late, float((NOW.date() - arrived).days)))
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scms.import_scms(path, app.unit_of_work())
    return scms.supplier_code(vendor), expected


def test_both_promises_pass_each_receipts_age_to_the_records(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    supplier, expected = _history(app, tmp_path)
    shop = seed_replenishment_shop(app)  # Lyon has nothing on hand
    due = NOW.date() + timedelta(days=10)
    number = f"PO-{shop.sku}"
    line = commands.PurchaseOrderLineInput(shop.sku, 12, Decimal("4.00"))
    app.bus.handle(
        commands.CreatePurchaseOrder(number, supplier, shop.lyon, (line,), expected_on=due)
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus(number, "sent"))
    refresh_risk(app.unit_of_work(), now=NOW)
    seen: list[tuple[list[int], list[float]]] = []
    made = records.supplier_records

    def spy(
        delays: Mapping[str, Sequence[int]], **kwargs: Any
    ) -> records.SupplierRecords:  # the real function, its input kept
        ages = kwargs["ages"]
        seen.append((list(delays[supplier]), list(ages[supplier])))
        return made(delays, **kwargs)

    monkeypatch.setattr(records, "supplier_records", spy)
    refresh_availability(app.unit_of_work(), now=NOW, low_stock_threshold=5)
    with app.unit_of_work() as uow:
        (dated,) = promise_supplies(
            uow, shop.sku, shop.lyon, [Supply(number, 12, due, None)], today=NOW.date()
        )

    assert dated.promised_on is not None
    assert dated.promised_on > due
    assert len(seen) >= 2  # the storefront's refresh and the pre-order's promise
    for delays, ages in seen:
        assert sorted(zip(delays, ages, strict=True)) == sorted(expected)
    # from these ages, the recency-weighted record (ADR 0032) gives the 3 newest, late
    # receipts more than their 3 / 30 of the supplier's own record
    delays, ages = seen[0]
    recent = made({supplier: delays}, ages={supplier: ages}, method=records.RECENT, default=[])
    assert dict((d, p) for d, p in recent.delay_pmf(supplier) or [])[10.0] > 3 / RECEIPTS
