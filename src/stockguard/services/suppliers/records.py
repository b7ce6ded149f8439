"""Reports as flat records (one dict per row) for CSV/JSON exports, the API and the web."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from stockguard.services.suppliers.diversification import (
    DiversificationReport,
    SingleSourcedSku,
    SupplierExposure,
)
from stockguard.services.suppliers.kpis import SupplierKpis
from stockguard.services.suppliers.risk import SupplierRisk
from stockguard.services.suppliers.risk_settings import COMPONENTS
from stockguard.services.suppliers.scorecard import ScorecardRow

KPI_FIELDS = (
    "supplier", "name", "sku", "lines", "delivered", "on_time_rate", "delay_mean",
    "lead_time_observations", "lead_time_mean", "lead_time_std", "lead_time_p50",
    "lead_time_p90", "lead_time_p95", "lead_time_family", "lead_time_parameters",
    "lead_time_fitted_p90", "lead_time_fitted_p95", "fill_rate", "rejected_share",
    "price_variance", "ordered_units", "spend", "currency", "overdue_open",
    "lead_time_open_orders", "lead_time_oldest_open_days",
)  # fmt: skip
SCORECARD_FIELDS = tuple(f.name for f in dataclasses.fields(ScorecardRow))
RISK_FIELDS = (
    "supplier", "name", "country", "score", *(f"{c}_risk" for c in COMPONENTS),
    *(f"{c}_contribution" for c in COMPONENTS), "financial_rating", "capacity_utilisation",
    "hazard_zone", "skus", "single_source_skus", "spend", "currency",
)  # fmt: skip
SINGLE_SOURCE_FIELDS = ("sku", "category", "supplier", "revenue", "suggested_second_sources")
EXPOSURE_FIELDS = tuple(f.name for f in dataclasses.fields(SupplierExposure))


def kpi_record(row: SupplierKpis) -> dict[str, Any]:
    lead = row.lead_time
    return {
        "supplier": row.supplier, "name": row.name, "sku": row.sku, "lines": row.lines,
        "delivered": row.delivered, "on_time_rate": row.on_time_rate,
        "delay_mean": row.delay_mean, "lead_time_observations": lead.observations,
        "lead_time_mean": lead.mean, "lead_time_std": lead.std, "lead_time_p50": lead.p50,
        "lead_time_p90": lead.p90, "lead_time_p95": lead.p95,
        "lead_time_family": lead.family, "lead_time_parameters": lead.parameters,
        "lead_time_fitted_p90": lead.fitted.get("p90"),
        "lead_time_fitted_p95": lead.fitted.get("p95"), "fill_rate": row.fill_rate,
        "rejected_share": row.rejected_share, "price_variance": row.price_variance,
        "ordered_units": row.ordered_units, "spend": row.spend, "currency": row.currency,
        "overdue_open": row.overdue_open, "lead_time_open_orders": lead.open_orders,
        "lead_time_oldest_open_days": lead.oldest_open_days,
    }  # fmt: skip


def scorecard_record(row: ScorecardRow) -> dict[str, Any]:
    return dataclasses.asdict(row)


def risk_record(row: SupplierRisk) -> dict[str, Any]:
    record: dict[str, Any] = {
        "supplier": row.supplier, "name": row.name, "country": row.country, "score": row.score,
    }  # fmt: skip
    record |= {f"{c}_risk": row.components[c] for c in COMPONENTS}
    record |= {f"{c}_contribution": row.contributions[c] for c in COMPONENTS}
    record |= {
        "financial_rating": row.financial_rating,
        "capacity_utilisation": row.capacity_utilisation, "hazard_zone": row.hazard_zone,
        "skus": row.skus, "single_source_skus": row.single_source_skus, "spend": row.spend,
        "currency": row.currency,
    }  # fmt: skip
    return record


def single_source_record(row: SingleSourcedSku) -> dict[str, Any]:
    suggestions = "; ".join(f"{s.supplier} ({s.basis})" for s in row.suggestions)
    return {
        "sku": row.sku,
        "category": row.category,
        "supplier": row.supplier,
        "revenue": row.revenue,
        "suggested_second_sources": suggestions,
    }


def exposure_record(row: SupplierExposure) -> dict[str, Any]:
    return dataclasses.asdict(row)


def diversification_records(report: DiversificationReport) -> dict[str, Any]:
    """The whole report as JSON-ready data (suggestions kept as objects)."""
    return {
        "skus": report.skus,
        "total_revenue": report.total_revenue,
        "single_sourced": [dataclasses.asdict(row) for row in report.single_sourced],
        "exposure": [exposure_record(row) for row in report.exposure],
    }


def plain(value: Any) -> Any:
    """JSON-ready value: Decimal -> str, containers recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
