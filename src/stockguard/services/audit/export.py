"""The audit report as plain records per section, for CSV, JSON and the API."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from stockguard.services.audit.report import AuditReport

SECTIONS = ("matrix", "at_risk", "dead", "excess", "slow", "stockouts")
"""Sections in report order."""

ROW_FIELDS = (
    "sku",
    "location",
    "category",
    "abc_class",
    "xyz_class",
    "on_hand",
    "revenue",
    "demand_cv",
    "velocity",
    "days_since_sale",
    "days_of_cover",
    "stock_value",
    "excess_units",
    "excess_value",
)


def plain(value: Any) -> Any:
    """JSON-safe scalar: Decimal and dates as strings, floats rounded to 4 places."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def section_records(report: AuditReport, section: str) -> list[dict[str, Any]]:
    """Rows of one section as dicts of plain values (``SECTIONS`` names them)."""
    if section == "matrix":
        items: list[Any] = report.matrix
    elif section in ("dead", "excess", "slow"):
        rows = getattr(report, section)
        return [{k: plain(getattr(r, k)) for k in ROW_FIELDS} for r in rows]
    elif section == "at_risk":
        items = report.at_risk
    elif section == "stockouts":
        items = report.stockouts
    else:
        raise ValueError(f"unknown section {section!r}; use one of {', '.join(SECTIONS)}")
    return [{k: plain(v) for k, v in dataclasses.asdict(item).items()} for item in items]


def report_document(report: AuditReport, sections: tuple[str, ...] = SECTIONS) -> dict[str, Any]:
    """The report as one JSON-ready document: header, settings and the chosen sections."""
    settings = dataclasses.asdict(report.settings)
    return {
        "today": report.today.isoformat(),
        "history_start": report.history_start.isoformat(),
        "history_end": report.history_end.isoformat(),
        "currency": report.currency,
        "positions": len(report.rows),
        "settings": {k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()},
        "sections": {name: section_records(report, name) for name in sections},
    }
