"""Import the M5 (Walmart) long format: one row per item x store x day.

Columns used: item_id, dept_id, cat_id, store_id, state_id, value (units sold), date
(``YYYY-MM-DD``) and sell_price (USD, empty before the item was on sale); the calendar
columns (events, SNAP, week numbers) are left to the forecasting readers. Mapping
(documented in docs/public-data.md):

- ``item_id`` -> product (category ``cat_id``, family ``dept_id``, price = the sell_price
  of the latest dated row that has one, USD; title = the item_id, M5 has no names);
- ``store_id`` -> location of kind store in the US, created when missing;
- each row with value > 0 -> one SALE movement of ``value`` units at noon UTC of ``date``,
  idempotency key ``m5:<item_id>:<store_id>:<date>``. Days without sales write nothing.

M5 has no orders and no customers, so none are written. The whole file is checked first
and rejected as a whole when a value, date or price cannot be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from stockguard.domain import ledger
from stockguard.services.importing import public_common as common
from stockguard.services.importing.problems import ImportReport, ProgressCallback
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

COLUMNS = (
    "item_id",
    "dept_id",
    "cat_id",
    "store_id",
    "state_id",
    "value",
    "date",
    "sell_price",
)
KEY_PREFIX = "m5"
CURRENCY = "USD"
SALE_TIME = time(12, 0, tzinfo=UTC)
MAX_CODE_LENGTH = {"item_id": 64, "store_id": 32}
SKIPPED_NO_SALE = "value 0 (no sale that day)"
ZERO = Decimal(0)


@dataclass(slots=True)
class ItemFacts:
    family: str
    category: str
    price: Decimal = ZERO
    priced_on: date | None = None


@dataclass(slots=True)
class M5Batch:
    """Everything a valid file maps to, ready for the bulk writer."""

    rows_read: int = 0
    items: dict[str, ItemFacts] = field(default_factory=dict)
    stores: dict[str, str] = field(default_factory=dict)
    """store_id -> state_id"""
    movements: list[ledger.StockMovement] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


class M5Reader:
    """Reads rows into an ``M5Batch``, logging every problem it finds."""

    def __init__(self, file: str) -> None:
        self.log = common.ProblemLog(file)
        self.batch = M5Batch()
        self._prices = common.Prices()
        self._days: dict[str, tuple[date, datetime]] = {}

    def take(self, fields: tuple[str, ...], line: int) -> None:
        """Map one row's fields, in the order of COLUMNS."""
        item, dept, cat, store, state, value_text, date_text, price_text = fields
        try:
            value = int(value_text)
            day, sold_at = self._day(date_text)
            price = self._prices(price_text) if price_text else None
        except ValueError:
            self._diagnose(fields, line)
            return
        if value < 0 or not item or not store or self._too_long(item, store, line):
            self._refuse(fields, value, line)
            return
        facts = self.batch.items.get(item)
        if facts is None:
            facts = self.batch.items[item] = ItemFacts(family=dept, category=cat)
        if price is not None and (facts.priced_on is None or day >= facts.priced_on):
            facts.price, facts.priced_on = price, day
        self.batch.stores.setdefault(store, state)
        if value == 0:
            common.bump(self.batch.skipped, SKIPPED_NO_SALE)
            return
        key = f"{KEY_PREFIX}:{item}:{store}:{date_text}"
        self.batch.movements.append(
            ledger.StockMovement(
                item, store, ledger.MovementKind.SALE, -value, sold_at, key, KEY_PREFIX
            )
        )

    def _day(self, text: str) -> tuple[date, datetime]:
        found = self._days.get(text)
        if found is None:
            day = date.fromisoformat(text.strip())
            found = self._days[text] = (day, datetime.combine(day, SALE_TIME))
        return found

    def _too_long(self, item: str, store: str, line: int) -> bool:
        too_long = False
        for column, text in (("item_id", item), ("store_id", store)):
            if len(text) > MAX_CODE_LENGTH[column]:
                limit = MAX_CODE_LENGTH[column]
                self.log.add(line, column, text, f"{column} allows at most {limit} characters.")
                too_long = True
        return too_long

    def _refuse(self, fields: tuple[str, ...], value: int, line: int) -> None:
        if value < 0:
            self.log.add(line, "value", fields[5], "Units sold cannot be negative.")
        for index, column in ((0, "item_id"), (3, "store_id")):
            if not fields[index]:
                self.log.add(line, column, "", f"{column} cannot be empty.")

    def _diagnose(self, fields: tuple[str, ...], line: int) -> None:
        """Log which of value, date and sell_price could not be read, and why."""
        checks = (
            (5, int, "Units sold must be a whole number, e.g. 0 or 3."),
            (6, self._day, "A date must look like 2011-01-29."),
            (
                7,
                lambda text: text and self._prices(text),
                "A price must be a number such as 7.44, or empty.",
            ),
        )
        for index, parse, reason in checks:
            try:
                parse(fields[index])
            except ValueError:
                self.log.add(line, COLUMNS[index], fields[index], reason)


def read_m5(path: Path, *, progress: ProgressCallback | None = None) -> M5Batch:
    """Read and check the whole file; raises ImportRejected listing every problem."""
    reader = M5Reader(path.name)
    common.read_whole_file(path, COLUMNS, reader, progress)
    return reader.batch


def import_m5(
    path: Path,
    uow: UnitOfWork,
    *,
    progress: ProgressCallback | None = None,
    on_step: common.StepCallback | None = None,
) -> ImportReport:
    """Import the file at ``path`` all or nothing; returns what was written and skipped."""
    batch = read_m5(path, progress=progress)
    report = ImportReport(file=path.name, entity="m5", rows_read=batch.rows_read)
    report.skipped = dict(sorted(batch.skipped.items()))
    report.written = write_m5(batch, uow, on_step=on_step)
    return report


def write_m5(
    batch: M5Batch, uow: UnitOfWork, *, on_step: common.StepCallback | None = None
) -> dict[str, int]:
    """Write a read batch in one unit of work; returns rows written per kind."""
    step = on_step or (lambda _name: None)
    written: dict[str, int] = {}
    with uow:
        step("locations")
        written["locations"] = common.create_missing_locations(uow.bulk, _store_rows(batch))
        step("products")
        written["products"] = uow.bulk.upsert(Entity.PRODUCT, _product_rows(batch))
        step("stock movements")
        written["movements"] = uow.bulk.record_movements(batch.movements)
        step("commit")
        uow.commit()
    return written


def _store_rows(batch: M5Batch) -> list[dict[str, Any]]:
    return [
        {
            "code": store,
            "name": f"Walmart store {store} ({state})" if state else f"Walmart store {store}",
            "kind": "store",
            "sellable": True,
            "country": "US",
        }
        for store, state in sorted(batch.stores.items())
    ]


def _product_rows(batch: M5Batch) -> list[dict[str, Any]]:
    return [
        {
            "sku": item,
            "title": item,
            "family": facts.family or None,
            "category": facts.category or None,
            "price": facts.price,
            "currency": CURRENCY,
            "status": "active",
        }
        for item, facts in sorted(batch.items.items())
    ]
