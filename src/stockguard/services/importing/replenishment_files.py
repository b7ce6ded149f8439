"""Replenishment rule files: one rule per row, each replacing the stored rule of its scope.

A row names its scope and the scope's key columns (``sku`` and ``location`` for
``sku_location``, ``category`` for ``category``, ...) and the settings it sets; empty
settings are taken from wider rules (``domain.replenishment``). Every row is checked as a
rule (the domain's own validation), and its SKU, location or category must exist.
"""

from __future__ import annotations

from typing import Any

from stockguard.domain import errors
from stockguard.domain import replenishment as r
from stockguard.services.importing import checks
from stockguard.services.importing import columns as c
from stockguard.services.importing.csv_rows import Row
from stockguard.services.importing.formats import FileFormat, ImportJob
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork


def share(cell: str) -> float:
    """A share such as 0.95 or 95%."""
    text = cell.strip()
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise c.InvalidCell("Not a share; write it like 0.95 or 95%.") from None
    if not 0.0 < value <= 1.0:
        raise c.InvalidCell("A share must be above 0 and at most 1 (100%).")
    return value


RULE_COLUMNS = (
    c.Column("scope", c.choice(r.RuleScope)),
    c.optional("sku", c.text(64)),
    c.optional("location", c.text(32)),
    c.optional("category", c.text(120)),
    c.optional("abc_class", c.text(1)),
    c.optional("policy", c.choice(r.PolicyName)),
    c.optional("service_measure", c.choice(r.ServiceMeasure)),
    c.optional("service_level", share),
    c.optional("review_period_days", c.integer(1, "review period")),
    c.optional("fixed_order_quantity", c.integer(1)),
    c.optional("manual_minimum", c.integer(0)),
    c.optional("manual_maximum", c.integer(0)),
    c.optional("max_supplier_share", share),
    c.optional("budget", c.amount("budget")),
)


def _check_rules(job: ImportJob, uow: UnitOfWork) -> None:
    """Each row a valid rule, once per scope and key, naming things that exist."""
    first_line: dict[tuple[str, tuple[str, ...]], int] = {}
    for row in job.rows:
        rule = _rule(job, row)
        if rule is None:
            continue
        seen = first_line.setdefault((rule.scope.value, rule.key), row.line)
        if seen != row.line:
            job.problem(row, "scope", f"Line {seen} already has a rule for {rule.label}.")
        job.staged.append(rule)
    checks.references(job, uow, "sku", Entity.PRODUCT)
    checks.references(job, uow, "location", Entity.LOCATION)
    categories = {p.category for p in uow.replenishment.products()}
    for row in job.rows:
        if row.has("category") and row.values["category"] not in categories:
            job.problem(row, "category", "No product is in this category.")


def _rule(job: ImportJob, row: Row) -> r.ReplenishmentRule | None:
    if not row.has("scope"):
        return None
    values: dict[str, Any] = {
        column.name: row.values.get(column.name) for column in RULE_COLUMNS[1:]
    }
    try:
        return r.ReplenishmentRule(**values, scope=row.values["scope"])
    except errors.InvalidRule as error:
        job.problem(row, error.field, f"{error.reason[:1].upper()}{error.reason[1:]}.")
        return None


def _write_rules(job: ImportJob, uow: UnitOfWork) -> None:
    """Create or replace each row's rule (an import states the whole rule)."""
    for rule in job.staged:
        uow.rules.put(rule)
    job.wrote("replenishment_rule", len(job.staged))


RULES = FileFormat(
    name="replenishment-rules",
    summary="Replenishment rules per SKU x location, SKU, category, location, ABC class.",
    columns=RULE_COLUMNS,
    unique=(),
    check=_check_rules,
    write=_write_rules,
)
