"""What a replenishment run takes from supplier history: risk scores and fitted lead times.

``sourcing_facts`` reads the history once and returns each supplier's risk score (the
default formula, ``services.suppliers.risk``) for the offer scores of
``planning.inventory.sourcing`` (its ``risk`` term), and per supplier x SKU with at least
``min_receipts`` receipts the mean and standard deviation of the observed lead time
(order day to first receipt), which the run prefers to stated lead time + mean delay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stockguard.services.suppliers import kpis, risk
from stockguard.services.suppliers.leadtime import MIN_RECEIPTS
from stockguard.services.suppliers.model import OrderLineFacts
from stockguard.services.suppliers.ports import SupplierHistory
from stockguard.services.suppliers.risk_settings import RiskSettings


@dataclass(frozen=True, slots=True)
class ObservedLeadTime:
    """Days from order to first receipt of one supplier x SKU."""

    mean: float
    std: float
    receipts: int
    family: str


@dataclass(frozen=True, slots=True)
class SourcingFacts:
    risk: dict[str, float] = field(default_factory=dict)
    """Supplier code -> risk score in [0, 1]."""
    lead_times: dict[tuple[str, str], ObservedLeadTime] = field(default_factory=dict)
    """(supplier, SKU) -> observed lead time, only with at least ``min_receipts``."""


def sourcing_facts(
    history: SupplierHistory,
    *,
    settings: RiskSettings | None = None,
    min_receipts: int = MIN_RECEIPTS,
    lines: Sequence[OrderLineFacts] | None = None,
) -> SourcingFacts:
    """Risk per supplier and observed lead times per supplier x SKU (module docstring).

    ``lines``: the history's order lines when the caller has read them already (they
    are read from ``history`` otherwise)."""
    lines = history.order_lines() if lines is None else lines
    suppliers = history.suppliers()
    offers = history.offers()
    inputs = risk.RiskInputs(
        suppliers=suppliers,
        lines=lines,
        offers=offers,
        ratings=history.ratings(),
        country_overrides=history.country_scores(),
    )
    scores = risk.risk_by_supplier(risk.supplier_risks(inputs, settings or RiskSettings()))
    lead_times = {
        (row.supplier, row.sku or ""): ObservedLeadTime(
            row.lead_time.mean,
            row.lead_time.std or 0.0,
            row.lead_time.observations,
            row.lead_time.family,
        )
        for row in kpis.compute_kpis(lines, suppliers=suppliers, offers=offers, by_sku=True)
        if row.lead_time.observations >= min_receipts and row.lead_time.mean is not None
    }
    return SourcingFacts(scores, lead_times)
