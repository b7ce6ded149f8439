"""Promotions files."""

from __future__ import annotations

from decimal import Decimal

from stockguard.domain import marketing
from stockguard.services.importing import checks
from stockguard.services.importing import columns as c
from stockguard.services.importing.formats import FileFormat, ImportJob, upsert_rows
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

PROMOTION_COLUMNS = (
    c.Column("code", c.text(64)),
    c.Column("kind", c.choice(marketing.PromotionKind)),
    c.optional("sku", c.text(64)),
    c.optional("category", c.text(120)),
    c.Column("starts_on", c.calendar_date),
    c.Column("ends_on", c.calendar_date),
    c.optional(
        "discount_percent",
        c.amount("discount", maximum=Decimal(100), integer_digits=3, decimal_places=2),
    ),
    c.optional("owner", c.text(200)),
)


def _check_promotions(job: ImportJob, uow: UnitOfWork) -> None:
    """One target (a SKU or a category), and an end on or after the start."""
    for row in job.rows:
        has_sku, has_category = bool(row.cells.get("sku")), bool(row.cells.get("category"))
        if has_sku and has_category:
            job.problem(row, "category", "Give either a SKU or a category, not both.")
        elif not has_sku and not has_category:
            job.problem(row, "sku", "Give the SKU or the category the promotion is for.")
        if row.has("starts_on", "ends_on") and row.values["ends_on"] < row.values["starts_on"]:
            job.problem(row, "ends_on", "The promotion ends before it starts.")
    checks.references(job, uow, "sku", Entity.PRODUCT)


PROMOTIONS = FileFormat(
    name="promotions",
    summary="Promotions on a SKU or a category between two dates.",
    columns=PROMOTION_COLUMNS,
    unique=("code",),
    check=_check_promotions,
    write=upsert_rows(Entity.PROMOTION, PROMOTION_COLUMNS),
)
