"""Import the UCI "Online Retail" file (a UK gift shop's orders, 2010-12 to 2011-12).

Columns: InvoiceNo, StockCode, Description, Quantity, InvoiceDate (``YYYY-MM-DD HH:MM``,
UK local time), UnitPrice (GBP), CustomerID (integer or empty), Country. The mapping is
documented in docs/public-data.md; in short:

- every row's StockCode (upper-cased) is a product, except postage, fees, discounts,
  manual entries, samples and gift vouchers, which are skipped and counted by code;
- an invoice is a sales order, each of its rows a line and a SALE movement;
- a cancellation (InvoiceNo ``C...``) returns its units (RETURN movements);
- a negative quantity on an ordinary invoice is a stock write-off (ADJUSTMENT);
- each movement's idempotency key is ``online-retail:<InvoiceNo>:<line_no>``, where
  ``line_no`` is the row's position within its invoice, so a re-import changes nothing.

The whole file is read and checked first; one unreadable date, quantity or price rejects
it and nothing is written. The valid file is written in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from stockguard.domain import ledger
from stockguard.services.importing import public_common as common
from stockguard.services.importing.problems import ImportReport, ProgressCallback
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
NON_PRODUCT_CODES = frozenset(
    {
        # postage, carriage, manual entries, discounts, samples, bad debt, fees, charges
        "POST", "DOT", "C2", "M", "D", "S", "B", "CRUK", "PADS", "AMAZONFEE", "BANK CHARGES",
        # found in this file with numeric codes: next-day carriage, packing charge,
        # a 100-pound gift voucher, a digital image licence (no stock)
        "23444", "23574", "22016", "23702",
        # stock adjustments and test codes of the 2009-2010 edition ("Online Retail II")
        "ADJUST", "ADJUST2", "TEST001", "TEST002",
    }
)  # fmt: skip
GIFT_VOUCHER_PREFIX = "GIFT_"
KEY_PREFIX = "online-retail"
CURRENCY = "GBP"
TIME_ZONE = "Europe/London"
DEFAULT_LOCATION = "UK"
CHANNEL = "web"
MAX_CODE_LENGTH = 64
MAX_TITLE_LENGTH = 300
ZERO = Decimal(0)

SKIPPED_ZERO = "quantity 0"
SKIPPED_POSITIVE_CANCELLATION = "cancellation with a positive quantity"


def skip_reason_for_code(code: str) -> str:
    """The ``ImportReport.skipped`` key under which rows with this non-product code count."""
    if code.startswith(GIFT_VOUCHER_PREFIX):
        return f"non-product code {GIFT_VOUCHER_PREFIX}* (gift voucher)"
    return f"non-product code {code}"


def is_product_code(code: str) -> bool:
    """False for the codes that are postage, fees, discounts, manual entries or vouchers."""
    return code not in NON_PRODUCT_CODES and not code.startswith(GIFT_VOUCHER_PREFIX)


@dataclass(slots=True)
class ProductFacts:
    """What the file says about one SKU: its descriptions and its latest positive price."""

    descriptions: dict[str, int] = field(default_factory=dict)
    notes: dict[str, int] = field(default_factory=dict)
    """Descriptions of write-off rows ("damaged", "check"): a title only as a last resort."""
    price: Decimal = ZERO
    priced_at: datetime | None = None

    def title(self, sku: str) -> str:
        """The most frequent description (first seen wins a tie), else the SKU itself."""
        counts = self.descriptions or self.notes
        if not counts:
            return sku
        return max(counts.items(), key=lambda item: item[1])[0][:MAX_TITLE_LENGTH]


@dataclass(slots=True)
class OnlineRetailBatch:
    """Everything a valid file maps to, ready for the bulk writer."""

    location: str
    rows_read: int = 0
    products: dict[str, ProductFacts] = field(default_factory=dict)
    customers: dict[str, str | None] = field(default_factory=dict)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    order_lines: list[dict[str, Any]] = field(default_factory=list)
    movements: list[ledger.StockMovement] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


class OnlineRetailReader:
    """Reads rows into an ``OnlineRetailBatch``, logging every problem it finds."""

    def __init__(self, file: str, location: str) -> None:
        self.log = common.ProblemLog(file)
        self.batch = OnlineRetailBatch(location=location)
        self._timestamps = common.LocalTimestamps(TIME_ZONE)
        self._prices = common.Prices()
        self._line_numbers: dict[str, int] = {}

    def take(self, fields: tuple[str, ...], line: int) -> None:
        """Map one row's fields, in the order of COLUMNS."""
        invoice, code, description, quantity_text, date_text, price_text, customer, country = fields
        try:
            quantity = int(quantity_text)
            at = self._timestamps(date_text)
            price = self._prices(price_text)
        except ValueError:
            self._diagnose(fields, line)
            return
        if customer and not customer.isdigit():
            customer = self._customer_id(customer, line)
        invoice, sku = invoice.strip(), code.strip().upper()
        if not invoice or not sku:
            self._missing_code(invoice, line)
            return
        line_no = self._line_numbers[invoice] = self._line_numbers.get(invoice, 0) + 1
        if not is_product_code(sku):
            common.bump(self.batch.skipped, skip_reason_for_code(sku))
        elif quantity == 0:
            common.bump(self.batch.skipped, SKIPPED_ZERO)
        elif quantity > 0 and invoice.startswith("C"):
            common.bump(self.batch.skipped, SKIPPED_POSITIVE_CANCELLATION)
        elif len(sku) > MAX_CODE_LENGTH or len(invoice) > MAX_CODE_LENGTH:
            self.log.add(
                line,
                None,
                None,
                f"InvoiceNo and StockCode allow at most {MAX_CODE_LENGTH} characters.",
            )
        else:
            self._map(_Row(invoice, line_no, sku, description, quantity, at, price, customer))
            self._note_customer(customer, country)

    def _map(self, row: _Row) -> None:
        key = f"{KEY_PREFIX}:{row.invoice}:{row.line_no}"
        location = self.batch.location
        if row.invoice.startswith("C"):
            kind, quantity = ledger.MovementKind.RETURN, -row.quantity
        elif row.quantity < 0:
            kind, quantity = ledger.MovementKind.ADJUSTMENT, row.quantity
        else:
            kind, quantity = ledger.MovementKind.SALE, -row.quantity
            self._add_order_line(row)
        self._note_product(row, is_note=kind is ledger.MovementKind.ADJUSTMENT)
        self.batch.movements.append(
            ledger.StockMovement(row.sku, location, kind, quantity, row.at, key, row.invoice)
        )

    def _add_order_line(self, row: _Row) -> None:
        order = self.batch.orders.get(row.invoice)
        if order is None:
            self.batch.orders[row.invoice] = {
                "number": row.invoice,
                "customer": row.customer or None,
                "ordered_at": row.at,
                "channel": CHANNEL,
                "currency": CURRENCY,
                "status": "fulfilled",
            }
        elif row.at < order["ordered_at"]:
            order["ordered_at"] = row.at
        self.batch.order_lines.append(
            {
                "order_number": row.invoice,
                "line_no": row.line_no,
                "sku": row.sku,
                "quantity": row.quantity,
                "unit_price": row.price,
            }
        )

    def _note_product(self, row: _Row, *, is_note: bool) -> None:
        facts = self.batch.products.get(row.sku)
        if facts is None:
            facts = self.batch.products[row.sku] = ProductFacts()
        description = row.description.strip()
        if description:
            counts = facts.notes if is_note else facts.descriptions
            counts[description] = counts.get(description, 0) + 1
        if row.price > 0 and (facts.priced_at is None or row.at >= facts.priced_at):
            facts.price, facts.priced_at = row.price, row.at

    def _note_customer(self, customer: str, country: str) -> None:
        if customer:
            self.batch.customers[customer] = country.strip()[:MAX_CODE_LENGTH] or None

    def _customer_id(self, text: str, line: int) -> str:
        """CustomerID as written by spreadsheets ("17850.0") becomes "17850"."""
        whole, dot, fraction = text.strip().partition(".")
        if whole.isdigit() and (not dot or fraction.strip("0") == ""):
            return whole
        self.log.add(line, "CustomerID", text, "A customer ID must be a whole number, or empty.")
        return ""

    def _diagnose(self, row: tuple[str, ...], line: int) -> None:
        """Log which of Quantity, InvoiceDate and UnitPrice could not be read, and why."""
        checks = (
            (3, int, "A quantity must be a whole number, e.g. 6 or -2."),
            (4, self._timestamps, "A date must look like 2010-12-01 08:26 (UK local time)."),
            (5, self._prices, "A unit price must be a number such as 2.55."),
        )
        for index, parse, reason in checks:
            try:
                parse(row[index])
            except ValueError:
                self.log.add(line, COLUMNS[index], row[index], reason)
        if row[6] and not row[6].isdigit():
            self._customer_id(row[6], line)

    def _missing_code(self, invoice: str, line: int) -> None:
        column = "StockCode" if invoice else "InvoiceNo"
        self.log.add(line, column, "", f"{column} cannot be empty.")


@dataclass(frozen=True, slots=True)
class _Row:
    invoice: str
    line_no: int
    sku: str
    description: str
    quantity: int
    at: datetime
    price: Decimal
    customer: str


def read_online_retail(
    path: Path, *, location: str = DEFAULT_LOCATION, progress: ProgressCallback | None = None
) -> OnlineRetailBatch:
    """Read and check the whole file; raises ImportRejected listing every problem."""
    reader = OnlineRetailReader(path.name, location)
    common.read_whole_file(path, COLUMNS, reader, progress)
    return reader.batch


def import_online_retail(
    path: Path,
    uow: UnitOfWork,
    *,
    location: str = DEFAULT_LOCATION,
    progress: ProgressCallback | None = None,
    on_step: common.StepCallback | None = None,
) -> ImportReport:
    """Import the file at ``path`` all or nothing; returns what was written and skipped."""
    batch = read_online_retail(path, location=location, progress=progress)
    report = ImportReport(file=path.name, entity="online-retail", rows_read=batch.rows_read)
    report.skipped = dict(sorted(batch.skipped.items()))
    report.written = write_online_retail(batch, uow, on_step=on_step)
    return report


def write_online_retail(
    batch: OnlineRetailBatch, uow: UnitOfWork, *, on_step: common.StepCallback | None = None
) -> dict[str, int]:
    """Write a read batch in one unit of work; returns rows written per kind."""
    step = on_step or (lambda _name: None)
    written: dict[str, int] = {}
    with uow:
        step("location")
        written["locations"] = common.create_missing_locations(uow.bulk, [_location(batch)])
        step("products")
        written["products"] = uow.bulk.upsert(Entity.PRODUCT, _product_rows(batch))
        step("customers")
        written["customers"] = uow.bulk.upsert(Entity.CUSTOMER, _customer_rows(batch))
        step("sales orders")
        written["sales_orders"] = uow.bulk.upsert(Entity.SALES_ORDER, list(batch.orders.values()))
        step("order lines")
        written["sales_order_lines"] = uow.bulk.upsert(Entity.SALES_ORDER_LINE, batch.order_lines)
        step("stock movements")
        written["movements"] = uow.bulk.record_movements(batch.movements)
        step("commit")
        uow.commit()
    return written


def _location(batch: OnlineRetailBatch) -> dict[str, Any]:
    return {
        "code": batch.location,
        "name": "Online Retail warehouse (United Kingdom)",
        "kind": "warehouse",
        "sellable": True,
        "country": "GB",
    }


def _product_rows(batch: OnlineRetailBatch) -> list[dict[str, Any]]:
    return [
        {
            "sku": sku,
            "title": facts.title(sku),
            "price": facts.price,
            "currency": CURRENCY,
            "status": "active",
        }
        for sku, facts in sorted(batch.products.items())
    ]


def _customer_rows(batch: OnlineRetailBatch) -> list[dict[str, Any]]:
    return [
        {"external_id": customer, "country": country, "locale": "en"}
        for customer, country in sorted(batch.customers.items())
    ]
