"""The dashboard's Register and Scenarios pages: never-rehearsed risks highlighted, the
plan table with intervals and the inline SVG stock fans of a run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from stockguard.bootstrap import App
from stockguard.entrypoints.web.routes import scenarios as scenario_pages
from stockguard.services.register import handlers
from stockguard.services.scenarios.ports import ScenarioRunSummary
from stockguard.services.scenarios.report import (
    Estimate,
    PlanOutcome,
    ScenarioReport,
    StockFan,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _risk(code: str, **overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "code": code, "title": f"Risk {code}", "category": "supplier_failure",
        "likelihood": 3, "impact": 4, "owner_role": "Buyer", "scenario": "supplier-flood",
        "plans": "supplier-flood", "plan": "second source after 7 days",
        "kpis": {"fill_rate": 0.95},
    }  # fmt: skip
    return {**fields, **overrides}


def test_the_register_page_highlights_plans_never_rehearsed(
    app: App, signed_in: TestClient
) -> None:
    handlers.add_risk(app.unit_of_work(), _risk("WEB-NEVER", likelihood=5), now=NOW)
    handlers.add_risk(app.unit_of_work(), _risk("WEB-DONE"), now=NOW)
    handlers.mark_rehearsed(app.unit_of_work(), "WEB-DONE", run_id=42, when=NOW)

    page = signed_in.get("/dashboard/register")

    assert page.status_code == 200
    assert '<a href="/dashboard/register" aria-current="page">Register</a>' in page.text
    never = page.text.index("Plans never rehearsed")
    assert never < page.text.index("<strong>WEB-NEVER</strong>")
    assert "<strong>WEB-DONE</strong>" not in page.text
    assert '<tr class="never-rehearsed">\n      <td><code>WEB-NEVER</code>' in page.text
    assert '<a href="/dashboard/scenarios/runs/42">run 42</a>' in page.text
    assert "fill rate 0.95" in page.text
    assert page.text.index("WEB-NEVER</code>") < page.text.index("WEB-DONE</code>")  # 15 > 12


def _estimate(mean: float, half: float) -> Estimate:
    return Estimate(mean=mean, low=mean - half, high=mean + half, std_error=half / 1.96)


def _report() -> ScenarioReport:
    days = [date(2026, 12, 1) + timedelta(days=i) for i in range(5)]
    fan = StockFan(
        sku="TOP-0001-NAV-M", location="PAR-GEN", lost_revenue=812.0, stockout_days=3.5,
        days=days, p5=[0, 0, 0, 0, 0], p25=[2, 1, 0, 0, 0], p50=[5, 3, 1, 0, 0],
        p75=[8, 6, 3, 1, 0], p95=[12, 9, 6, 3, 1],
    )  # fmt: skip
    baseline = PlanOutcome(
        plan="do nothing", fill_rate=_estimate(0.81, 0.01),
        stockout_sku_days=_estimate(420, 12), lost_revenue=_estimate(15300, 400),
        extra_cost=_estimate(0, 0), fans=[fan],
    )  # fmt: skip
    switch = PlanOutcome(
        plan="second source after 7 days", fill_rate=_estimate(0.93, 0.01),
        stockout_sku_days=_estimate(130, 8), lost_revenue=_estimate(4100, 200),
        extra_cost=_estimate(350, 20), difference_vs_baseline=_estimate(-10850, 300),
        fans=[fan.model_copy(update={"lost_revenue": 90.0})],
    )  # fmt: skip
    return ScenarioReport(
        scenario="supplier-flood", start=days[0], horizon_days=5, paths=200, seed=7,
        rows=40, plans=[baseline, switch], run_id=3,
    )  # fmt: skip


class OneRun:
    def get(self, run_id: int) -> ScenarioReport | None:
        return _report() if run_id == 3 else None

    def list(self, *, limit: int = 50, scenario: str | None = None) -> list[ScenarioRunSummary]:
        plans = ("do nothing", "second source after 7 days")
        return [ScenarioRunSummary(3, "supplier-flood", NOW, 200, 7, 5, plans, plans[1])]


def test_a_scenario_run_page_shows_the_plan_table_and_svg_fans(
    signed_in: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scenario_pages, "run_store", lambda _app: OneRun())

    listing = signed_in.get("/dashboard/scenarios")
    assert listing.status_code == 200
    assert '<a href="/dashboard/scenarios/runs/3">3</a>' in listing.text

    page = signed_in.get("/dashboard/scenarios/runs/3")
    assert page.status_code == 200
    assert "81.0%" in page.text
    assert "93.0%" in page.text
    assert '<span class="better">-10,850</span>' in page.text
    assert page.text.count('<svg class="fan"') == 1
    assert '<polygon class="outer" points="44.0,' in page.text
    assert "TOP-0001-NAV-M</strong> @ PAR-GEN: 3.5 stock-out days, 812 EUR lost" in page.text
    chosen = signed_in.get(
        "/dashboard/scenarios/runs/3", params={"plan": "second source after 7 days"}
    )
    assert "90 EUR lost" in chosen.text

    assert signed_in.get("/dashboard/scenarios/runs/99").status_code == 404


def test_a_fan_is_scaled_into_its_box_from_zero_to_its_highest_p95() -> None:
    from stockguard.entrypoints.web import fan_svg

    days = [date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)]
    fan = StockFan(
        sku="S", location="L", lost_revenue=0.0, stockout_days=0.0, days=days,
        p5=[0, 0, -1], p25=[1, 1, 0], p50=[2, 1, 0], p75=[3, 2, 0], p95=[4, 2, 1],
    )  # fmt: skip
    shape = fan_svg.fan_shape(fan)
    bottom = fan_svg.HEIGHT - fan_svg.BOTTOM
    right = fan_svg.WIDTH - fan_svg.RIGHT
    assert shape.top_units == 4
    assert shape.median.split() == [f"44.0,{bottom - 2 * 150 / 4:.1f}",
                                    f"{(44 + right) / 2:.1f},{bottom - 150 / 4:.1f}",
                                    f"{right:.1f},{bottom:.1f}"]  # fmt: skip
    outer = shape.outer.split()
    assert outer[0] == f"44.0,{fan_svg.TOP:.1f}"  # p95 of day 1 touches the top
    assert outer[-1] == f"44.0,{bottom:.1f}"  # p5 back at day 1; negative stock drawn at 0
    assert len(outer) == 2 * len(days)
