"""Printing scenario runs in the terminal: the plan comparison table and its verdict line."""

from __future__ import annotations

from rich.table import Table

from stockguard.adapters.db.scenarios import SqlScenarioFacts, SqlScenarioRuns
from stockguard.bootstrap import App
from stockguard.services.scenarios.ports import ScenarioFacts, ScenarioRunStore
from stockguard.services.scenarios.report import Estimate, ScenarioReport


def run_store(stockguard: App) -> ScenarioRunStore:
    """Where scenario runs are kept (the scenarios area's database adapter)."""
    return SqlScenarioRuns(stockguard.sessions)


def scenario_facts(stockguard: App) -> ScenarioFacts:
    """Suppliers' countries and carriers and open order lines, for carrier strikes and
    country closures (the scenarios area's database adapter)."""
    return SqlScenarioFacts(stockguard.sessions)


def _interval(value: Estimate, scale: float = 1.0, digits: int = 0) -> str:
    """``mean ±half-width`` of the 95% interval."""
    half = (value.high - value.low) / 2 * scale
    return f"{value.mean * scale:,.{digits}f} ±{half:,.{digits}f}"


def plan_table(report: ScenarioReport) -> Table:
    """One row per plan (baseline first): means ± the half-width of their 95% intervals;
    the last column is (lost revenue + extra cost) minus the baseline's, paired."""
    title = (
        f"Scenario {report.scenario} (run {report.run_id}): {report.paths:,} paths, "
        f"{report.horizon_days} days from {report.start}, {report.rows:,} SKU x locations; "
        f"money in {report.currency}, 95% intervals"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("Plan")
    for name in ("Fill rate %", "Stock-out SKU-days", "Lost revenue", "Extra cost",
                 "vs doing nothing"):  # fmt: skip
        table.add_column(name, justify="right")
    for outcome in report.plans:
        gap = outcome.difference_vs_baseline
        table.add_row(
            outcome.plan,
            _interval(outcome.fill_rate, 100, 2),
            _interval(outcome.stockout_sku_days),
            _interval(outcome.lost_revenue),
            _interval(outcome.extra_cost),
            "-" if gap is None else f"{gap.mean:+,.0f} ±{(gap.high - gap.low) / 2:,.0f}",
        )
    return table


def verdict(report: ScenarioReport, plan: str) -> str:
    """One sentence comparing ``plan``'s lost revenue with the baseline's."""
    baseline, chosen = report.plans[0], report.outcome(plan)
    gap = chosen.difference_vs_baseline
    cut = baseline.lost_revenue.mean - chosen.lost_revenue.mean
    money = report.currency
    text = (
        f"Plan '{plan}' loses {chosen.lost_revenue.mean:,.0f} {money} of revenue "
        f"(95% CI {chosen.lost_revenue.low:,.0f}-{chosen.lost_revenue.high:,.0f}) against "
        f"{baseline.lost_revenue.mean:,.0f} {money} "
        f"({baseline.lost_revenue.low:,.0f}-{baseline.lost_revenue.high:,.0f}) doing nothing: "
        f"{cut:,.0f} {money} less"
    )
    if gap is not None:
        text += (
            f"; with its extra cost, {-gap.mean:,.0f} {money} saved "
            f"(paired 95% CI {-gap.high:,.0f} to {-gap.low:,.0f})"
        )
    return text + "."
