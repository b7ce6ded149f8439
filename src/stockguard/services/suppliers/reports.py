"""Use cases of the suppliers area: each reads the history port and returns a report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from stockguard.domain import errors
from stockguard.services.suppliers import diversification, kpis, risk, scorecard
from stockguard.services.suppliers.ports import SupplierHistory
from stockguard.services.suppliers.risk_settings import RiskSettings

REVENUE_DAYS = 365


def supplier_kpis(
    history: SupplierHistory,
    *,
    supplier: str | None = None,
    by_sku: bool = False,
    since: date | None = None,
    currency: str | None = None,
    today: date | None = None,
) -> list[kpis.SupplierKpis]:
    """KPIs per supplier (or supplier x SKU), optionally of one supplier and since a day.

    Open lines count as of ``today`` (default: today, UTC): lead times censored at
    their age, overdue ones late (``open_lines``)."""
    lines = history.order_lines(supplier=supplier, since=since)
    return kpis.compute_kpis(
        lines,
        suppliers=history.suppliers(),
        offers=history.offers(),
        by_sku=by_sku,
        currency=currency,
        today=today or _today(),
    )


def supplier_scorecard(
    history: SupplierHistory,
    *,
    supplier: str | None = None,
    period: scorecard.Period = scorecard.Period.QUARTER,
    since: date | None = None,
    today: date | None = None,
) -> list[scorecard.ScorecardRow]:
    """One supplier's (or every supplier's) scorecard; open lines count as of ``today``
    (default: today, UTC) as in ``supplier_kpis``.

    Raises:
        errors.UnknownSupplier: when ``supplier`` names no supplier.
    """
    if supplier is not None:
        require_supplier(history, supplier)
    lines = history.order_lines(supplier=supplier, since=since)
    return scorecard.scorecard(
        lines, offers=history.offers(), period=period, today=today or _today()
    )


def require_supplier(history: SupplierHistory, supplier: str) -> None:
    """Raise ``errors.UnknownSupplier`` when no supplier has the code ``supplier``."""
    if supplier not in {s.code for s in history.suppliers()}:
        raise errors.UnknownSupplier(supplier)


def _today() -> date:
    return datetime.now(UTC).date()


def supplier_risks(
    history: SupplierHistory,
    settings: RiskSettings,
    *,
    since: date | None = None,
    currency: str | None = None,
) -> list[risk.SupplierRisk]:
    inputs = risk.RiskInputs(
        suppliers=history.suppliers(),
        lines=history.order_lines(since=since),
        offers=history.offers(),
        ratings=history.ratings(),
        country_overrides=history.country_scores(),
    )
    return risk.supplier_risks(inputs, settings, currency=currency)


def diversification_report(
    history: SupplierHistory,
    *,
    now: datetime,
    revenue_days: int = REVENUE_DAYS,
    since: date | None = None,
) -> diversification.DiversificationReport:
    """Single-sourced SKUs and revenue at risk, revenue of the last ``revenue_days``."""
    inputs = diversification.DiversificationInputs(
        suppliers=history.suppliers(),
        lines=history.order_lines(since=since),
        offers=history.offers(),
        categories=history.product_categories(),
        revenue=history.revenue_by_sku(since=now - timedelta(days=revenue_days)),
    )
    return diversification.diversification(inputs)
