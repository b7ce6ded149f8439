"""Import the USAID SCMS delivery history: vendors, products, purchase orders, receipts.

Each SCMS row is one shipment line of a purchase or sales order (``PO / SO #``); an order
number repeats across rows with different schedules, so every row becomes its own
purchase order. Mapping (documented in docs/suppliers.md):

- ``Vendor`` -> supplier (code: the name in capitals, letters and digits joined by ``-``,
  at most 64 characters; currency USD; SCMS gives no vendor country);
- ``Item Description`` -> product (SKU ``SCMS-`` + 8 hex digits of the description's
  SHA-1 + a readable slug, at most 64; category ``Product Group``, family ``Sub
  Classification``; price and cost = the pack price of the latest scheduled row, USD);
- ``Country`` -> location ``SCMS-<COUNTRY>`` (kind warehouse, not sellable): where the
  shipment was delivered;
- the row -> purchase order ``<PO / SO #>-L<ID>`` with status received, ``ordered_on`` =
  ``PO Sent to Vendor Date`` (empty for shipments from a regional distribution centre,
  where SCMS records no PO date, and when it falls after the delivery, a data error the
  report counts), ``expected_on`` = ``Scheduled Delivery Date``; one line of ``Line Item
  Quantity`` packs at ``Pack Price``; one receipt of every pack (0 rejected: SCMS records
  no rejections) at noon UTC of ``Delivered to Client Date``, key ``scms:<ID>``.

No stock movement is written: the goods went to the client countries, not into the shop's
stock. The whole file is checked first and rejected as a whole when a row cannot be read;
re-importing it rewrites the same rows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from stockguard.services.importing import public_common as common
from stockguard.services.importing.problems import ImportReport, ProgressCallback
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

COLUMNS = (
    "ID",
    "PO / SO #",
    "Country",
    "PO Sent to Vendor Date",
    "Scheduled Delivery Date",
    "Delivered to Client Date",
    "Product Group",
    "Sub Classification",
    "Vendor",
    "Item Description",
    "Line Item Quantity",
    "Pack Price",
)
CURRENCY = "USD"
KEY_PREFIX = "scms"
RECEIPT_TIME = time(12, 0, tzinfo=UTC)
NO_PO_DATE = frozenset({"N/A - From RDC", "Date Not Captured"})
NOTE_NO_PO_DATE = "no PO date recorded (order date left empty)"
NOTE_PO_AFTER_DELIVERY = "PO date after delivery (order date left empty)"
DELIVERY_FORMAT = "%d-%b-%y"
PO_FORMAT = "%m/%d/%y"
ZERO = Decimal(0)


def slug(text: str, limit: int) -> str:
    """Capitals, letters and digits joined by ``-``, cut to ``limit`` characters."""
    return re.sub(r"[^A-Z0-9]+", "-", text.upper()).strip("-")[:limit].rstrip("-")


def supplier_code(vendor: str) -> str:
    return slug(vendor, 64) or "VENDOR"


def product_sku(description: str) -> str:
    digest = hashlib.sha1(description.encode(), usedforsecurity=False).hexdigest()[:8].upper()
    return f"SCMS-{digest}-{slug(description, 50)}".rstrip("-")


def location_code(country: str) -> str:
    return f"SCMS-{slug(country, 27) or 'UNKNOWN'}"


@dataclass(slots=True)
class Shipment:
    """One SCMS row, read and checked."""

    row_id: int
    order: str
    location: str
    ordered_on: date | None
    expected_on: date
    delivered_on: date
    supplier: str
    sku: str
    quantity: int
    pack_price: Decimal


@dataclass(slots=True)
class ScmsBatch:
    rows_read: int = 0
    shipments: list[Shipment] = field(default_factory=list)
    suppliers: dict[str, str] = field(default_factory=dict)
    """code -> vendor name"""
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    """code -> country name"""
    skipped: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)


class ScmsReader:
    """Reads rows into an ``ScmsBatch``, logging every problem with line and column."""

    def __init__(self, file: str) -> None:
        self.log = common.ProblemLog(file)
        self.batch = ScmsBatch()
        self._prices = common.Prices()
        self._ids: set[int] = set()
        self._latest: dict[str, date] = {}

    def take(self, fields: tuple[str, ...], line: int) -> None:
        """Map one row's fields, in the order of COLUMNS."""
        values = dict(zip(COLUMNS, (f.strip() for f in fields), strict=True))
        before = len(self.log.problems)
        row_id = self._integer(values, "ID", line, low=1)
        quantity = self._integer(values, "Line Item Quantity", line, low=1)
        price = self._price(values, line)
        expected = self._date(values, "Scheduled Delivery Date", DELIVERY_FORMAT, line)
        delivered = self._date(values, "Delivered to Client Date", DELIVERY_FORMAT, line)
        ordered = self._po_date(values, line)
        self._required(values, line)
        if row_id is not None and row_id in self._ids:
            self.log.add(line, "ID", values["ID"], "This ID appears on an earlier row.")
        if len(self.log.problems) > before or row_id is None or quantity is None:
            return
        if price is None or expected is None or delivered is None:
            return
        self._ids.add(row_id)
        self.batch.shipments.append(self._shipment(values, row_id, quantity, price, ordered))

    def _shipment(
        self, values: dict[str, str], row_id: int, quantity: int, price: Decimal,
        ordered: date | None,
    ) -> Shipment:  # fmt: skip
        expected = _parse_date(values["Scheduled Delivery Date"], DELIVERY_FORMAT)
        delivered = _parse_date(values["Delivered to Client Date"], DELIVERY_FORMAT)
        if ordered is None:
            common.bump(self.batch.notes, NOTE_NO_PO_DATE)
        elif ordered > delivered:
            common.bump(self.batch.notes, NOTE_PO_AFTER_DELIVERY)
            ordered = None
        supplier = self._supplier(values["Vendor"])
        location = location_code(values["Country"])
        self.batch.locations.setdefault(location, values["Country"])
        sku = self._product(values, expected, price)
        return Shipment(
            row_id=row_id,
            order=f"{values['PO / SO #'][:50]}-L{row_id}",
            location=location,
            ordered_on=ordered,
            expected_on=expected,
            delivered_on=delivered,
            supplier=supplier,
            sku=sku,
            quantity=quantity,
            pack_price=price,
        )

    def _supplier(self, vendor: str) -> str:
        """The vendor's code; two names with the same code get a digest suffix on the second."""
        code = supplier_code(vendor)
        known = self.batch.suppliers.get(code)
        if known is not None and known != vendor[:200]:
            digest = hashlib.sha1(vendor.encode(), usedforsecurity=False).hexdigest()[:8].upper()
            code = f"{code[:55]}-{digest}"
        self.batch.suppliers.setdefault(code, vendor[:200])
        return code

    def _product(self, values: dict[str, str], expected: date, price: Decimal) -> str:
        sku = product_sku(values["Item Description"])
        if sku not in self.batch.products or expected >= self._latest[sku]:
            self._latest[sku] = expected
            self.batch.products[sku] = {
                "sku": sku,
                "title": values["Item Description"][:300],
                "category": values["Product Group"][:120] or None,
                "family": values["Sub Classification"][:64] or None,
                "price": price,
                "unit_cost": price,
                "currency": CURRENCY,
                "status": "active",
            }
        return sku

    def _integer(self, values: dict[str, str], column: str, line: int, *, low: int) -> int | None:
        try:
            number = int(values[column])
        except ValueError:
            number = None
        if number is None or number < low:
            reason = f"{column} must be a whole number of at least {low}."
            self.log.add(line, column, values[column], reason)
            return None
        return number

    def _price(self, values: dict[str, str], line: int) -> Decimal | None:
        try:
            price = self._prices(values["Pack Price"])
        except ValueError:
            price = None
        if price is None or price < ZERO:
            reason = "The pack price must be a number of 0 or more, e.g. 6.20 (USD)."
            self.log.add(line, "Pack Price", values["Pack Price"], reason)
            return None
        return price

    def _date(self, values: dict[str, str], column: str, layout: str, line: int) -> date | None:
        try:
            return _parse_date(values[column], layout)
        except ValueError:
            example = date(2006, 6, 2).strftime(layout)
            self.log.add(line, column, values[column], f"A date must look like {example}.")
            return None

    def _po_date(self, values: dict[str, str], line: int) -> date | None:
        text = values["PO Sent to Vendor Date"]
        if text in NO_PO_DATE:
            return None
        try:
            return _parse_date(text, PO_FORMAT)
        except ValueError:
            reason = "A PO date must look like 8/27/14 (month/day/year), or N/A - From RDC."
            self.log.add(line, "PO Sent to Vendor Date", text, reason)
            return None

    def _required(self, values: dict[str, str], line: int) -> None:
        for column in ("PO / SO #", "Vendor", "Item Description", "Country"):
            if not values[column]:
                self.log.add(line, column, "", f"{column} cannot be empty.")


def _parse_date(text: str, layout: str) -> date:
    return datetime.strptime(text, layout).date()  # noqa: DTZ007 (a calendar date)


def read_scms(path: Path, *, progress: ProgressCallback | None = None) -> ScmsBatch:
    """Read and check the whole file; raises ImportRejected listing every problem."""
    reader = ScmsReader(path.name)
    common.read_whole_file(path, COLUMNS, reader, progress)
    return reader.batch


def import_scms(
    path: Path,
    uow: UnitOfWork,
    *,
    progress: ProgressCallback | None = None,
    on_step: common.StepCallback | None = None,
) -> ImportReport:
    """Import the file at ``path`` all or nothing; returns what was written and noted."""
    batch = read_scms(path, progress=progress)
    report = ImportReport(file=path.name, entity="scms", rows_read=batch.rows_read)
    report.skipped = dict(sorted({**batch.skipped, **batch.notes}.items()))
    report.written = write_scms(batch, uow, on_step=on_step)
    return report


def write_scms(
    batch: ScmsBatch, uow: UnitOfWork, *, on_step: common.StepCallback | None = None
) -> dict[str, int]:
    """Write a read batch in one unit of work; returns rows written per kind."""
    step = on_step or (lambda _name: None)
    written: dict[str, int] = {}
    with uow:
        step("locations")
        written["locations"] = common.create_missing_locations(uow.bulk, _location_rows(batch))
        step("suppliers")
        written["suppliers"] = uow.bulk.upsert(Entity.SUPPLIER, _supplier_rows(batch))
        step("products")
        written["products"] = uow.bulk.upsert(Entity.PRODUCT, list(batch.products.values()))
        step("purchase orders")
        orders, lines, receipts = _order_rows(batch)
        written["purchase_orders"] = uow.bulk.upsert(Entity.PURCHASE_ORDER, orders)
        written["purchase_order_lines"] = uow.bulk.upsert(Entity.PURCHASE_ORDER_LINE, lines)
        step("receipts")
        written["purchase_receipts"] = uow.bulk.upsert(Entity.PURCHASE_RECEIPT, receipts)
        step("commit")
        uow.commit()
    return written


def _location_rows(batch: ScmsBatch) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "name": f"SCMS deliveries to {country}"[:200],
            "kind": "warehouse",
            "sellable": False,
            "country": None,
        }
        for code, country in sorted(batch.locations.items())
    ]


def _supplier_rows(batch: ScmsBatch) -> list[dict[str, Any]]:
    return [
        {"code": code, "name": name, "country": None, "email": None, "currency": CURRENCY}
        for code, name in sorted(batch.suppliers.items())
    ]


def _order_rows(
    batch: ScmsBatch,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    orders, lines, receipts = [], [], []
    for s in batch.shipments:
        orders.append(
            {
                "number": s.order,
                "supplier": s.supplier,
                "location": s.location,
                "status": "received",
                "ordered_on": s.ordered_on,
                "expected_on": s.expected_on,
                "carrier": None,
                "currency": CURRENCY,
            }
        )
        lines.append(
            {
                "order_number": s.order,
                "sku": s.sku,
                "quantity": s.quantity,
                "unit_cost": s.pack_price,
                "received": s.quantity,
                "rejected": 0,
            }
        )
        receipts.append(
            {
                "order_number": s.order,
                "sku": s.sku,
                "quantity": s.quantity,
                "rejected": 0,
                "received_at": datetime.combine(s.delivered_on, RECEIPT_TIME),
                "idempotency_key": f"{KEY_PREFIX}:{s.row_id}",
            }
        )
    return orders, lines, receipts
