"""Customers, suppliers, supplier offers and carriers files."""

from __future__ import annotations

from stockguard.services.importing import checks
from stockguard.services.importing import columns as c
from stockguard.services.importing.formats import FileFormat, ImportJob, no_check, upsert_rows
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

CUSTOMER_COLUMNS = (
    c.Column("external_id", c.text(64)),
    c.optional("email", c.email),
    c.optional("phone", c.phone),
    c.optional("name", c.text(200)),
    c.optional("locale", c.locale, "en"),
    c.optional("country", c.text(64)),
    c.optional("email_consent_at", c.timestamp),
    c.optional("sms_consent_at", c.timestamp),
)


def _check_customers(job: ImportJob, uow: UnitOfWork) -> None:
    """A consent needs the address it was given for."""
    for row in job.rows:
        if row.has("email_consent_at") and not row.cells.get("email"):
            job.problem(row, "email_consent_at", "E-mail consent was given but no e-mail address.")
        if row.has("sms_consent_at") and not row.cells.get("phone"):
            job.problem(row, "sms_consent_at", "SMS consent was given but no phone number.")


CUSTOMERS = FileFormat(
    name="customers",
    summary="Customers, with contact details and consent to e-mail and SMS.",
    columns=CUSTOMER_COLUMNS,
    unique=("external_id",),
    check=_check_customers,
    write=upsert_rows(Entity.CUSTOMER, CUSTOMER_COLUMNS),
)

SUPPLIER_COLUMNS = (
    c.Column("code", c.text(64)),
    c.Column("name", c.text(200)),
    c.optional("country", c.text(64)),
    c.optional("email", c.email),
    c.optional("currency", c.currency, "EUR"),
)

SUPPLIERS = FileFormat(
    name="suppliers",
    summary="Suppliers you buy from.",
    columns=SUPPLIER_COLUMNS,
    unique=("code",),
    check=no_check,
    write=upsert_rows(Entity.SUPPLIER, SUPPLIER_COLUMNS),
)

OFFER_COLUMNS = (
    c.Column("supplier", c.text(64)),
    c.Column("sku", c.text(64)),
    c.Column("unit_cost", c.amount("unit cost")),
    c.optional("currency", c.currency, "EUR"),
    c.optional("minimum_order_quantity", c.integer(1, "minimum order quantity"), 1),
    c.optional("pack_size", c.integer(1, "pack size"), 1),
    c.optional("lead_time_days", c.integer(0, "lead time"), 7),
)


def _check_offers(job: ImportJob, uow: UnitOfWork) -> None:
    checks.references(job, uow, "supplier", Entity.SUPPLIER)
    checks.references(job, uow, "sku", Entity.PRODUCT)


SUPPLIER_OFFERS = FileFormat(
    name="supplier-offers",
    summary="What each supplier charges for a SKU: cost, MOQ, pack size, lead time.",
    columns=OFFER_COLUMNS,
    unique=("supplier", "sku"),
    check=_check_offers,
    write=upsert_rows(Entity.SUPPLIER_OFFER, OFFER_COLUMNS),
)

CARRIER_COLUMNS = (c.Column("code", c.text(64)), c.Column("name", c.text(200)))

CARRIERS = FileFormat(
    name="carriers",
    summary="Carriers that deliver purchase orders.",
    columns=CARRIER_COLUMNS,
    unique=("code",),
    check=no_check,
    write=upsert_rows(Entity.CARRIER, CARRIER_COLUMNS),
)
