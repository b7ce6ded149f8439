"""Printing scenario runs in the terminal: the plan comparison table and its verdict line."""

from __future__ import annotations

import importlib
from typing import Any

from rich.table import Table

from stockguard.bootstrap import App
from stockguard.services.scenarios.ports import ScenarioRunStore
from stockguard.services.scenarios.report import Estimate, ScenarioReport


def run_store(stockguard: App) -> ScenarioRunStore:
    """Where scenario runs are kept (the scenarios area's database adapter)."""
    module: Any = importlib.import_module("stockguard.adapters.db.scenarios")
    store: ScenarioRunStore = module.SqlScenarioRuns(stockguard.sessions)
    return store


def _interval(value: Estimate, scale: float = 1.0, digits: int = 0) -> str:
    mean, low, high = value.mean * scale, value.low * scale, value.high * scale
    return f"{mean:,.{digits}f} ({low:,.{digits}f}-{high:,.{digits}f})"


def plan_table(report: ScenarioReport) -> Table:
    """One row per plan (baseline first): means with their 95% intervals."""
    title = (
        f"Scenario {report.scenario}: {report.paths:,} paths, {report.horizon_days} days "
        f"from {report.start}, {report.rows:,} SKU x locations (run {report.run_id})"
    )
    table = Table(title=title, title_justify="left")
    table.add_column("Plan")
    for name in ("Fill rate %", "Stock-out SKU-days", f"Lost revenue {report.currency}",
                 f"Extra cost {report.currency}", "vs baseline (paired)"):  # fmt: skip
        table.add_column(name, justify="right")
    for outcome in report.plans:
        gap = outcome.difference_vs_baseline
        table.add_row(
            outcome.plan,
            _interval(outcome.fill_rate, 100, 1),
            _interval(outcome.stockout_sku_days),
            _interval(outcome.lost_revenue),
            _interval(outcome.extra_cost),
            "-" if gap is None else f"{gap.mean:+,.0f} ({gap.low:+,.0f} to {gap.high:+,.0f})",
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
